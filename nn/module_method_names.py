"""A child module, parameter or buffer named as one of Module's iteration methods (`parameters`, `modules`, ...)
leaves the method callable, as in PyTorch, whose registered children live in `_modules`/`_parameters`/`_buffers`,
behind the class's attributes. Here they are instance attributes, which would hide the method: N-BEATS'
`self.parameters = nn.ParameterList(...)` then broke `model.parameters()`. A plain value (a list, a number) still
hides the method, as PyTorch's __dict__ entries do."""

# The methods a model's own child is known to be named after; in a class that has such a child, each lookup of that
# method goes through one Python call more (other classes keep the plain function).
ITERATION_METHODS = ("parameters", "named_parameters", "buffers", "named_buffers", "children", "named_children",
                     "modules", "named_modules")


class MethodOverChild(property):
    """Module's method `name`, unless the instance holds a plain (unregistered) value under that name.

    holds_child(instance, name) tells whether the value held is a registered child, parameter or buffer.

    >>> import nn
    >>> class Net(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.parameters = nn.ParameterList([nn.Parameter([1.0, 2.0])])
    >>> net = Net()
    >>> [p.shape for p in net.parameters()], list(net.state_dict())
    ([(2,)], ['parameters.0'])
    """

    def __init__(self, function, holds_child):
        super().__init__(doc=function.__doc__)
        self.function = function
        self.holds_child = holds_child
        self.name = function.__name__
        self.__module__ = function.__module__  # (doctest collects the method's examples as the module's)

    def __get__(self, instance, owner=None):
        if instance is None:
            return self.function
        held = vars(instance).get(self.name, self)
        if held is self or self.holds_child(instance, self.name):
            return self.function.__get__(instance, owner)
        return held

    def __set__(self, instance, value):
        vars(instance)[self.name] = value

    def __delete__(self, instance):
        try:
            del vars(instance)[self.name]
        except KeyError:
            raise AttributeError(f"'{type(instance).__name__}' object has no attribute '{self.name}' to delete "
                                 f"(the method {self.name}() is the class's)") from None


def keep_method_over_child(module_class, name, holds_child):
    """Make module_class's method `name` (one of ITERATION_METHODS) win over a registered child of that name. Called
    by Module.__setattr__ the first time such a child is registered, so other classes' lookups stay plain functions.

    >>> import nn
    >>> class Net(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.modules = nn.ModuleList([nn.Linear(2, 2)])
    >>> len(list(Net().modules())), type(vars(Net)["modules"]).__name__, type(vars(nn.Module)["modules"]).__name__
    (3, 'MethodOverChild', 'function')
    """
    method = next(vars(klass)[name] for klass in module_class.__mro__ if name in vars(klass))
    if not isinstance(method, MethodOverChild):
        setattr(module_class, name, MethodOverChild(method, holds_child))
