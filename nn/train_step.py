"""nn.TrainStep: a training step compiled to straight-line NumPy code (autograd_core.graph_code), with the eager step
as its meaning and its fallback.

The first step of each input shape and dtype runs eagerly and records its graph; later steps of that shape replay the
graph as generated code: the same forwards and gradient rules on the same kinds of arrays, in the same order, so the
parameters, gradients and losses are the eager step's bit for bit. What Python decided while building the graph is
replayed only where it cannot have changed:

- every module is one whose forward builds its graph from its attributes and the input's shape and dtype alone
  (_REPLAYABLE: no value read, no random draw), with no hooks and its forward not replaced (on the instance, or on
  the class before the recording), and no module attribute has changed since the recording (nn.hooks.MODULE_CHANGES,
  which counts the changes made through setattr and the Module methods: one written into vars(module) or by
  object.__setattr__ goes unseen);
- the parameters still require grad, have no hooks, and the optimizer still holds the same parameters, with
  nn.optim's zero_grad and its class's step (none set on the instance);
- the class targets are still in range (the loss's forward refuses one out of range as it picks, before any rule;
  after a batch with one, the targets are checked first), and BCELoss's targets in [0, 1] (cross_entropy, nll_loss
  and binary_cross_entropy check them in Python, before their graph);
- gradients are on, anomaly detection and mode, post-accumulate-grad hooks and forward-mode AD off.

Otherwise the step runs eagerly (and records again when the modules changed; a step refused a recording is not
recorded again until a module, or the global state it was refused for, changes, and at most _MOST_RECORDINGS input
shapes are recorded). An input or target of another dtype than the layers' (float64 data into a float32 model) is
cast by the replay as the modules cast it. A plain SGD step (no momentum, weight decay or maximize) runs inside the
generated code; any other optimizer's step() runs as it is, after the gradients are set, so its state, hooks and
schedulers behave as in an eager loop. An error in a replayed forward or backward leaves the gradients None, as the
eager step's zero_grad had; giving the step another model, loss or optimizer drops its recordings, and so does a copy
(copy.deepcopy, pickle) of the step.
A warning from a statement the replay runs itself (the input's cast, a gradient's sum or cast, the SGD update) is
issued from a line of the generated code, not nn's, and one from a forward's or rule's core (primitive.specializes)
from the core's line: under Python's default filter, which shows a warning once per place, one the eager loop showed
once may show again.
"""
import numpy as np

import autograd_core as ag
from autograd_core.graph_code import NotReplayable, straight_line
from autograd_core.ops.losses import ClassIndexError, within_classes
from autograd_core.grad_mode import ANOMALY, GRAD_MODE
from autograd_core.registries import DUAL_LEVELS, HOOKED, POST_ACCUMULATE, RETAINING_GRAD

from .activations import ELU, Identity, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from .activations_more import Hardsigmoid, Hardtanh, LogSigmoid, ReLU6, Softmin, Tanhshrink
from .containers import Sequential
from .layers import MLP, Dropout, Flatten, Linear
from .losses import BCELoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss, NLLLoss
from .losses_more import SmoothL1Loss
from .hooks import BACKWARD_HOOKS, BACKWARD_PRE_HOOKS, HOOKS, MODULE_CHANGES, PRE_HOOKS
from .module import Module
from .normalization import LayerNorm
from .optim import SGD
from .optim.optimizer import Optimizer
from .resampling import Unflatten

__all__ = ["TrainStep"]


def _plain(*names):
    """The condition that the module does not work in place (inplace off, where it has the flag) and that each
    attribute named is a number: an array or Tensor there could change in place, unseen by MODULE_CHANGES."""
    def condition(module):
        return not getattr(module, "inplace", False) and all(_number(getattr(module, name)) for name in names)
    return condition


def _number(value):
    return type(value) in (int, float) or isinstance(value, np.number)


def _dim_given(module):  # (no dim: PyTorch's implicit choice, with a warning at each call, which a replay skips)
    return module.dim is not None


# The module types whose graph depends only on their attributes and the input's shape and dtype (exact types: a
# subclass may override forward), each with the condition on its attributes under which that holds. Left out, their
# forwards read values, draw or set NumPy's error state around the graph: GELU, SiLU, Mish and Hardswish branch on
# an infinite input, Softplus on beta * x > threshold, SELU and Softsign (and Hardswish) compute under np.errstate,
# which a replay would not (it warns or raises where the eager step is quiet); CELU, KLDivLoss and BCEWithLogitsLoss
# put arrays computed outside the graph into it (where(x > 0), 1 - target), which straight_line refuses anyway.
_REPLAYABLE = {Sequential: None, MLP: None, Linear: None, Identity: None, Tanh: None, Sigmoid: None,
               ReLU: _plain(), LeakyReLU: _plain("negative_slope"), ELU: _plain("alpha"), ReLU6: _plain(),
               Hardtanh: _plain("min_val", "max_val"), Hardsigmoid: _plain(), LogSigmoid: None, Tanhshrink: None,
               Softmax: _dim_given, LogSoftmax: _dim_given, Softmin: _dim_given,
               Dropout: lambda m: not m.training or m.p == 0,  # (then it draws nothing: its input is its output)
               Flatten: _plain("start_dim", "end_dim"),
               Unflatten: lambda m: _number(m.dim) and type(m.unflattened_size) is tuple and all(
                   map(_number, m.unflattened_size)),
               LayerNorm: lambda m: _number(m.eps) and type(m.normalized_shape) is tuple and all(
                   map(_number, m.normalized_shape)),
               MSELoss: None, L1Loss: None, SmoothL1Loss: _plain("beta"), HuberLoss: _plain("delta"),
               BCELoss: lambda m: m.weight is None,  # (its targets' range is checked by the replay, as below)
               # (an ignore_index that is a class makes the graph depend on which targets equal it)
               CrossEntropyLoss: lambda m: m.weight is None and not m.label_smoothing,
               NLLLoss: lambda m: m.weight is None}
_HOOK_KINDS = (PRE_HOOKS, HOOKS, BACKWARD_PRE_HOOKS, BACKWARD_HOOKS)  # (nn.hooks' names of a module's hook dicts)
# (each recording keeps its generated code: as torch.compile's cache, a bounded number, the other shapes run eagerly)
_MOST_RECORDINGS = 16
# Their forwards and Module's __call__ as written here: one replaced since on the class (monkeypatched) is no longer
# what _REPLAYABLE vouches for.
_FORWARDS, _CALL = {cls: cls.forward for cls in _REPLAYABLE}, Module.__call__


class _Part:
    """A TrainStep's model, loss_fn or optimizer: giving the step another one drops the recordings of the old's."""

    def __set_name__(self, owner, name):
        self.name = "_" + name

    def __get__(self, step, owner=None):
        return self if step is None else vars(step)[self.name]

    def __set__(self, step, value):
        vars(step)[self.name] = value
        step._compiled, step._refused = {}, {}


class TrainStep:
    """`step = nn.TrainStep(model, loss_fn, optimizer)`; `loss = step(input, target)` does what

        optimizer.zero_grad(); loss = loss_fn(model(input), target); loss.backward(); optimizer.step()

    does, returning the loss detached, and compiles it: from the second call with an input of a shape and dtype on,
    the step runs as generated NumPy code replaying the recorded graph, with the same results bit for bit (see the
    module's docstring for when it replays and when it runs eagerly; `step.eager_reason` says why the last call ran
    eagerly, None when it was replayed).

    >>> import numpy as np, nn
    >>> model = nn.MLP([2, 4, 2], rng=0)
    >>> step = nn.TrainStep(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1))
    >>> X, y = np.ones((3, 2), np.float32), np.array([0, 1, 1])
    >>> first, second = step(X, y), step(X, y)
    >>> step.eager_reason is None, second.item() < first.item()
    (True, True)
    """

    model, loss_fn, optimizer = _Part(), _Part(), _Part()

    def __init__(self, model, loss_fn, optimizer):
        if not isinstance(model, Module) or not callable(loss_fn):
            raise TypeError(f"TrainStep: expected an nn.Module and a loss function, got {type(model).__name__} and "
                            f"{type(loss_fn).__name__}")
        if not hasattr(optimizer, "step") or not hasattr(optimizer, "param_groups"):
            raise TypeError(f"TrainStep: expected an optimizer (nn.optim), got {type(optimizer).__name__}")
        self.model, self.loss_fn, self.optimizer = model, loss_fn, optimizer
        self.eager_reason = "not called yet"
        self._compiled = {}  # (input shape, dtype, target shape, dtype) -> the generated step, or None
        self._refused = {}  # key -> (_refusal_state() when its recording was refused, the reason)
        self._buffers = {}  # (shape, dtype) -> the array the SGD updates of that shape compute lr * g into

    def __call__(self, input, target):
        if type(input) is np.ndarray and type(target) is np.ndarray:  # (the common case without _array's calls)
            x, y = input, target
        else:
            x, y = _array(input), _array(target)
        key = outcome = None
        if x is not None and y is not None:
            key = (x.shape, x.dtype, y.shape, y.dtype)
            run = self._compiled.get(key)
            if run is not None:
                outcome = run(x, y)  # the loss; None when a guard failed, False when this batch's values did
                if outcome is not None and outcome is not False:
                    self.eager_reason = None
                    return outcome
        return self._eager(input, target, x, y, key, outcome)

    def __getstate__(self):  # (a copy's recordings would replay the original's parameters and optimizer)
        return dict(vars(self), _compiled={}, _refused={})

    def _eager(self, input, target, x, y, key, outcome):
        """The step as written, recording the graph for the key (when there is one and the step is replayable, and
        the recording's guards did not fail on this batch's values alone: outcome, the replay's, False)."""
        optimizer = self.optimizer
        optimizer.zero_grad()
        loss = self.loss_fn(self.model(input), target)
        if key is None:
            self.eager_reason = "the input or target is not an array (or a Tensor that does not require grad)"
        elif outcome is False:  # (a padded batch's ignore_index, say: the next batch replays again)
            self.eager_reason = ("this batch's targets are outside what the recording vouches for (the classes, or "
                                 "[0, 1]): the step ran eagerly, the recording stays")
        elif key in self._refused and self._refused[key][0] == _refusal_state(optimizer):
            self.eager_reason = self._refused[key][1]  # (refused, and nothing it read changed since: not again)
        elif self._compiled.get(key) is None and _MOST_RECORDINGS <= sum(run is not None for run in
                                                                          self._compiled.values()):
            self.eager_reason = f"{_MOST_RECORDINGS} input shapes are recorded already; others run eagerly"
        else:
            recorded_before = self._compiled.get(key) is not None
            try:
                # (the dry run of the rules warns, or raises under np.errstate, where the backward below will;
                # NumPy's floating-point errors only: warnings.catch_warnings would reset every place's "once")
                with np.errstate(all="ignore"):
                    self._compiled[key] = self._compile(loss, x, y)
                self.eager_reason = ("a guard failed (the recording no longer stood for the step): recording again"
                                     if recorded_before else
                                     "recording the graph for this input shape")
            except NotReplayable as why:
                self._compiled[key] = None
                self._refused[key] = _refusal_state(optimizer), str(why)
                self.eager_reason = str(why)
        loss.backward()
        optimizer.step()
        return loss.detach()

    def _compile(self, loss, x, y):
        """The generated step for this graph: run(x, y) -> the loss, or None when a guard fails."""
        if not isinstance(self.loss_fn, Module):
            raise NotReplayable("the loss function is not an nn loss module")
        modules = [*self.model.modules(), self.loss_fn]
        for module in modules:  # (their changes count in MODULE_CHANGES from now on: the guards and refusals read it)
            object.__setattr__(module, "_recorded", True)
        for module in modules:
            condition = _REPLAYABLE.get(type(module), False)
            if condition is False or (condition is not None and not condition(module)):
                raise NotReplayable(f"{type(module).__name__} is not a module whose graph TrainStep can replay")
            # (a module's hook dicts stay once made, empty after their hooks' removal: Module.__call__ then runs none)
            if Module._forward_hooks is not None or any(vars(module).get(kind) for kind in _HOOK_KINDS):
                raise NotReplayable(f"{type(module).__name__} has hooks")
            if "forward" in vars(module) or type(module).forward is not _FORWARDS[type(module)] or \
                    type(module).__call__ is not _CALL:
                raise NotReplayable(f"{type(module).__name__}'s forward (or __call__) was replaced, on the instance or "
                                    f"its class")
        if not GRAD_MODE.enabled or not isinstance(loss, ag.Tensor) or loss._op is None:
            raise NotReplayable("gradients are off, or no parameter requires grad")
        if ANOMALY.mode or POST_ACCUMULATE:  # (refused by every replay's guards: not recorded at each step either)
            raise NotReplayable("anomaly mode is on" if ANOMALY.mode else "post-accumulate-grad hooks exist")
        # (the replay never calls zero_grad, and calls step only for an optimizer other than plain SGD)
        if type(self.optimizer).zero_grad is not Optimizer.zero_grad or _patched(self.optimizer):
            raise NotReplayable("the optimizer has a zero_grad or step of its own (set on it, or a zero_grad other "
                                "than nn.optim's), which the replay would not call")
        over_classes = isinstance(self.loss_fn, (CrossEntropyLoss, NLLLoss))
        # (class targets: the loss is their node; class probabilities make another graph, on dtype and shape alone)
        classes = loss._inputs[0].shape[1] if over_classes and loss._op.name in ("cross_entropy", "nll_loss") else None
        if classes is not None:  # (checked first: an ignore_index that is a class puts a new target array in the graph)
            if 0 <= self.loss_fn.ignore_index < classes:
                raise NotReplayable(f"the {type(self.loss_fn).__name__}'s graph depends on which targets equal its "
                                    f"ignore_index")
        first = next((m for m in modules if type(m) not in (Sequential, MLP)), None)
        code, casts = _straight_line_with_casts(loss, x, y, input_cast=type(first) is Linear)
        groups = self.optimizer.param_groups
        params = [p for group in groups for p in group["params"]]
        if sorted(id(leaf) for leaf, *_ in code.leaves) != sorted(map(id, params)):
            raise NotReplayable("the parameters that get a gradient are not the optimizer's parameters")
        scope = dict(code.scope, changes=MODULE_CHANGES, seen=MODULE_CHANGES[0], GRAD_MODE=GRAD_MODE,
                     ANOMALY=ANOMALY, DUAL_LEVELS=DUAL_LEVELS, HOOKED=HOOKED, POST_ACCUMULATE=POST_ACCUMULATE,
                     optimizer=self.optimizer, optimizer_attributes=getattr(self.optimizer, "__dict__", {}),
                     constant=ag.Tensor._constant, np=np, ndarray=np.ndarray)
        lines = _guards(groups, code, scope)
        if x is y:  # (the code names the one array y: a replay with two would read the target as the input too)
            lines.append("if x is not y: return None")
        cast_lines = []
        for name, dtype in casts.items():  # (as the modules cast it: the same values, the array the code names)
            scope[f"{name}_dtype"] = dtype
            cast_lines.append(f"{name} = {name}.astype({name}_dtype)")
        if isinstance(self.loss_fn, BCELoss) and y.size:  # (binary_cross_entropy's check, on y before any cast:
            # a cast keeps [0, 1]'s values in it, and one it would round into [0, 1] runs the eager step, as is right)
            lines.append("if not (y.min() >= 0 and y.max() <= 1): return False")
        # (an error there comes before the .grads are set: the eager step's zero_grad had set them to None; a class
        # target out of range, which the loss's forward checks as it picks, comes before any rule: the eager step
        # then raises its clear error, or drops the targets equal to ignore_index. Once a batch had one, as padded
        # batches do, the targets are checked first, within_classes' reduction, rather than after a forward.)
        scope.update(ClassIndexError=ClassIndexError, padded=[False], within_classes=within_classes)
        if classes is not None:
            lines.append(f"if padded[0] and not within_classes(y, {classes}): return False")
        lines += ["try:", *("    " + line for line in cast_lines + code.lines), "except ClassIndexError:",
                  "    padded[0] = True", "    return False", "except BaseException:", "    optimizer.zero_grad()",
                  "    raise"]
        lines += _update(groups, code, scope, self._buffers)
        lines.append(f"return constant({code.output})")
        source = "def run(x, y):\n" + "".join(f"    {line}\n" for line in lines)
        exec(compile(source, "<nn.TrainStep>", "exec"), scope)
        scope["run"].source = source  # (to read what a step runs)
        return scope["run"]


def _straight_line_with_casts(loss, x, y, input_cast):
    """(straight_line's code for loss with x and y named, {name: dtype} of those the modules cast first). A Linear
    casts an input of another dtype to its weight's (float64 data into a float32 model), and a loss casts a target to
    the input's dtype, or copies one given as a Tensor (saved_value): the graph then reads that array, not x or y.
    When an unnamed array is such a cast of x (input_cast: the model's first module is a Linear, which receives x
    itself) or a cast or copy of y (the losses of _REPLAYABLE change y in no other way), bit for bit, the code names
    it x or y and the replay casts as the modules did (a copy it need not make: the replay's rules read y before the
    caller can change it). An array that could be either is refused: which one the graph read is unknown."""
    given = {"x": x, "y": y}
    names, casts = dict(given), {}
    while True:
        try:
            return straight_line(loss, names), casts
        except NotReplayable as why:
            array = why.array
            found = [name for name, value in given.items() if names[name] is value and array is not None and
                     array.shape == value.shape and (name == "y" or input_cast and array.dtype != value.dtype) and
                     array.tobytes() == value.astype(array.dtype).tobytes()]
            if len(found) != 1:
                if len(found) > 1:
                    raise NotReplayable("an array the graph read equals both the input and the target, cast: which "
                                        "one it is is unknown") from None
                raise
            (name,) = found
            names[name] = array
            if array.dtype != given[name].dtype:
                casts[name] = array.dtype


def _refusal_state(optimizer):
    """What a refusal to record may have read besides the step's own modules: the module change count, the optimizer's
    parameters and their requires_grad, its own zero_grad or step, grad and anomaly mode, and whether any Tensor has
    hooks, post-accumulate-grad hooks or retains its gradient (a refused step is recorded again once one of them
    changes: a model unfrozen, a parameter group added). (ANOMALY.enabled implies ANOMALY.mode.)"""
    parameters = tuple((id(p), p._requires_grad) for group in optimizer.param_groups for p in group["params"])
    return MODULE_CHANGES[0], parameters, _patched(optimizer), GRAD_MODE.enabled, ANOMALY.mode, bool(HOOKED), \
        bool(POST_ACCUMULATE), bool(RETAINING_GRAD), bool(DUAL_LEVELS)


def _patched(optimizer):
    """Whether optimizer's instance holds a zero_grad or step of its own (set on it, over its class's)."""
    attributes = getattr(optimizer, "__dict__", {})
    return "zero_grad" in attributes or "step" in attributes


def _array(value):
    """value's array when it is an array or a Tensor that does not require grad; None otherwise."""
    if type(value) is np.ndarray:
        return value
    if type(value) is ag.Tensor and not value._requires_grad and type(value._data) is np.ndarray:
        return value._data
    return None


def _guards(groups, code, scope):
    """The statements that return None (run the step eagerly) when the recording no longer stands for the step."""
    for k, group in enumerate(groups):
        scope[f"group{k}"], scope[f"params{k}"] = group, group["params"]
    scope["group_count"] = len(groups)
    lines = ["if changes[0] != seen or not GRAD_MODE.enabled or ANOMALY.mode or DUAL_LEVELS or "
             "'zero_grad' in optimizer_attributes or 'step' in optimizer_attributes:",
             "    return None",
             "groups = optimizer.param_groups",
             "if len(groups) != group_count: return None"]
    for k, group in enumerate(groups):
        same = " and ".join(f"params{k}[{i}] is leaf_at{k}_{i}" for i in range(len(group["params"])))
        for i, p in enumerate(group["params"]):
            scope[f"leaf_at{k}_{i}"] = p
        lines.append(f"if groups[{k}] is not group{k} or group{k}['params'] is not params{k} or "
                     f"len(params{k}) != {len(group['params'])} or not ({same or 'True'}): return None")
    flags = " and ".join(f"{leaf_name}._requires_grad" for _, leaf_name, _, _ in code.leaves)
    lines.append(f"if not ({flags}): return None")
    # (a value replaced, resized or cast since: its array is read each step, its shape and dtype must stay)
    for leaf, leaf_name, value, _ in code.leaves:
        scope[f"{leaf_name}_dtype"] = leaf._data.dtype
        lines.append(f"{value} = {leaf_name}._data")
    same = " and ".join(f"type({value}) is ndarray and {value}.shape == {leaf._data.shape!r} and "
                        f"{value}.dtype is {leaf_name}_dtype" for leaf, leaf_name, value, _ in code.leaves)
    lines.append(f"if not ({same}): return None")
    hooked = " or ".join(f"{leaf_name} in HOOKED" for _, leaf_name, _, _ in code.leaves)
    lines.append(f"if HOOKED and ({hooked}): return None")
    lines.append("if POST_ACCUMULATE: return None")
    return lines


def _update(groups, code, scope, buffers):
    """The statements that set each .grad (all first, as backward does) and take the optimizer's step: plain SGD's
    in the code itself (torch's p -= lr * g, as nn.optim.SGD computes it, lr * g computed into buffers[shape, dtype],
    which every recording shares, and the version count of its in-place change), any other as optimizer.step()."""
    lines = [f"{leaf_name}._grad = constant({grad})" for _, leaf_name, _, grad in code.leaves]
    if type(scope["optimizer"]) is not SGD:
        return lines + ["optimizer.step()"]
    hyper = " or ".join(f"group{k}['{name}']" for k in range(len(groups))
                        for name in ("momentum", "weight_decay", "maximize"))
    check = [f"if {hyper} or optimizer._has_step_hooks:", "    optimizer.step()", "else:"]
    body = ["    optimizer._stepped = True"]
    names_of = {id(leaf): (leaf_name, value, grad) for leaf, leaf_name, value, grad in code.leaves}
    for k, group in enumerate(groups):  # (each group's lr read as its updates begin: a bad one fails after the others')
        # nn.optim.SGD's step size: lr as a 0-d array of the gradient's dtype, made again only when the group's lr is
        # another object (a float's value cannot change; any other type is converted each step, as SGD does)
        dtypes = sorted({p._data.dtype.str for p in group["params"]})
        scope[f"lr_made{k}"] = [None, *(None for _ in dtypes)]
        body += [f"    lr{k} = group{k}['lr']",
                 f"    if lr{k} is not lr_made{k}[0] or type(lr{k}) is not float:",
                 f"        lr_made{k}[:] = lr{k}, *(np.array(float(lr{k}), dtype) for dtype in dtypes{k})"]
        scope[f"dtypes{k}"] = [np.dtype(dtype) for dtype in dtypes]
        body += [f"    lr{k}_{dtype[1:]} = lr_made{k}[{i + 1}]" for i, dtype in enumerate(dtypes)]
        for p in group["params"]:
            leaf_name, value, grad = names_of[id(p)]
            key = (p._data.shape, p._data.dtype.str)
            if key not in buffers:
                buffers[key] = np.empty_like(p._data)
            scope[f"{leaf_name}_step"] = buffers[key]
            body += [f"    np.multiply(lr{k}_{p._data.dtype.str[1:]}, {grad}, out={leaf_name}_step)",
                     f"    {value} -= {leaf_name}_step"]
            # Tensor._count_change, inline where the parameter shares no memory (its _memory, once set, stays set)
            body += [f"    if {leaf_name}._memory is None: {leaf_name}._version += 1",
                     f"    else: {leaf_name}._count_change()"] if hasattr(p, "_memory") else [
                f"    {leaf_name}._count_change()"]
    return lines + check + body
