"""nn.fit: the training loop (mini-batches, progress bar, validation, early stopping) and its History.

One epoch: for each batch, forward, loss, zero_grad, backward, optimizer step; then,
with validation data, the model is evaluated under `ag.no_grad()` and `model.eval()`. fit
gives the model back in the mode it was given in (train or eval), also when it stops on an error.
Batches reach the model and the loss as the NumPy arrays the DataLoader yields (every nn
layer, loss and engine operation takes arrays as they come; wrapping each batch in a
Tensor would only cost time), so a custom model's forward should use ag/np functions
(`ag.relu(x)`, `x @ w`) rather than Tensor-only methods on its input.

Accuracy is recorded for classification, recognised from the loss (an instance of the class
or a subclass, or the function, also inside functools.partial), never guessed from the targets:

  * CrossEntropyLoss, NLLLoss, F.cross_entropy, F.nll_loss: the predicted class is the argmax
    over the class axis (1); targets are class indices, or float class probabilities / one-hot rows
    of the output's shape (then their argmax is the true class);
  * BCEWithLogitsLoss, F.binary_cross_entropy_with_logits: logit > 0 predicts 1;
  * BCELoss, F.binary_cross_entropy: probability > 0.5 predicts 1 (targets > 0.5 count as 1).

Any other loss (MSELoss, L1Loss, HuberLoss, a custom function) records no accuracy.
"""
import functools
import math
import os
import sys
import warnings

import numpy as np

import autograd_core as ag
from autograd_core.atomic_file import atomic_file, image_target

from . import functional as F
from ._arguments import as_flag, as_number, checked_number, generator
from .data import DataLoader, TensorDataset
from .losses import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, NLLLoss
from .optim.lr_scheduler import ReduceLROnPlateau


class History(dict):
    """Per-epoch metrics: "train_loss", "train_accuracy", "val_loss", "val_accuracy" (and "lr" when fit has a
    scheduler) -> lists.

    Only the metrics that apply are present. `best_epoch` (1-based, by fit's monitored metric: the validation
    loss unless monitor says otherwise) is set by fit; `stopped_epoch` is the last epoch run (None before any).

    >>> from nn.training import History
    >>> h = History(train_loss=[1.0, 0.5], val_loss=[1.1, 0.7])
    >>> h["train_loss"], h.epochs
    ([1.0, 0.5], 2)
    >>> fig = h.plot()
    >>> [ax.get_title() for ax in fig.axes]
    ['loss']
    """

    best_epoch = None

    @property
    def epochs(self):
        """How many epochs the history covers."""
        return len(self.get("train_loss", ()))

    @property
    def stopped_epoch(self):
        """The last epoch run (1-based), None when none has run."""
        return self.epochs or None

    def plot(self, path=None):
        """A matplotlib Figure (Agg, no window): a loss panel and, when recorded, an accuracy panel.

        Saved to `path` (format from its extension) when given.

        >>> from nn.training import History
        >>> figure = History(train_loss=[1.0, 0.5], val_loss=[1.1, 0.7], val_accuracy=[0.5, 0.8]).plot()
        >>> len(figure.axes)
        2
        """
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if not (path is None or isinstance(path, (str, os.PathLike)) or hasattr(path, "write")):
            raise TypeError(f"History.plot: path must be a file path, a file object or None, got {path!r}")
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        panels = [("loss", [k for k in ("train_loss", "val_loss") if k in self])]
        accuracy = [k for k in ("train_accuracy", "val_accuracy") if k in self]
        if accuracy:
            panels.append(("accuracy", accuracy))
        if "lr" in self:
            panels.append(("learning rate", ["lr"]))
        fig = Figure(figsize=(5 * len(panels), 3.8), layout="constrained")
        FigureCanvasAgg(fig)
        for i, (title, keys) in enumerate(panels):
            ax = fig.add_subplot(1, len(panels), i + 1)
            for key in keys:
                ax.plot(range(1, len(self[key]) + 1), self[key], marker="." if len(self[key]) < 40 else None,
                        label=key.replace("_", " "))
            if self.best_epoch is not None:
                ax.axvline(self.best_epoch, color="grey", linestyle=":", linewidth=1, label="best epoch")
            ax.set_title(title)
            ax.set_xlabel("epoch")
            ax.set_ylabel(title)
            ax.grid(alpha=0.3)
            ax.legend()
        if isinstance(path, (str, os.PathLike)):
            # as savefig reads them: the format from the extension, else matplotlib's default (png), then added
            path, format = image_target(path, None, sorted(fig.canvas.get_supported_filetypes()), "History.plot",
                                        default=matplotlib.rcParams["savefig.format"])
            with atomic_file(path, "History.plot") as f:  # an interrupted run leaves the old image or the new one
                fig.savefig(f, format=format, dpi=120)
        elif path is not None:  # a file object, as matplotlib takes
            fig.savefig(path, dpi=120)
        return fig


# ---- data and task -------------------------------------------------------------------------
def _loader(data, what, batch_size, shuffle, rng, operation="fit"):
    if isinstance(data, (tuple, list)) and len(data) == 2:
        try:
            data = DataLoader(TensorDataset(*data), batch_size=batch_size, shuffle=shuffle, rng=rng)
        except ValueError as err:  # empty, or of mismatched lengths: say which argument
            raise ValueError(f"{operation}: {what}: {err}") from None
    elif not isinstance(data, DataLoader):
        dataset = hasattr(data, "__len__") and hasattr(data, "__getitem__") and not isinstance(data, (tuple, list))
        hint = f"; batch a dataset with DataLoader({what}, batch_size=32)" if dataset else ""  # (a Subset, say)
        raise TypeError(f"{operation}: {what} must be an (X, y) pair of arrays or a DataLoader, got "
                        f"{type(data).__name__}{hint}")
    elif isinstance(data.dataset, TensorDataset) and len(data.dataset.arrays) != 2:
        raise ValueError(f"{operation}: {what} must yield (X, y) pairs, but its TensorDataset holds "
                         f"{len(data.dataset.arrays)} arrays; make it TensorDataset(X, y)")
    if len(data) == 0:  # drop_last with fewer samples than a batch: no loss to average
        raise ValueError(f"{operation}: {what} yields no batch ({len(data.dataset)} samples, batch_size="
                         f"{data.batch_size}, drop_last={data.drop_last}); use a smaller batch_size or drop_last=False")
    return data


def _check_collaborators(model, loss_fn, optimizer):
    """fit's model, loss and optimizer fit together, or a TypeError/ValueError saying what to pass instead."""
    if not callable(model) or not all(callable(getattr(model, m, None)) for m in ("train", "eval", "parameters")):
        raise TypeError(f"fit: model must be an nn.Module (or a callable with train(), eval() and parameters()), got "
                        f"{type(model).__name__}")
    if isinstance(loss_fn, type):
        raise TypeError(f"fit: loss_fn is the class {loss_fn.__name__}; pass an instance, {loss_fn.__name__}()")
    if not callable(loss_fn):
        raise TypeError(f"fit: loss_fn must be callable as loss_fn(output, target), got {loss_fn!r}")
    if not (callable(getattr(optimizer, "step", None)) and callable(getattr(optimizer, "zero_grad", None))):
        raise TypeError(f"fit: optimizer must have step() and zero_grad() (an nn.optim optimizer), got "
                        f"{type(optimizer).__name__}")
    held = {id(p) for group in getattr(optimizer, "param_groups", ()) for p in group["params"]}
    mine = {id(p) for p in model.parameters()}
    if held and mine and not held & mine:  # it would train another model, and this one never
        raise ValueError("fit: the optimizer holds none of the model's parameters; make it from them, e.g. "
                         "nn.optim.Adam(model.parameters())")


def _task(loss_fn):
    """How loss_fn's predictions are scored: ("class", None), ("binary", threshold), or None (no accuracy).

    >>> import functools
    >>> from nn import CrossEntropyLoss, functional as F
    >>> from nn.training import _task
    >>> _task(CrossEntropyLoss()), _task(functools.partial(F.binary_cross_entropy, reduction="sum"))
    (('class', None), ('binary', 0.5))
    >>> _task(F.mse_loss) is None
    True
    """
    while isinstance(loss_fn, functools.partial):
        loss_fn = loss_fn.func
    if isinstance(loss_fn, (CrossEntropyLoss, NLLLoss)) or loss_fn is F.cross_entropy or loss_fn is F.nll_loss:
        return "class", None
    if isinstance(loss_fn, BCEWithLogitsLoss) or loss_fn is F.binary_cross_entropy_with_logits:
        return "binary", 0.0  # logits
    if isinstance(loss_fn, BCELoss) or loss_fn is F.binary_cross_entropy:
        return "binary", 0.5  # probabilities
    return None


def _correct(out, y, task):
    """(right, judged): how many of the predictions in out (an ndarray) match the targets y, out of how many;
    None when the shapes do not fit the task."""
    kind, threshold = task
    y = np.asarray(y)
    if kind == "class" and out.ndim >= 2:
        predicted = out.argmax(axis=1)
        if y.dtype.kind in "iu" and y.shape == predicted.shape:
            return np.count_nonzero(predicted == y), predicted.size
        if y.dtype.kind == "f" and y.shape == out.shape:  # class probabilities or one-hot rows
            return np.count_nonzero(predicted == y.argmax(axis=1)), predicted.size
    if kind == "binary" and out.size == y.size:
        return np.count_nonzero((out.reshape(-1) > threshold) == (y.reshape(-1) > 0.5)), y.size
    return None


def _tally(tally, out, y, task):
    """tally (right, judged) plus this batch's; None from the first batch that does not fit the task on."""
    hit = None if tally is None else _correct(out, y, task)
    return None if hit is None else (tally[0] + hit[0], tally[1] + hit[1])


# ---- evaluation and the loop -----------------------------------------------------------------
def evaluate(model, loss_fn, data, *, batch_size=256):
    """Mean loss and accuracy (None unless classification) of model on data, an (X, y) pair or DataLoader.

    Runs under ag.no_grad() with model.eval(); a model in training mode is put back in it after.

    >>> import numpy as np, autograd_core as ag
    >>> from nn.training import evaluate
    >>> class Double:                      # any callable with train()/eval() will do
    ...     def __call__(self, x): return x * 2.0
    ...     def train(self): return self
    ...     def eval(self): return self
    >>> mse = lambda out, y: ((out - y) ** 2).mean()
    >>> evaluate(Double(), mse, (np.ones((4, 1)), np.full((4, 1), 3.0)))
    {'loss': 1.0, 'accuracy': None}
    """
    if not isinstance(data, DataLoader):  # (else unused)
        batch_size = checked_number(batch_size, "evaluate", "batch_size", low=1, integer=True)
    loader = _loader(data, "data", batch_size, False, None, operation="evaluate")
    return _evaluate(model, loss_fn, loader, _task(loss_fn), "evaluate", "data")


def _evaluate(model, loss_fn, loader, task, operation="fit", what="val"):
    """evaluate on a DataLoader, with the task already worked out (fit's per-epoch call); operation and what name
    the caller and the data in errors."""
    was_training = getattr(model, "training", True)
    model.eval()
    try:
        with ag.no_grad():
            total, count, tally = 0.0, 0, (0, 0) if task else None
            for xb, yb in _pairs(loader, operation, what):
                out = model(xb)
                n = len(xb)
                total += _loss_value(loss_fn(out, yb), operation, backward=False) * n
                count += n
                tally = _tally(tally, out.data, yb, task)
    finally:
        if was_training:
            model.train()
    return {"loss": total / count, "accuracy": None if tally is None else int(tally[0]) / tally[1]}


def _in_jupyter():
    """True inside a Jupyter kernel, whose stderr is no terminal (ipykernel's OutStream.isatty() is False)."""
    if "ipykernel" not in sys.modules:  # never import IPython just to ask
        return False
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return getattr(get_ipython(), "kernel", None) is not None


def _where_to_show(progress):
    """"terminal", "jupyter" or None: where a progress bar can be seen (and was asked for)."""
    if not progress:
        return None
    try:
        if sys.stderr.isatty():
            return "terminal"
    except (AttributeError, ValueError):  # no stderr, or a closed one
        pass
    return "jupyter" if _in_jupyter() else None


def _progress_bar(where, epoch, epochs, batches):
    if where is None:
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # tqdm is an extra (the runtime core is NumPy only): say so, then train without
        warnings.warn("fit: progress=True, but tqdm is not installed, so no progress bar is shown; install it "
                      "with `pip install 'autograd_core[train]'` (or pass progress=False)", stacklevel=3)
        return None
    if where == "jupyter":
        try:  # tqdm's notebook bar is an ipywidgets widget; without ipywidgets the text bar works too
            import ipywidgets  # noqa: F401
            from tqdm.notebook import tqdm
        except ImportError:
            pass
    return tqdm(total=batches, desc=f"epoch {epoch}/{epochs}", unit="batch", leave=True, file=sys.stderr,
                dynamic_ncols=True)


def _snapshot(model):
    return {k: np.array(v, copy=True) for k, v in model.state_dict().items()}


class TrainingDiverged(FloatingPointError):
    """fit's error when a training loss is not finite: training has diverged. The step of that batch is not taken.
    .loss, .epoch and .batch (both 1-based) say where."""

    def __init__(self, loss, epoch, batch):
        super().__init__(f"fit: the training loss is {loss} at epoch {epoch}, batch {batch}, so training has "
                         f"diverged; that step was not taken. Lower the learning rate, check the data for nan or "
                         f"inf, or find the operation with ag.detect_anomaly()")
        self.loss, self.epoch, self.batch = loss, epoch, batch

    def __reduce__(self):  # (pickled and copied by its arguments, as a worker process sends it back)
        return type(self), (self.loss, self.epoch, self.batch)


def fit(model, loss_fn, optimizer, train, *, val=None, epochs=10, batch_size=32, shuffle=True, patience=None,
        progress=True, rng=None, scheduler=None, scheduler_interval="epoch", monitor=None):
    """Train model on train for `epochs` epochs of mini-batches; returns the History of per-epoch metrics.

    train, val: (X, y) pairs of arrays, or DataLoaders (then batch_size, shuffle and rng do
    not apply to them). Each epoch records the mean training loss over its batches (and the
    running accuracy); with val, the validation loss and accuracy after the epoch. With
    `patience`, training stops once the validation loss has not improved for that many
    epochs, and the weights of the best epoch are restored (also when every epoch ran; the
    optimizer keeps its last state). A training loss that is nan or inf raises TrainingDiverged without
    taking that batch's step (PyTorch loops and Keras train on), the best epoch's weights restored first
    with `patience`. The progress bar (tqdm: epoch,
    batch, running loss) is shown when progress=True and stderr is a terminal or fit runs in a
    Jupyter kernel (a widget when ipywidgets is installed); not in logs or pipes.

    scheduler: an nn.optim.lr_scheduler scheduler of this optimizer, stepped after each epoch's validation
    (scheduler_interval="epoch") or after each optimizer step ("batch", for OneCycleLR); ReduceLROnPlateau is
    stepped with the epoch's validation loss, or its training loss without val. History["lr"] then holds the
    first parameter group's rate at the start of each epoch.

    monitor: the History key watched by early stopping and given to ReduceLROnPlateau: "val_loss",
    "val_accuracy", "train_loss" or "train_accuracy" (Keras's word). A loss improves by decreasing, an accuracy
    by increasing (early stopping keeps the epoch of the highest accuracy, and ReduceLROnPlateau must then have
    mode='max'). None (the default) watches the validation loss, and gives ReduceLROnPlateau the training loss
    without val. A train_* monitor lets patience work without val.

    >>> import numpy as np, autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.training import fit
    >>> class Line:                        # y = w x; any module-like callable works
    ...     def __init__(self): self.w = ag.tensor([[0.0]], requires_grad=True)
    ...     def __call__(self, x): return x @ self.w
    ...     def parameters(self): return [self.w]
    ...     def state_dict(self): return {"w": self.w.data}
    ...     def load_state_dict(self, d): self.w.data = d["w"].copy()
    ...     def train(self): return self
    ...     def eval(self): return self
    >>> X = np.linspace(-1, 1, 32).reshape(-1, 1); y = 3 * X
    >>> model = Line()
    >>> mse = lambda out, target: ((out - target) ** 2).mean()
    >>> history = fit(model, mse, SGD(model.parameters(), lr=0.5), (X, y), val=(X, y), epochs=20,
    ...               batch_size=8, progress=False, rng=0)
    >>> round(float(model.w.data[0, 0]), 3), history["val_loss"][-1] < 1e-6
    (3.0, True)
    """
    epochs = checked_number(epochs, "fit", "epochs", low=0, integer=True)
    if not (isinstance(train, DataLoader) and (val is None or isinstance(val, DataLoader))):  # (else unused)
        batch_size = checked_number(batch_size, "fit", "batch_size", low=1, integer=True)
    _check_monitor(monitor, val, loss_fn)
    if patience is not None:
        checked_number(patience, "fit", "patience", low=1, integer=True, what="a positive int or None")
        if val is None and monitor is None:
            raise ValueError("fit: patience (early stopping) watches the validation loss; pass val=(X_val, y_val), "
                             "or monitor='train_loss' to watch the training loss")
    _check_collaborators(model, loss_fn, optimizer)
    _check_scheduler(scheduler, scheduler_interval, optimizer)
    watched = monitor or ("val_loss" if val is not None else None)  # (early stopping's; None: no best epoch)
    plateau_metric = watched or "train_loss"  # what a ReduceLROnPlateau is given
    _check_plateau_mode(scheduler, plateau_metric, monitor)
    rng = generator(rng, "fit")
    shuffle = as_flag(shuffle, "fit", "shuffle")
    train_loader = _loader(train, "train", batch_size, shuffle, rng)
    val_loader = None if val is None else _loader(val, "val", max(batch_size, 256), False, rng)
    task, show = _task(loss_fn), _where_to_show(as_flag(progress, "fit", "progress"))

    history = History(train_loss=[])
    if scheduler is not None:  # (present with epochs=0 too)
        history["lr"] = []
    stopping = _EarlyStopping(patience, _MONITORS.get(watched, "min"))
    zero_grad, step = optimizer.zero_grad, optimizer.step
    if scheduler is not None and scheduler_interval == "batch":
        step = _then(step, scheduler.step)
    was_training = getattr(model, "training", True)  # (given back after: a model given in eval mode stays in it)
    try:
        for epoch in range(1, epochs + 1):
            model.train()
            if scheduler is not None:
                history["lr"].append(optimizer.param_groups[0]["lr"])
            bar = _progress_bar(show, epoch, epochs, len(train_loader))
            try:
                train_loss, tally = _train_epoch(model, loss_fn, zero_grad, step, train_loader, task, bar, epoch)
            except BaseException as err:  # (an error, or Ctrl-C): the bar's line is ended, not left half drawn
                if bar is not None:
                    bar.close()
                if isinstance(err, TrainingDiverged):
                    stopping.restore(model)  # with patience: the best epoch's weights, as when it stops
                raise
            history["train_loss"].append(train_loss)
            if tally is not None:  # (targets that fit no accuracy rule give none)
                history.setdefault("train_accuracy", []).append(int(tally[0]) / tally[1])
            stop = False
            if val_loader is not None:
                scores = _evaluate(model, loss_fn, val_loader, task)
                history.setdefault("val_loss", []).append(scores["loss"])
                if scores["accuracy"] is not None:
                    history.setdefault("val_accuracy", []).append(scores["accuracy"])
            if monitor is not None and len(history.get(monitor, ())) < epoch:  # targets that fit no accuracy rule
                stopping.restore(model)
                raise ValueError(f"fit: monitor={monitor!r}, but epoch {epoch} recorded no "
                                 f"{monitor.replace('_', ' ')}: the targets fit no accuracy rule of "
                                 f"{_loss_name(loss_fn)} (class indices, or one-hot rows of the output's shape; "
                                 f"0/1 targets for a binary loss); monitor a loss instead")
            if watched is not None:
                stop = stopping.update(epoch, history[watched][-1], model)
                history.best_epoch = stopping.best_epoch
            if scheduler is not None and scheduler_interval == "epoch":
                if isinstance(scheduler, ReduceLROnPlateau):
                    scheduler.step(history[plateau_metric][-1])
                else:
                    scheduler.step()
            if bar is not None:  # the finished epoch's line: its metrics whole, within 80 columns
                bar.bar_format = "{desc}: {n_fmt}/{total_fmt} [{elapsed}]{postfix}"  # (tqdm adds ", " before postfix)
                bar.set_postfix_str(_summary(history), refresh=True)
                bar.close()
            if stop:
                break
        if val_loader is not None:  # (with epochs=0 too: the losses that apply are present)
            history.setdefault("val_loss", [])
        stopping.restore(model)
        return history
    finally:
        if not was_training:
            model.eval()


_MONITORS = {"val_loss": "min", "val_accuracy": "max", "train_loss": "min", "train_accuracy": "max"}  # improving


def _loss_name(loss_fn):
    while isinstance(loss_fn, functools.partial):
        loss_fn = loss_fn.func
    return getattr(loss_fn, "__name__", None) or type(loss_fn).__name__


def _check_monitor(monitor, val, loss_fn):
    """fit's monitor names a metric this fit records, or a TypeError/ValueError saying which would."""
    if monitor is None:
        return
    if not isinstance(monitor, str):
        raise TypeError(f"fit: monitor must be a History key as a string ({', '.join(map(repr, _MONITORS))}) or "
                        f"None, got {monitor!r}")
    if monitor not in _MONITORS:
        raise ValueError(f"fit: monitor must be one of {', '.join(map(repr, _MONITORS))} or None, got {monitor!r}")
    if monitor.startswith("val_") and val is None:
        raise ValueError(f"fit: monitor={monitor!r} watches the validation data, but val is None; pass "
                         f"val=(X_val, y_val), or monitor={monitor.replace('val_', 'train_')!r}")
    if monitor.endswith("_accuracy") and _task(loss_fn) is None:
        raise ValueError(f"fit: monitor={monitor!r}, but {_loss_name(loss_fn)} records no accuracy (only "
                         f"CrossEntropyLoss, NLLLoss, BCELoss, BCEWithLogitsLoss and their functions do); "
                         f"monitor={monitor.replace('accuracy', 'loss')!r} instead")


def _check_plateau_mode(scheduler, metric, monitor):
    """A ReduceLROnPlateau's mode agrees with the metric fit gives it ('min' for a loss, 'max' for an accuracy)."""
    if not isinstance(scheduler, ReduceLROnPlateau) or scheduler.mode == _MONITORS[metric]:
        return
    what = "a loss, which improves by decreasing" if metric.endswith("loss") else \
        "an accuracy, which improves by increasing"
    given = f"monitor={monitor!r}" if monitor is not None else f"monitor=None watches {metric!r}"
    other = {"val_loss": "'val_accuracy'", "train_loss": "'train_accuracy'", "val_accuracy": "'val_loss'",
             "train_accuracy": "'train_loss'"}[metric]
    raise ValueError(f"fit: ReduceLROnPlateau has mode={scheduler.mode!r}, but fit gives it {metric} ({given}), "
                     f"{what}; make it ReduceLROnPlateau(optimizer, mode={_MONITORS[metric]!r}, ...), or pass "
                     f"monitor={other} with mode={scheduler.mode!r}")


def _check_scheduler(scheduler, interval, optimizer):
    """fit's scheduler and scheduler_interval fit its optimizer, or a TypeError/ValueError saying what would."""
    if interval not in ("epoch", "batch"):
        raise (ValueError if isinstance(interval, str) else TypeError)(
            f"fit: scheduler_interval must be 'epoch' or 'batch', got {interval!r}")
    if scheduler is None:
        return
    if isinstance(scheduler, type):
        raise TypeError(f"fit: scheduler is the class {scheduler.__name__}; pass an instance made from the "
                        f"optimizer, {scheduler.__name__}(optimizer, ...)")
    if not callable(getattr(scheduler, "step", None)):
        raise TypeError(f"fit: scheduler must have step() (an nn.optim.lr_scheduler scheduler), got "
                        f"{type(scheduler).__name__}")
    if getattr(scheduler, "optimizer", optimizer) is not optimizer:  # it would set the rates of another optimizer
        raise ValueError(f"fit: the scheduler ({type(scheduler).__name__}) was made for another optimizer; make it "
                         f"from the one fit trains with")
    if isinstance(scheduler, ReduceLROnPlateau) and interval == "batch":
        raise ValueError("fit: ReduceLROnPlateau watches a loss once per epoch; use scheduler_interval='epoch'")


def _then(first, second):
    """A function calling first(), then second(): the optimizer's step, then a per-batch scheduler's."""
    def both():
        first()
        second()
    return both


def _train_epoch(model, loss_fn, zero_grad, step, loader, task, bar, epoch):
    """One epoch of fit's steps, one per batch of loader: (the mean training loss, the accuracy tally or None)."""
    total, count, tally = 0.0, 0, (0, 0) if task else None
    for batch, (xb, yb) in enumerate(_pairs(loader, "fit", "train"), 1):
        out = model(xb)
        loss = loss_fn(out, yb)
        value = _loss_value(loss, "fit")
        if not math.isfinite(value):  # checked before the step: the weights stay as they were
            raise TrainingDiverged(value, epoch, batch)
        zero_grad()
        loss.backward()
        step()
        n = len(xb)
        total += value * n
        count += n
        tally = _tally(tally, out.data, yb, task)
        if bar is not None:
            bar.update(1)
            bar.set_postfix_str(f"loss {total / count:.4f}", refresh=False)
    return total / count, tally


def _pairs(loader, operation, what):
    """The batches of loader, each refused unless it is an (X, y) pair (a dataset whose items are dicts or triples
    would otherwise fail in unpacking, or pass a dict's keys to the model)."""
    for batch in loader:
        if not (isinstance(batch, (tuple, list)) and len(batch) == 2):
            kind = f"{type(batch).__name__} of {len(batch)} entries" if isinstance(batch, (tuple, list, dict)) else \
                type(batch).__name__
            raise ValueError(f"{operation}: {what} must yield (X, y) pairs, but it yields a {kind}; make the "
                             f"dataset's items (x, y) pairs")
        yield batch


def _loss_value(loss, operation, backward=True):
    """The number a loss Tensor of one element holds, or an error naming operation: loss_fn must return a Tensor
    of one element (to be backpropagated; a number does where no backward() follows)."""
    if not backward and as_number(loss) is not None:  # (a 0-d array or NumPy number, as item() took it)
        return as_number(loss)
    if not isinstance(loss, ag.Tensor):
        raise TypeError(f"{operation}: loss_fn returned {type(loss).__name__} {loss!r:.60}, not a Tensor; compute the "
                        f"loss from the model's output with ag and nn operations (an nn loss, say), so that "
                        f"backward() reaches the parameters")
    try:
        return loss.item()
    except ValueError:  # (item's own message would name item, not the loss)
        raise ValueError(f"{operation}: loss_fn returned a Tensor of shape {loss.shape}, not a scalar; reduce it "
                         f"(reduction='mean' or 'sum', or .mean())") from None


class _EarlyStopping:
    """fit's watch over the monitored metric (the validation loss by default): the best so far and its epoch, the
    model's weights then (kept only with patience, to be restored), and whether patience epochs have passed without
    an improvement. mode: "min" (a loss) or "max" (an accuracy); an equal value or NaN is no improvement."""

    def __init__(self, patience, mode="min"):
        self.patience, self.waited, self.larger = patience, 0, mode == "max"
        self.best, self.best_epoch, self.best_state = -math.inf if self.larger else math.inf, None, None

    def update(self, epoch, value, model):
        """Record epoch's value of the monitored metric; True when training should stop."""
        if (value > self.best) if self.larger else (value < self.best):
            self.best, self.best_epoch, self.waited = value, epoch, 0
            if self.patience is not None:
                self.best_state = _snapshot(model)
        else:
            self.waited += 1
        return self.patience is not None and self.waited >= self.patience

    def restore(self, model):
        """Load the best epoch's weights into model, when they were kept."""
        if self.best_state is not None:
            model.load_state_dict(self.best_state)


def _summary(history):
    """The last epoch's metrics, short: "loss 0.4123 acc 89.1% | val loss 0.3000 acc 91.2%"."""
    labels = {"train_loss": "loss {:.4f}", "train_accuracy": "acc {:.1%}", "val_loss": "| val loss {:.4f}",
              "val_accuracy": "acc {:.1%}", "lr": "| lr {:.3g}"}
    keys = [key for key in labels if key in history] + [key for key in history if key not in labels]
    return " ".join(labels.get(key, key + " {:.4f}").format(history[key][-1]) for key in keys)
