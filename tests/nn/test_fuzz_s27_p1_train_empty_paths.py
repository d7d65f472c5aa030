"""agrad train --out '' and --resume '': the messages named no path ("--out : cannot write there (No such file or
directory)", "--resume : no such file"); now they say the empty name names nothing and what to give. Found by
fuzzing agrad train's options (session 27, P1)."""
from nn.cli import main


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
