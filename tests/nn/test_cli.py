"""`agrad` itself (nn/cli/__init__.py, __main__.py): usage errors in one line, and `python -m nn.cli`."""
import os
import subprocess
import sys

import pytest

from nn.cli import main


@pytest.mark.parametrize("argv, error", [
    (["train", "--epochs", "abc"], "agrad train: error: argument --epochs: expected a whole number (at most 18 digits), "
                                   "got 'abc' (see agrad train --help)"),
    (["graph"], "agrad graph: error: the following arguments are required: EXPR (see agrad graph --help)"),
    ([], "agrad: error: the following arguments are required: command (see agrad --help)"),
    (["train", "a\nb"], "agrad: error: unrecognized arguments: a b (see agrad --help)"),  # a newline in an argument
    (["train", "x" * 100_000], "agrad: error: unrecognized arguments: xxx"),
    (["graph", "x", "*", "y"], "agrad: error: unrecognized arguments: * y; EXPR must be one argument: quote it, as "
                               "in agrad graph 'x * y' (see agrad --help)"),  # the shell split an unquoted EXPR
    (["graph", "x", "--bogus", "2"], "agrad: error: unrecognized arguments: --bogus 2 (see agrad --help)"),
], ids=["bad value", "missing EXPR", "no command", "newline", "huge", "split EXPR", "unknown option"])
def test_a_usage_error_is_one_line_naming_the_help(argv, error, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert err.startswith(error) and err.count("\n") == 1 and len(err) < 400, err[:500]


def test_help_still_shows_the_usage_and_options(capsys):
    with pytest.raises(SystemExit) as info:
        main(["train", "--help"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("usage: agrad train [-h] [--dataset {digits,xor,moons,csv:PATH}]")


def test_python_dash_m_nn_cli_runs_agrad():
    run = [sys.executable, "-m", "nn.cli"]
    result = subprocess.run([*run, "graph", "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("usage: agrad graph"), result.stderr
    result = subprocess.run([*run, "train", "--hidden", "x"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == "agrad train: error: --hidden 'x': each layer width must be a positive integer, " \
                            "e.g. --hidden 64,32\n"


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("command", [["train", "--dataset", "xor", "--epochs", "1", "--no-progress", "--out", "{out}"],
                                     ["graph", "x*y", "--out", "{out}/g.png"]], ids=["train", "graph"])
def test_output_that_cannot_be_written_is_one_line_and_status_1(tmp_path, command, buffered):
    # Buffered (Python's default for a file), the output fails when flushed: agrad flushes it itself, where the
    # error is caught, not at exit (a traceback and status 120).
    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full (Linux)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "nn.cli", *(a.format(out=tmp_path) for a in command)],
                                stdout=full, stderr=subprocess.PIPE, text=True, timeout=300, env=env)
    assert result.returncode == 1
    assert result.stderr == f"agrad {command[0]}: error: [Errno 28] No space left on device\n"


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("command", [["train", "--dataset", "xor", "--epochs", "1", "--no-progress", "--out", "{out}"],
                                     ["graph", "x*y", "--out", "{out}/g.png"]], ids=["train", "graph"])
def test_a_reader_that_left_ends_agrad_quietly_with_status_141(tmp_path, command, buffered):
    # As `agrad ... | head` when head has exited: no traceback, and the flush at exit must not fail again (status 120).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run([sys.executable, "-m", "nn.cli", *(a.format(out=tmp_path) for a in command)],
                                stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=300, env=env)
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (141, "")


# ---- arguments no shell can pass, from main(argv) called from Python -------------------------------------------------
# A NUL character in --out (train or graph) or in csv:PATH is a one-line usage error naming the argument (open()'s
# "embedded null byte" escaped as a traceback), and an argument that is no str a TypeError naming agrad (not an
# AttributeError from inside argparse).
@pytest.mark.parametrize("argv", [
    ["train", "--dataset", "xor", "--epochs", "1", "--out", "a\0b"],
    ["train", "--dataset", "csv:a\0b.csv"],
    ["graph", "x*y", "--out", "a\0b"],
    ["graph", "x*y", "--out", "a\0b.svg"],
], ids=["train-out", "train-csv", "graph-out", "graph-out-svg"])
def test_an_argument_holding_a_nul_character_is_a_usage_error_in_one_line(tmp_path, monkeypatch, capsys, argv):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("agrad: error: argument '") and "a\\x00b" in err and "holds a NUL character" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # no run directory, no image


def test_an_argument_that_is_no_str_is_a_type_error_naming_agrad(capsys):
    with pytest.raises(TypeError, match=r"^agrad: each argument must be a str, as on a command line, got int 3$"):
        main(["train", "--epochs", 3])
    with pytest.raises(TypeError, match=r"got PosixPath|got WindowsPath"):
        import pathlib
        main(["graph", "x", "--out", pathlib.Path("g.png")])
