"""nn.save / nn.load: state dicts to and from `.npz`, never executing anything from the file.

What can be saved: nested dicts (str or int keys), lists and tuples whose leaves are
NumPy arrays (numeric, bool or str, any shape), Tensors (saved as their arrays), NumPy
scalars of those kinds (np.float32(2.5), np.str_("a"): they load back as NumPy scalars),
and Python ints, floats, bools, strings and None. For example
{"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 3}.

The file is an ordinary `.npz` (a zip of `.npy` arrays): each array is stored under its
path of keys joined by "/" (readable with `np.load` alone), and one more entry,
`__manifest__`, holds a JSON description of the structure and the Python scalars,
encoded as a uint8 array. Nothing is pickled: loading uses `allow_pickle=False`, and a
truncated, corrupted or object-array file, or one that is no .npz at all (a .npy, a pickle,
text), raises ValueError naming the file.

Writing is atomic: the archive goes to a temporary file in the same directory, is
flushed to disk (fsync), then renamed over `path` (os.replace), so a crash or an error
leaves either the old file or the new one, never a partial one. When `path` is a symbolic
link, the file it points to is replaced and the link stays.
"""
import json
import os
import tempfile
import zipfile

import numpy as np

import autograd_core as ag

MANIFEST = "__manifest__"
FORMAT = "nn.save/1"


def _encode(obj, path, arrays):
    """The JSON-able description of obj; its arrays are put into `arrays` under unique names."""
    where = "/".join(path) or "<root>"
    if isinstance(obj, ag.Tensor):
        obj = obj.data
    if isinstance(obj, (np.ndarray, np.generic)):
        value = np.asarray(obj)
        if value.dtype.kind not in "biufcU":
            raise TypeError(f"nn.save: {where} is an array of dtype {value.dtype}; only numeric, bool and str "
                            "arrays can be saved (object arrays would need pickle)")
        name, k = where, len(arrays)
        while name in arrays or name == MANIFEST:  # paths may coincide ("a/b" and {"a": {"b": ...}})
            name, k = f"{where}#{k}", k + 1
        arrays[name] = value
        return {"array": name, "scalar": isinstance(obj, np.generic)}
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return {"value": obj}
    if isinstance(obj, dict):
        items = []
        for key, value in obj.items():
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise TypeError(f"nn.save: {where} has a key {key!r} of type {type(key).__name__}; "
                                "keys must be str or int")
            items.append([key, _encode(value, path + [str(key)], arrays)])
        return {"dict": items}
    if isinstance(obj, (list, tuple)):
        kind = "list" if isinstance(obj, list) else "tuple"
        return {kind: [_encode(v, path + [str(i)], arrays) for i, v in enumerate(obj)]}
    raise TypeError(f"nn.save: {where} is a {type(obj).__name__}; only dicts, lists, tuples, arrays, Tensors, "
                    "numbers, strings and None can be saved")


def _write_npz(f, arrays):
    """The .npz layout np.savez writes (a zip of .npy members), with pickling switched off."""
    with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, value in arrays.items():
            with archive.open(name + ".npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, value, allow_pickle=False)


def save(obj, path):
    """Write obj (a state dict, or nested dicts/lists of them) to `path` as an .npz archive, atomically.

    The file name is used as given (no ".npz" is appended); its directory must exist.

    >>> import os, tempfile, numpy as np
    >>> from nn.serialization import load, save
    >>> path = os.path.join(tempfile.mkdtemp(), "ckpt.npz")
    >>> save({"model": {"w": np.arange(3.0)}, "epoch": 3}, path)
    >>> load(path)
    {'model': {'w': array([0., 1., 2.])}, 'epoch': 3}
    """
    arrays = {}
    manifest = {"format": FORMAT, "root": _encode(obj, [], arrays)}
    arrays[MANIFEST] = np.frombuffer(json.dumps(manifest).encode("utf-8"), dtype=np.uint8)
    path = os.path.realpath(path)  # through symbolic links: replace the file, keep the link
    directory = os.path.dirname(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    except OSError as err:
        raise _cannot_write(err, path) from None
    try:
        with os.fdopen(fd, "wb") as f:
            _write_npz(f, arrays)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a checkpoint is an ordinary file
        os.replace(tmp, path)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(err, OSError) and err.errno is not None:
            raise _cannot_write(err, path) from None
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


def _cannot_write(err, path):
    """err (an OSError) naming the checkpoint rather than its temporary file."""
    return type(err)(err.errno, f"nn.save: cannot write {path}: {err.strerror}")


def _decode(node, arrays):
    kind = next(iter(node), None) if isinstance(node, dict) else None
    if kind == "value":
        return node["value"]
    if kind == "array":
        name = node["array"]
        if name not in arrays:
            raise KeyError(f"the manifest names an array {name!r} that the archive does not hold")
        value = arrays[name]
        return value[()] if node.get("scalar") else value
    if kind == "dict":
        return {key: _decode(value, arrays) for key, value in node["dict"]}
    if kind in ("list", "tuple"):
        items = [_decode(v, arrays) for v in node[kind]]
        return items if kind == "list" else tuple(items)
    raise ValueError(f"unknown manifest entry {str(node)[:80]!r}")


def load(path):
    """Read what save() wrote. Refuses (ValueError naming the file) anything else: truncated, corrupted,
    pickled, or not an .npz archive at all.

    >>> import os, tempfile
    >>> from nn.serialization import load
    >>> bad = os.path.join(tempfile.mkdtemp(), "bad.npz")
    >>> _ = open(bad, "wb").write(b"PK\\x03\\x04 not really a zip")
    >>> load(bad)
    Traceback (most recent call last):
    ...
    ValueError: nn.load: .../bad.npz is not a valid nn.save checkpoint (truncated or corrupted?): ...
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"nn.load: no such file: {path}")
    try:
        with open(path, "rb") as f:
            magic = f.read(6)
    except OSError as err:
        raise ValueError(f"nn.load: cannot read {path}: {err.strerror or err}") from None
    if not magic.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # np.load would try pickle next, or return an array
        what = "a single .npy array" if magic == b"\x93NUMPY" else "not an .npz (zip) archive"
        raise ValueError(f"nn.load: {path} is not an nn.save checkpoint: it is {what}")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}  # reads and CRC-checks every entry
        if MANIFEST not in arrays:
            raise ValueError(f"the archive has no {MANIFEST!r} entry (was it written by nn.save?)")
        raw = arrays.pop(MANIFEST)
        if raw.dtype != np.uint8 or raw.ndim != 1:
            raise ValueError(f"{MANIFEST!r} is {raw.dtype} of shape {raw.shape}, expected a uint8 vector")
        manifest = json.loads(raw.tobytes().decode("utf-8"))
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ValueError(f"unknown format {manifest.get('format') if isinstance(manifest, dict) else None!r}, "
                             f"expected {FORMAT!r}")
        return _decode(manifest["root"], arrays)
    except (ValueError, KeyError, TypeError, OSError, EOFError, zipfile.BadZipFile, UnicodeDecodeError,
            RecursionError) as err:
        if isinstance(err, FileNotFoundError):
            raise
        if "allow_pickle" in str(err):  # numpy's "Object arrays cannot be loaded when allow_pickle=False"
            raise ValueError(f"nn.load: {path} is not an nn.save checkpoint: it holds object arrays (pickled "
                             "Python objects), which nn.load never reads") from None
        raise ValueError(f"nn.load: {path} is not a valid nn.save checkpoint (truncated or corrupted?): "
                         f"{err}") from None
