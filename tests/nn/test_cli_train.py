"""`agrad train`: real runs in a subprocess (accuracy reached, files written, resume) and bad input."""
import datetime
import io
import json
import os
import re
import subprocess
import sys
import types

import numpy as np
import pytest

import nn
import nn.cli.train as train_cli
import nn.datasets
from conftest import PNG_MAGIC
from nn.cli import main
from nn.cli.train import duration
from nn.cli.train import defaults_table, integer_option

# A run draws the model's graph: without dot these skip locally and fail under CI=true.
NEEDS_DOT = pytest.mark.usefixtures("dot_program")


def agrad_train(*args, cwd=None, timeout=300):
    """Run `agrad train ARGS` as the console script does; returns the CompletedProcess."""
    code = "import sys; from nn.cli import main; sys.exit(main(['train', *sys.argv[1:]]))"
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout)


def test_accuracy(stdout):
    found = re.search(r"test accuracy ([\d.]+)%", stdout)
    assert found, stdout
    return float(found.group(1))


test_accuracy.__test__ = False  # a helper, not a test


def assert_outputs(out):
    for name in ("checkpoint.npz", "curves.png", "graph.png"):
        assert os.path.getsize(os.path.join(out, name)) > 0, name
    for name in ("curves.png", "graph.png"):
        with open(os.path.join(out, name), "rb") as f:
            assert f.read(8) == PNG_MAGIC, name


@pytest.fixture(scope="module")
def xor_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("xor")
    return agrad_train("--dataset", "xor", "--out", out), out


@NEEDS_DOT
def test_xor_reaches_100_percent_and_writes_outputs(xor_run):
    result, out = xor_run
    assert result.returncode == 0, result.stderr
    assert test_accuracy(result.stdout) == 100.0
    assert_outputs(out)
    assert str(out) in result.stdout  # the summary says where the outputs are


@NEEDS_DOT
def test_digits_defaults_reach_97_percent_quickly(tmp_path):
    result = agrad_train("--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert test_accuracy(result.stdout) >= 97.0
    number, unit = re.search(r"trained in ([\d.]+) (s|ms) \(", result.stdout).groups()
    seconds = float(number) / (1000 if unit == "ms" else 1)
    assert seconds < 60, f"the default digits run trained for {seconds} s"
    assert_outputs(tmp_path)
    ckpt = nn.load(tmp_path / "checkpoint.npz")
    assert {"model", "optimizer", "epoch", "config", "classes"} <= set(ckpt)
    assert ckpt["classes"].tolist() == list(range(10))
    assert ckpt["model"]["layers.0.weight"].shape == (128, 64)
    assert len(ckpt["history"]["train_loss"]) == int(ckpt["epoch"])


@NEEDS_DOT
def test_moons_learns(tmp_path):
    result = agrad_train("--dataset", "moons", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert test_accuracy(result.stdout) >= 90.0


@NEEDS_DOT
def test_a_csv_file_of_two_classes_is_learned(tmp_path):
    X, y = nn.datasets.make_moons(300, noise=0.1, rng=1)
    path = tmp_path / "moons.csv"
    path.write_text("x1,x2,label\n" + "".join(f"{a:.5f},{b:.5f},{c}\n" for (a, b), c in zip(X, y)))
    result = agrad_train("--dataset", f"csv:{path}", "--out", tmp_path / "run")
    assert result.returncode == 0, result.stderr
    assert test_accuracy(result.stdout) >= 90.0
    assert_outputs(tmp_path / "run")


@NEEDS_DOT
def test_resume_continues_from_the_checkpoint(xor_run, tmp_path):
    first, out = xor_run
    before = nn.load(out / "checkpoint.npz")
    result = agrad_train("--resume", out / "checkpoint.npz", "--epochs", 5, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "epochs 301..305" in result.stdout
    after = nn.load(tmp_path / "checkpoint.npz")
    assert int(after["epoch"]) == int(before["epoch"]) + 5
    history = after["history"]["train_loss"]
    assert len(history) == int(after["epoch"])
    np.testing.assert_allclose(history[:len(before["history"]["train_loss"])], before["history"]["train_loss"])
    # Training went on from the saved weights and optimizer state, not from a fresh start.
    assert history[-5:].max() < 0.1 < before["history"]["train_loss"][0]
    assert after["optimizer"]["state"] and test_accuracy(result.stdout) == 100.0


@NEEDS_DOT
def test_resume_with_a_new_learning_rate_uses_it(xor_run, tmp_path):
    _, out = xor_run
    result = agrad_train("--resume", out / "checkpoint.npz", "--lr", "0.001", "--epochs", 1, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    after = nn.load(tmp_path / "checkpoint.npz")
    assert after["optimizer"]["param_groups"][0]["lr"] == 0.001  # not the checkpoint's 0.03


@NEEDS_DOT
def test_resume_refuses_a_different_dataset(xor_run, tmp_path):
    _, out = xor_run
    result = agrad_train("--resume", out / "checkpoint.npz", "--dataset", "digits", "--out", tmp_path)
    assert result.returncode == 2
    assert "dataset" in result.stderr


@pytest.mark.parametrize("spoil", ["weight shape", "optimizer state"])
def test_a_checkpoint_that_does_not_fit_is_refused_and_leaves_no_output_folder(xor_run, tmp_path, spoil):
    _, out = xor_run
    ckpt = nn.load(out / "checkpoint.npz")
    if spoil == "weight shape":
        ckpt["model"]["layers.0.weight"] = np.zeros((5, 2), np.float32)
    else:
        del ckpt["optimizer"]["state"]
    nn.save(ckpt, tmp_path / "bad.npz")
    result = agrad_train("--resume", tmp_path / "bad.npz", "--epochs", 1, "--out", tmp_path / "new", cwd=tmp_path)
    assert result.returncode == 2 and "the checkpoint does not fit this model" in result.stderr
    assert ("size mismatch for 'layers.0.weight'" if spoil == "weight shape" else "'state' and 'param_groups'") \
        in result.stderr
    assert not (tmp_path / "new").exists() and not (tmp_path / "runs").exists()
    result = agrad_train("--resume", tmp_path / "bad.npz", "--epochs", 1, cwd=tmp_path)  # no --out: no runs/ folder
    assert result.returncode == 2 and not (tmp_path / "runs").exists()


def _bad_inputs(tmp):
    bad_csv = tmp / "bad.csv"
    bad_csv.write_text("x1,x2,label\n0.5,1.0,1\n0.2,oops,0\n")
    real_labels = tmp / "regression.csv"
    real_labels.write_text("".join(f"{i},{i / 7:.3f}\n" for i in range(20)))
    blocker = tmp / "a-file"
    blocker.write_text("not a directory")
    return {
        "unknown dataset": (["--dataset", "mnist"], "unknown dataset"),
        "malformed --hidden": (["--hidden", "64,,x"], "--hidden"),
        "zero-width layer": (["--hidden", "0"], "--hidden"),
        "missing CSV": (["--dataset", f"csv:{tmp / 'missing.csv'}"], "missing.csv"),
        "malformed CSV": (["--dataset", f"csv:{bad_csv}"], "line 3"),
        "CSV of real-valued labels": (["--dataset", f"csv:{real_labels}"], "integer class labels"),
        "non-writable --out": (["--dataset", "xor", "--out", blocker / "run"], "--out"),
        "not a checkpoint": (["--resume", bad_csv], "--resume"),
        "missing checkpoint": (["--resume", tmp / "nope.npz"], f"--resume {tmp / 'nope.npz'}: no such file"),
        "non-positive --epochs": (["--epochs", "0"], "--epochs"),
    }


@pytest.mark.parametrize("case", ["unknown dataset", "malformed --hidden", "zero-width layer", "missing CSV",
                                  "malformed CSV", "CSV of real-valued labels", "non-writable --out", "not a checkpoint", "missing checkpoint",
                                  "non-positive --epochs"])
def test_bad_input_exits_with_one_line(case, tmp_path):
    args, reason = _bad_inputs(tmp_path)[case]
    result = agrad_train(*args, cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert reason in lines[0], lines[0]
    assert not os.path.exists(tmp_path / "runs")  # nothing written for a mistake caught up front


# --- In-process checks: main(["train", ...]) with capsys, no subprocess --------------------------

def train_in_process(capsys, *args):
    """(exit status, stdout, stderr) of `agrad train ARGS` run in this process; argparse's exit counts."""
    try:
        status = main(["train", *map(str, args)])
    except SystemExit as exc:
        status = exc.code
    out, err = capsys.readouterr()
    return status, out, err


def write_moons_csv(path, rows=60):
    X, y = nn.datasets.make_moons(rows, noise=0.1, rng=1)
    path.write_text("".join(f"{a:.5f},{b:.5f},{c}\n" for (a, b), c in zip(X, y)))


@pytest.mark.parametrize("package", ["matplotlib", "graphviz"])
def test_a_missing_python_package_is_reported_before_training(package, tmp_path, monkeypatch, capsys):
    for module in (package, "autograd_core.viz"):  # as after a plain pip install autograd_core
        monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail
    status, out, err = train_in_process(capsys, "--dataset", "xor", "--out", tmp_path / "run")
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and package in err and "pip install 'autograd_core[train,viz]'" in err
    assert not (tmp_path / "run").exists()  # refused before training, nothing written


def test_a_missing_dot_program_is_reported_before_training(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot there
    status, out, err = train_in_process(capsys, "--dataset", "xor", "--out", tmp_path / "run")
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "`dot`" in err and "apt-get install graphviz" in err
    assert not (tmp_path / "run").exists()


@NEEDS_DOT
def test_without_tqdm_it_trains_without_a_bar_and_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    status, out, err = train_in_process(capsys, "--dataset", "xor", "--epochs", 2, "--out", tmp_path)
    assert status == 0 and "test accuracy" in out
    assert err.count("\n") == 1 and "tqdm is not installed, so no progress bar is shown" in err


def _bad_values(tmp):
    csv_files = {
        "nan.csv": "a,b,label\n1,2,0\nnan,3,1\n",
        "inf_label.csv": "1,2,0\n1,2,inf\n",
        "cat.csv": "1,2,0\n1,2,cat\n",
        "huge_label.csv": "1,2,0\n1,2,1e20\n",
        "nine_rows.csv": "".join(f"{i},{i % 2}\n" for i in range(9)),
        "one_class.csv": "".join(f"{i},7\n" for i in range(12)),
    }
    for name, text in csv_files.items():
        (tmp / name).write_text(text)
    (tmp / "a-file").write_text("")
    return {
        "negative --seed": (["--seed=-1"], "--seed must be an integer >= 0"),
        "non-ASCII digit in --hidden": (["--hidden", "\u00b2"], "each layer width must be a positive integer"),
        "huge --hidden": (["--hidden", "100000000000"], "at most 100,000 units"),
        "5000-digit --hidden": (["--hidden", "1" * 5000], "at most 100,000 units"),
        "5000-digit --epochs": (["--epochs", "1" * 5000], "expected a whole number (at most 18 digits)"),
        "huge --dataset": (["--dataset", "x" * 100_000], "unknown dataset"),
        "nan feature": (["--dataset", f"csv:{tmp / 'nan.csv'}"], "line 3: nan is not a finite number (column 1)"),
        "inf label": (["--dataset", f"csv:{tmp / 'inf_label.csv'}"],
                      "inf is not a finite number (column 3, the label)"),
        "word label": (["--dataset", f"csv:{tmp / 'cat.csv'}"], "labels must be numbers (integer class labels"),
        "label beyond int64": (["--dataset", f"csv:{tmp / 'huge_label.csv'}"], "1e+20 is too large"),
        "--out is a file": (["--dataset", "xor", "--out", tmp / "a-file"], "is a file, not a directory"),
        "csv: without a path": (["--dataset", "csv:"], "unknown dataset 'csv:'; choose digits, xor, moons or csv:PATH"),
        "empty --dataset": (["--dataset", "", "--epochs", "1"],  # not the default, digits
                            "unknown dataset ''; choose digits, xor, moons or csv:PATH"),
        "negative --lr": (["--lr=-0.1"], "--lr must be a finite number > 0, got -0.1"),
        "nan --lr": (["--lr", "nan"], "--lr must be a finite number > 0, got nan"),
        "inf --lr": (["--lr", "inf"], "--lr must be a finite number > 0, got inf"),
        "zero --batch-size": (["--batch-size", "0"], "--batch-size must be an integer > 0, got 0"),
        "negative --patience": (["--patience=-1"], "--patience must be an integer >= 0, got -1"),
        "CSV of 9 rows": (["--dataset", f"csv:{tmp / 'nine_rows.csv'}"], "9 rows are too few to split"),
        "CSV of one class": (["--dataset", f"csv:{tmp / 'one_class.csv'}"],
                             "all labels are equal (7); a classifier needs at least two classes"),
    }


@pytest.mark.parametrize("case", ["negative --seed", "non-ASCII digit in --hidden", "huge --hidden",
                                  "5000-digit --hidden", "5000-digit --epochs", "huge --dataset", "nan feature",
                                  "inf label", "word label", "label beyond int64", "--out is a file",
                                  "csv: without a path", "empty --dataset", "negative --lr", "nan --lr", "zero --batch-size",
                                  "negative --patience", "CSV of 9 rows", "CSV of one class"])
def test_bad_values_are_short_one_line_errors(case, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    args, reason = _bad_values(tmp_path)[case]
    status, out, err = train_in_process(capsys, *args)
    assert status == 2 and "Traceback" not in err
    last = err.splitlines()[-1]  # argparse's own errors follow a usage text
    assert reason in last and len(last) < 400, last
    assert not os.path.exists(tmp_path / "runs")


@pytest.mark.parametrize("args, problem", [
    (["--dataset", "xor", "--lr", "1e308", "--epochs", "2"], "the training loss was nan in epoch 2"),
    # one full-batch step: the training loss (measured before the step) is finite, the validation loss is not
    (["--dataset", "moons", "--optimizer", "sgd", "--lr", "1e30", "--batch-size", "700", "--epochs", "1"],
     "the validation loss was nan in epoch 1"),
], ids=["training loss", "validation loss"])
def test_a_diverging_run_is_an_error_not_a_success(args, problem, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    status, out, err = train_in_process(capsys, *args, "--out", "r")
    assert status == 2 and "test accuracy" not in out
    lr = args[args.index("--lr") + 1]
    assert err == (f"agrad train: error: training diverged: {problem}, so nothing was saved; try a smaller --lr "
                   f"than {float(lr):g}\n")
    assert list((tmp_path / "r").iterdir()) == []


def test_an_out_of_memory_error_is_one_line(tmp_path, monkeypatch, capsys):
    def build(*args):
        raise MemoryError("Unable to allocate 40.0 GiB for an array with shape (100000, 100000)")

    monkeypatch.setattr(train_cli, "build", build)
    status, _, err = train_in_process(capsys, "--dataset", "xor", "--out", tmp_path)
    assert status == 2 and err.count("\n") == 1
    assert "out of memory (Unable to allocate 40.0 GiB" in err and "--hidden" in err


@NEEDS_DOT
def test_a_csv_run_stores_the_absolute_path_and_resumes_from_anywhere(tmp_path, monkeypatch, capsys):
    home, first, elsewhere = tmp_path / "home", tmp_path / "first", tmp_path / "elsewhere"
    for folder in (home, first, elsewhere):
        folder.mkdir()
    write_moons_csv(home / "moons.csv")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(first)
    status, _, err = train_in_process(capsys, "--dataset", "csv:~/moons.csv", "--hidden", 4, "--epochs", 1,
                                      "--out", "run")
    assert status == 0, err
    checkpoint = first / "run" / "checkpoint.npz"
    assert json.loads(nn.load(checkpoint)["config"])["dataset"] == f"csv:{home / 'moons.csv'}"
    monkeypatch.chdir(elsewhere)  # the checkpoint's path still finds the file; the absolute path is the same dataset
    status, out, err = train_in_process(capsys, "--resume", checkpoint, "--dataset", f"csv:{home / 'moons.csv'}",
                                        "--epochs", 1, "--out", "run")
    assert status == 0, err
    assert "epochs 2..2" in out


@NEEDS_DOT
def test_an_older_checkpoint_with_a_relative_csv_path_still_resumes(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write_moons_csv(tmp_path / "moons.csv")
    assert train_in_process(capsys, "--dataset", "csv:moons.csv", "--hidden", 4, "--epochs", 1,
                            "--out", "run")[0] == 0
    old = nn.load("run/checkpoint.npz")
    config = json.loads(old["config"])
    old["config"] = json.dumps({**config, "dataset": "csv:moons.csv"})  # as agrad train wrote it before
    nn.save(old, "old.npz")
    status, out, err = train_in_process(capsys, "--resume", "old.npz", "--dataset", "csv:moons.csv", "--epochs", 1,
                                        "--out", "resumed")
    assert status == 0, err
    assert json.loads(nn.load("resumed/checkpoint.npz")["config"])["dataset"] == f"csv:{tmp_path / 'moons.csv'}"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_as_the_csv_file_is_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / "pipe.csv")  # opening it to read would wait for a writer forever
    result = agrad_train("--dataset", f"csv:{tmp_path / 'pipe.csv'}", "--epochs", 1, timeout=60)
    assert result.returncode == 2
    assert result.stderr == f"agrad train: error: load_csv: cannot read {tmp_path / 'pipe.csv'}: it is not a regular " \
                            f"file (a device, pipe or socket); give a CSV file\n"


@NEEDS_DOT
def test_paths_that_are_not_utf8_are_printed_escaped_on_a_strict_stdout(tmp_path, monkeypatch, capsys):
    data, out = tmp_path / "d\udcff.csv", tmp_path / "r\udcff"  # a byte 0xff in a name, as Python decodes it
    try:
        write_moons_csv(data, rows=20)
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    monkeypatch.setattr(sys, "stdout", stdout)
    status, _, err = train_in_process(capsys, "--dataset", f"csv:{data}", "--hidden", 2, "--epochs", 1,
                                      "--no-progress", "--out", out)
    assert status == 0, err
    stdout.seek(0)
    printed = stdout.read()
    assert f"{tmp_path}/d\\udcff.csv: 20 rows" in printed
    assert f"outputs in {tmp_path}/r\\udcff/: checkpoint.npz" in printed
    assert (out / "checkpoint.npz").exists()


def test_default_output_directories_of_runs_in_the_same_second_differ(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    now = datetime.datetime(2030, 1, 2, 3, 4, 5)
    monkeypatch.setattr(train_cli, "datetime", types.SimpleNamespace(datetime=types.SimpleNamespace(now=lambda: now)))
    first, second, third = (train_cli.prepare_out(None) for _ in range(3))
    assert first == os.path.join("runs", "20300102-030405")
    assert (second, third) == (first + "-2", first + "-3")
    assert all(os.path.isdir(folder) for folder in (first, second, third))


@NEEDS_DOT
def test_the_write_probe_leaves_the_users_files_alone(tmp_path, monkeypatch, capsys):
    out = tmp_path / "run"
    out.mkdir()
    (out / ".write-test").write_text("precious")
    status, _, err = train_in_process(capsys, "--dataset", "xor", "--epochs", "1", "--no-progress", "--out", out)
    assert status == 0, err
    assert (out / ".write-test").read_text() == "precious"
    assert not [name for name in os.listdir(out) if name.startswith(".write-test-") or name.endswith(".tmp")]


@NEEDS_DOT
def test_restored_best_weights_are_reported_when_every_epoch_ran(tmp_path, monkeypatch, capsys):
    def fit(model, loss_fn, optimizer, train, **kwargs):  # the best validation loss in epoch 1 of 2
        history = nn.History(train_loss=[0.5, 0.4], val_loss=[0.3, 0.35], val_accuracy=[1.0, 1.0])
        history.best_epoch = 1
        return history

    monkeypatch.setattr(nn, "fit", fit)
    status, out, err = train_in_process(capsys, "--dataset", "xor", "--epochs", "2", "--patience", "5",
                                        "--no-progress", "--out", tmp_path)
    assert status == 0, err
    assert "after 2 epochs (the weights of epoch 1, the best on validation, restored)" in out


@NEEDS_DOT
def test_a_model_without_hidden_layers_is_described_as_linear(tmp_path, capsys):
    status, out, err = train_in_process(capsys, "--dataset", "xor", "--hidden", "", "--epochs", "1",
                                        "--no-progress", "--out", tmp_path)
    assert status == 0, err
    assert "MLP 2 -> 2 (linear: no hidden layer)" in out


@NEEDS_DOT
def test_an_interrupt_exits_with_status_130(tmp_path, monkeypatch, capsys):
    def resolve_config(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(train_cli, "resolve_config", resolve_config)
    status, _, err = train_in_process(capsys, "--dataset", "xor", "--out", tmp_path)
    assert status == 130 and err == "agrad train: interrupted\n"


def test_the_graph_is_of_one_example_with_parameters_grouped_by_layer(tmp_path, monkeypatch):
    import autograd_core.viz

    drawn = {}

    def render_graph(output, path, format="png", **kwargs):
        drawn.update(path=path, format=format, source=autograd_core.viz.draw_graph(output, **kwargs).source)
        return path

    monkeypatch.setattr(autograd_core.viz, "render_graph", render_graph)
    X, y = nn.datasets.make_xor()
    train_cli.draw_graph(nn.MLP([2, 8, 2], rng=0), nn.CrossEntropyLoss(), X[1:2], y[1:2], 1, tmp_path / "graph.png")
    assert drawn["path"] == tmp_path / "graph.png" and drawn["format"] == "png"
    source = drawn["source"]
    assert "layers.0 (Linear 2\u21928)" in source and "layers.2 (Linear 8\u21922)" in source
    assert "<b>x</b>" in source and "<b>loss</b>" in source and "(label 1)" in source
    assert "rankdir=TB" in source


@NEEDS_DOT
def test_a_run_that_ends_normally_reports_no_early_stop(xor_run):
    result, _ = xor_run
    assert "after 300 epochs, trained" in result.stdout and "early stop" not in result.stdout


@NEEDS_DOT
def test_patience_stops_training_and_says_so(tmp_path, capsys):
    path = tmp_path / "noise.csv"  # random labels: the validation loss soon stops improving
    rng = np.random.default_rng(0)
    path.write_text("".join(f"{a:.4f},{b:.4f},{c}\n" for (a, b), c in zip(rng.normal(size=(60, 2)),
                                                                           rng.integers(0, 2, 60))))
    status, out, err = train_in_process(capsys, "--dataset", f"csv:{path}", "--hidden", 16, "--lr", 0.05,
                                        "--epochs", 50, "--patience", 1, "--out", tmp_path / "run")
    assert status == 0, err
    stopped = re.search(r"after (\d+) epochs \(early stop: the weights of epoch (\d+), the best on validation, "
                        r"restored\)", out)
    assert stopped, out
    assert int(stopped.group(2)) < int(stopped.group(1)) < 50
    assert int(nn.load(tmp_path / "run" / "checkpoint.npz")["epoch"]) == int(stopped.group(1))


@NEEDS_DOT
def test_patience_0_is_not_announced(tmp_path, capsys):
    # --patience 0 turns early stopping off: the run line names no patience
    assert main(["train", "--dataset", "xor", "--epochs", "2", "--patience", "0", "--no-progress",
                 "--out", str(tmp_path)]) == 0
    assert ", patience" not in capsys.readouterr().out


@NEEDS_DOT
def test_no_restore_is_reported_when_the_last_epoch_is_the_best(tmp_path, capsys):
    # xor's loss falls every epoch at first: the last epoch is the best, so nothing was restored
    assert main(["train", "--dataset", "xor", "--epochs", "3", "--patience", "5", "--no-progress",
                 "--out", str(tmp_path)]) == 0
    assert "restored" not in capsys.readouterr().out


@NEEDS_DOT
def test_the_drawn_graph_is_of_a_single_test_example(tmp_path, monkeypatch):
    seen = {}

    def draw_graph(model, loss_fn, x, y, label, path):
        seen.update(x=x.shape, y=y.shape, label=label)

    monkeypatch.setattr(train_cli, "draw_graph", draw_graph)
    assert main(["train", "--dataset", "xor", "--epochs", "1", "--no-progress", "--out", str(tmp_path)]) == 0
    assert seen["x"] == (1, 2) and seen["y"] == (1,)


@NEEDS_DOT
def test_a_resumed_run_shuffles_anew_and_names_the_restored_epoch_in_the_whole_runs_count(tmp_path, monkeypatch,
                                                                                          capsys):
    status, _, err = train_in_process(capsys, "--dataset", "xor", "--epochs", 3, "--no-progress", "--out",
                                      tmp_path / "first")
    assert status == 0, err
    seen = {}

    def fit(model, loss_fn, optimizer, train, **kwargs):  # two more epochs, the first of them the best
        seen["draw"] = kwargs["rng"].random()
        history = nn.History(train_loss=[0.5, 0.4], val_loss=[0.3, 0.35], val_accuracy=[1.0, 1.0])
        history.best_epoch = 1
        return history

    monkeypatch.setattr(nn, "fit", fit)
    status, out, err = train_in_process(capsys, "--resume", tmp_path / "first" / "checkpoint.npz", "--epochs", 2,
                                        "--patience", 5, "--no-progress", "--out", tmp_path / "second")
    assert status == 0, err
    assert "after 5 epochs (the weights of epoch 4, the best on validation, restored)" in out
    # The shuffling continues from the epochs run (seed, 3), not the first run's order again (seed, 0).
    assert seen["draw"] == np.random.default_rng([0, 3]).random() != np.random.default_rng([0, 0]).random()


def test_an_out_that_is_a_file_is_refused_before_the_dataset_is_read(tmp_path, capsys):
    (tmp_path / "taken").write_text("")
    status, _, err = train_in_process(capsys, "--dataset", f"csv:{tmp_path / 'missing.csv'}", "--out",
                                      tmp_path / "taken")
    assert status == 2 and "--out" in err and "is a file, not a directory" in err and "missing.csv" not in err


@NEEDS_DOT
def test_help_lists_the_defaults_a_run_uses(xor_run, capsys):
    """--help's table of per-dataset defaults agrees with what a run with no options reports."""
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    row = re.search(r"^  xor +--hidden (\S+) +--lr (\S+) +--epochs (\d+) +--batch-size (\d+) +--patience 0$",
                    capsys.readouterr().out, re.M)
    assert row, "no xor row in agrad train --help"
    hidden, lr, epochs, batch = row.groups()
    result, _ = xor_run
    assert f"MLP 2 -> {hidden} -> 2 (relu), adam lr={float(lr):g}, batch {batch}, epochs 1..{epochs}" in result.stdout
    assert re.search(r"trained in [\d.]+ m?s \([\d.]+ m?s/epoch\)", result.stdout), result.stdout


@pytest.mark.parametrize("seconds, shown", [(1.0, "1.0 s"), (1.5, "1.5 s"), (0.9, "900 ms"), (0.0123, "12 ms")])
def test_duration_is_in_seconds_from_one_second_up_and_in_milliseconds_below(seconds, shown):
    assert duration(seconds) == shown


def test_the_defaults_table_lists_only_option_values_that_are_accepted():
    # The table reads as option lines ("--patience off"), but --patience takes a whole number (0 turns early
    # stopping off): integer_option("off") is refused.
    for line in defaults_table().splitlines()[1:-1]:
        value = line.split("--patience")[1].split()[0]
        integer_option(value)


@NEEDS_DOT
def test_distinct_large_integer_labels_are_distinct_classes(tmp_path, capsys):
    path = tmp_path / "ids.csv"
    path.write_text("".join(f"{i % 5}.5,{i},{2**53 + i % 3}\n" for i in range(30)))
    n_classes = len(np.unique(np.loadtxt(path, delimiter=",", usecols=2, dtype=np.int64)))
    status, out, err = train_in_process(capsys, "--dataset", f"csv:{path}", "--epochs", 1, "--no-progress",
                                        "--out", tmp_path / "run")
    assert status == 0, err
    assert f"{n_classes} classes" in out, out


@pytest.mark.parametrize("field", ["x" * 100_000, "9" * 100_000], ids=["word", "number beyond float"])
def test_a_huge_csv_field_is_echoed_shortened(field, tmp_path, capsys):
    # nn.cli.shorten's rule: an error echoing user input must not flood the terminal (100,000 characters here)
    path = tmp_path / "huge.csv"
    path.write_text("".join(f"{i % 7},{i % 2}\n" for i in range(20)) + f"{field},1\n")
    status, out, err = train_in_process(capsys, "--dataset", f"csv:{path}", "--out", tmp_path / "run")
    assert status == 2 and "line 21" in err
    assert err.count("\n") == 1 and len(err) < 400, err[:500]


@pytest.mark.parametrize("label", ["dog", "True"])
def test_a_word_label_on_the_first_line_is_explained_as_a_label_not_a_header(label, tmp_path, capsys):
    # Line 1 holds numbers in its feature columns, so it is data, not a header: the user needs the label hint
    # (which line 2 would get), not the header one.
    path = tmp_path / "words.csv"
    path.write_text("".join(f"{i / 10:.1f},{i % 3},{label if i % 2 == 0 else 'other'}\n" for i in range(20)))
    status, out, err = train_in_process(capsys, "--dataset", f"csv:{path}", "--out", tmp_path / "run")
    assert status == 2 and err.count("\n") == 1
    assert "labels must be numbers" in err, err


@NEEDS_DOT
def test_the_printed_resume_command_finds_the_checkpoint_for_an_out_under_home(tmp_path, monkeypatch, capsys):
    # --dataset csv:~/d.csv is expanded (canonical_dataset); --out ~/run is not, so the printed
    # "--resume ~/run/checkpoint.npz", typed into a shell as printed, names a file that does not exist.
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    home.mkdir()
    cwd.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(cwd)
    status, out, err = train_in_process(capsys, "--dataset", "xor", "--epochs", 1, "--no-progress", "--out", "~/run")
    assert status == 0, err
    printed = re.search(r"continue with --resume (\S+)\)", out).group(1)
    assert os.path.isfile(os.path.expanduser(printed)), (printed, os.listdir(cwd))  # as the shell reads the word


@NEEDS_DOT
def test_a_run_that_cannot_write_its_outputs_leaves_none_of_them(tmp_path, capsys):
    out = tmp_path / "run"
    (out / "graph.png").mkdir(parents=True)  # the name the graph image needs is taken by a directory
    status, stdout, err = train_in_process(capsys, "--dataset", "xor", "--epochs", 1, "--no-progress", "--out", out)
    assert status != 0 and err.count("\n") == 1
    assert sorted(os.listdir(out)) == ["graph.png"], os.listdir(out)  # no checkpoint or curves of a failed run


@NEEDS_DOT
def test_one_epoch_is_reported_in_the_singular(tmp_path, capsys):
    status, out, err = train_in_process(capsys, "--dataset", "xor", "--epochs", 1, "--no-progress", "--out",
                                        tmp_path / "run")
    assert status == 0, err
    assert re.search(r"after 1 epoch, trained in", out), out


@NEEDS_DOT
@pytest.mark.parametrize("activation", ["gelu", "silu", "mish", "selu"])
def test_train_takes_pytorchs_other_activations_and_a_resume_keeps_it(tmp_path, capsys, activation):
    status, out, err = train_in_process(capsys, "--dataset", "xor", "--epochs", 1, "--activation", activation,
                                        "--no-progress", "--out", tmp_path)
    assert status == 0, err
    assert f"({activation})" in out
    assert json.loads(str(nn.load(tmp_path / "checkpoint.npz")["config"]))["activation"] == activation
    status, out, err = train_in_process(capsys, "--resume", tmp_path / "checkpoint.npz", "--epochs", 1,
                                        "--no-progress", "--out", tmp_path / "resumed")
    assert status == 0 and f"({activation})" in out, err


# ---- --out '' and --resume '' ----------------------------------------------------------------------------------------
# The messages say the empty name names nothing and what to give (they named no path: "--out : cannot write there").
def test_an_empty_out_is_refused_saying_it_names_no_directory(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["train", "--dataset", "xor", "--epochs", "1", "--no-progress", "--out", ""]) == 2
    err = capsys.readouterr().err
    assert err == ("agrad train: error: --out '' names no directory; give one, e.g. --out runs/mine (without --out "
                   "a run writes to runs/<timestamp>/)\n")
    assert list(tmp_path.iterdir()) == []


def test_an_empty_resume_is_refused_saying_it_names_no_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["train", "--resume", "", "--no-progress"]) == 2
    assert capsys.readouterr().err == ("agrad train: error: --resume '' names no file; give the checkpoint.npz an "
                                       "earlier run wrote\n")
    assert list(tmp_path.iterdir()) == []
