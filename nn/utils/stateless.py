"""Calling a module with other parameters and buffers, as torch.nn.utils.stateless and torch.func.functional_call:
for per-sample gradients, meta-learning, or a function of the weights to give to ag.grad, ag.hessian, ag.hvp."""
from autograd_core import Tensor

from .._uninitialized import STANDING_IN, is_lazy
from ..module import _BUFFERS, _STANDING_IN, _UNSET, HELD_STANDING_IN, Module, Parameter
from . import parametrize

__all__ = ["functional_call"]

_ABSENT = object()  # the attribute was not there before the call


def _own_names(holder):
    """The names (or indices) of the parameters and buffers (set or None) a module holds, or of the Parameters a
    list or dict of them holds."""
    if isinstance(holder, Module):
        own = vars(holder)
        names = [n for n, v in own.items() if isinstance(v, Parameter)] + list(own.get(_BUFFERS, ()))
        return names + [n for n, kind in own.get(_UNSET, {}).items() if kind == "parameter"]
    entries = holder.items() if isinstance(holder, dict) else enumerate(holder)
    return [k for k, v in entries if isinstance(v, Parameter)]


def _slots(module):
    """{dotted name: (holder, key)} for every parameter and buffer (set or None), shared ones under each of their
    names; the holder is a module (key an attribute) or a list or dict of Parameters (key its index or key). And
    {dotted name: module} of every module."""
    slots, modules = {}, {}
    for path, holder in module._walk("", once=False, holders=True):
        if isinstance(holder, Module):
            modules[path] = holder
        for name in _own_names(holder):
            slots[f"{path}.{name}" if path else str(name)] = (holder, name)
    return slots, modules


def _slots_along(module, names):
    """_slots for the given names only, each followed down its own path as PyTorch's NamedMemberAccessor does: for
    a module that holds itself (`module.l1.m = module`), whose tree _slots cannot walk."""
    slots, modules = {}, {}
    for name in names:
        owner, _, attr = name.rpartition(".")
        try:
            holder = modules[owner] = module.get_submodule(owner)
        except AttributeError:  # a list or dict of Parameters ("layer.params"), or nothing (reported later)
            parent, _, entry = owner.rpartition(".")
            try:
                holder = vars(module.get_submodule(parent)).get(entry)
            except AttributeError:
                continue
            if not isinstance(holder, (list, tuple, dict)):
                continue
        slots.update({name: (holder, key) for key in _own_names(holder) if str(key) == attr})
    return slots, modules


def _merged(parameters_and_buffers):
    """One dict from a dict or a tuple (or list) of dicts, as torch.func.functional_call takes."""
    dicts = parameters_and_buffers if isinstance(parameters_and_buffers, (tuple, list)) else (parameters_and_buffers,)
    merged = {}
    for d in dicts:
        if not isinstance(d, dict):
            raise TypeError(f"functional_call: parameters_and_buffers must be a dict of dotted names to Tensors, or "
                            f"a tuple of such dicts, got {type(d).__name__}")
        repeated = sorted(set(d) & set(merged))
        if repeated:
            raise ValueError(f"functional_call: {repeated} appeared in multiple dictionaries; behavior of functional "
                             f"call is ambiguous")
        merged.update(d)
    for name, value in merged.items():
        if not isinstance(name, str):
            raise TypeError(f"functional_call: keys must be dotted names (strings), got {name!r}")
        if value is not None and not isinstance(value, Tensor):
            raise TypeError(f"functional_call: the value for {name!r} is a {type(value).__name__}, not a Tensor (or "
                            f"None); wrap it as ag.tensor(value)")
    return merged


def _tied(values, slots):
    """values with each name extended to the other names of the same Tensor (tied weights), as PyTorch's
    tie_weights=True; two different values for one tied Tensor are refused."""
    names_of = {}
    for name, (holder, key) in slots.items():
        current = holder.get(key) if isinstance(holder, dict) else (
            holder[key] if isinstance(holder, (list, tuple)) else vars(holder).get(key))
        if current is not None:
            names_of.setdefault(id(current), []).append(name)
    extended = dict(values)
    for names in names_of.values():
        given = [n for n in names if n in values]
        if len(names) < 2 or not given:
            continue
        if any(values[n] is not values[given[0]] for n in given[1:]):
            raise ValueError(f"functional_call got multiple values for keys {sorted(given)}, which are tied. "
                             f"Consider using tie_weights=False")
        extended.update({n: values[given[0]] for n in names if n not in values})
    return extended


def _write_back(given, done):
    """given (the caller's dict) updated with the values its swapped names hold after the call: forward may have
    assigned new Tensors to them (`self.running = self.running + 1`), as PyTorch's functional_call writes back."""
    for name, holder, key in done:
        if name not in given:  # (a tied name added here)
            continue
        if parametrize.is_parametrized(holder, key):
            current = parametrize._given.get((id(holder), key), _ABSENT)
        elif isinstance(holder, Module):
            current = vars(holder).get(key, _ABSENT)
        else:
            current = holder[key]
        if current is not _ABSENT:
            given[name] = current


def functional_call(module, parameters_and_buffers, args=None, kwargs=None, *, tie_weights=True, strict=False):
    """module(*args, **kwargs) with the parameters and buffers named in parameters_and_buffers (dotted names, as
    named_parameters gives; a dict, or a tuple of dicts) replaced by the given Tensors for the call, the originals
    restored afterwards (also when forward raises), as torch.func.functional_call: gradients flow to the given
    Tensors. args that is not a tuple is the one positional argument. With tie_weights (the default) a Tensor held
    under several names is replaced under all of them; strict=True requires every parameter and buffer to be given.
    During the call parameters() lists the given Tensors in their parameters' places, and what forward assigns to a
    given name (`self.buf = self.buf + 1`) is written back into the dict (when one dict is given), as PyTorch's.

    >>> import numpy as np, autograd_core as ag, nn
    >>> layer = nn.Linear(2, 1, bias=False)
    >>> w = ag.tensor([[1.0, 2.0]], requires_grad=True)
    >>> y = nn.utils.stateless.functional_call(layer, {"weight": w}, (np.array([3.0, 4.0]),))
    >>> y.backward(); y, w.grad
    (Tensor([11.], op=...), Tensor([[3., 4.]]))
    """
    if not isinstance(module, Module):
        raise TypeError(f"functional_call: module must be an nn.Module, got {type(module).__name__}")
    args = () if args is None else args if isinstance(args, tuple) else (args,)
    kwargs = {} if kwargs is None else kwargs
    values = _merged(parameters_and_buffers)
    listed = "(named_modules() lists them)"
    try:
        slots, modules = _slots(module)
    except ValueError as error:  # a cycle: only the names given can be followed (PyTorch's walk recurses for ever)
        if "a cycle" not in str(error):
            raise
        if tie_weights or strict:
            raise ValueError(f"functional_call: {error}; with tie_weights=False and strict=False only the names given "
                             f"are followed, along their paths") from None
        slots, modules = _slots_along(module, values)
        listed = "(get_submodule() finds them; the module holds itself, so named_modules() cannot list them)"
    if tie_weights:
        values = _tied(values, slots)
    if strict:
        missing, unexpected = sorted(set(slots) - set(values)), sorted(set(values) - set(slots))
        if missing or unexpected:
            lines = [f"Error(s) in reparametrizing for {type(module).__name__}:"]
            if unexpected:
                lines.append("Unexpected key(s): " + ", ".join(repr(k) for k in unexpected) + ".")
            if missing:
                lines.append("Missing key(s): " + ", ".join(repr(k) for k in missing) + ".")
            raise RuntimeError("\n\t".join(lines))
    targets = []
    for name, value in values.items():
        if name in slots:
            targets.append((name, *slots[name], value))
            continue
        owner, _, attr = name.rpartition(".")
        if owner in slots:  # (PyTorch's TypeError: a parameter is no module)
            raise TypeError(f"functional_call: {name!r}: {owner!r} is a parameter or buffer of "
                            f"{type(module).__name__}, not a module, so it has no {attr!r}")
        if owner not in modules:
            raise AttributeError(f"functional_call: {name!r} names no parameter or buffer of {type(module).__name__}, "
                                 f"and {owner!r} is not one of its modules {listed}")
        current = getattr(modules[owner], attr, None)
        if current is not None and not isinstance(current, Tensor):  # (PyTorch's TypeError too)
            raise TypeError(f"functional_call: {name!r}: attribute `{attr}`: {current!r} is not an instance of Tensor "
                            f"(it is a {type(current).__name__}); only parameters, buffers, Tensor attributes and new "
                            f"names can be given")
        targets.append((name, modules[owner], attr, value))  # a new attribute for the call, as PyTorch sets it
    swapped, standing_in, done = [], set(), []
    try:
        for name, holder, key, value in targets:
            if isinstance(holder, Module) and is_lazy(vars(holder).get(key)) and id(holder) not in STANDING_IN:
                standing_in.add(id(holder))  # (a lazy module stays lazy: see nn.lazy._infer_parameters)
                STANDING_IN.add(id(holder))
            if parametrize.is_parametrized(holder, key):  # the value itself, not f(right_inverse(value))
                swapped.append((holder, key, parametrize._given.get((id(holder), key), _ABSENT)))
                parametrize._given[id(holder), key] = value
            elif isinstance(holder, Module):
                old = vars(holder).get(key, _ABSENT)
                if old is None and vars(holder).get(_UNSET, {}).get(key) == "parameter" or isinstance(old, Parameter):
                    # a plain Tensor in a parameter's place: parameters() lists it for the call, as PyTorch's
                    before = vars(holder).get(_STANDING_IN)
                    swapped.append((holder, _STANDING_IN, _ABSENT if before is None else before))
                    vars(holder)[_STANDING_IN] = (before or frozenset()) | {key}
                swapped.append((holder, key, old))
                object.__setattr__(holder, key, value)
            elif isinstance(holder, tuple):
                raise TypeError(f"functional_call: cannot replace {key!r} held in a tuple; hold the parameters in "
                                f"a list or dict (nn.ParameterList) instead")
            else:  # a plain Tensor in a Parameter's place in a list or dict: listed by parameters(), as PyTorch's
                if isinstance(holder[key], Parameter):  # ParameterList's and ParameterDict's are
                    before = HELD_STANDING_IN.get(id(holder))
                    swapped.append((HELD_STANDING_IN, id(holder), _ABSENT if before is None else before))
                    HELD_STANDING_IN[id(holder)] = (before or frozenset()) | {key}
                swapped.append((holder, key, holder[key]))
                holder[key] = value
            done.append((name, holder, key))
        return module(*args, **kwargs)
    finally:
        STANDING_IN.difference_update(standing_in)
        if isinstance(parameters_and_buffers, dict):  # what forward assigned (self.buf = ...), as PyTorch's
            _write_back(parameters_and_buffers, done)
        for holder, key, old in reversed(swapped):
            if parametrize.is_parametrized(holder, key):
                if old is _ABSENT:
                    del parametrize._given[id(holder), key]
                else:
                    parametrize._given[id(holder), key] = old
            elif isinstance(holder, Module):
                if old is _ABSENT:
                    object.__delattr__(holder, key)
                else:
                    object.__setattr__(holder, key, old)
                    if old is not None:  # (forward's `self.w = None` over a stand-in unset it: undone)
                        vars(holder).get(_UNSET, {}).pop(key, None)
            elif old is _ABSENT:  # (HELD_STANDING_IN's entry)
                del holder[key]
            else:
                holder[key] = old
