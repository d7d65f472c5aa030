"""`agrad train`: real runs in a subprocess (accuracy reached, files written, resume) and bad input."""
import os
import re
import subprocess
import sys

import numpy as np
import pytest

import nn
import nn.datasets
from conftest import PNG_MAGIC

# A run draws the model's graph: without dot these skip locally and fail under CI=true.
NEEDS_DOT = pytest.mark.usefixtures("dot_program")


def agrad_train(*args, cwd=None):
    """Run `agrad train ARGS` as the console script does; returns the CompletedProcess."""
    code = "import sys; from nn.cli import main; sys.exit(main(['train', *sys.argv[1:]]))"
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


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
    seconds = float(re.search(r"trained in ([\d.]+) s", result.stdout).group(1))
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
        "missing checkpoint": (["--resume", tmp / "nope.npz"], "no such file"),
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
