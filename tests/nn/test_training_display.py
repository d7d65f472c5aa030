"""What nn.fit shows while it trains and after (nn/training.py): the tqdm progress bar on a terminal and in Jupyter (a
running kernel recognised, a warning without tqdm), and History.plot's loss and accuracy curves, written whole to a
path, a bytes path or a file object."""
import io
import os
import re
import sys
import types

import pytest

import nn
from conftest import PNG_MAGIC, FakeTerminal, jupyter_kernel_or_skip, missing_tool, moons


def _require_tqdm():
    try:
        import tqdm  # noqa: F401
    except ImportError as err:
        missing_tool(f"tqdm is not installed: {err}")


def test_progress_bar_shows_epoch_batch_and_loss_on_a_terminal_only(monkeypatch):
    _require_tqdm()
    X, y = moons(64)
    model = nn.MLP([2, 4, 2], rng=0)
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    nn.fit(model, nn.CrossEntropyLoss(), opt, (X, y), val=(X, y), epochs=2, batch_size=16, rng=0)
    shown = terminal.getvalue()
    assert "epoch 1/2" in shown and "epoch 2/2" in shown and "4/4" in shown and "loss" in shown
    finished = [line for line in shown.replace("\r", "\n").splitlines() if line.startswith("epoch 2/2: 4/4 [")]
    assert finished and re.search(r"4/4 .*, loss [\d.]+ acc [\d.]+% \| val loss [\d.]+ acc [\d.]+%$", finished[-1])
    assert len(finished[-1]) <= 80  # the whole summary fits an 80-column terminal
    quiet = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    nn.fit(model, nn.CrossEntropyLoss(), opt, (X, y), epochs=1, progress=False)
    pipe = io.StringIO()  # not a terminal
    monkeypatch.setattr(sys, "stderr", pipe)
    nn.fit(model, nn.CrossEntropyLoss(), opt, (X, y), epochs=1)
    assert quiet.getvalue() == "" and pipe.getvalue() == ""


def test_history_plot_draws_loss_and_accuracy_and_saves(tmp_path):
    from matplotlib.figure import Figure

    history = nn.History(train_loss=[1.0, 0.6, 0.4], val_loss=[1.1, 0.7, 0.6], train_accuracy=[0.5, 0.7, 0.8],
                         val_accuracy=[0.4, 0.6, 0.7])
    history.best_epoch = 3
    fig = history.plot(tmp_path / "curves.png")
    assert isinstance(fig, Figure)
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    assert [(ax.get_xlabel(), ax.get_ylabel()) for ax in fig.axes] == [("epoch", "loss"), ("epoch", "accuracy")]
    assert [line.get_label() for line in fig.axes[0].lines][:2] == ["train loss", "val loss"]
    assert (tmp_path / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_history_plot_replaces_an_image_whole_or_not_at_all(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    (tmp_path / "curves.png").write_bytes(b"old")

    def savefig(self, f, **kwargs):  # a failure halfway through writing
        f.write(b"\x89PNG half")
        raise KeyboardInterrupt

    monkeypatch.setattr(Figure, "savefig", savefig)
    with pytest.raises(KeyboardInterrupt):
        nn.History(train_loss=[1.0, 0.5]).plot(tmp_path / "curves.png")
    assert (tmp_path / "curves.png").read_bytes() == b"old" and os.listdir(tmp_path) == ["curves.png"]


def test_history_plot_adds_png_to_a_bare_name_and_refuses_unknown_formats(tmp_path):
    history = nn.History(train_loss=[1.0, 0.5])
    history.plot(tmp_path / "curves")
    assert (tmp_path / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    history.plot(str(tmp_path / "other."))  # a trailing dot, as matplotlib: other.png
    assert sorted(os.listdir(tmp_path)) == ["curves.png", "other.png"]
    with pytest.raises(ValueError, match=r"^History.plot: cannot save .*curves.xyz': .xyz is not a format it writes; "
                                         r"it writes .* png"):
        history.plot(tmp_path / "curves.xyz")


def test_history_plot_of_losses_only_has_one_panel_and_marks_the_best_epoch():
    history = nn.History(train_loss=[1.0, 0.6, 0.4], val_loss=[1.1, 0.7, 0.9])
    history.best_epoch = 2
    fig = history.plot()
    assert [ax.get_title() for ax in fig.axes] == ["loss"]
    assert [line.get_label() for line in fig.axes[0].lines] == ["train loss", "val loss", "best epoch"]
    assert list(fig.axes[0].lines[2].get_xdata()) == [2, 2]


def test_jupyter_is_recognised_by_a_running_kernel(monkeypatch):
    from nn.training import _in_jupyter

    shell = types.SimpleNamespace(kernel=object())
    fake_ipython = types.SimpleNamespace(get_ipython=lambda: shell)
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    assert not _in_jupyter()  # no kernel module loaded: not asked further
    monkeypatch.setitem(sys.modules, "ipykernel", types.ModuleType("ipykernel"))
    monkeypatch.setitem(sys.modules, "IPython", fake_ipython)
    assert _in_jupyter()
    shell.kernel = None  # plain IPython in a terminal has no kernel
    assert not _in_jupyter()
    fake_ipython.get_ipython = lambda: None  # IPython imported, but not running
    assert not _in_jupyter()


def test_without_tqdm_fit_warns_that_no_bar_is_shown_and_trains(monkeypatch):
    X, y = moons(32)
    model = nn.MLP([2, 4, 2], rng=0)
    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    monkeypatch.setitem(sys.modules, "tqdm", None)  # `from tqdm import tqdm` now raises ImportError
    with pytest.warns(UserWarning, match=r"fit: progress=True, but tqdm is not installed.*progress=False"):
        history = nn.fit(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1), (X, y),
                         epochs=1, rng=0)
    assert len(history["train_loss"]) == 1


def test_progress_bar_shows_in_jupyter_whose_stderr_is_no_terminal(monkeypatch):
    _require_tqdm()
    import nn.training as training

    X, y = moons(64)
    model = nn.MLP([2, 4, 2], rng=0)
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    monkeypatch.setattr(training, "_in_jupyter", lambda: True)
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # no widgets: the text bar
    notebook_stderr = io.StringIO()  # ipykernel's OutStream.isatty() is False too
    monkeypatch.setattr(sys, "stderr", notebook_stderr)
    nn.fit(model, nn.CrossEntropyLoss(), opt, (X, y), epochs=2, batch_size=16, rng=0)
    assert "epoch 1/2" in notebook_stderr.getvalue() and "4/4" in notebook_stderr.getvalue()
    quiet = io.StringIO()
    monkeypatch.setattr(sys, "stderr", quiet)
    nn.fit(model, nn.CrossEntropyLoss(), opt, (X, y), epochs=1, progress=False)
    assert quiet.getvalue() == ""


def test_progress_bar_shows_in_a_real_jupyter_kernel():
    jupyter_kernel_or_skip()  # a failure under CI=true
    import nbformat
    from nbclient import NotebookClient

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import numpy as np, nn\n"
        "X = np.random.default_rng(0).normal(size=(40, 2)); y = (X[:, 0] > 0).astype(np.int64)\n"
        "m = nn.MLP([2, 4, 2], rng=0)\n"
        "h = nn.fit(m, nn.CrossEntropyLoss(), nn.optim.SGD(m.parameters(), lr=0.1), (X, y), epochs=1, "
        "batch_size=10)")])
    NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": root}}).execute()
    outputs = nb.cells[0].outputs
    shown = "".join(o.get("text", "") for o in outputs) + "".join(str(o.get("data", "")) for o in outputs)
    assert "epoch 1/1" in shown


def test_history_plot_writes_to_a_file_object():
    buffer = io.BytesIO()
    nn.History(train_loss=[1.0, 0.5]).plot(buffer)
    assert buffer.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"  # matplotlib's default format


def test_history_plot_labels_the_x_axis_epoch():
    fig = nn.History(train_loss=[1.0, 0.5], train_accuracy=[0.5, 0.75]).plot()
    assert [ax.get_xlabel() for ax in fig.axes] == ["epoch", "epoch"]
    assert list(fig.axes[0].lines[0].get_xdata()) == [1, 2]  # epochs count from 1


def test_history_plot_refuses_a_path_that_is_not_a_path_with_a_named_type_error():
    pytest.importorskip("matplotlib")
    with pytest.raises(TypeError, match="plot"):  # (it was PIL's AttributeError: 'int' object has no attribute 'write')
        nn.History(train_loss=[1.0]).plot(path=123)


def test_history_plot_saves_to_a_bytes_path(tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "curves.png"
    nn.History(train_loss=[1.0, 0.5]).plot(os.fsencode(path))
    assert path.read_bytes()[:8] == PNG_MAGIC
