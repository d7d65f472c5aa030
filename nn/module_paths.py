"""nn.Module's methods that follow dotted names, as PyTorch's: get_submodule, set_submodule, get_parameter and
get_buffer ("layers.0.weight", "heads.0" for an entry of a list or dict of modules). A mixin of Module, as
module_state's StateDictMethods.
"""
from . import module as _module  # (Module, Parameter and the registry helpers, read at call time: module.py imports
# this module before it defines them)


class PathMethods:
    """nn.Module's get_submodule, set_submodule, get_parameter and get_buffer (see the module)."""

    def get_submodule(self, target):
        """The module at the dotted name target ("" is this module), as PyTorch's: each name an attribute
        holding a module, or an entry of a list or dict of modules ("heads.0", as registered). An AttributeError
        names the part that is missing or is no module.

        >>> import nn
        >>> net = nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.ReLU(), nn.Linear(3, 1)))
        >>> net.get_submodule("1.1")
        Linear(in_features=3, out_features=1, bias=True)
        """
        if target == "":
            return self
        return self._follow(target, "get_submodule", "an nn.Module",
                            lambda owner, name, value: isinstance(value, _module.Module))

    def set_submodule(self, target, module, strict=False):
        """Put module at the dotted name target, as PyTorch's: every part before the last must reach a module; the
        last may name a new attribute (with strict=True it must exist) and, if it exists, must hold a module.

        >>> import nn
        >>> net = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
        >>> net.set_submodule("1", nn.Tanh())
        >>> net[1]
        Tanh()
        """
        where = f"{type(self).__name__}.set_submodule({target!r})"
        if target == "":
            raise ValueError(f"{where}: a target name is needed (the module cannot replace itself)")
        if not isinstance(module, _module.Module):
            raise ValueError(f"{where}: module must be an nn.Module, got {type(module).__name__}")
        parent_path, _, name = target.rpartition(".")
        parent = self.get_submodule(parent_path)
        if strict and not hasattr(parent, name):
            raise AttributeError(f"{where}: {type(parent).__name__} has no attribute `{name}` (strict=True)")
        if hasattr(parent, name) and not isinstance(getattr(parent, name), _module.Module):
            raise AttributeError(f"{where}: `{name}` is not an nn.Module (it is of type "
                                 f"{type(getattr(parent, name)).__name__})")
        setattr(parent, name, module)

    def get_parameter(self, target):
        """The Parameter at the dotted name target ("fc.weight", or "ps.0" for a list of Parameters), as
        PyTorch's; an AttributeError names the part that is missing or is no Parameter.

        >>> import nn
        >>> nn.Sequential(nn.Linear(2, 3)).get_parameter("0.bias").shape
        (3,)
        """
        return self._follow(target, "get_parameter", "an nn.Parameter",
                            lambda owner, name, value: isinstance(value, _module.Parameter))

    def get_buffer(self, target):
        """The buffer at the dotted name target ("norm.running_mean"), as PyTorch's (None if registered as None);
        an AttributeError names the part that is missing or is no buffer.

        >>> import nn
        >>> nn.Sequential(nn.BatchNorm1d(2)).get_buffer("0.running_var")
        Tensor([1., 1.], dtype=float32)
        """
        return self._follow(target, "get_buffer", "a buffer",
                            lambda owner, name, value: owner is not None
                            and name in vars(owner).get(_module._BUFFERS, ()))

    def _follow(self, target, method, what, wanted):
        """The value at the end of the dotted name target, if wanted(owner, name, value): owner the module whose
        attribute name it is, or None for the entry name of a list, tuple or dict of Parameters or Modules that a
        module holds. Each part before the last must reach a module; an AttributeError names the part that does
        not, or a last one that is not what is wanted (what: "an nn.Module", say)."""
        where = f"{type(self).__name__}.{method}({target!r})"
        if not isinstance(target, str):
            raise TypeError(f"{type(self).__name__}.{method}: target must be a dotted name (a string), got "
                            f"{target!r} of type {type(target).__name__}")
        parts = target.split(".")
        module, i = self, 0
        while True:
            name = parts[i]
            if not hasattr(module, name):
                raise AttributeError(f"{where}: {type(module).__name__} has no attribute `{name}`")
            value, owner, i = getattr(module, name), module, i + 1
            held = vars(module).get(name)
            if i < len(parts) and isinstance(held, (list, tuple, dict)) and _module._kind(held) == "module":
                # a list or dict of modules or Parameters: its entry is the next part ("heads.0")
                entries = dict(_module._held(name, held))
                if f"{name}.{parts[i]}" not in entries:
                    keys = [key.split(".", 1)[1] for key in entries]
                    raise AttributeError(f"{where}: the {type(held).__name__} `{name}` of {type(module).__name__} has "
                                         f"no module or parameter `{parts[i]}`; its entries are {keys}")
                value, owner, name, i = entries[f"{name}.{parts[i]}"], None, parts[i], i + 1
            last = i == len(parts)
            if not (wanted(owner, name, value) if last else isinstance(value, _module.Module)):
                raise AttributeError(f"{where}: `{name}` is not {what if last else 'an nn.Module'} (it is of type "
                                     f"{type(value).__name__})")
            if last:
                return value
            module = value
