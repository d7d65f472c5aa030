"""agrad's main(argv), called from Python, with arguments no shell can pass: a NUL character in --out (train or
graph) ended in a ValueError traceback from open() ("embedded null byte") after the options were read, and in
csv:PATH in a message without the option; an argument that is no str (main(["train", "--epochs", 3])) failed
inside argparse with an AttributeError. Found by fuzzing the command line (session 27, P1)."""
import pytest

from nn.cli import main


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
