"""autograd_core.atomic_file: a file is replaced whole or not at all (nn.save, render_graph, History.plot)."""
import errno
import os

import pytest

from autograd_core.atomic_file import GRAPH_FORMATS, atomic_file, image_target


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "out.bin"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="midway"):
        with atomic_file(path, "example") as f:
            f.write(b"half of the new")
            raise RuntimeError("midway")
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["out.bin"]


def test_a_symbolic_link_stays_and_its_target_is_replaced_keeping_its_mode(tmp_path):
    target, link = tmp_path / "target.bin", tmp_path / "link.bin"
    target.write_bytes(b"old")
    target.chmod(0o600)
    link.symlink_to(target)
    with atomic_file(link, "example") as f:
        f.write(b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(os.listdir(tmp_path)) == ["link.bin", "target.bin"]


def test_errors_name_the_operation_and_the_file_not_the_temporary(tmp_path):
    missing = tmp_path / "no-such-folder" / "out.bin"
    with pytest.raises(FileNotFoundError, match=rf"^\[Errno 2\] example: cannot write {missing}: No such file"):
        with atomic_file(missing, "example") as f:
            f.write(b"x")


def open_descriptors():
    """The process's open file descriptors (Linux: /proc/self/fd)."""
    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("needs /proc/self/fd")
    return sorted(os.listdir("/proc/self/fd"))


def test_an_os_error_inside_the_block_names_the_operation_and_the_file(tmp_path):
    path = tmp_path / "out.bin"
    path.write_bytes(b"old")
    with pytest.raises(OSError) as info:
        with atomic_file(path, "example") as f:
            f.write(b"half")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # the disk filled up while writing
    assert info.value.errno == errno.ENOSPC
    assert str(info.value) == f"[Errno {errno.ENOSPC}] example: cannot write {path}: {os.strerror(errno.ENOSPC)}"
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["out.bin"]


def test_writing_leaves_no_file_descriptor_open(tmp_path):
    before = open_descriptors()
    for k in range(3):
        with atomic_file(tmp_path / "out.bin", "example") as f:
            f.write(b"x" * k)
    assert open_descriptors() == before
    assert (tmp_path / "out.bin").read_bytes() == b"xx"


def test_an_images_format_is_its_extension_else_the_default_added_after_a_trailing_dot_as_matplotlib(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure
    for name in ("a", "b.", "c.PDF"):  # matplotlib's savefig as the reference: the file it writes, and its format
        Figure().savefig(tmp_path / name)
    assert sorted(os.listdir(tmp_path)) == ["a.png", "b.png", "c.PDF"]
    assert matplotlib.rcParams["savefig.format"] == "png"
    assert image_target("a", None, GRAPH_FORMATS, "w", default="png") == ("a.png", "png")
    assert image_target("b.", None, GRAPH_FORMATS, "w", default="png") == ("b.png", "png")
    assert image_target("c.PDF", None, GRAPH_FORMATS, "w") == ("c.PDF", "pdf")
    assert image_target("d.v2", "svg", GRAPH_FORMATS, "w", stem=True) == ("d.v2.svg", "svg")  # render_graph's names
    with pytest.raises(ValueError, match=r"^w: cannot save 'd.v2': .v2 is not a format it writes; it writes png, "
                                         r"svg, pdf"):
        image_target("d.v2", "svg", GRAPH_FORMATS, "w")
    with pytest.raises(ValueError, match=r"^w: the path 'e.svg' ends in .svg but format is 'png'; make them "
                                         r"agree \(format 'svg'"):
        image_target("e.svg", "png", GRAPH_FORMATS, "w", stem=True)
    with pytest.raises(ValueError, match=r"^w: format must be one of png, svg, pdf, got 'jpg'"):
        image_target("f", "jpg", GRAPH_FORMATS, "w")
