"""The Optimizer base class: parameter groups, zero_grad, per-parameter state, state dicts.

An optimizer holds `param_groups`, a list of dicts, each with a "params" list and that
group's hyper-parameters ("lr", ...), exactly as in PyTorch, so that learning-rate
schedulers can edit `group["lr"]` between steps. Per-parameter state (step counts,
moment buffers) lives in `optimizer.state[param]`, keyed by the parameter itself (a Tensor
hashes by identity), so a deep copy or a pickle of a model with its optimizer keeps each
state with its parameter. As in PyTorch, each buffer is a constant Tensor (`state[p]["exp_avg"]`)
whose array the update changes in place, so a Tensor held across a step sees the new values;
the step count "step" stays a Python int (PyTorch keeps a 0-d float32 Tensor).

Updates are not gradients: `step()` changes each parameter's `.data` in place with plain
NumPy, under `ag.no_grad()`, from the `.grad` that `autograd_core` filled in.
"""
import functools
import inspect
import math
import numbers
from collections import defaultdict
from collections.abc import Mapping

import numpy as np

import autograd_core as ag

from .._arguments import as_flag, checked_number, error_kind
from ..module import clear_grads
from ..parameter_containers import ParameterList
from .optimizer_hooks import (LOAD_STATE_DICT_POST, LOAD_STATE_DICT_PRE, STATE_DICT_POST, STATE_DICT_PRE,
                              OptimizerHooks, run_hooks, step_with_hooks)
from .optimizer_hooks import register_optimizer_step_post_hook, register_optimizer_step_pre_hook

# torch.optim.optimizer's names
__all__ = ["Optimizer", "register_optimizer_step_pre_hook", "register_optimizer_step_post_hook"]


def check_non_negative(owner, name, value):
    """Raise an error naming `owner`'s argument `name` unless it is a Python or NumPy number >= 0 (inf too): TypeError
    for anything else (a 0-d Tensor too, since the updates compute with it in NumPy: pass float(lr)), ValueError for
    a number out of range. (The value is kept as given, as PyTorch keeps it.)"""
    checked_number(value, owner, name, low=0, high=math.inf, plain=True,
                   what="a number >= 0 (a Python or NumPy number)",
                   message="{owner}: invalid {name}={value!r}; it must be {what}")


def check_pair(owner, name, pair, valid, what):
    """Raise an error naming `owner`'s argument `name` unless it is a pair of numbers (a, b) with valid(a, b):
    TypeError for no pair of numbers, ValueError for numbers out of range; what says which pairs are valid."""
    try:
        numbers = error_kind(*pair) is ValueError
    except TypeError:  # no sequence
        numbers = False
    if not (numbers and len(pair) == 2 and valid(*pair)):
        raise (ValueError if numbers else TypeError)(f"{owner}: invalid {name}={pair!r}; it must be {what}")


def check_betas(owner, betas, name="betas"):
    """Raise an error unless betas is a pair of numbers in [0, 1) (TypeError for no pair of numbers)."""
    check_pair(owner, name, betas, lambda b1, b2: 0.0 <= b1 < 1.0 and 0.0 <= b2 < 1.0,
               "a pair (beta1, beta2) with 0 <= beta < 1")


class _RequiredParameter:
    """The default of a hyper-parameter that has none (`lr=required`), as torch.optim.optimizer.required: a parameter
    group that gives no value for it is refused."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()


# PyTorch's switches that the optimizers take (and ignore here), with their defaults in torch.optim's signatures
_TORCH_OPTION_DEFAULTS = {"foreach": None, "capturable": False, "differentiable": False, "fused": None}
_TORCH_OPTIONS = tuple(_TORCH_OPTION_DEFAULTS)


def _signature_with_torch_options(init):
    """The signature `inspect.signature(cls)` reports for an optimizer whose __init__ ends in **torch_options: that
    one without self, the switches spelled out as keywords, as torch.optim's (nanoGPT's configure_optimizers asks
    `'fused' in inspect.signature(torch.optim.AdamW).parameters`); None (inspect's own) for any other __init__."""
    parameters = list(inspect.signature(init).parameters.values())[1:]
    if not parameters or parameters[-1].kind is not inspect.Parameter.VAR_KEYWORD \
            or parameters[-1].name != "torch_options":
        return None
    named = {parameter.name for parameter in parameters}
    switches = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default)
                for name, default in _TORCH_OPTION_DEFAULTS.items() if name not in named]
    return inspect.Signature(parameters[:-1] + switches)


def _check_torch_options(owner, options):
    """PyTorch's implementation switches, accepted so that its calls run here: foreach, fused and capturable choose
    among kernels that compute the same rule (here there is one NumPy loop), so a flag or None is taken and changes
    nothing; differentiable=True (the step recorded for gradients) is refused, the step being unrecorded NumPy."""
    for name, value in options.items():
        if name not in _TORCH_OPTIONS:
            raise TypeError(f"{owner}: unexpected keyword argument {name!r}; besides its hyper-parameters it takes "
                            f"maximize= and PyTorch's {', '.join(_TORCH_OPTIONS)} (which change nothing here)")
        if value is not None:
            as_flag(value, owner, name)
    if options.get("differentiable"):
        raise ValueError(f"{owner}: differentiable=True is not supported: the update runs in NumPy under no_grad, "
                         f"so no gradient flows through a step; leave it False")


def _state_tensor(array):
    """A state buffer as the optimizers keep it: a constant Tensor holding `array` itself (no copy), which the
    update changes in place through `._data`, as PyTorch's buffers are Tensors that its step changes in place."""
    return ag.Tensor._constant(array)


def _written(entry):
    """A state buffer's array, for the step to change in place, the change counted first, as PyTorch's in-place
    operations count theirs: a graph that used the buffer (a preconditioner read from exp_avg_sq) then refuses to
    backpropagate through the values it saved, rather than reading the new ones."""
    entry._count_change()
    return entry._data


def _restored_as_torch(value, p, key):
    """A saved state entry of an optimizer with its own step, as torch.optim.Optimizer.load_state_dict restores it:
    a Tensor (nn.load gives every saved array as one) becomes a new Tensor and a NumPy array a new array, in a float
    parameter's dtype except the entry 'step'; a dict, list or tuple is restored entry by entry; anything else (a
    step count) is kept as it is."""
    if isinstance(value, (ag.Tensor, np.ndarray)):
        array = value.data if isinstance(value, ag.Tensor) else value
        restored = np.array(array, dtype=p.dtype if key != "step" and np.dtype(p.dtype).kind == "f" else array.dtype)
        return ag.tensor(restored) if isinstance(value, ag.Tensor) else restored
    if isinstance(value, Mapping):
        return {k: _restored_as_torch(v, p, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_restored_as_torch(v, p, key) for v in value)
    return value


def _marking_stepped(step):
    """step, setting optimizer._stepped first, which a scheduler's first step reads to warn when it comes before any
    optimizer step: a subclass's own step (one written against torch.optim.Optimizer, that never calls
    Optimizer.step) would leave it False and every scheduler would warn. As PyTorch's schedulers wrap opt.step."""
    if getattr(step, "_marks_stepped", False) or not callable(step):
        return step

    @functools.wraps(step)
    def marked_step(self, *args, **kwargs):
        self._stepped = True
        if self._has_step_hooks and not self._in_step_hooks:
            return step_with_hooks(self, step, (self, *args), kwargs)
        return step(self, *args, **kwargs)
    marked_step._marks_stepped = True
    return marked_step


def _copied(value):
    """A state entry as state_dict() gives it: a Tensor's or array's copy (a list's entry by entry), a number as is."""
    if isinstance(value, ag.Tensor):
        return _state_tensor(value.data.copy())
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list):  # (LBFGS's history of vectors)
        return [_copied(v) for v in value]
    return value


def _is_parameter_index(key):
    """Whether key of a saved state names a parameter by its position: an int, or its digits (as a state dict
    saved through JSON or nn.save may give it); any other key is an optimizer.state entry of its own."""
    return isinstance(key, numbers.Integral) and not isinstance(key, bool) or isinstance(key, str) and key.isdigit()


class Optimizer(OptimizerHooks):
    """Base class: subclasses set `defaults` through __init__ and implement `_update(group)`.

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> w = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> opt = SGD([w], lr=0.5)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> w.data
    array([0., 0.])
    >>> opt.zero_grad(); w.grad is None
    True
    """

    _number_state = ("step",)  # the state entries that are numbers, not arrays of the parameter's shape
    # Every entry the rule may keep in a parameter's state, declared by the rules that make a missing entry afresh
    # (the others name one missing from a loaded state at the step); None: not checked.
    _state_keys = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.__signature__ = _signature_with_torch_options(cls.__init__)
        if "step" in vars(cls):  # a rule's own step (Lion, LAMB, Lookahead...): marked as Optimizer.step marks itself
            cls.step = _marking_stepped(vars(cls)["step"])

    def __init__(self, params, defaults, **torch_options):
        _check_torch_options(type(self).__name__, torch_options)
        self.defaults = dict(defaults)
        self.state = defaultdict(dict)  # (as PyTorch's: opt.state[p] before p's first step is {})
        self.param_groups = []
        # SGD(model, ...), a common slip; a ParameterList is a module whose iteration gives its Parameters, as
        # PyTorch's (MAML code keeps its weights in one and passes it)
        if callable(getattr(params, "parameters", None)) and not isinstance(params, ParameterList):
            raise TypeError(f"{type(self).__name__}: params must be an iterable of Tensors or of dicts, got the "
                            f"module {type(params).__name__}; pass model.parameters()")
        if isinstance(params, ag.Tensor):
            raise TypeError(
                f"{type(self).__name__}: params must be an iterable of Tensors or of dicts, got a single Tensor; "
                "pass model.parameters() or [tensor]"
            )
        if isinstance(params, Mapping):  # a group, or dict(model.named_parameters()): list() would give its keys
            raise TypeError(f"{type(self).__name__}: params must be an iterable of Tensors or of dicts, got a "
                            f"{type(params).__name__} (its keys are no parameters); pass [group] for one parameter "
                            "group, model.parameters(), or model.named_parameters()")
        groups = list(params)
        if not groups:
            raise ValueError(f"{type(self).__name__}: got an empty parameter list; pass model.parameters()")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, group):
        """Add a dict {"params": [...], **hyper-parameters}; missing ones take the defaults.

        >>> import autograd_core as ag
        >>> from nn.optim import SGD
        >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=0.1)
        >>> opt.add_param_group({"params": [ag.tensor([2.0], requires_grad=True)], "lr": 0.01})
        >>> [group["lr"] for group in opt.param_groups]
        [0.1, 0.01]
        """
        if not isinstance(group, dict) or "params" not in group:
            raise TypeError(f"{type(self).__name__}: a parameter group must be a dict with a 'params' key")
        params = group["params"]
        name = type(self).__name__
        if isinstance(params, (set, frozenset)):  # its order changes between runs, and so would the checkpoints'
            raise TypeError(f"{name}: a parameter group's 'params' must be an ordered collection (a list), not a "
                            f"{type(params).__name__}, whose order changes between runs; pass a list instead")
        params = [params] if isinstance(params, ag.Tensor) else list(params)
        named = [isinstance(p, tuple) for p in params]
        if any(named):  # (name, Tensor) pairs, as model.named_parameters() gives: the names kept as "param_names"
            if not all(named) or any(len(p) != 2 or not isinstance(p[0], str) for p in params):
                raise ValueError(f"{name}: a parameter group's params must all be Tensors or all (name, Tensor) "
                                 "pairs, as model.named_parameters() gives; got a mix, or a tuple that is no such pair")
            group = {**group, "param_names": [p[0] for p in params]}
            params = [p[1] for p in params]
        if self.param_groups and ("param_names" in group) != ("param_names" in self.param_groups[0]):
            given, kept = ("with", "have none") if "param_names" in group else ("without", "have them")
            raise ValueError(f"{name}: all parameter groups must be given with names or all without (as "
                             f"model.named_parameters() or model.parameters() give them); can't add a group {given} "
                             f"names to an optimizer whose groups {kept}")
        elsewhere = {id(p) for g in self.param_groups for p in g["params"]}
        here = set()
        for p in params:
            if not isinstance(p, ag.Tensor):
                raise TypeError(f"{name}: parameters must be Tensors, got {type(p).__name__}")
            if not p.is_leaf:  # the update would change a computed value, not a parameter
                raise ValueError(f"{name}: can't optimize a non-leaf Tensor (a parameter of shape {p.shape} was "
                                 f"computed by {p.op_name}); pass the leaf Tensors, e.g. model.parameters()")
            if id(p) in here:  # torch warns; a second update of the same step is never wanted
                raise ValueError(f"{name}: a parameter of shape {p.shape} appears twice in one parameter group")
            if id(p) in elsewhere:
                raise ValueError(f"{name}: a parameter of shape {p.shape} appears in more than one parameter group")
            here.add(id(p))
        missing = [key for key, default in self.defaults.items() if default is required and key not in group]
        if missing:  # (PyTorch's message)
            raise ValueError(f"{name}: parameter group didn't specify a value of required optimization parameter "
                             f"{missing[0]}; give it to {name}(...) or in the group's dict")
        full = {**self.defaults, **group, "params": params}
        self._validate(full)
        self.param_groups.append(full)

    def _validate(self, group):
        """Check one group's hyper-parameters; subclasses extend it."""
        check_non_negative(type(self).__name__, "lr", group["lr"])
        check_non_negative(type(self).__name__, "weight_decay", group.get("weight_decay", 0))
        as_flag(group.get("maximize", False), type(self).__name__, "maximize")

    _stepped = False  # set by step()

    def zero_grad(self, set_to_none=True):
        """Set every parameter's .grad to None (the next backward() starts afresh), or to zeros in place (a
        gradient recorded with create_graph=True becomes a fresh zero Tensor, as in Module.zero_grad)."""
        if type(set_to_none) is not bool:  # (checked off the common path: zero_grad runs every step)
            set_to_none = as_flag(set_to_none, f"{type(self).__name__}.zero_grad", "set_to_none")
        for group in self.param_groups:
            clear_grads(group["params"], set_to_none)

    def step(self, closure=None):
        """Apply one update to every parameter that has a gradient (those with grad None are skipped).

        closure, if given, is called first (with gradients recorded, as in PyTorch) and should clear the
        gradients, compute the loss, call backward() and return the loss; step returns what it returned.
        """
        self._stepped = True  # (read by a scheduler's first step, to warn when it comes first, as PyTorch's)
        if self._has_step_hooks and not self._in_step_hooks:  # (register_step_pre_hook's: one test without them)
            return step_with_hooks(self, Optimizer.step, (self, closure) if closure is not None else (self,), {})
        loss = None
        if closure is not None:
            with ag.enable_grad():
                loss = closure()
        with ag.no_grad():
            try:
                for group in self.param_groups:
                    self._update(group)
            except ValueError as err:  # explained after the fact: no shape checks on the hot path
                problem = self._shape_problem()
                if problem is None:
                    raise
                raise ValueError(f"{type(self).__name__}.step: {problem}") from err
            except KeyError as err:  # (explained after the fact too)
                problem = self._missing_problem(err.args[0] if err.args else None)
                if problem is None:
                    raise
                raise ValueError(f"{type(self).__name__}.step: {problem}") from err
            except AttributeError as err:  # a buffer set by hand as an array, whose ._data the update reads
                problem = self._array_problem() if "'_count_change'" in str(err) or "'_data'" in str(err) else None
                if problem is None:
                    raise
                raise TypeError(f"{type(self).__name__}.step: {problem}") from err
        return loss

    def _array_problem(self):
        """Which state entry is a NumPy array where the update keeps a Tensor, or None."""
        for p, state in self._state_items():
            for k, v in state.items():
                if isinstance(v, np.ndarray):
                    return (f"the state {k!r} of a parameter of shape {p.shape} is a NumPy array; the buffers are "
                            f"Tensors, as PyTorch's: set it to ag.tensor(array), or change the Tensor in place "
                            f"(state[{k!r}].data[...] = array)")
        return None

    def _missing_problem(self, key):
        """Where the entry key that an update needs is missing (a state loaded from another optimizer's state dict,
        a hyper-parameter deleted from a group), or None."""
        name = type(self).__name__
        if key in self.defaults:
            if any(key not in group for group in self.param_groups):
                return f"a parameter group has no {key!r}, a hyper-parameter of {name} (was it deleted?)"
            return None
        for p, state in self._state_items():
            if key not in state:
                return (f"the state of a parameter of shape {p.shape} has no {key!r}, which {name} keeps (it holds "
                        f"{sorted(state)}); was it loaded from another optimizer's state_dict()? Load one saved by "
                        f"{name}, or start without one")
        return None

    def _shape_problem(self):
        """What does not have its parameter's shape (a .grad or .data array replaced by hand), or None."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None and p.grad.shape != p.shape:
                    return (f"the gradient of a parameter of shape {p.shape} has shape {p.grad.shape}; "
                            "it must have the parameter's shape (was .grad.data replaced?)")
                for k, v in self.state.get(p, {}).items():
                    if isinstance(v, (ag.Tensor, np.ndarray)) and v.shape != self._state_shape(p, k):
                        return (f"the state {k!r} of a parameter of shape {p.shape} has shape {v.shape}, not "
                                f"{self._state_shape(p, k)} (was the parameter's .data replaced by an array of "
                                "another shape?)")
        return None

    def _state_shape(self, p, key):
        """The shape of parameter p's array state `key`: p's own (Adafactor's factored moments differ)."""
        return p.shape

    def _update(self, group):
        raise NotImplementedError

    # ---- state dicts: Tensors and numbers only, saveable with nn.save -------------------------
    def state_dict(self):
        """{"state": {index: {name: Tensor or int}}, "param_groups": [{hyper-parameters, "params": [index]}]}.

        Parameters are named by their position across the groups, as in PyTorch; the buffers are copies (PyTorch's
        dict holds the optimizer's own Tensors), so that a saved state is not changed by the steps after it.

        >>> import autograd_core as ag
        >>> from nn.optim import Adam
        >>> w = ag.tensor([1.0], requires_grad=True)
        >>> opt = Adam([w]); (w * w).sum().backward(); opt.step()
        >>> state = opt.state_dict()
        >>> sorted(state["state"][0]), state["param_groups"][0]["params"]
        (['exp_avg', 'exp_avg_sq', 'step'], [0])
        """
        run_hooks(self, STATE_DICT_PRE)
        index = {}
        groups = []
        start = 0
        for group in self.param_groups:
            # a parameter keeps the position where it first appears (one in param_groups twice, which
            # opt.param_groups.extend(...) can make, is one index), and positions count every entry, as PyTorch's
            for position, p in enumerate(group["params"], start):
                index.setdefault(id(p), position)
            ids = [index[id(p)] for p in group["params"]]
            start += len(ids)
            groups.append({**{k: (list(v) if isinstance(v, list) else v) for k, v in group.items() if k != "params"},
                           "params": ids})  # (a list, param_names say, copied as the arrays are)
        state = {index[id(p)]: {k: _copied(v) for k, v in s.items()} for p, s in self._state_items()}
        # an entry under a key that is no Tensor (a hook's note, opt.state["seen"] = 1) is kept under that key, as
        # PyTorch's
        state.update((key, _copied(value)) for key, value in self.state.items() if not isinstance(key, ag.Tensor))
        return run_hooks(self, STATE_DICT_POST, {"state": state, "param_groups": groups})

    def _state_items(self):
        for group in self.param_groups:
            for p in group["params"]:
                if self.state.get(p):  # (not the {} that reading opt.state[p] before the first step made)
                    yield p, self.state[p]

    def load_state_dict(self, state_dict):
        """Restore hyper-parameters and buffers saved by state_dict() (arrays are copied in), checked as the
        constructor checks its arguments.

        >>> import autograd_core as ag
        >>> from nn.optim import SGD
        >>> w = ag.tensor([1.0], requires_grad=True)
        >>> saved = SGD([w], lr=0.5, momentum=0.9).state_dict()
        >>> opt = SGD([w], lr=0.1)
        >>> opt.load_state_dict(saved); opt.param_groups[0]["lr"]
        0.5
        """
        name = type(self).__name__
        state_dict = run_hooks(self, LOAD_STATE_DICT_PRE, state_dict)
        expected = (f"{name}.load_state_dict: expected a dict with keys 'state' and 'param_groups' (as state_dict() "
                    "returns)")
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"{expected}, got {type(state_dict).__name__}")
        if not {"state", "param_groups"} <= state_dict.keys():
            raise ValueError(f"{expected}, got keys {sorted(map(str, state_dict))}")
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError(f"{name}.load_state_dict: the state has {len(groups)} parameter groups, "
                             f"the optimizer {len(self.param_groups)}")
        params = {}
        for saved, group in zip(groups, self.param_groups):
            if not isinstance(saved, Mapping) or "params" not in saved:
                raise ValueError(f"{name}.load_state_dict: each saved parameter group must be a dict with a 'params' "
                                 f"key, got {saved!r:.80}")
            # The hyper-parameters, checked as the constructor checks them; but the rate chained schedulers leave may
            # be a little below zero (as in PyTorch, which restores it too): any number is restored as it is.
            lr = saved.get("lr", group["lr"])
            self._validate({**group, **saved, "lr": abs(lr) if isinstance(lr, numbers.Real) else lr})
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(f"{name}.load_state_dict: a saved group has {len(saved['params'])} parameters, "
                                 f"the optimizer's {len(group['params'])}")
            params.update(zip(saved["params"], group["params"]))
        state = defaultdict(dict)
        # A subclass with its own step (written against torch.optim.Optimizer: no _update, no declared _state_keys,
        # which LBFGS's own step has) keeps entries of its own: restored as PyTorch restores them, unchecked.
        own_step = type(self)._update is Optimizer._update and self._state_keys is None
        for key, buffers in state_dict["state"].items():
            if not _is_parameter_index(key):  # what state_dict() keeps of an entry under a key that is no Tensor
                state[key] = buffers
                continue
            p = params.get(int(key))
            if p is None:
                raise ValueError(f"{name}.load_state_dict: state for parameter {key}, which no group holds")
            if isinstance(buffers, Mapping) and not buffers:  # no state: PyTorch's state dicts hold {} for a parameter
                continue  # whose state was read before its first step (its state is a defaultdict); that step makes it
            if own_step and isinstance(buffers, Mapping):
                state[p] = {k: _restored_as_torch(v, p, k) for k, v in buffers.items()}
                continue
            self._refuse_foreign_state(key, buffers)
            restored = {}
            for k, v in buffers.items():
                if isinstance(v, ag.Tensor):  # (as nn.load and torch.load give a buffer)
                    v = v.data
                if k in self._number_state:  # a count or factor: a number (nn.save, torch's .numpy() give 0-d arrays)
                    if isinstance(v, (np.ndarray, np.generic)) and np.ndim(v) == 0 and v.dtype.kind in "iuf":
                        v = v.item()
                    elif not isinstance(v, numbers.Real) or isinstance(v, bool):
                        raise TypeError(f"{name}.load_state_dict: the state {k!r} of parameter {key} is "
                                        f"{type(v).__name__} {v!r:.60}; it needs a number")
                elif isinstance(v, (np.ndarray, np.generic)):
                    v = np.asarray(v)
                    if v.dtype.kind in "biuf" and v.shape == self._state_shape(p, k):  # a buffer (0-d too, for a
                        v = _state_tensor(np.array(v, dtype=p.dtype))  # 0-d parameter): a new Tensor, as torch's
                    else:
                        raise ValueError(f"{name}.load_state_dict: buffer {k!r} of parameter {key} has shape "
                                         f"{v.shape} and dtype {v.dtype}; for a parameter of shape {p.shape} it needs "
                                         f"shape {self._state_shape(p, k)} and numbers")
                else:  # a number or a torch tensor would be taken now and fail (or be left unchanged) in step()
                    raise TypeError(f"{name}.load_state_dict: buffer {k!r} of parameter {key} is {type(v).__name__} "
                                    f"{v!r:.60}; it needs a Tensor or NumPy array of shape {self._state_shape(p, k)} "
                                    f"(convert a torch tensor with .numpy())")
                restored[k] = v
            state[p] = restored
        for saved, group in zip(groups, self.param_groups):
            # The saved group replaces the current one's keys (as PyTorch's), so a key it lacks, a scheduler's
            # initial_lr say, is gone; a hyper-parameter it lacks keeps the current value, which step needs.
            kept = {k: group[k] for k in self.defaults if k not in saved}
            members = group["params"]
            group.clear()
            group.update({**saved, **kept, "params": members})
        self.state = state
        run_hooks(self, LOAD_STATE_DICT_POST)

    def _refuse_foreign_state(self, key, buffers):
        """Raise ValueError if the saved state `buffers` of parameter `key` holds an entry this optimizer's rule never
        keeps: another optimizer's state, which a rule that makes its entries when they are missing (SGD's momentum
        buffer) would run on with silently. Not checked when _state_keys is unknown or a subclass brings its own
        rule (_update), which may keep other entries."""
        keys, name = self._state_keys, type(self).__name__
        if keys is None or not isinstance(buffers, Mapping):
            return
        declaring = next(c for c in type(self).__mro__ if "_state_keys" in vars(c))
        if type(self)._update is not declaring._update:  # a subclass's own rule: its entries are its own
            return
        foreign = sorted(map(str, set(buffers) - set(keys)))
        if foreign:
            raise ValueError(f"{name}.load_state_dict: the state of parameter {key} holds {foreign}, which {name} "
                             f"does not keep (its states hold {sorted(keys)}); was it saved by another optimizer's "
                             f"state_dict()? Load one saved by {name}, or start without one")

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        return "\n".join(lines + [")"])
