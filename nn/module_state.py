"""Module's state dict methods, as PyTorch's: state_dict, load_state_dict, and the registration of their hooks
(whose calls are in nn.hooks). nn.Module inherits them from StateDictMethods; StateDictError and IncompatibleKeys are
nn.module's names too."""
import warnings
from collections import OrderedDict, namedtuple
from collections.abc import Mapping, MutableMapping

import numpy as np

from ._arguments import as_flag
from .hooks import LOAD_STATE_DICT_POST_HOOKS, LOAD_STATE_DICT_PRE_HOOKS, STATE_DICT_HOOKS, STATE_DICT_PRE_HOOKS, \
    call_load_state_dict_post_hooks, call_load_state_dict_pre_hooks, call_state_dict_post_hooks, \
    call_state_dict_pre_hooks, register_load_state_dict, register_state_dict, run_load_state_dict_pre_hooks
from .init import copy_into


class StateDictError(RuntimeError, KeyError, ValueError):
    """load_state_dict found missing, unexpected or mis-shaped entries.

    A RuntimeError as in PyTorch, and also a KeyError and a ValueError, so code written
    to catch either of those catches it too.
    """

    __str__ = BaseException.__str__  # a plain message, not KeyError's quoted repr


class IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What load_state_dict returns: the model's keys the state dict lacked, and the state dict's keys the model
    lacks. Shown as PyTorch's: <All keys matched successfully> when both are empty."""

    __slots__ = ()

    def __repr__(self):
        return "<All keys matched successfully>" if not self.missing_keys and not self.unexpected_keys \
            else super().__repr__()


def _strict_problems(keys):
    """What strict=True refuses in load_state_dict's IncompatibleKeys."""
    problems = []
    if keys.missing_keys:
        problems.append(f"missing keys (in the model, not in the state dict): {keys.missing_keys}")
    if keys.unexpected_keys:
        problems.append(f"unexpected keys (in the state dict, not in the model): {keys.unexpected_keys}")
    return problems


def _kept_when_absent(name, modules, metadata):
    """Whether the entry name may be absent from a state dict to load, its value then kept: a buffer its module
    lists in _KEPT_WHEN_ABSENT, which checkpoints older than the module's _version lack (PyTorch's BatchNorm
    num_batches_tracked, added at version 2), as PyTorch's: the state dict's _metadata gives the module's version
    when it has one, and one without (a plain dict) counts as older. modules: {dotted path: module} of the module
    loading; an entry of a list or dict of Parameters ("ps.0") has no module there, and is no buffer."""
    path, _, leaf = name.rpartition(".")
    module = modules.get(path)
    if leaf not in getattr(module, "_KEPT_WHEN_ABSENT", ()):
        return False
    version = (metadata or {}).get(path, {}).get("version")
    return version is None or version < module._version


def _owner(key, paths):
    """The longest of paths (dotted module names) that key runs through: "a.b" for "a.b.c.d"; "" (the root)
    if none does."""
    parts = str(key).split(".")
    return next((path for path in (".".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)) if path in paths), "")


def _is_below(path, ancestor):
    """Whether the dotted path runs through ancestor's (or is below the root, "")."""
    return not ancestor or path.startswith(ancestor + ".")


# one set per load_state_dict under way: the prefixes of the modules whose _load_from_state_dict reached the base
# method (an override that does not call it takes the loading of its module's own entries on itself, as in PyTorch)
_default_loads = []

EXTRA_STATE_KEY = "_extra_state"  # PyTorch's key suffix for what a module's get_extra_state returns


def _overrides(module, method):
    """Whether module's class overrides StateDictMethods' method (get_extra_state or set_extra_state); a holder (a
    list or dict of Parameters in a walk) does not."""
    return getattr(type(module), method, None) not in (None, getattr(StateDictMethods, method))


def _extra_state_key(prefix, path):
    """The state dict key of the extra state of the module at the dotted path, below prefix."""
    return f"{prefix}{path}.{EXTRA_STATE_KEY}" if path else prefix + EXTRA_STATE_KEY


def _one_entry_per_tensor(values, own):
    """values ({name: array} to load into own[name]) with one entry per Tensor: a Tensor held under several names
    (a module shared as linear1 and linear2, tied weights) takes the last of its entries that differs from its
    current value. PyTorch's state_dict() entries are the Tensors themselves, so there an entry left as state_dict()
    gave it follows the value loaded under another name; here entries are copies, and the stale one, loaded last,
    would silently undo the edited one."""
    names_of = {}
    for name in values:
        names_of.setdefault(id(own[name]), []).append(name)
    kept = dict(values)
    for names in (names for names in names_of.values() if len(names) > 1):
        changed = [name for name in names if not np.array_equal(values[name], own[name].data)]
        for name in names:
            if name != (changed[-1] if changed else names[-1]):
                del kept[name]
    return kept


def _state_entries(named_tensors, prefix, keep_vars):
    """state_dict's (prefix + name, value) for each (name, tensor): a copy of its values, or with keep_vars the
    Tensor itself (a parameter without values yet, nn.UninitializedParameter, is given as itself, as PyTorch's)."""
    for name, tensor in named_tensors:
        yield prefix + name, np.array(tensor.data) if not keep_vars and isinstance(tensor.data, np.ndarray) else tensor


class StateDictMethods:
    """nn.Module's state dict methods (see the module). They find a module's parameters, buffers and sub-modules
    through Module's _walk and _named_tensors; a holder (a list or dict of Parameters) in a walk has no hooks."""

    # (nn.hooks: a module's own dicts once it has a state dict hook, (hook, flag) entries)
    _state_dict_pre_hooks = _state_dict_hooks = _load_state_dict_pre_hooks = _load_state_dict_post_hooks = None
    _version = 1  # PyTorch's: the local_metadata's "version" that state_dict post hooks get

    def state_dict(self, *args, destination=None, prefix="", keep_vars=False):
        """An OrderedDict from dotted names of parameters and persistent buffers to copies of their values
        (ndarrays). As PyTorch's: prefix goes before every name, destination (a dict) receives the entries and is
        returned, and keep_vars=True gives the Parameters and buffers themselves instead of copies. PyTorch's
        deprecated positional form, state_dict(destination, prefix, keep_vars), works too, with its FutureWarning.

        >>> import nn
        >>> {k: v.shape for k, v in nn.Linear(2, 3).state_dict().items()}
        {'weight': (3, 2), 'bias': (3,)}
        >>> list(nn.Linear(2, 3).state_dict(prefix="head."))
        ['head.weight', 'head.bias']
        """
        where = f"{type(self).__name__}.state_dict"
        if args:  # PyTorch's old positional arguments (custom state_dict overrides of older code pass them)
            if len(args) > 3:
                raise TypeError(f"{where}: takes at most 3 positional arguments (destination, prefix, keep_vars), "
                                f"got {len(args)}")
            warnings.warn(f"{where}: positional arguments are deprecated (as in PyTorch); pass destination=, "
                          f"prefix= and keep_vars= by keyword", FutureWarning, stacklevel=2)
            destination = args[0] if destination is None else destination
            prefix = args[1] if len(args) > 1 and prefix == "" else prefix
            keep_vars = args[2] if len(args) > 2 and keep_vars is False else keep_vars
        if not isinstance(prefix, str):
            raise TypeError(f"{where}: prefix must be a string put before every name, got {prefix!r}")
        if destination is not None and not isinstance(destination, MutableMapping):
            raise TypeError(f"{where}: destination must be a dict to receive the entries, or None, got "
                            f"{type(destination).__name__}")
        keep_vars = as_flag(keep_vars, where, "keep_vars")
        walk = list(self._walk(holders=True))
        if destination is None:  # PyTorch's: an OrderedDict whose _metadata holds each module's version
            destination = OrderedDict()
            destination._metadata = OrderedDict()
        metadata = getattr(destination, "_metadata", None)  # (a destination given without one gets none)
        if metadata is not None:
            for path, module in walk:
                if isinstance(module, StateDictMethods):
                    metadata[f"{prefix}{path}" if path else prefix[:-1]] = {"version": module._version}
        for path, module in walk:  # (the hooks' dicts are made together: see nn.hooks)
            if getattr(module, "_state_dict_hooks", None) is not None or _overrides(module, "get_extra_state") \
                    or _overrides(module, "_save_to_state_dict") or (path and _overrides(module, "state_dict")):
                return self._state_dict_with_hooks(walk, destination, prefix, keep_vars)
        destination.update(_state_entries(self._named_tensors(buffers=True, walk=walk), prefix, keep_vars))
        return destination

    def get_extra_state(self):
        """What a module keeps in its state dict besides its parameters and buffers, as PyTorch's: a subclass that
        overrides it (with set_extra_state) has it saved under the key "_extra_state" after its own entries. This
        base is never called.

        >>> import nn
        >>> class Counter(nn.Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.calls = 3
        ...     def get_extra_state(self):
        ...         return {"calls": self.calls}
        ...     def set_extra_state(self, state):
        ...         self.calls = state["calls"]
        >>> fresh = Counter()
        >>> fresh.calls = 0
        >>> fresh.load_state_dict(Counter().state_dict()), fresh.calls
        (<All keys matched successfully>, 3)
        """
        raise RuntimeError(f"{type(self).__name__}.get_extra_state: the base method is never called; a module that "
                           f"keeps extra state overrides get_extra_state and set_extra_state")

    def set_extra_state(self, state):
        """Take back what get_extra_state returned, from a state dict being loaded (see get_extra_state)."""
        raise RuntimeError(f"{type(self).__name__}.set_extra_state: the base method is never called; a module that "
                           f"keeps extra state overrides get_extra_state and set_extra_state")

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        """PyTorch's private method that puts this module's own entries in destination (the dict state_dict
        fills), each key prefix + name: its parameters and persistent buffers (copies, or with keep_vars the Tensors
        themselves), then its extra state (see get_extra_state). A subclass overrides it to save its state
        otherwise, and _load_from_state_dict to load it back; the entries of the modules below are not its to write.

        >>> import nn
        >>> class Scaled(nn.Linear):
        ...     def _save_to_state_dict(self, destination, prefix, keep_vars):
        ...         super()._save_to_state_dict(destination, prefix, keep_vars)
        ...         destination[prefix + "scale"] = 2.0
        >>> list(nn.Sequential(Scaled(2, 3)).state_dict())
        ['0.weight', '0.bias', '0.scale']
        """
        destination.update(_state_entries(self._named_tensors(recurse=False, buffers=True), prefix, keep_vars))
        if _overrides(self, "get_extra_state"):
            destination[prefix + EXTRA_STATE_KEY] = self.get_extra_state()

    def _state_dict_with_hooks(self, walk, destination, prefix, keep_vars):
        """state_dict's work when a module of walk (this module's, with holders) has state dict hooks, extra state
        or its own _save_to_state_dict or (below this one) state_dict, in PyTorch's order: each module's pre-hooks,
        its entries (its _save_to_state_dict), the entries below it, then its post hooks with destination; a module
        below whose class overrides state_dict has it called for its entries and those below it.
        What this module's post hooks leave is the result (what those of a module below return is not, as in
        PyTorch)."""
        waiting = []  # (dotted path, module, its prefix) of the modules whose post hooks wait for those below them
        overriding = None  # the path of a module below whose class overrides state_dict, while walking below it
        for path, item in walk:
            if overriding is not None and _is_below(path, overriding):
                continue  # (that module's state_dict put them in)
            while waiting and not _is_below(path, waiting[-1][0]):
                _, module, module_prefix = waiting.pop()
                call_state_dict_post_hooks(module, destination, module_prefix)
            module_prefix = f"{prefix}{path}." if path else prefix
            if path and _overrides(item, "state_dict"):  # its own state_dict is called, as PyTorch's calls each
                # child's (what it returns is not used: its entries are those it puts in destination)
                item.state_dict(destination=destination, prefix=module_prefix, keep_vars=keep_vars)
                overriding = path
                continue
            if getattr(item, "_state_dict_hooks", None) is not None:
                call_state_dict_pre_hooks(item, module_prefix, keep_vars)
                waiting.append((path, item, module_prefix))
            if isinstance(item, StateDictMethods):
                item._save_to_state_dict(destination, module_prefix, keep_vars)
            else:  # a list or dict of Parameters
                destination.update(_state_entries(self._named_tensors(buffers=True, walk=[(path, item)]), prefix,
                                                  keep_vars))
        result = destination
        for path, module, module_prefix in reversed(waiting):
            returned = call_state_dict_post_hooks(module, destination, module_prefix)
            if not path:  # (this module's)
                result = returned
        return result

    def register_state_dict_pre_hook(self, hook):
        """Call hook(module, prefix, keep_vars) at each state_dict of this module or a module containing it, before
        this module's entries are read, as PyTorch's: to get values ready (prefix is what goes before this module's
        names). What it returns is ignored. Returns a handle whose remove() takes the hook off.

        >>> import nn
        >>> net, seen = nn.Sequential(nn.Linear(2, 3)), []
        >>> handle = net[0].register_state_dict_pre_hook(lambda module, prefix, keep_vars: seen.append(prefix))
        >>> _ = net.state_dict(); seen
        ['0.']
        """
        return register_state_dict(self, STATE_DICT_PRE_HOOKS, hook, "register_state_dict_pre_hook")

    def register_state_dict_post_hook(self, hook):
        """Call hook(module, state_dict, prefix, local_metadata) at each state_dict of this module or a module
        containing it, once this module's entries and those below it are in state_dict, as PyTorch's: it may change
        state_dict in place (add, drop or rename entries; this module's keys start with prefix) and must return
        None. local_metadata is {"version": module._version}. Returns a handle whose remove() takes the hook off.

        >>> import nn
        >>> def drop_bias(module, state, prefix, local_metadata):
        ...     del state[prefix + "bias"]
        >>> net = nn.Sequential(nn.Linear(2, 3))
        >>> handle = net[0].register_state_dict_post_hook(drop_bias)
        >>> list(net.state_dict())
        ['0.weight']
        """
        return register_state_dict(self, STATE_DICT_HOOKS, hook, "register_state_dict_post_hook")

    def _register_state_dict_hook(self, hook):
        """PyTorch's private register_state_dict_post_hook, which older code calls: the same, except that the hook
        may return a new state dict, which the hooks after it get, and which state_dict returns when this module is
        the one it was called on (a module below's is dropped, as in PyTorch)."""
        return register_state_dict(self, STATE_DICT_HOOKS, hook, "_register_state_dict_hook", public=False)

    def load_state_dict(self, state_dict, strict=True, assign=False):
        """Copy values from state_dict into the Parameters with the same names, in place.

        Shapes must match exactly; with strict=True (the default) the names must match too.
        Values are cast to each Parameter's dtype; with assign=True each Parameter and buffer takes the state dict
        entry's dtype instead, and no .grad, as PyTorch's assign=True (here the same object takes a copy of the
        values, so an optimizer built before keeps it). Returns (missing_keys, unexpected_keys).

        >>> import nn
        >>> a, b = nn.Linear(2, 3, rng=0), nn.Linear(2, 3, rng=1)
        >>> b.load_state_dict(a.state_dict())
        <All keys matched successfully>
        >>> bool((a.weight.data == b.weight.data).all())
        True
        """
        strict = as_flag(strict, f"{type(self).__name__}.load_state_dict", "strict")
        assign = as_flag(assign, f"{type(self).__name__}.load_state_dict", "assign")
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"{type(self).__name__}.load_state_dict: expected a dict of names to arrays (as "
                            f"state_dict() returns), got {type(state_dict).__name__}")
        # PyTorch's lists, which load_state_dict pre-hooks may add to, then the load's own findings
        missing, unexpected, problems = [], [], []
        metadata = getattr(state_dict, "_metadata", None)  # (a PyTorch state dict's, for the pre-hooks)
        overriding = []  # the paths of the modules whose class overrides _load_from_state_dict
        _default_loads.append(set())
        try:
            for path, module in self._walk():  # each module under each name, as PyTorch's load visits them
                prefix = f"{path}." if path else ""
                if "_initialize_hook" in vars(module):  # lazy modules still lazy (nn.lazy) first take their shapes
                    module._lazy_load_hook(state_dict, prefix)
                overridden = _overrides(module, "_load_from_state_dict")
                if overridden:
                    overriding.append(path)
                if module._load_state_dict_pre_hooks or overridden:  # (a new dict: the caller's is left as it is)
                    state_dict = call_load_state_dict_pre_hooks(module, state_dict, prefix, metadata, assign,
                                                                (missing, unexpected, problems))
        finally:
            defaults = _default_loads.pop()
        # a module whose override skipped the base loads its own entries itself: they are neither loaded, missing
        # nor unexpected here (the entries of the modules below it still are)
        skipped = {path for path in overriding if (f"{path}." if path else "") not in defaults}
        own = OrderedDict((name, tensor) for name, tensor in self._named_tensors(buffers=True)
                          if name.rpartition(".")[0] not in skipped)
        modules = dict(self._walk())  # (a name's owner; an entry of a list or dict of Parameters has none)
        missing += [name for name in own
                    if name not in state_dict and not _kept_when_absent(name, modules, metadata)]
        # {key: module} for the modules that take extra state (PyTorch's: one missing is reported when strict)
        extra = {_extra_state_key("", path): module for path, module in modules.items()
                 if _overrides(module, "set_extra_state") and path not in skipped}
        missing += [key for key in extra if strict and key not in state_dict]
        # PyTorch's order: module by module as its load walks them (each module's keys, in the dict's order,
        # before its children's), a key under the deepest module its dotted path runs through
        walk = {path: i for i, (path, _) in enumerate(self._walk(holders=True))}
        unexpected += sorted((name for name in state_dict
                              if name not in own and name not in extra and _owner(name, walk) not in skipped),
                             key=lambda k: walk[_owner(k, walk)])
        values = {}
        for name in own:
            if name in state_dict:
                try:  # (a ragged list, a torch tensor that requires grad or is bfloat16: NumPy's or torch's error)
                    values[name] = np.asarray(state_dict[name])
                except (TypeError, ValueError, RuntimeError) as error:
                    from ._uninitialized import is_lazy  # (here: that module imports this one's)
                    if is_lazy(state_dict[name]):  # PyTorch's words, which ported tests match
                        problems.append(f"'{name}' is an nn.{type(state_dict[name]).__name__} (from a lazy module "
                                        f"before its first forward): cannot access the shape of an uninitialized "
                                        f"parameter or buffer; call that model on a batch first")
                        continue
                    problems.append(f"'{name}' cannot be read as an array ({type(state_dict[name]).__name__}: "
                                    f"{error}); give an ndarray (a torch tensor: t.detach().float().numpy())")
        for name, value in values.items():
            if value.dtype.kind not in "biuf":  # checked before anything is copied: no half-loaded model
                problems.append(f"'{name}' has dtype {value.dtype}; a parameter takes bool, int or float values")
            elif assign and value.dtype.kind != "f" and own[name].requires_grad:
                problems.append(f"'{name}' has dtype {value.dtype}: with assign=True the parameter would take it, "
                                f"and only a float parameter can require grad (load with assign=False to cast it)")
            elif value.shape != own[name].shape:
                problems.append(f"size mismatch for '{name}': the state dict has shape {value.shape}, "
                                f"the model's parameter has shape {own[name].shape}")
        keys = IncompatibleKeys(missing, unexpected)
        # post hooks may change the keys, so strict is judged after them (the values are then loaded first, as in
        # PyTorch); without hooks nothing is loaded unless everything can be
        hooked = [m for _, m in self._walk(once=True, children_first=True) if m._load_state_dict_post_hooks]
        if strict and not hooked:
            problems += _strict_problems(keys)
        if problems:
            raise StateDictError(f"{type(self).__name__}.load_state_dict: " + "; ".join(problems))
        for name, value in _one_entry_per_tensor(values, own).items():  # into the same arrays, counted as a change
            # (as PyTorch's copy_)
            if not assign:
                copy_into(own[name], value)
            else:
                own[name].data = np.array(value)  # the entry's dtype, a copy; counted as a change, as to() is
                own[name].grad = None  # (PyTorch's assign puts a new Parameter there, without one)
        for key, module in extra.items():
            if key in state_dict:
                module.set_extra_state(state_dict[key])
        for module in hooked:
            call_load_state_dict_post_hooks(module, keys)
        if strict and hooked and _strict_problems(keys):
            raise StateDictError(f"{type(self).__name__}.load_state_dict: " + "; ".join(_strict_problems(keys)))
        return keys

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                              error_msgs):
        """PyTorch's private method that a subclass overrides to change its entries before they load, then calls
        super()._load_from_state_dict(...) (torchvision's FrozenBatchNorm2d drops a BatchNorm checkpoint's
        num_batches_tracked, its FeaturePyramidNetwork renames old keys). load_state_dict calls an override before
        the module's entries are looked at, as PyTorch's: state_dict holds this module's entries (keys starting with
        prefix) in a dict it may change in place, and the three lists may be appended to. The loading is
        load_state_dict's own, so this base calls the module's load_state_dict pre-hooks and notes that it was
        reached: an override that does not call it loads its module's own entries itself (they are then neither
        loaded, missing nor unexpected, and the hooks do not run), as in PyTorch.

        >>> import numpy as np, nn
        >>> class Frozen(nn.Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.register_buffer("scale", np.ones(2))
        ...     def _load_from_state_dict(self, state_dict, prefix, *rest):
        ...         state_dict.pop(prefix + "num_batches_tracked", None)
        ...         super()._load_from_state_dict(state_dict, prefix, *rest)
        >>> nn.Sequential(Frozen()).load_state_dict({"0.scale": np.zeros(2), "0.num_batches_tracked": np.array(7)})
        <All keys matched successfully>
        """
        if _default_loads:
            _default_loads[-1].add(prefix)
        run_load_state_dict_pre_hooks(self, (state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                                             error_msgs))

    def register_load_state_dict_post_hook(self, hook):
        """Call hook(module, incompatible_keys) at the end of each load_state_dict on this module or a module
        containing it, as PyTorch's: incompatible_keys holds the lists missing_keys and unexpected_keys (of the
        whole load, whichever module the hook is on), which the hook may change in place; strict=True judges them
        after the hooks, so a hook that empties them lets a partial load pass. The hook must return None. Returns a
        handle whose remove() takes the hook off.

        >>> import nn
        >>> net = nn.Sequential(nn.Linear(2, 3))
        >>> handle = net.register_load_state_dict_post_hook(lambda module, keys: keys.missing_keys.clear())
        >>> net.load_state_dict({"0.weight": net[0].weight.data}, strict=True)  # 0.bias forgiven by the hook
        <All keys matched successfully>
        """
        return register_load_state_dict(self, LOAD_STATE_DICT_POST_HOOKS, hook, "register_load_state_dict_post_hook")

    def register_load_state_dict_pre_hook(self, hook):
        """Call hook(module, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs)
        at each load_state_dict of this module or a module containing it, before this module's entries are looked
        at, as PyTorch's: state_dict holds the entries whose keys start with prefix (this module's and those below
        it), in a new dict the hook may change in place, to load an old checkpoint whose keys were renamed, say
        (the caller's dict is left as it is). local_metadata is the state dict's _metadata entry for this module
        when it has PyTorch's, else {}; strict is True, as PyTorch 2.x passes; the hook may append to the three
        lists (a message in error_msgs makes the load fail). What it returns is ignored. Returns a handle whose
        remove() takes the hook off.

        >>> import nn
        >>> net = nn.Sequential(nn.Linear(2, 3))
        >>> def renamed(module, state, prefix, *rest):  # an old checkpoint's name, "w", for weight
        ...     if prefix + "w" in state:
        ...         state[prefix + "weight"] = state.pop(prefix + "w")
        >>> handle = net[0].register_load_state_dict_pre_hook(renamed)
        >>> net.load_state_dict({"0.w": net[0].weight.data * 0, "0.bias": net[0].bias.data})
        <All keys matched successfully>
        >>> float(abs(net[0].weight.data).sum())
        0.0
        """
        return register_load_state_dict(self, LOAD_STATE_DICT_PRE_HOOKS, hook, "register_load_state_dict_pre_hook")

    def _register_load_state_dict_pre_hook(self, hook, with_module=False):
        """PyTorch's private register_load_state_dict_pre_hook, which older code calls: the hook is called without
        the module first, hook(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
        error_msgs), unless with_module=True."""
        with_module = as_flag(with_module, f"{type(self).__name__}._register_load_state_dict_pre_hook", "with_module")
        return register_load_state_dict(self, LOAD_STATE_DICT_PRE_HOOKS, hook, "_register_load_state_dict_pre_hook",
                                        with_module)
