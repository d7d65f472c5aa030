"""Writing a file atomically: the bytes go to a new temporary file beside it, are flushed to
disk (fsync), and the temporary file is renamed over it (os.replace), so a crash or an error
leaves either the old file or the new one, never a part. Used by nn.save's checkpoints and by
the images viz and nn's History write. When the path is a symbolic link, the file it points to
is replaced and the link stays. Those images' paths and formats are worked out here too (`image_target`).
"""
import contextlib
import errno
import os
import secrets
import stat


@contextlib.contextmanager
def atomic_file(path, where):
    """A binary file to write; when the block ends without an error it replaces `path`, else it is removed.
    OSErrors name `where` (the operation) and path, not the temporary file.

    >>> import os, tempfile
    >>> from autograd_core.atomic_file import atomic_file
    >>> path = os.path.join(tempfile.mkdtemp(), "out.txt")
    >>> with atomic_file(path, "example") as f:
    ...     _ = f.write(b"whole")
    >>> open(path, "rb").read(), os.listdir(os.path.dirname(path))
    (b'whole', ['out.txt'])
    """
    path = os.path.realpath(path)  # through symbolic links: replace the file, keep the link
    directory = os.path.dirname(path)
    try:
        fd, tmp = _new_temporary(directory, os.path.basename(path), _mode_of(path))
    except OSError as err:
        raise _cannot_write(err, path, where) from None
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(err, OSError) and err.errno is not None:
            raise _cannot_write(err, path, where) from None
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


GRAPH_FORMATS = ("png", "svg", "pdf")  # the images render_graph and `agrad graph` write (here: importable without viz)


def image_target(path, format, formats, where, *, default=None, stem=False, format_setting="format"):
    """(path, format) of an image file to write: path's extension is the format when it is one of `formats` (it
    must agree with `format` if that is given); a path without one gets `format` (else `default`) and its extension
    (a trailing dot dropped, as matplotlib has it). Another extension is refused unless `stem` (render_graph's
    contract), which makes it part of the name. ValueErrors name `where`, and format as the caller spells that
    setting (format_setting: "format" for a keyword, "--format" for an option), and say what is valid.

    >>> from autograd_core.atomic_file import image_target
    >>> image_target("g", None, ("png", "svg"), "draw", default="png")
    ('g.png', 'png')
    >>> image_target("g.SVG", None, ("png", "svg"), "draw")
    ('g.SVG', 'svg')
    >>> image_target("g.svg", "png", ("png", "svg"), "draw")
    Traceback (most recent call last):
    ...
    ValueError: draw: the path 'g.svg' ends in .svg but format is 'png'; make them agree (format 'svg', or another path)
    """
    if format is not None and format not in formats:
        raise ValueError(f"{where}: {format_setting} must be one of {', '.join(formats)}, got {format!r}")
    path = os.fsdecode(path)
    suffix = os.path.splitext(path)[1][1:].lower()
    if suffix in formats:
        if format is not None and suffix != format:
            raise ValueError(f"{where}: the path {path!r} ends in .{suffix} but {format_setting} is {format!r}; make "
                             f"them agree ({format_setting} {suffix!r}, or another path)")
        return path, suffix
    if suffix and not stem:
        raise ValueError(f"{where}: cannot save {path!r}: .{suffix} is not a format it writes; it writes "
                         f"{', '.join(formats)} (a path ending in {', '.join('.' + f for f in formats)})")
    format = format or default
    return f"{path[:-1] if path.endswith('.') else path}.{format}", format


_SPECIAL = {stat.S_ISFIFO: "a named pipe", stat.S_ISCHR: "a character device", stat.S_ISBLK: "a block device",
            stat.S_ISSOCK: "a socket"}


def _mode_of(path):
    """The permission bits of the file at path, or None when there is none. A named pipe, a device or a socket is
    refused: the rename would replace it with a regular file (os.devnull with a checkpoint, say)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    for is_kind, kind in _SPECIAL.items():
        if is_kind(mode):
            raise OSError(errno.EINVAL, f"it is {kind}, not a regular file, and an atomic write would replace it "
                                        f"with one; give the path of a regular file")
    if stat.S_ISREG(mode) and not os.access(path, os.W_OK):  # the rename would replace what open() may not change
        raise PermissionError(errno.EACCES, "the file is read-only; make it writable (chmod u+w) or write elsewhere")
    return stat.S_IMODE(mode)


def _new_temporary(directory, name, mode):
    """(fd, path) of a new file beside the target, named after it in at most 100 bytes (so that its name fits
    wherever the target's does). A replaced file's mode is set before any byte is written (a private one
    stays private); a new one gets what open() gives, 0666 less the umask, which the system applies (reading the
    umask would mean setting it, for every thread)."""
    prefix = "." + os.fsencode(name)[:100].decode("utf-8", "ignore") + "."
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = os.path.join(directory, prefix + secrets.token_hex(4) + ".tmp")
        try:
            fd = os.open(tmp, flags, 0o666 if mode is None else 0o600)
        except FileExistsError:
            continue
        if mode is not None:
            try:
                os.fchmod(fd, mode)
            except BaseException:
                os.close(fd)
                os.unlink(tmp)
                raise
        return fd, tmp
    raise FileExistsError(errno.EEXIST, "no unused temporary file name", directory)


def _cannot_write(err, path, where):
    """err (an OSError) naming the operation and its file rather than the temporary file."""
    return type(err)(err.errno, f"{where}: cannot write {path}: {err.strerror}")
