"""nn.save / nn.load: exact round trips, refusal of damaged or pickled files, atomic writes."""
import io
import json
import os
import pickle
import stat
import struct
import tracemalloc
import warnings
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.serialization as serialization
from autograd_core.pytree import tree_map
from conftest import assert_same_tree


def as_loaded(tree):
    """tree as nn.load gives it back: arrays of numbers and bools as Tensors (as torch.load gives tensors), strings
    and NumPy scalars as they are."""
    return tree_map(lambda leaf: ag.as_tensor(leaf) if isinstance(leaf, np.ndarray) and leaf.dtype.kind in "biuf"
                    else leaf, tree)


def test_nested_state_round_trips_with_types_dtypes_and_keys(tmp_path):
    state = {
        "model": {"0.weight": np.arange(6, dtype=np.float32).reshape(2, 3), "0.bias": np.zeros(2, np.float64)},
        "optimizer": {"state": {0: {"step": 3, "exp_avg": np.ones((2, 3), np.float32)}},
                      "param_groups": [{"lr": 0.1, "betas": (0.9, 0.999), "nesterov": False, "params": [0, 1]}]},
        "epoch": 3, "note": "ok", "nothing": None, "mask": np.array([True, False]),
        "scalar": np.float32(2.5), "tensor": ag.tensor([1.0, 2.0]), "big": 2 ** 70, "nan": float("nan"),
    }
    nn.save(state, tmp_path / "ckpt.npz")
    back = nn.load(tmp_path / "ckpt.npz")
    assert list(back) == list(state)
    assert back["model"]["0.weight"].dtype == np.float32 and back["model"]["0.bias"].dtype == np.float64
    np.testing.assert_array_equal(back["model"]["0.weight"], state["model"]["0.weight"])
    assert back["optimizer"]["state"][0]["step"] == 3  # int keys stay ints
    assert back["optimizer"]["param_groups"][0]["betas"] == (0.9, 0.999)  # tuples stay tuples
    assert back["optimizer"]["param_groups"][0]["params"] == [0, 1]
    assert (back["epoch"], back["note"], back["nothing"], back["big"]) == (3, "ok", None, 2 ** 70)
    assert back["mask"].dtype == bool and back["scalar"] == np.float32(2.5) and back["scalar"].dtype == np.float32
    assert type(back["tensor"]) is ag.Tensor and back["tensor"].tolist() == [1.0, 2.0]
    assert np.isnan(back["nan"])


def test_the_file_is_a_plain_npz_with_readable_names(tmp_path):
    nn.save({"model": {"w": np.ones(2)}}, tmp_path / "c.npz")
    with np.load(tmp_path / "c.npz", allow_pickle=False) as archive:
        assert sorted(archive.files) == ["__manifest__", "model/w"]


def test_a_checkpoint_restores_model_outputs_bit_for_bit(tmp_path):
    model = nn.MLP([5, 16, 3], rng=0)
    opt = nn.optim.Adam(model.parameters(), lr=0.01)
    X = np.random.default_rng(1).standard_normal((8, 5)).astype(np.float32)
    loss = nn.CrossEntropyLoss()(model(X), np.array([0, 1, 2, 0, 1, 2, 0, 1]))
    loss.backward()
    opt.step()
    nn.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 1}, tmp_path / "m.npz")
    restored = nn.MLP([5, 16, 3], rng=99)
    ckpt = nn.load(tmp_path / "m.npz")
    restored.load_state_dict(ckpt["model"])
    with ag.no_grad():
        np.testing.assert_array_equal(restored(X).data, model(X).data)
    opt2 = nn.optim.Adam(restored.parameters())
    opt2.load_state_dict(ckpt["optimizer"])
    assert ckpt["epoch"] == 1 and opt2.param_groups[0]["lr"] == 0.01


def _good_file(tmp_path):
    path = tmp_path / "good.npz"
    nn.save({"w": np.arange(1000.0), "b": np.ones(3)}, path)
    return path


def test_a_truncated_file_is_refused(tmp_path):
    data = _good_file(tmp_path).read_bytes()
    for keep in (len(data) // 2, len(data) - 10, 30):
        bad = tmp_path / f"cut{keep}.npz"
        bad.write_bytes(data[:keep])
        with pytest.raises(ValueError, match=f"nn.load: .*cut{keep}.npz"):
            nn.load(bad)


def test_a_corrupted_file_is_refused(tmp_path):
    data = bytearray(_good_file(tmp_path).read_bytes())
    data[len(data) // 3] ^= 0xFF  # inside the stored array: the zip's CRC no longer matches
    bad = tmp_path / "flipped.npz"
    bad.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="flipped.npz"):
        nn.load(bad)
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"this is not a zip file at all")
    with pytest.raises(ValueError, match="junk.npz"):
        nn.load(junk)


class Boom:
    """Unpickling this would run code: the test fails if it ever does."""

    def __reduce__(self):
        return (pytest.fail, ("nn.load executed code from the file",))


def test_an_object_array_file_is_refused_without_running_anything(tmp_path):
    bad = tmp_path / "pickled.npz"
    np.savez(bad, __manifest__=np.frombuffer(b'{"format": "nn.save/1", "root": {"array": "x"}}', np.uint8),
             x=np.array([Boom()], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError, match="pickled.npz.*allow_pickle|pickled.npz.*[Oo]bject"):
        nn.load(bad)


def test_npz_files_not_written_by_save_are_refused(tmp_path):
    plain = tmp_path / "plain.npz"
    np.savez(plain, w=np.ones(2))
    with pytest.raises(ValueError, match=r"plain.npz is not an nn.save checkpoint: the archive has no '__manifest__' "
                                         r"entry; a plain .npz of arrays reads with "
                                         r"np.load\(path, allow_pickle=False\)"):
        nn.load(plain)
    single = tmp_path / "single.npy"
    np.save(single, np.ones(2))
    with pytest.raises(ValueError, match="single.npy"):
        nn.load(single)
    broken = tmp_path / "broken.npz"
    np.savez(broken, __manifest__=np.frombuffer(b'{"format": "nn.save/1", "root": {"array": "gone"}}', np.uint8))
    with pytest.raises(ValueError, match="gone"):
        nn.load(broken)


def test_a_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.npz"):
        nn.load(tmp_path / "nope.npz")


@pytest.mark.parametrize("obj,message", [({"x": np.array([object()], dtype=object)}, "object"),
                                         ({"f": lambda: 0}, "function"), ({(1, 2): 3}, "key"),
                                         ({True: 3}, "key True of type bool; keys must be str or int")])
def test_unsaveable_values_are_refused_before_writing(obj, message, tmp_path):
    with pytest.raises(TypeError, match=message):
        nn.save(obj, tmp_path / "x.npz")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt("interrupted")],
                         ids=["OSError", "KeyboardInterrupt"])
def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, error):
    path = tmp_path / "ckpt.npz"
    nn.save({"w": np.zeros(3)}, path)
    before = path.read_bytes()

    def half_written(f, arrays):
        f.write(b"PK\x03\x04 partial")
        raise error

    monkeypatch.setattr(serialization, "_write_npz", half_written)
    with pytest.raises(type(error), match=str(error)):
        nn.save({"w": np.ones(3)}, path)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["ckpt.npz"]
    assert nn.load(path)["w"].tolist() == [0.0, 0.0, 0.0]


def test_the_file_is_flushed_to_disk_before_the_rename_and_the_rename_after(tmp_path, monkeypatch):
    events = []
    fsync, replace = os.fsync, os.replace

    def record_fsync(fd):
        events.append("fsync directory" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        fsync(fd)

    def record_replace(src, dst):
        events.append("replace")
        replace(src, dst)

    monkeypatch.setattr(os, "fsync", record_fsync)
    monkeypatch.setattr(os, "replace", record_replace)
    nn.save({"w": np.ones(2)}, tmp_path / "ckpt.npz")
    if os.name == "posix":  # elsewhere a directory cannot be opened to fsync it
        assert events == ["fsync file", "replace", "fsync directory"]
    assert events[:2] == ["fsync file", "replace"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_a_new_checkpoint_gets_the_mode_open_would_give_under_the_umask(tmp_path, umask):
    previous = os.umask(umask)
    try:
        nn.save({"w": np.ones(2)}, tmp_path / "ckpt.npz")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(os.stat(tmp_path / "ckpt.npz").st_mode) == 0o666 & ~umask


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_a_replaced_checkpoint_keeps_its_mode_while_it_is_written_too(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.npz"
    nn.save({"w": np.ones(2)}, path)
    os.chmod(path, 0o600)  # a private checkpoint stays private, its new data never readable by others
    modes = []

    def write_and_look(f, arrays):
        modes.append(stat.S_IMODE(os.fstat(f.fileno()).st_mode))
        write_npz(f, arrays)

    write_npz = serialization._write_npz
    monkeypatch.setattr(serialization, "_write_npz", write_and_look)
    previous = os.umask(0o022)
    try:
        nn.save({"w": np.zeros(2)}, path)
    finally:
        os.umask(previous)
    assert modes == [0o600] and stat.S_IMODE(os.stat(path).st_mode) == 0o600


@pytest.mark.parametrize("stem", ["c" * 240, "模" * 80], ids=["ascii", "3-byte characters"])
def test_a_file_name_near_the_length_limit_is_written(tmp_path, stem, monkeypatch):
    path = tmp_path / (stem + ".npz")  # 244 bytes: the limit is 255
    nn.save({"w": np.ones(2)}, path)
    np.testing.assert_array_equal(nn.load(path)["w"], np.ones(2))
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    names = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda name, *args: names.append(os.path.basename(name)) or real_open(name, *args))
    nn.save({"w": np.ones(2)}, path)
    names[0].encode("utf-8")  # the temporary's name is whole characters, not a cut one (invalid UTF-8 elsewhere)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_saving_never_changes_the_process_umask_that_other_threads_see(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(os, "umask", lambda *args: calls.append(args) or 0o022)
    nn.save({"w": np.ones(2)}, tmp_path / "ckpt.npz")
    nn.save({"w": np.ones(2)}, tmp_path / "ckpt.npz")
    assert calls == []


def test_a_path_ending_in_a_separator_is_refused_not_written_as_a_file(tmp_path):
    with pytest.raises(IsADirectoryError, match="nn.save: .* names a folder"):
        nn.save({"w": np.ones(2)}, str(tmp_path / "ckpt.npz") + os.sep)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("state", [
    {"a/b": np.zeros(2), "a": {"b": np.ones(2)}},  # both stored under the path "a/b"
    {0: np.zeros(2), "0": np.ones(2)},  # an int key and its str
    {"__manifest__": np.ones(2), "m": {"__manifest__": np.zeros(2)}},  # the name of the structure entry
    {"a/b#2": np.full(2, 1.0), "a/b": np.full(2, 2.0), "a": {"b": np.full(2, 3.0)}},  # a renamed path taken too
], ids=["slash", "int and str", "manifest", "renamed path taken"])
def test_arrays_whose_paths_collide_are_all_kept(tmp_path, state):
    nn.save(state, tmp_path / "c.npz")
    assert_same_tree(nn.load(tmp_path / "c.npz"), as_loaded(state))


@pytest.mark.parametrize("manifest, message", [
    (np.frombuffer(b'{"format": "nn.save/2", "root": {"value": 1}}', np.uint8), "unknown format 'nn.save/2'"),
    (np.frombuffer(b'{"format": "nn.save/1", "root": {"value": 1}}', np.uint8).astype(np.int64),
     r"'__manifest__' is int64 of shape \(45,\), expected a uint8 vector"),
], ids=["format", "dtype"])
def test_a_manifest_of_another_format_or_dtype_is_refused(tmp_path, manifest, message):
    path = tmp_path / "other.npz"
    np.savez(path, __manifest__=manifest)
    with pytest.raises(ValueError, match=f"other.npz is not a valid nn.save checkpoint.*{message}"):
        nn.load(path)


def test_save_replaces_an_existing_file_and_keeps_the_name_as_given(tmp_path):
    path = tmp_path / "weights.ckpt"
    nn.save({"v": 1}, path)
    nn.save({"v": 2}, path)
    assert sorted(os.listdir(tmp_path)) == ["weights.ckpt"] and nn.load(path) == {"v": 2}
    assert zipfile.is_zipfile(path)


@pytest.mark.parametrize("name", ["weights.npy", "log.csv", "state.pkl"])
def test_files_that_are_no_npz_archive_are_refused_by_name_without_suggesting_pickle(tmp_path, name):
    path = tmp_path / name
    if name.endswith(".npy"):
        np.save(path, np.ones(3))
    elif name.endswith(".csv"):
        path.write_text("epoch,loss\n1,0.5\n")
    else:
        path.write_bytes(pickle.dumps({"w": [1.0, 2.0]}))
    with pytest.raises(ValueError) as info:
        nn.load(path)
    message = str(info.value)
    assert str(path) in message and "not an nn.save checkpoint" in message
    assert "pickle" not in message and "context manager" not in message
    if name.endswith(".npy"):
        assert "single .npy array" in message


def test_an_object_array_message_never_suggests_enabling_pickle(tmp_path):
    path = tmp_path / "objects.npz"
    np.savez(path, x=np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError, match="objects.npz is not an nn.save checkpoint") as info:
        nn.load(path)
    assert "allow_pickle" not in str(info.value) and "pickle.load" not in str(info.value)


def test_saving_into_a_missing_directory_names_the_target_not_the_temporary_file(tmp_path):
    target = tmp_path / "missing" / "ckpt.npz"
    with pytest.raises(FileNotFoundError) as info:
        nn.save({"w": np.ones(2)}, target)
    assert str(target) in str(info.value) and ".tmp" not in str(info.value)


def test_saving_through_a_symlink_replaces_its_target_and_keeps_the_link(tmp_path):
    real = tmp_path / "runs" / "epoch3.npz"
    real.parent.mkdir()
    nn.save({"epoch": 3}, real)
    link = tmp_path / "latest.npz"
    try:
        os.symlink(real, link)
    except (OSError, NotImplementedError):
        pytest.skip("symbolic links are not available here")
    nn.save({"epoch": 4}, link)
    assert os.path.islink(link) and os.readlink(link) == str(real)
    assert nn.load(real) == {"epoch": 4} and nn.load(link) == {"epoch": 4}
    assert sorted(os.listdir(tmp_path)) == ["latest.npz", "runs"] and os.listdir(real.parent) == ["epoch3.npz"]


def test_numpy_str_scalars_and_arrays_round_trip_like_numeric_ones(tmp_path):
    state = {"name": np.str_("mlp"), "classes": np.array(["cat", "dog"]), "lr": np.float32(0.1), "plain": "ok"}
    nn.save(state, tmp_path / "s.npz")
    back = nn.load(tmp_path / "s.npz")
    assert back["name"] == "mlp" and type(back["name"]) is np.str_
    assert back["classes"].tolist() == ["cat", "dog"] and back["classes"].dtype.kind == "U"
    assert type(back["lr"]) is np.float32 and type(back["plain"]) is str


# ---- keys that are no plain member names ---------------------------------------------------------------------

@pytest.mark.parametrize("state", [
    {"x": np.arange(3.0), "x.npy": np.arange(5.0)},  # np.load reads "x.npy" as the member written for "x"
    {"x.npy": np.arange(5.0), "x": np.arange(3.0), "x.npy.npy": np.arange(2.0)},
    {"__manifest__.npy": np.arange(3.0)},  # np.load reads it as the manifest
    {"m": {"__manifest__.npy": np.arange(3.0)}, "m/__manifest__": np.ones(1)},
], ids=["x and x.npy", "x.npy first", "manifest.npy", "nested"])
def test_keys_ending_in_npy_load_back_their_own_arrays(tmp_path, state):
    nn.save(state, tmp_path / "c.npz")
    assert_same_tree(nn.load(tmp_path / "c.npz"), as_loaded(state))


def test_np_load_alone_reads_each_array_under_a_name_of_its_own(tmp_path):
    nn.save({"x": np.arange(3.0), "x.npy": np.arange(5.0)}, tmp_path / "c.npz")
    with np.load(tmp_path / "c.npz", allow_pickle=False) as archive:
        assert "x" in archive.files
        assert sorted(len(archive[name]) for name in archive.files if name != "__manifest__") == [3, 5]


@pytest.mark.parametrize("state", [
    {"a\x00b": np.full(1, 1.0), "a\x00c": np.full(1, 2.0), "a": np.full(1, 3.0)},  # zipfile cuts names at NUL
    {"\ud800": np.full(1, 1.0), "x": {"\udcff": np.full(1, 2.0)}},  # lone surrogates (os.fsdecode makes them)
    {"k" * 70_000: np.full(1, 1.0), "k": np.full(1, 2.0)},  # a zip member name holds at most 65,535 bytes
    {"a\\b": np.full(1, 1.0), "a/b": np.full(1, 2.0)},  # zipfile turns "\" into "/" on Windows
], ids=["NUL", "surrogate", "70,000 bytes", "backslash"])
def test_keys_zipfile_cannot_store_as_member_names_round_trip(tmp_path, state):
    nn.save(state, tmp_path / "c.npz")
    assert_same_tree(nn.load(tmp_path / "c.npz"), as_loaded(state))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(["a", "/", ".npy", "#1", "__manifest__", "\x00", "\\", "\ud800"]),
                         max_size=4).map("".join), max_size=6))
def test_any_str_keys_round_trip_exactly(tmp_path, keys):
    state = {key: np.full(2, float(i)) for i, key in enumerate(keys)}
    state["a"] = {key: np.full(2, -float(i)) for i, key in enumerate(keys)}  # "a/b" meets {"a": {"b": ...}}
    nn.save(state, tmp_path / "c.npz")
    assert_same_tree(nn.load(tmp_path / "c.npz"), as_loaded(state))


DATA = os.path.join(os.path.dirname(__file__), "data")


def test_a_checkpoint_written_before_members_were_renamed_still_loads():
    """data/nn_save_1.npz was written by nn.save when every array's member was its path + ".npy": "x" and "x.npy"
    are members "x.npy" and "x.npy.npy", the key "__manifest__.npy" is "__manifest__.npy.npy"."""
    back = nn.load(os.path.join(DATA, "nn_save_1.npz"))
    assert_same_tree(back, as_loaded({
        "x": np.arange(3.0), "x.npy": np.arange(5, dtype=np.int32), "__manifest__.npy": np.array([True, False]),
        "a/b": np.float32(2.5), "a": {"b": np.array(["cat", "dog"])},
        "model": {"0.weight": np.eye(2, dtype=np.float32)}, "opt": {"state": {0: {"step": 3}}, "betas": (0.9, 0.999)},
        "name": np.str_("mlp"), "epoch": 7, "note": None}))
    assert back["x.npy"].dtype == np.int32 and back["model"]["0.weight"].dtype == np.float32


# ---- crafted and damaged files: always the promised ValueError --------------------------------------------

def _npy(value):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, value, allow_pickle=False)
    return buffer.getvalue()


MANIFEST_OF_W = _npy(np.frombuffer(json.dumps(
    {"format": "nn.save/1", "root": {"dict": [["w", {"array": "w", "scalar": False}]]}}).encode(), np.uint8))


def _archive(path, members):
    """An .npz holding exactly `members`, (name, bytes) pairs, in that order."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in members:
                archive.writestr(name, data)
    return path


def test_a_header_declaring_more_data_than_the_member_holds_is_refused_before_allocating(tmp_path):
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"shape": (10 ** 12,), "fortran_order": False, "descr": "<f8"})
    path = _archive(tmp_path / "huge.npz", [("__manifest__.npy", MANIFEST_OF_W),
                                            ("w.npy", header.getvalue() + np.zeros(2).tobytes())])
    with pytest.raises(ValueError, match=r"huge.npz is not a valid nn.save checkpoint.*member 'w.npy' declares an "
                                         r"array of shape \(1000000000000,\) and dtype float64 .* but holds 16 bytes"):
        nn.load(path)


@pytest.mark.parametrize("offset, value, message", [(10, 1, "is compressed"), (6, 99, "zip file version")],
                         ids=["compression method", "version needed"])
def test_a_corrupted_compression_method_or_version_field_is_refused(tmp_path, offset, value, message):
    data = bytearray(_good_file(tmp_path).read_bytes())
    data[data.find(b"PK\x01\x02") + offset] = value  # in the central directory's first entry
    bad = tmp_path / "bad.npz"
    bad.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=f"bad.npz is not a valid nn.save checkpoint.*{message}"):
        nn.load(bad)


def test_any_single_corrupted_byte_gives_the_promised_error_or_the_saved_state(tmp_path):
    state = {"w": np.arange(3.0), "n": [1, "a"]}
    nn.save(state, tmp_path / "c.npz")
    data, bad = (tmp_path / "c.npz").read_bytes(), tmp_path / "bad.npz"
    for i in range(len(data)):
        for value in (0, 0xFF, data[i] ^ 1):
            bad.write_bytes(data[:i] + bytes([value]) + data[i + 1:])
            try:
                back = nn.load(bad)
            except ValueError as err:
                assert str(bad) in str(err)
            else:  # a byte no reader checks (a timestamp, say)
                assert_same_tree(back, as_loaded(state))


@pytest.mark.parametrize("name, data", [
    ("x.npy", pickle.dumps(Boom())), ("notes.txt", b"hello"), ("x.npy", b""),
], ids=["pickle named .npy", "text", "empty"])
def test_members_that_are_no_npy_arrays_are_refused(tmp_path, name, data):
    manifest = {"format": "nn.save/1", "root": {"array": name.removesuffix(".npy")}}
    path = _archive(tmp_path / "other.npz", [
        ("__manifest__.npy", _npy(np.frombuffer(json.dumps(manifest).encode(), np.uint8))), (name, data)])
    with pytest.raises(ValueError, match=f"other.npz is not an nn.save checkpoint: member '{name}' is not a .npy"):
        nn.load(path)


def test_a_manifest_that_is_no_npy_array_is_refused(tmp_path):
    path = _archive(tmp_path / "m.npz", [("__manifest__.npy", b'{"format": "nn.save/1", "root": {"value": 1}}')])
    with pytest.raises(ValueError, match="m.npz is not an nn.save checkpoint: member '__manifest__.npy' is not a .npy"):
        nn.load(path)


def test_a_npy_header_over_10000_bytes_is_refused_for_its_size_not_as_pickle(tmp_path):
    header = ("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }" + " " * 20_000 + "\n").encode("latin1")
    member = b"\x93NUMPY\x02\x00" + len(header).to_bytes(4, "little") + header + np.zeros(2).tobytes()
    path = _archive(tmp_path / "big.npz", [("__manifest__.npy", MANIFEST_OF_W), ("w.npy", member)])
    with pytest.raises(ValueError, match=f"big.npz .*member 'w.npy' has a .npy header of {len(header):,} bytes; "
                                         "nn.load reads headers of up to 10,000") as info:
        nn.load(path)
    assert "pickle" not in str(info.value)


def test_an_archive_with_two_members_of_one_name_is_refused(tmp_path):
    path = _archive(tmp_path / "twice.npz", [("__manifest__.npy", MANIFEST_OF_W), ("w.npy", _npy(np.zeros(2))),
                                             ("w.npy", _npy(np.ones(2)))])
    with pytest.raises(ValueError, match="twice.npz is not a valid nn.save checkpoint.*two members named 'w.npy'"):
        nn.load(path)


def test_a_bug_in_load_itself_is_not_reported_as_a_damaged_file(tmp_path, monkeypatch):
    path = _good_file(tmp_path)

    def broken(node, arrays):
        raise TypeError("a bug in nn.load")

    monkeypatch.setattr(serialization, "_decode", broken)
    with pytest.raises(TypeError, match="a bug in nn.load"):
        nn.load(path)


# ---- what save refuses, and what it accepts ----------------------------------------------------------------

def _cyclic():
    state = {"epoch": 1}
    state["self"] = state
    return state


def _nested_lists(depth):
    outer = inner = []
    for _ in range(depth):
        inner.append([])
        inner = inner[0]
    return outer


@pytest.mark.parametrize("obj, message", [
    (_cyclic(), "nn.save: self is the dict that holds it \\(a cycle\\); only structures without cycles can be saved"),
    (_nested_lists(5000), "nn.save: 0/0/0/.* is a list inside 100 others; at most 100 levels of dicts, lists and"),
    ({"n": 10 ** 5000}, "nn.save: n is an int of 16,610 bits; ints of up to [0-9,]+ decimal digits can be saved"),
    ({"m": {10 ** 5000: 1}}, "nn.save: a key of m is an int of 16,610 bits"),
], ids=["cycle", "5,000 levels", "5,000-digit int", "5,000-digit key"])
def test_structures_json_cannot_hold_are_refused_naming_save_and_the_key(tmp_path, obj, message):
    with pytest.raises(ValueError, match=message):
        nn.save(obj, tmp_path / "x.npz")
    assert os.listdir(tmp_path) == []


def test_a_path_may_be_bytes_and_one_of_another_type_is_refused_naming_the_operation(tmp_path):
    path = os.fsencode(tmp_path / "c.npz")
    nn.save({"w": np.ones(2)}, path)
    assert nn.load(path)["w"].tolist() == [1.0, 1.0] and os.listdir(tmp_path) == ["c.npz"]
    with pytest.raises(TypeError, match="nn.save: path must be a str, bytes or os.PathLike, not int"):
        nn.save({}, 3)
    with pytest.raises(TypeError, match="nn.load: path must be a str, bytes or os.PathLike, not NoneType"):
        nn.load(None)


@pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")
@pytest.mark.parametrize("make", [lambda: np.ma.array([1.0, 2.0], mask=[False, True]), lambda: np.matrix([[1.0, 2.0]])],
                         ids=["masked array", "matrix"])
def test_ndarray_subclasses_are_refused_suggesting_asarray(tmp_path, make):
    value = make()
    with pytest.raises(TypeError, match=r"nn.save: m is a (MaskedArray|matrix) \(an ndarray subclass\), which would load "
                                        r"back as a plain ndarray.*np.asarray\(value\)"):
        nn.save({"m": value}, tmp_path / "m.npz")
    assert os.listdir(tmp_path) == []


def test_a_memmap_is_saved_as_its_values(tmp_path):
    values = np.memmap(tmp_path / "values.dat", dtype=np.float32, mode="w+", shape=(3,))
    values[:] = [1.0, 2.0, 3.0]
    nn.save({"m": values}, tmp_path / "c.npz")
    back = nn.load(tmp_path / "c.npz")["m"]
    assert type(back) is ag.Tensor and back.dtype == np.float32 and back.tolist() == [1.0, 2.0, 3.0]
    assert type(back.data) is np.ndarray  # (its values, not a view into the memmap's file)


def test_a_member_holding_more_bytes_than_its_header_declares_is_refused(tmp_path):
    path, spoiled = tmp_path / "m.npz", tmp_path / "spoiled.npz"
    nn.save({"w": np.arange(4.0)}, path)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(spoiled, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "w.npy":
                data += b"\0" * 16  # two more float64s than the shape (4,) holds
            dst.writestr(info.filename, data)
    with pytest.raises(ValueError, match="holds"):
        nn.load(spoiled)


def test_save_writes_an_array_past_the_zip64_limit(tmp_path, monkeypatch):
    """A member larger than zipfile's ZIP64_LIMIT (2 GiB) needs zip64 records from the start: with the limit lowered
    to 1 KiB, a 4 KiB array stands in for a 2 GiB one and must save and load back unchanged."""
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 1 << 10)
    weights = np.arange(512, dtype=np.float64)
    nn.save({"w": weights}, tmp_path / "big.npz")
    np.testing.assert_array_equal(nn.load(tmp_path / "big.npz")["w"], weights)


# ---- archives crafted to overlap (a zip bomb) ---------------------------------------------------
def _npy_header(n):
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": "|u1", "fortran_order": False, "shape": (n,)})
    return buf.getvalue()


def _stored_local_header(name, data):
    crc = zipfile.crc32(data)
    return struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, crc, len(data), len(data), len(name), 0) + name


def _central_entry(name, data, offset):
    crc = zipfile.crc32(data)
    return struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, crc, len(data), len(data), len(name),
                       0, 0, 0, 0, 0, offset) + name


def _overlapping_checkpoint(path, members, payload):
    """A valid-looking nn.save archive of `members` stored .npy members whose data overlap: member i's data is a
    uint8 .npy holding the local headers and data of members i+1, ... and the payload (David Fifield's
    "quoted overlap" zip bomb). Each member fits in the file and passes its CRC; together they hold about
    members * payload bytes."""
    names = [f"m{i:04d}.npy".encode() for i in range(members)]
    blob, parts = bytes(payload), []
    for name in reversed(names):
        data = _npy_header(len(blob)) + blob
        header = _stored_local_header(name, data)
        parts.append((name, data, len(header) + len(data) - len(blob)))
        blob = header + data
    parts.reverse()
    manifest = b'{"format": "nn.save/1", "root": {"array": "m0000"}}'
    mdata = _npy_header(len(manifest)) + manifest
    mname = b"__manifest__.npy"
    body = blob + _stored_local_header(mname, mdata) + mdata
    directory, offset = b"", 0
    for name, data, own in parts:
        directory += _central_entry(name, data, offset)
        offset += own
    directory += _central_entry(mname, mdata, len(blob))
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, members + 1, members + 1, len(directory), len(body), 0)
    path.write_bytes(body + directory + end)


def test_an_archive_whose_members_overlap_is_refused_without_reading_more_than_the_file_holds(tmp_path):
    path = tmp_path / "bomb.npz"
    _overlapping_checkpoint(path, members=64, payload=64 * 1024)
    size = path.stat().st_size  # about 75 kB, whose members add up to over 4 MB
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="nn.load: .*bomb.npz"):
            nn.load(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * size  # the module's own promise: never allocate more than the file holds


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX named pipes")
def test_saving_to_a_named_pipe_or_device_is_refused_and_never_replaces_it(tmp_path):
    # An atomic write renames a new file over the path: over a named pipe, or os.devnull, that would replace it.
    path = tmp_path / "pipe"
    os.mkfifo(path)
    with pytest.raises(OSError, match=rf"^\[Errno 22\] nn.save: cannot write {path}: it is a named pipe, not a "
                                      r"regular file.*give the path of a regular file$"):
        nn.save({"w": np.arange(3.0)}, path)
    assert stat.S_ISFIFO(os.stat(path).st_mode) and os.listdir(tmp_path) == ["pipe"]
    # (A device such as os.devnull is refused the same way; not tried here: were the check broken, the test would
    # replace the machine's /dev/null when run as root.)


def test_a_read_only_checkpoint_is_not_replaced(tmp_path, monkeypatch):
    # As open() would refuse it. (The suite may run as root, for whom every file is writable: access is faked.)
    path = tmp_path / "kept.npz"
    nn.save({"w": np.arange(3.0)}, path)
    before = path.read_bytes()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if os.fspath(p) == str(path) else real_access(p, mode))
    with pytest.raises(PermissionError, match=rf"nn.save: cannot write {path}: the file is read-only"):
        nn.save({"w": np.zeros(3)}, path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["kept.npz"]


def test_a_recompressed_checkpoint_is_refused_as_compressed_not_as_overlapping(tmp_path):
    # A checkpoint re-zipped with compression (zip -9, or a tool's archiving) holds no overlapping members: its
    # members' declared (uncompressed) sizes exceed the file's only because they are compressed. Before de062a1..
    # nn.load said "member 'weight.npy' is compressed"; now it says "they overlap, which nn.save never writes".
    plain, deflated = tmp_path / "c.npz", tmp_path / "c_deflated.npz"
    nn.save({"weight": np.zeros((200, 200)), "bias": np.zeros(200)}, plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(deflated, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    with zipfile.ZipFile(deflated) as archive:  # independent check: no member overlaps another
        spans = sorted((i.header_offset, i.header_offset + 30 + len(i.filename) + i.compress_size)
                       for i in archive.infolist())
    assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:]))
    with pytest.raises(ValueError) as err:
        nn.load(deflated)
    assert "compressed" in str(err.value) and "overlap" not in str(err.value)


def test_a_device_at_the_path_is_refused_and_left_in_place(tmp_path, monkeypatch):
    # A character device (os.devnull, say), faked: the path's stat reports one.
    path = tmp_path / "device"
    path.write_bytes(b"kept")
    real_stat = os.stat
    device = os.stat_result((stat.S_IFCHR | 0o666, *tuple(real_stat(path))[1:]))
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: device if os.fspath(p) == str(path) else real_stat(p, *a, **k))
    with pytest.raises(OSError, match=rf"nn.save: cannot write {path}: it is a character device, not a regular file"):
        nn.save({"w": np.arange(3.0)}, path)
    monkeypatch.undo()
    assert path.read_bytes() == b"kept" and os.listdir(tmp_path) == ["device"]
