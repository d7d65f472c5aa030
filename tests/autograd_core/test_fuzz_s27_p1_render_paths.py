"""render_graph's path: one naming no file ("", "dir/", ".", "..") wrote a hidden ".png" (or "..png") where
`agrad graph --out` refuses it; a NUL character failed with open()'s bare "embedded null byte"; and a directory
that could not be created (a parent that is a file, no permission) was an OSError naming neither render_graph nor
the path it was asked for. Found by fuzzing render_graph's paths (session 27, P1)."""
import errno
import os

import pytest

pytest.importorskip("graphviz")

import autograd_core as ag  # noqa: E402
from autograd_core.viz import render_graph  # noqa: E402


def graph():
    return ag.tanh(ag.tensor(1.0, requires_grad=True, name="x") * 2.0)


@pytest.mark.parametrize("name", ["", "dir/", ".", "..", "dir/.", "dir/.."])
def test_a_path_naming_no_file_is_refused_and_nothing_is_written(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dir").mkdir()
    with pytest.raises(ValueError, match=r"^render_graph: the path .* names no file \(a directory, or nothing\); "
                                         r"give a file name, e\.g\. '.*graph'$"):
        render_graph(graph(), name)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["dir"]
    with pytest.raises(ValueError, match="names no file"):
        render_graph(graph(), os.fsencode(tmp_path / "dir") + b"/", format="svg")  # bytes too


@pytest.mark.parametrize("path", ["a\0b", b"a\0b.png"])
def test_a_path_holding_a_nul_character_is_refused_naming_render_graph(tmp_path, monkeypatch, path):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match=r"^render_graph: the path 'a\\x00b(\.png)?' holds a NUL character"):
        render_graph(graph(), path)
    assert list(tmp_path.iterdir()) == []


def test_a_directory_that_cannot_be_made_is_an_error_naming_render_graph_and_the_directory(dot_program, tmp_path,
                                                                                           monkeypatch):
    (tmp_path / "plain_file").write_text("")
    with pytest.raises(NotADirectoryError, match=r"^\[Errno 20\] render_graph: cannot create the directory .*"
                                                 r"plain_file/sub: Not a directory$"):
        render_graph(graph(), tmp_path / "plain_file" / "sub" / "g.png")

    def refused(path, exist_ok=False):  # as for a user without write permission there (the tests may run as root)
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)

    monkeypatch.setattr(os, "makedirs", refused)
    with pytest.raises(PermissionError, match=r"^\[Errno 13\] render_graph: cannot create the directory "
                                              r".*locked: Permission denied$") as info:
        render_graph(graph(), tmp_path / "locked" / "g.png")
    assert info.value.errno == errno.EACCES


def test_ordinary_paths_still_work(dot_program, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert render_graph(graph(), "g") == "g.png"
    assert render_graph(graph(), "new/sub/g.svg", format="svg") == "new/sub/g.svg"
    assert render_graph(graph(), "dots.") == "dots.png"  # a trailing dot dropped, as before
    assert render_graph(graph(), b"b") == "b.png"
