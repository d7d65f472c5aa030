"""nn.save / nn.load: state dicts to and from `.npz`, never executing anything from the file.

What can be saved: nested dicts (str or int keys), lists and tuples whose leaves are
NumPy arrays (numeric, bool or str, any shape; not subclasses such as masked arrays),
Tensors (saved as their arrays), NumPy scalars of those kinds (np.float32(2.5),
np.str_("a"): they load back as NumPy scalars), and Python ints, floats, bools, strings
and None. For example {"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 3}.
Every key comes back exactly as it was, whatever characters it holds. An array of numbers or bools
comes back as a constant Tensor (as torch.load gives tensors) of its dtype, holding the array read
(no copy); an array of strings as an array; Python values as they were.

The file is an ordinary `.npz` (a zip of `.npy` arrays): each array is stored under its
path of keys joined by "/" (readable with `np.load` alone), and one more entry,
`__manifest__`, holds a JSON description of the structure and the Python scalars,
encoded as a uint8 array. A path that is taken, is the manifest's name, or ends in ".npy"
(np.load would read "x.npy" as the member of "x") gets "#n" appended; one that zipfile
would alter (holding NUL, "\\" or a lone surrogate, or over 1,000 bytes) is stored as "#n".
The manifest records each array's name, and load() reads members by their exact names.

Nothing is pickled: every member must be a `.npy` of a plain dtype whose header matches its
size, read with `allow_pickle=False`. A truncated, corrupted or object-array file, one with
other members, or one that is no .npz at all (a .npy, a pickle, text), raises ValueError
naming the file and the reason.

Writing is atomic (autograd_core.atomic_file): the archive goes to a temporary file in the same directory, is
flushed to disk (fsync), then renamed over `path` (os.replace), so a crash or an error
leaves either the old file or the new one, never a partial one. When `path` is a symbolic
link, the file it points to is replaced and the link stays.
"""
import io
import json
import math
import os
import sys
import zipfile

import numpy as np

import autograd_core as ag
from autograd_core._arguments import UNGIVEN, one_of_two_names
from autograd_core.atomic_file import atomic_file

from ._arguments import check_device, constant_of

MANIFEST = "__manifest__"
FORMAT = "nn.save/1"
MAX_DEPTH = 100  # nesting levels save() accepts; a state dict has about five (optimizer/state/0/exp_avg)
MAX_NAME = 1000  # bytes of a path used as a member name (zipfile's own limit is 65,535)
MAX_HEADER = 10_000  # bytes of a .npy header load() parses: NumPy's safety limit; save() writes about 128


def _fspath(path, operation):
    """path as a str; str, bytes and os.PathLike are accepted, as open() does."""
    try:
        return os.fsdecode(path)
    except TypeError:
        raise TypeError(f"{operation}: path must be a str, bytes or os.PathLike, not {type(path).__name__} (or a "
                        f"file opened in binary mode, as torch.save and torch.load take)") from None


def _file_object(path, operation, method):
    """path itself when it is an open file (it has `method`, read or write), as torch.save and torch.load take one;
    None for a path. A text file is refused: the archive is bytes."""
    if not hasattr(path, method):
        return None
    if isinstance(path, io.TextIOBase):
        raise TypeError(f"{operation}: the file {getattr(path, 'name', path)!r} is open in text mode; open it in "
                        f"binary mode ('{method[0]}b')")
    return path


def _check_int(value, what):
    """Refuse an int JSON cannot write: it writes ints in decimal, which Python refuses past
    sys.get_int_max_str_digits() digits."""
    try:
        str(value)
    except ValueError:
        raise ValueError(f"nn.save: {what} is an int of {value.bit_length():,} bits; ints of up to "
                         f"{sys.get_int_max_str_digits():,} decimal digits can be saved") from None


def _kept_by_zipfile(name):
    """Whether zipfile stores name unchanged: it cuts names at NUL, turns "\\" into "/" on Windows, and cannot
    encode a lone surrogate or more than 65,535 bytes."""
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        return False
    return size <= MAX_NAME and "\x00" not in name and "\\" not in name


def _array_name(where, arrays):
    """A name for the array at path `where` that no other array and not the manifest has, and that np.load reads
    back as itself: its path where that is possible, so that the archive is readable without nn.load."""
    base = where if _kept_by_zipfile(where) else ""
    name, k = base, len(arrays)
    # paths may coincide ("a/b" and {"a": {"b": ...}}); np.load reads "x.npy" as the member of "x"
    while not name or name in arrays or name == MANIFEST or name.endswith(".npy"):
        name, k = f"{base}#{k}", k + 1
    return name


def _encode(obj, path, arrays, parents=()):
    """The JSON-able description of obj; its arrays are put into `arrays` under unique names. `parents` are the
    containers obj is inside, to refuse one that contains itself."""
    where = "/".join(path) or "<root>"
    if isinstance(obj, ag.Tensor):
        obj = obj.data
    if isinstance(obj, np.ndarray) and type(obj) not in (np.ndarray, np.memmap):  # a memmap is just its values
        raise TypeError(f"nn.save: {where} is a {type(obj).__name__} (an ndarray subclass), which would load back "
                        "as a plain ndarray without what the subclass adds (a mask, matrix semantics); save "
                        "np.asarray(value) instead, and a masked array's mask as an array of its own")
    if isinstance(obj, (np.ndarray, np.generic)):
        value = np.asarray(obj)
        if value.dtype.kind not in "biufcU":
            raise TypeError(f"nn.save: {where} is an array of dtype {value.dtype}; only numeric, bool and str "
                            "arrays can be saved (object arrays would need pickle)")
        name = _array_name(where, arrays)
        arrays[name] = value
        return {"array": name, "scalar": isinstance(obj, np.generic)}
    if isinstance(obj, int) and not isinstance(obj, bool):
        _check_int(obj, where)
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return {"value": obj}
    if isinstance(obj, (dict, list, tuple)):
        if any(obj is parent for parent in parents):
            raise ValueError(f"nn.save: {where} is the {type(obj).__name__} that holds it (a cycle); only "
                             "structures without cycles can be saved")
        if len(parents) == MAX_DEPTH:
            shown = where if len(where) <= 200 else where[:200] + "..."
            raise ValueError(f"nn.save: {shown} is a {type(obj).__name__} inside {MAX_DEPTH} others; at most "
                             f"{MAX_DEPTH} levels of dicts, lists and tuples can be saved")
        parents += (obj,)
    if isinstance(obj, dict):
        items = []
        for key, value in obj.items():
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise TypeError(f"nn.save: {where} has a key {key!r} of type {type(key).__name__}; "
                                "keys must be str or int")
            if isinstance(key, int):
                _check_int(key, f"a key of {where}")
            items.append([key, _encode(value, path + [str(key)], arrays, parents)])
        return {"dict": items}
    if isinstance(obj, (list, tuple)):
        kind = "list" if isinstance(obj, list) else "tuple"
        return {kind: [_encode(v, path + [str(i)], arrays, parents) for i, v in enumerate(obj)]}
    hint = ""
    if callable(getattr(obj, "state_dict", None)):  # torch.save(model, PATH) pickles the object; nothing is pickled here
        hint = (f"; save its state dict instead (nn.save(x.state_dict(), path)) and load it into a new "
                f"{type(obj).__name__} with x.load_state_dict(nn.load(path))")
    raise TypeError(f"nn.save: {where} is a {type(obj).__name__}; only dicts, lists, tuples, arrays, Tensors, "
                    f"numbers, strings and None can be saved{hint}")


def _write_npz(f, arrays):
    """The .npz layout np.savez writes (a zip of .npy members), with pickling switched off."""
    with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, value in arrays.items():
            with archive.open(name + ".npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, value, allow_pickle=False)


def save(obj, path=UNGIVEN, *, f=None):
    """Write obj (a state dict, or nested dicts/lists of them) to `path` (or torch.save's name for it, f=) as an
    .npz archive, atomically.

    The file name is used as given (no ".npz" is appended); its directory must exist. `path` may also be a file open
    for writing in binary mode, as torch.save's: the archive is written to it where it stands (not atomically: the
    file is the caller's).

    >>> import os, tempfile, numpy as np
    >>> from nn.serialization import load, save
    >>> path = os.path.join(tempfile.mkdtemp(), "ckpt.npz")
    >>> save({"model": {"w": np.arange(3.0)}, "epoch": 3}, path)
    >>> load(path)
    {'model': {'w': Tensor([0., 1., 2.])}, 'epoch': 3}
    >>> save(obj={"w": np.ones(1)}, f=path); load(f=path)
    {'w': Tensor([1.])}
    """
    path = one_of_two_names("nn.save", "path", path, "f", f, UNGIVEN)
    f = _file_object(path, "nn.save", "write")
    path = _fspath(path, "nn.save") if f is None else None
    # (realpath would drop a trailing slash and write a file where a folder was meant)
    if f is None and path.endswith(("/", os.sep)):
        raise IsADirectoryError(f"nn.save: {path!r} names a folder; give the checkpoint's file name")
    arrays = {}
    manifest = {"format": FORMAT, "root": _encode(obj, [], arrays)}
    arrays[MANIFEST] = np.frombuffer(json.dumps(manifest).encode("utf-8"), dtype=np.uint8)
    if f is not None:
        _write_npz(f, arrays)
        return
    with atomic_file(path, "nn.save") as f:
        _write_npz(f, arrays)


class _NotACheckpoint(ValueError):
    """A file of another kind (a .npy, object arrays): load() says what it is instead of guessing at damage."""


def _decode(node, arrays):
    """The object a manifest node describes, each array taken out of `arrays` (so what is left the manifest does not
    name); ValueError for any node save() does not write."""
    kind = next(iter(node), None) if isinstance(node, dict) else None
    body = node[kind] if kind else None
    if kind == "value" and (body is None or isinstance(body, (bool, int, float, str))):
        return body
    if kind == "array" and isinstance(body, str):
        if body not in arrays:  # (or named twice: two entries would share one array's memory)
            raise ValueError(f"the manifest names an array {body!r} that the archive does not hold, or names it "
                             f"twice")
        array = arrays.pop(body)  # (numbers as a constant Tensor, as torch.load gives tensors)
        return array[()] if node.get("scalar") else constant_of(array)
    if kind == "dict" and isinstance(body, list) and all(
            isinstance(item, list) and len(item) == 2 and type(item[0]) in (str, int) for item in body):
        return {key: _decode(value, arrays) for key, value in body}
    if kind in ("list", "tuple") and isinstance(body, list):
        items = [_decode(v, arrays) for v in body]
        return items if kind == "list" else tuple(items)
    raise ValueError(f"unknown manifest entry {str(node)[:80]!r}")


_HEADER_READERS = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}


def _read_array(archive, info, file_size):
    """The array one member holds. Its header is checked first: a .npy of a plain dtype whose data fill the member
    exactly, so a crafted header can make us neither unpickle nor allocate more than the file holds."""
    what = f"member {info.filename!r}"
    if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 0x1:  # flag bit 0: encrypted
        raise ValueError(f"{what} is compressed (method {info.compress_type}) or encrypted; nn.save stores "
                         "members as they are")
    if info.file_size > file_size:
        raise ValueError(f"{what} declares {info.file_size:,} bytes, more than the whole file ({file_size:,})")
    with archive.open(info) as member:
        magic = member.read(8)
        version = tuple(magic[6:]) if magic[:6] == b"\x93NUMPY" else None
        if not info.filename.endswith(".npy") or version not in _HEADER_READERS:
            raise _NotACheckpoint(f"{what} is not a .npy array (nn.save writes nothing else)")
        length = int.from_bytes(member.read(2 if version == (1, 0) else 4), "little")
        if length > MAX_HEADER:
            raise ValueError(f"{what} has a .npy header of {length:,} bytes; nn.load reads headers of up to "
                             f"{MAX_HEADER:,} (a plain array needs about 128)")
        member.seek(len(magic))
        try:  # NumPy parses it with tokenize and ast.literal_eval, which raise all kinds of errors for crafted text
            shape, fortran_order, dtype = _HEADER_READERS[version](member, max_header_size=MAX_HEADER)
        except Exception as err:
            raise ValueError(f"{what} has an invalid .npy header: {err}") from None
        if dtype.hasobject:
            raise _NotACheckpoint(f"{what} holds object arrays (pickled Python objects), which nn.load never reads")
        if dtype.kind not in "biufcU":
            raise ValueError(f"{what} has dtype {dtype}; nn.save writes only numeric, bool and str arrays")
        nbytes = math.prod(shape) * dtype.itemsize
        # dimensions NumPy can count (in int64), and exactly the data the member holds: nothing to allocate in vain
        if not all(type(n) is int and 0 <= n < 2 ** 63 for n in shape) or member.tell() + nbytes != info.file_size:
            raise ValueError(f"{what} declares an array of shape {shape} and dtype {dtype} ({nbytes:,} bytes) "
                             f"but holds {info.file_size - member.tell():,} bytes of data")
        member.seek(0)
        return np.lib.format.read_array(member, allow_pickle=False, max_header_size=MAX_HEADER)


def _read(f):
    """The object in the open file f; raises _NotACheckpoint, ValueError, or what zipfile or json raise."""
    if not f.read(6).startswith((b"PK\x03\x04", b"PK\x05\x06")):  # np.load would unpickle, or read a .npy
        f.seek(0)
        raise _NotACheckpoint("it is a single .npy array" if f.read(6) == b"\x93NUMPY"
                              else "it is not an .npz (zip) archive")
    position = f.tell()  # (a file object's size by seeking: an io.BytesIO has no file descriptor to stat)
    size = f.seek(0, os.SEEK_END)
    f.seek(position)
    arrays = {}
    with zipfile.ZipFile(f) as archive:
        # Members are stored, not compressed (see _read_array), so together they fit in the file, unless crafted
        # to overlap: then each would be read in full, many times the file's size in all (a zip bomb).
        declared = sum(info.file_size for info in archive.infolist() if info.compress_type == zipfile.ZIP_STORED)
        if declared > size:
            raise ValueError(f"its members declare {declared:,} bytes in all, more than the whole file ({size:,}): "
                             f"they overlap, which nn.save never writes")
        for info in archive.infolist():  # by exact name: np.load would read "x.npy" as the member of "x"
            array = _read_array(archive, info, size)  # reads and CRC-checks every member
            name = info.filename[:-len(".npy")]
            if name in arrays:  # zipfile would give the last one
                raise ValueError(f"the archive holds two members named {info.filename!r}")
            arrays[name] = array
    if MANIFEST not in arrays:  # np.savez's, say, or a checkpoint whose directory lost entries: both refused
        raise _NotACheckpoint(f"the archive has no {MANIFEST!r} entry; a plain .npz of arrays reads with "
                              f"np.load(path, allow_pickle=False)")
    raw = arrays.pop(MANIFEST)
    if raw.dtype != np.uint8 or raw.ndim != 1:
        raise ValueError(f"{MANIFEST!r} is {raw.dtype} of shape {raw.shape}, expected a uint8 vector")
    manifest = json.loads(raw.tobytes().decode("utf-8"))
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ValueError(f"unknown format {manifest.get('format') if isinstance(manifest, dict) else None!r}, "
                         f"expected {FORMAT!r}")
    root = _decode(manifest.get("root"), arrays)
    if arrays:  # members added to the archive after nn.save wrote it, which load would silently drop
        names = sorted(name + ".npy" for name in arrays)
        raise ValueError(f"the archive holds {len(names)} member{'s' * (len(names) != 1)} its manifest does not name "
                         f"({', '.join(map(repr, names[:3]))}{', ...' if len(names) > 3 else ''}), which nn.save "
                         f"never writes")
    return root


def load(path=UNGIVEN, map_location=None, *, weights_only=None, mmap=None, f=None):
    """Read what save() wrote, from `path` (or torch.load's name for it, f=): arrays of numbers and bools as constant
    Tensors (as torch.load's tensors), the rest as saved. Refuses (ValueError naming the file and the reason)
    anything else: truncated, corrupted, pickled, or not an .npz archive at all.

    torch.load's `map_location` (None or the CPU, the one device; also a dict whose devices are the CPU, or the function
    `lambda storage, loc: storage`, which keeps storages where they are) and `weights_only` (True or None: nothing is
    ever unpickled here, so False is refused) are taken, so that `torch.load(PATH, weights_only=True)` ports as is.
    So is `mmap` (None or False): mmap=True is refused, as the arrays are always read into memory.
    `path` may also be a file open for reading in binary mode, as torch.load's, positioned where save() began.

    >>> import os, tempfile
    >>> from nn.serialization import load
    >>> bad = os.path.join(tempfile.mkdtemp(), "bad.npz")
    >>> _ = open(bad, "wb").write(b"PK\\x03\\x04 not really a zip")
    >>> load(bad)
    Traceback (most recent call last):
    ...
    ValueError: nn.load: .../bad.npz is not a valid nn.save checkpoint (truncated or corrupted?): ...
    """
    path = one_of_two_names("nn.load", "path", path, "f", f, UNGIVEN)
    f = _file_object(path, "nn.load", "read")
    path = _fspath(path, "nn.load") if f is None else getattr(f, "name", type(f).__name__)
    _check_map_location(map_location)
    if weights_only is not None and weights_only is not True:
        raise ValueError(f"nn.load: weights_only must be True or None, got {weights_only!r}; nn.load never unpickles "
                         f"(it reads arrays, numbers and strings only), so there is no weights_only=False")
    if mmap is not None and mmap is not False:
        raise ValueError(f"nn.load: mmap must be False or None, got {mmap!r}; nn.load reads every array into memory "
                         f"(it does not memory-map the archive), so leave mmap out")
    if f is not None:
        return _load_from(f, path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"nn.load: no such file: {path}")
    try:
        f = open(path, "rb")
    except OSError as err:  # permissions, a directory
        raise ValueError(f"nn.load: cannot read {path}: {err.strerror or err}") from None
    with f:
        return _load_from(f, path)


def _check_map_location(map_location):
    """torch.load's map_location in each of its forms, where it keeps everything on the CPU: a device (None, 'cpu'),
    a dict from saved locations to devices (every one the CPU), or a function (storage, location) -> storage, which
    must return the storage it is given (`lambda storage, loc: storage`, PyTorch's idiom for loading onto the CPU);
    one that moves storages (`storage.cuda()`) is refused, naming what it returned."""
    if isinstance(map_location, dict):
        for location in map_location.values():
            check_device(location, "nn.load", "map_location's device")
    elif callable(map_location):
        storage = np.empty(0)  # (stands for a CPU storage: the function is only asked where it would put one)
        try:
            kept = map_location(storage, "cpu") is storage
        except Exception as err:
            raise ValueError(f"nn.load: map_location, a function, failed on a CPU storage ({type(err).__name__}: "
                             f"{err}); nn.load keeps every array on the CPU: pass 'cpu', or leave map_location "
                             f"out") from None
        if not kept:
            raise ValueError("nn.load: map_location, a function, returned something other than the storage it was "
                             "given (it would move it off the CPU); nn.load keeps every array on the CPU: pass 'cpu', "
                             "lambda storage, loc: storage, or leave map_location out")
    else:
        check_device(map_location, "nn.load", "map_location")


def _load_from(f, path):
    """What _read(f) reads, its failures as ValueError naming path (a file's name)."""
    try:
        return _read(f)
    except _NotACheckpoint as err:
        raise ValueError(f"nn.load: {path} is not an nn.save checkpoint: {err}") from None
    # what zipfile, NumPy and json raise for a damaged file (OSError: a seek to a corrupted offset;
    # NotImplementedError: a corrupted compression method or version field; RecursionError: a manifest nested
    # too deep to parse; EOFError: a member cut short), and _read's own refusals
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, NotImplementedError, RecursionError) as err:
        raise ValueError(f"nn.load: {path} is not a valid nn.save checkpoint (truncated or corrupted?): "
                         f"{str(err) or type(err).__name__}") from None
