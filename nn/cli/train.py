"""Train an MLP on a dataset that needs no download and save the checkpoint, curves and graph.

Datasets: the 1,797 8x8 handwritten digits (pixels scaled to [0, 1]), the four XOR points,
two noisy moons, or your own CSV file (features, then an integer class label, per line).
The samples are shuffled with --seed and cut 70/15/15 into train, validation and test
(XOR's four points are all three at once). The network is an nn.MLP with softmax
cross-entropy on its logits, trained by nn.fit with early stopping on the validation loss.

Written to --out: checkpoint.npz (model, optimizer state, epoch, configuration; continue it
with --resume), curves.png (loss and accuracy per epoch) and graph.png (the computational
graph of the loss on one example, parameters grouped by layer).
"""
import argparse
import datetime
import itertools
import json
import math
import os
import re
import sys
import tempfile
import time

import numpy as np

from autograd_core import Tensor

from .._arguments import checked_number
from . import CliError, importable, number_option, printable, require, shorten

# Per-dataset defaults, each chosen to reach its accuracy quickly (digits: >= 97% test accuracy).
DEFAULTS = {
    "digits": {"hidden": "128", "lr": 2e-3, "epochs": 40, "batch_size": 32, "patience": 10},
    "moons": {"hidden": "32,32", "lr": 1e-2, "epochs": 100, "batch_size": 32, "patience": 20},
    "xor": {"hidden": "8", "lr": 3e-2, "epochs": 300, "batch_size": 4, "patience": None},
    "csv": {"hidden": "64", "lr": 3e-3, "epochs": 50, "batch_size": 32, "patience": 10},
}
# --optimizer -> (class in nn.optim, extra arguments, learning-rate scale): the default learning
# rate is the dataset's (tuned for Adam) times the scale.
OPTIMIZERS = {
    "sgd": ("SGD", {"momentum": 0.9}, 10.0),
    "adam": ("Adam", {}, 1.0),
    "adamw": ("AdamW", {}, 1.0),
    "rmsprop": ("RMSprop", {}, 1.0),
    "adagrad": ("Adagrad", {}, 10.0),
    "adamax": ("Adamax", {}, 1.0),
    "nadam": ("NAdam", {}, 1.0),
    "radam": ("RAdam", {}, 1.0),
}
ACTIVATIONS = ("relu", "tanh", "sigmoid", "leaky_relu", "elu", "softplus", "gelu", "silu", "mish", "selu")
CHECKPOINT, CURVES, GRAPH = "checkpoint.npz", "curves.png", "graph.png"
# Options a resumed run takes from its checkpoint; giving a different value is a mistake.
FROM_CHECKPOINT = ("dataset", "hidden", "activation", "optimizer", "seed")
# Widest hidden layer accepted: far beyond what trains well here, so a wider one is a typo (such as
# 100000000000, which would ask NumPy for terabytes). Two layers this wide still need 40 GB: that
# MemoryError is reported in one line by nn.cli.main.
MAX_WIDTH = 100_000


def defaults_table():
    """The per-dataset defaults, as agrad train --help lists them after the options."""
    lines = ["defaults per dataset (an option given overrides them):"]
    for name, d in DEFAULTS.items():
        patience = 0 if d["patience"] is None else d["patience"]  # (0: no early stopping)
        lines.append(f"  {name:<7} --hidden {d['hidden']:<6} --lr {d['lr']:<7g} --epochs {d['epochs']:<4} "
                     f"--batch-size {d['batch_size']:<3} --patience {patience}")
    same = [name for name, (_, _, scale) in OPTIMIZERS.items() if scale == 1]
    tenfold = [name for name, (_, _, scale) in OPTIMIZERS.items() if scale == 10]
    lines.append(f"  (--lr is for {', '.join(same)}; {' and '.join(tenfold)} take 10x it)")
    return "\n".join(lines)


def add_arguments(parser):
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = defaults_table()
    parser.add_argument("--dataset", default=None, metavar="{digits,xor,moons,csv:PATH}",
                        help="what to learn (default: digits)")
    parser.add_argument("--hidden", default=None, metavar="SIZES",
                        help="hidden layer widths, comma separated, e.g. 64,32; \"\" for none, a linear model "
                             "(default: per dataset, listed below)")
    parser.add_argument("--activation", default=None, choices=ACTIVATIONS, help="hidden activation (default: relu)")
    parser.add_argument("--optimizer", default=None, choices=OPTIMIZERS, help="(default: adam)")
    parser.add_argument("--lr", type=number_option, default=None,
                        help="learning rate (default: per dataset, listed below)")
    parser.add_argument("--epochs", type=integer_option, default=None,
                        help="epochs to train; with --resume, epochs to add (default: per dataset)")
    parser.add_argument("--batch-size", type=integer_option, default=None, help="minibatch size (default: per dataset)")
    parser.add_argument("--seed", type=integer_option, default=None,
                        help="an integer >= 0; seeds the split, the weights and the shuffling (default: 0)")
    parser.add_argument("--patience", type=integer_option, default=None,
                        help="stop once the validation loss has not improved for this many epochs and keep the "
                             "best weights; 0 turns early stopping off (default: per dataset)")
    parser.add_argument("--out", default=None, metavar="DIR",
                        help="output directory; missing directories are created (default: runs/<timestamp>/)")
    parser.add_argument("--resume", default=None, metavar="CHECKPOINT",
                        help="continue training from a checkpoint.npz written by an earlier run")
    parser.add_argument("--no-progress", dest="progress", action="store_false", help="hide the progress bar")


# --- Reading the options ------------------------------------------------------------------

def integer_option(text):
    """argparse type of an integer option: ASCII digits with an optional sign, at most 18 of them (so
    Python's int() never meets a 5,000-digit number), a bad value echoed shortened.

    >>> from nn.cli.train import integer_option
    >>> integer_option("-1"), integer_option(" 40 ")
    (-1, 40)
    """
    if not re.fullmatch(r"[+-]?[0-9]{1,18}", text.strip()):
        raise argparse.ArgumentTypeError(f"expected a whole number (at most 18 digits), got {shorten(text)}")
    return int(text)


def parse_hidden(text):
    """'64,32' -> [64, 32]; an empty string means no hidden layer (a linear model).

    >>> from nn.cli.train import parse_hidden
    >>> parse_hidden("64, 32"), parse_hidden("")
    ([64, 32], [])
    >>> parse_hidden("64,x")
    Traceback (most recent call last):
    ...
    nn.cli.CliError: --hidden '64,x': each layer width must be a positive integer, e.g. --hidden 64,32
    """
    text = text.strip()
    if not text:
        return []
    sizes = []
    for part in text.split(","):
        part = part.strip()
        digits = part.lstrip("0")
        # ASCII digits only: str.isdigit accepts "²", which int() then refuses.
        if not re.fullmatch(r"[0-9]+", part) or not digits:
            raise CliError(f"--hidden {shorten(text)}: each layer width must be a positive integer, "
                           f"e.g. --hidden 64,32")
        if len(digits) > len(str(MAX_WIDTH)) or int(digits) > MAX_WIDTH:  # the length first: no int() of 5,000 digits
            raise CliError(f"--hidden {shorten(text)}: a layer may have at most {MAX_WIDTH:,} units")
        sizes.append(int(digits))
    return sizes


def dataset_kind(name):
    """'digits', 'xor', 'moons' or 'csv' (for 'csv:PATH'); anything else is a CliError.

    >>> from nn.cli.train import dataset_kind
    >>> dataset_kind("csv:points.csv"), dataset_kind("xor")
    ('csv', 'xor')
    """
    if not is_dataset(name):
        raise CliError(f"unknown dataset {shorten(name)}; choose digits, xor, moons or csv:PATH")
    return name[:3] if name.startswith("csv:") else name


def is_dataset(name):
    """Whether `name` is digits, xor, moons or csv:PATH (a checkpoint may hold any value).

    >>> from nn.cli.train import is_dataset
    >>> is_dataset("moons"), is_dataset("csv:"), is_dataset(""), is_dataset(3)
    (True, False, False, False)
    """
    return isinstance(name, str) and (name in ("digits", "xor", "moons")
                                      or (name.startswith("csv:") and len(name) > 4))


def canonical_dataset(name):
    """The dataset name a checkpoint stores: csv:PATH with PATH made absolute (~ expanded), so that
    --resume works from any directory and the same file given another way is the same dataset. An
    older checkpoint's relative path resolves against the current directory, as it did before.

    >>> import os
    >>> from nn.cli.train import canonical_dataset
    >>> canonical_dataset("xor"), canonical_dataset("csv:d.csv") == "csv:" + os.path.join(os.getcwd(), "d.csv")
    ('xor', True)
    """
    if dataset_kind(name) != "csv":
        return name
    return "csv:" + os.path.abspath(os.path.expanduser(name[4:]))


def check_positive(name, value, allow_zero=False):
    """A numeric option must be finite and > 0 (>= 0 with allow_zero); None means not given."""
    if value is None:
        return
    what = f"{'an integer' if isinstance(value, int) else 'a finite number'} {'>= 0' if allow_zero else '> 0'}"
    try:  # (the options are numbers already: parsed, or checked as a checkpoint's settings)
        checked_number(value, "agrad train", name, low=0, low_open=not allow_zero, what=what,
                       message="{name} must be {what}, got {value}")
    except (TypeError, ValueError) as err:
        raise CliError(str(err)) from None


def duration(seconds):
    """A time for a person: seconds with one decimal from a second up, else milliseconds (not "0.0 s").

    >>> from nn.cli.train import duration
    >>> duration(12.34), duration(0.0432), duration(0.00092)
    ('12.3 s', '43 ms', '0.92 ms')
    """
    ms = seconds * 1000
    return f"{seconds:.1f} s" if seconds >= 1 else f"{ms:.0f} ms" if ms >= 10 else f"{ms:.2g} ms"


# --- Data ---------------------------------------------------------------------------------

def load_dataset(name, seed):
    """(train, val, test) pairs of float32 features and int64 class ids 0..k-1, a description, and the
    k original labels (class id i stands for label classes[i])."""
    import nn
    import nn.datasets

    kind = dataset_kind(name)
    if kind == "xor":
        X, y = nn.datasets.make_xor()
        return (X, y), (X, y), (X, y), "XOR: 4 points (train = validation = test)", np.array([0, 1])
    if kind == "digits":
        X, y = nn.datasets.load_digits()
        X = X / np.float32(16.0)  # pixels 0..16 -> [0, 1]
        about = "digits: 1,797 8x8 images"
    elif kind == "moons":
        X, y = nn.datasets.make_moons(1000, noise=0.2, rng=seed)
        about = "moons: 1,000 points, noise 0.2"
    else:
        path = name[4:]
        try:
            X, y = nn.datasets.load_csv(path)
        except ValueError as err:
            raise CliError(str(err)) from None
        if y.dtype.kind != "i":  # load_csv keeps labels as floats unless all are whole and fit int64
            fractional = y[y != np.round(y)]
            reason = (f"{fractional[0]:g} is not a whole number" if len(fractional)
                      else f"{y[np.argmax(np.abs(y))]:g} is too large (labels must fit a 64-bit integer)")
            raise CliError(f"{path}: the last column must hold integer class labels, e.g. 0, 1, 2; {reason}")
        if len(y) < 10:
            raise CliError(f"{path}: {len(y)} row{'s are' if len(y) != 1 else ' is'} too few to split into train, "
                           f"validation and test (need 10)")
        about = f"{path}: {len(y)} rows, {X.shape[1]} features"
    classes, y = np.unique(y, return_inverse=True)
    if len(classes) < 2:
        raise CliError(f"{name}: all labels are equal ({classes[0]}); a classifier needs at least two classes")
    train, val, test = nn.data.train_val_test_split(X, y.astype(np.int64), val=0.15, test=0.15, rng=seed)
    if kind == "csv":  # standardise with the training set's statistics, taken in float64 (a float32 variance
        # overflows for a spread of 2e19, which would zero the feature)
        mean, std = train[0].mean(axis=0, dtype=np.float64), train[0].std(axis=0, dtype=np.float64)
        std[std == 0] = 1
        train, val, test = ((((a - mean) / std).astype(np.float32), b) for a, b in (train, val, test))
    return train, val, test, f"{about}, {len(classes)} classes", classes


# --- Model, optimizer, checkpoint -----------------------------------------------------------

def build(config, n_features, n_classes):
    import nn

    rng = np.random.default_rng(config["seed"])
    model = nn.MLP([n_features, *config["hidden"], n_classes], activation=config["activation"], rng=rng)
    cls, kwargs, _ = OPTIMIZERS[config["optimizer"]]
    return model, getattr(nn.optim, cls)(model.parameters(), lr=config["lr"], **kwargs)


def save_checkpoint(path, model, optimizer, config, epoch, history, classes):
    """model and optimizer state dicts, epochs run, the run's configuration (JSON), the per-epoch
    history, and the dataset's labels in class-id order."""
    import nn

    nn.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": np.int64(epoch),
             "config": json.dumps(config), "classes": np.asarray(classes),
             "history": {k: np.asarray(v, dtype=np.float64) for k, v in history.items()}}, path)


def load_checkpoint(path):
    """(checkpoint, its configuration) from a file save_checkpoint wrote; CliError for anything else."""
    import nn

    if not path:  # (it read "--resume : no such file")
        raise CliError(f"--resume '' names no file; give the {CHECKPOINT} an earlier run wrote")
    if not os.path.exists(path):
        raise CliError(f"--resume {path}: no such file")
    if os.path.isdir(path):
        raise CliError(f"--resume {path} is a directory; give the checkpoint file in it, "
                       f"e.g. {os.path.join(path, CHECKPOINT)}")
    if not os.path.isfile(path):  # a pipe or device: nn.load would block or read forever
        raise CliError(f"--resume {path} is not a regular file; give a {CHECKPOINT} written by agrad train")
    try:
        ckpt = nn.load(path)
        return ckpt, checkpoint_config(ckpt)
    except Exception as err:  # a file that is not our checkpoint: say so in one line
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise CliError(f"--resume {path}: not a checkpoint of agrad train: {reason}") from None


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)  # True is an int to Python, not to a user


def _is_number(value):
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


# Each setting a checkpoint's configuration holds: (test, what is valid). The options were checked
# when the first run read them; a stored value may have been edited since. lr, batch_size and
# patience may be missing: the dataset's defaults apply.
SETTINGS = {
    "dataset": (is_dataset, "digits, xor, moons or csv:PATH"),
    "hidden": (lambda v: isinstance(v, list) and all(_is_int(w) and 1 <= w <= MAX_WIDTH for w in v),
               f"a list of layer widths, each an integer from 1 to {MAX_WIDTH:,}"),
    "activation": (lambda v: isinstance(v, str) and v in ACTIVATIONS, "one of " + ", ".join(ACTIVATIONS)),
    "optimizer": (lambda v: isinstance(v, str) and v in OPTIMIZERS, "one of " + ", ".join(OPTIMIZERS)),
    "seed": (lambda v: _is_int(v) and v >= 0, "an integer >= 0"),
    "lr": (lambda v: _is_number(v) and math.isfinite(v) and v > 0, "a positive number"),
    "batch_size": (lambda v: _is_int(v) and v > 0, "a positive integer"),
    "patience": (lambda v: v is None or (_is_int(v) and v >= 0), "an integer >= 0, or null for no early stopping"),
}
OPTIONAL_SETTINGS = ("lr", "batch_size", "patience")


def checkpoint_config(ckpt):
    """The configuration of `ckpt` (as nn.load returned it), once ckpt is checked to be what
    save_checkpoint writes; ValueError naming the first entry that is missing or malformed, its
    value and what is valid."""
    def shown(value):  # one line, cut short: a value may be a long string or an array
        if isinstance(value, str):
            return shorten(value)
        text = " ".join(repr(value).split())
        return text if len(text) <= 80 else text[:80] + "..."

    if not isinstance(ckpt, dict):
        raise ValueError(f"it holds a {type(ckpt).__name__}, not a dict of model, optimizer, epoch and config")
    for key in ("model", "optimizer", "epoch", "config"):
        if key not in ckpt:
            raise ValueError(f"it has no {key!r}")
    try:
        config = json.loads(ckpt["config"])
    except (TypeError, ValueError, RecursionError):  # not a string, not JSON, nested too deeply
        config = None
    if not isinstance(config, dict):
        raise ValueError(f"its 'config' is {shown(ckpt['config'])}; expected the JSON text of a dict of settings")
    for name, (test, valid) in SETTINGS.items():
        if name not in config:
            if name not in OPTIONAL_SETTINGS:
                raise ValueError(f"its config has no {name!r}; expected {valid}")
        elif not test(config[name]):
            raise ValueError(f"its config's {name!r} is {shown(config[name])}; expected {valid}")
    epoch = ckpt["epoch"]  # at most 18 digits, as --epochs: their sum must fit the int64 it is saved as
    if not (np.ndim(epoch) == 0 and np.asarray(epoch).dtype.kind in "iu" and 0 <= int(epoch) < 10**18):
        raise ValueError(f"its 'epoch' is {shown(epoch)}; expected the number of epochs run, an integer >= 0 "
                         f"of at most 18 digits")
    history = ckpt.get("history", {})
    if not isinstance(history, dict):
        raise ValueError(f"its 'history' is {shown(history)}; expected a dict of per-epoch values")
    for key, values in history.items():
        if not ((isinstance(values, (np.ndarray, Tensor)) and values.ndim == 1 and values.dtype.kind in "fiu")
                or (isinstance(values, list) and all(map(_is_number, values)))):
            raise ValueError(f"its history's {key!r} is {shown(values)}; expected a list of numbers, one per epoch")
    return config


def new_run_directory():
    """Create and return runs/<timestamp>/, or runs/<timestamp>-2/, -3/, ... when it exists: two runs
    started in the same second must not write over each other's files."""
    base = os.path.join("runs", datetime.datetime.now().strftime("%Y%m%d-%H%M%S"))
    for number in itertools.count(1):
        candidate = base if number == 1 else f"{base}-{number}"
        try:
            os.makedirs(candidate)  # exist_ok=False: creating it is what claims it
            return candidate
        except FileExistsError:
            continue
        except OSError as err:
            raise CliError(f"cannot create the output directory {candidate} ({err.strerror or err}); "
                           f"give one with --out") from None


def check_out(out):
    """CliError at once for an --out that is a file (before a dataset is loaded; the folder is made later)."""
    if out == "":  # (it read "--out : cannot write there (No such file or directory)")
        raise CliError("--out '' names no directory; give one, e.g. --out runs/mine (without --out a run writes "
                       "to runs/<timestamp>/)")
    if out is not None and os.path.exists(out) and not os.path.isdir(out):
        raise CliError(f"--out {out} is a file, not a directory; give a directory for the run's outputs")


def prepare_out(out):
    """The output directory --out (created if missing), or a new runs/<timestamp>/; CliError unless
    it is a directory we can write to."""
    check_out(out)
    out = out if out is not None else new_run_directory()
    try:
        os.makedirs(out, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-test-", dir=out)  # a new name: no file of the user's is touched
        os.close(fd)
        os.remove(probe)
    except OSError as err:
        raise CliError(f"--out {out}: cannot write there ({err.strerror or err})") from None
    for name in (CHECKPOINT, CURVES, GRAPH):  # checked before training: a run must not fail after it
        if os.path.lexists(os.path.join(out, name)) and not os.path.isfile(os.path.join(out, name)):
            raise CliError(f"--out {out}: {name} there is not a regular file (a directory?), so the run could not "
                           f"write it; remove it or give another --out")
    return out


# --- The run ------------------------------------------------------------------------------

def resolve_config(args):
    """The run's configuration: options, else the checkpoint's, else the dataset's defaults."""
    if args.seed is not None and args.seed < 0:  # NumPy's generators take only non-negative seeds
        raise CliError(f"--seed must be an integer >= 0, got {args.seed}")
    ckpt, config = (None, {}) if args.resume is None else load_checkpoint(args.resume)
    resuming = ckpt is not None
    if resuming:
        config["dataset"] = canonical_dataset(config["dataset"])
    for name in FROM_CHECKPOINT:
        given = getattr(args, name)
        if given is not None and resuming and name == "hidden":
            given = parse_hidden(given)
        if given is not None and resuming and name == "dataset":
            given = canonical_dataset(given)
        if resuming and given is not None and given != config[name]:
            shown = getattr(args, name)
            shown = shorten(shown) if isinstance(shown, str) else shown
            raise CliError(f"--{name} {shown} differs from the checkpoint's {config[name]!r}; "
                           f"a resumed run keeps its {name}")
    if not resuming:
        config["dataset"] = canonical_dataset("digits" if args.dataset is None else args.dataset)  # "" is refused
        defaults = DEFAULTS[dataset_kind(config["dataset"])]
        config["hidden"] = parse_hidden(args.hidden if args.hidden is not None else defaults["hidden"])
        config["activation"] = args.activation or "relu"
        config["optimizer"] = args.optimizer or "adam"
        config["seed"] = 0 if args.seed is None else args.seed
    defaults = DEFAULTS[dataset_kind(config["dataset"])]
    default_lr = defaults["lr"] * OPTIMIZERS[config["optimizer"]][2]
    config["lr"] = args.lr if args.lr is not None else config.get("lr", default_lr)
    config["batch_size"] = args.batch_size if args.batch_size is not None else config.get(
        "batch_size", defaults["batch_size"])
    config["patience"] = args.patience if args.patience is not None else config.get("patience", defaults["patience"])
    epochs = args.epochs if args.epochs is not None else defaults["epochs"]
    check_positive("--lr", config["lr"])
    check_positive("--epochs", epochs)
    check_positive("--batch-size", config["batch_size"])
    check_positive("--patience", config["patience"], allow_zero=True)
    return ckpt, config, epochs


def run(args):
    """Train as the options say, print the test accuracy and write the checkpoint, curves and graph."""
    for name in ("out", "resume"):  # a shell leaves ~ alone in --out=~/run (csv:~/d.csv is expanded likewise)
        if getattr(args, name) is not None:
            setattr(args, name, os.path.expanduser(getattr(args, name)))
    ckpt, config, epochs = resolve_config(args)
    check_out(args.out)
    require(["matplotlib", "graphviz"], "train,viz")  # the curves and the graph are drawn after training
    progress = args.progress
    if progress and not importable("tqdm"):  # not fatal: fit trains without a bar
        print("agrad train: note: tqdm is not installed, so no progress bar is shown; "
              "install with: pip install 'autograd_core[train]'", file=sys.stderr)
        progress = False
    train, val, test, about, classes = load_dataset(config["dataset"], config["seed"])

    import nn
    from nn.training import evaluate

    n_classes = len(classes)
    model, optimizer = build(config, train[0].shape[1], n_classes)
    start_epoch, past = 0, {}
    if ckpt is not None:
        try:
            model.load_state_dict(ckpt["model"])
            optimizer.load_state_dict(ckpt["optimizer"])
        except Exception as err:
            raise CliError(f"--resume {args.resume}: the checkpoint does not fit this model ({err})") from None
        for group in optimizer.param_groups:  # the saved state brings its own lr; --lr overrides it
            group["lr"] = config["lr"]
        start_epoch = int(np.asarray(ckpt["epoch"]))
        past = {k: list(np.asarray(v)) for k, v in ckpt.get("history", {}).items()}
    out = prepare_out(args.out)  # after the checkpoint fits: a refused --resume leaves no empty folder

    sizes = " -> ".join(str(s) for s in (train[0].shape[1], *config["hidden"], n_classes))
    print(printable(f"{about}; train {len(train[1])}, validation {len(val[1])}, test {len(test[1])}"))  # a CSV path
    activation = config["activation"] if config["hidden"] else "linear: no hidden layer"
    print(f"MLP {sizes} ({activation}), {config['optimizer']} lr={config['lr']:g}, "
          f"batch {config['batch_size']}, epochs {start_epoch + 1}..{start_epoch + epochs}"
          + (f", patience {config['patience']}" if config["patience"] else ""))

    loss_fn = nn.CrossEntropyLoss()
    started = time.perf_counter()
    with np.errstate(all="ignore"):  # a diverging run is reported below, in one line
        try:
            history = nn.fit(model, loss_fn, optimizer, train, val=val, epochs=epochs,
                             batch_size=config["batch_size"], patience=config["patience"] or None,
                             progress=progress, rng=np.random.default_rng([config["seed"], start_epoch]))
        except nn.training.TrainingDiverged as err:
            raise diverged("training loss", err.loss, start_epoch + err.epoch, config["lr"]) from None
    seconds = time.perf_counter() - started
    check_converged(history, start_epoch, config["lr"])
    ran = history.epochs
    epoch = start_epoch + ran
    if past:  # a resumed run: the curves cover every epoch since the first run began
        best = history.best_epoch
        history = nn.History({key: [float(v) for v in past.get(key, [])] + list(values)
                              for key, values in history.items()})
        history.best_epoch = None if best is None else start_epoch + best

    with np.errstate(all="ignore"):
        test_acc = evaluate(model, loss_fn, test)["accuracy"]
    checkpoint = os.path.join(out, CHECKPOINT)
    save_checkpoint(checkpoint, model, optimizer, config, epoch, history, classes)
    history.plot(os.path.join(out, CURVES))  # an Agg figure: no window opens
    draw_graph(model, loss_fn, test[0][:1], test[1][:1], classes[test[1][0]], os.path.join(out, GRAPH))

    stopped = ""
    if config["patience"] and history.best_epoch not in (None, epoch):  # fit restores them, stopped early or not
        stopped = (f" ({'early stop: ' if ran < epochs else ''}the weights of epoch {history.best_epoch}, the best "
                   f"on validation, restored)")
    print(f"test accuracy {100 * test_acc:.2f}% after {epoch} epoch{'s' * (epoch != 1)}{stopped}, "
          f"trained in {duration(seconds)} ({duration(seconds / max(ran, 1))}/epoch)")
    print(printable(f"outputs in {out}/: {CHECKPOINT} (continue with --resume {checkpoint}), {CURVES}, {GRAPH}"))
    return 0


def check_converged(history, start_epoch, lr):
    """CliError when training diverged: a training or validation loss that is not finite (the weights
    saved would be useless)."""
    for key, what in (("train_loss", "training loss"), ("val_loss", "validation loss")):
        for epoch, loss in enumerate(history.get(key, []), start_epoch + 1):
            if not np.isfinite(loss):
                raise diverged(what, loss, epoch, lr)


def diverged(what, loss, epoch, lr):
    return CliError(f"training diverged: the {what} was {loss} in epoch {epoch}, so nothing was saved; try a "
                    f"smaller --lr than {lr:g}")


def draw_graph(model, loss_fn, x, y, label, path):
    """The graph of the loss on one example, the model's parameters clustered by layer."""
    import autograd_core as ag
    from autograd_core.viz import GraphvizNotFound, render_graph

    model.eval()
    x = ag.tensor(x, name="x")
    loss = loss_fn(model(x), ag.tensor(y, name="y"))
    loss.name = "loss"
    model.train()
    try:
        render_graph(loss, path, format="png", params=model, rankdir="TB", inputs={"x": x},
                     title=f"cross-entropy loss of one test example (label {label})")
    except GraphvizNotFound as err:  # the message says how to install Graphviz
        raise CliError(str(err).splitlines()[0]) from None
