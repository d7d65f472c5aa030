"""nn.load of archives altered after nn.save wrote them (test_serialization.py has the rest): a file with members its
manifest does not name is refused, as the module's contract says, and so is a manifest naming one array twice (two
entries would share one array's memory); arrays saved at coinciding paths still load."""
import json
import zipfile

import numpy as np
import pytest

import autograd_core as ag
import nn


def write_archive(path, members, root):
    """An .npz of the given arrays and a manifest whose root is `root`, as nn.save lays it out."""
    manifest = np.frombuffer(json.dumps({"format": "nn.save/1", "root": root}).encode(), dtype=np.uint8)
    with zipfile.ZipFile(path, "w") as archive:
        for name, value in {**members, "__manifest__": manifest}.items():
            with archive.open(name + ".npy", "w") as member:
                np.lib.format.write_array(member, value, allow_pickle=False)


def test_a_member_the_manifest_does_not_name_is_refused(tmp_path):
    path = tmp_path / "ckpt.npz"
    nn.save({"w": np.ones(2)}, path)
    with zipfile.ZipFile(path, "a") as archive:
        with archive.open("extra.npy", "w") as member:
            np.lib.format.write_array(member, np.ones(3))
    with pytest.raises(ValueError, match=r"nn.load: .*ckpt.npz is not a valid nn.save checkpoint .*: the archive holds "
                                         r"1 member its manifest does not name \('extra.npy'\)"):
        nn.load(path)


def test_an_array_named_twice_by_the_manifest_is_refused(tmp_path):
    path = tmp_path / "twice.npz"
    write_archive(path, {"w": np.ones(2)}, {"list": [{"array": "w"}, {"array": "w"}]})
    with pytest.raises(ValueError, match=r"the manifest names an array 'w' that the archive does not hold, or names "
                                         r"it twice"):
        nn.load(path)
    write_archive(path, {"w": np.ones(2)}, {"list": [{"array": "w"}]})  # named once: loads
    assert [a.tolist() for a in nn.load(path)] == [[1.0, 1.0]]


def test_checkpoints_with_arrays_at_coinciding_paths_still_load(tmp_path):
    # (names made unique with "#n" are all in the manifest)
    obj = {"a/b": np.zeros(1), "a": {"b": np.ones(1)}, "x.npy": np.full(1, 2.0), "__manifest__": np.full(1, 3.0)}
    nn.save(obj, tmp_path / "c.npz")
    back = nn.load(tmp_path / "c.npz")
    assert {k: v.tolist() if isinstance(v, ag.Tensor) else {"b": v["b"].tolist()} for k, v in back.items()} == \
        {"a/b": [0.0], "a": {"b": [1.0]}, "x.npy": [2.0], "__manifest__": [3.0]}


# A module or optimizer given whole (torch.save(model, PATH) pickles it) is refused with what to save instead
def test_saving_a_module_or_optimizer_says_to_save_its_state_dict(tmp_path):
    model = nn.Linear(2, 1)
    for obj, name in ((model, "Linear"), (nn.optim.SGD(model.parameters(), lr=0.1), "SGD")):
        with pytest.raises(TypeError, match=rf"nn.save: <root> is a {name}; .* save its state dict instead "
                                            rf"\(nn.save\(x.state_dict\(\), path\)\) and load it into a new {name} "
                                            rf"with x.load_state_dict\(nn.load\(path\)\)"):
            nn.save(obj, tmp_path / "m.npz")
    with pytest.raises(TypeError, match=r"nn.save: model is a Linear; .*state dict instead"):
        nn.save({"model": model}, tmp_path / "m.npz")


# torch.load's map_location and weights_only are taken, so the tutorials' torch.load(PATH, weights_only=True) ports as is
def test_load_takes_torchs_map_location_and_weights_only(tmp_path):
    path = tmp_path / "m.pth"
    nn.save({"w": np.arange(3.0)}, path)
    for kwargs in ({"weights_only": True}, {"map_location": "cpu"}, {"map_location": "cpu:0", "weights_only": None}):
        np.testing.assert_array_equal(nn.load(path, **kwargs)["w"], np.arange(3.0))
    np.testing.assert_array_equal(nn.load(path, "cpu")["w"], np.arange(3.0))  # (map_location is torch's second)
    with pytest.raises(ValueError, match=r"nn.load: weights_only must be True or None, got False; nn.load never "
                                         r"unpickles"):
        nn.load(path, weights_only=False)
    with pytest.raises(ValueError, match=r"nn.load: map_location 'cuda' is not available: .* use 'cpu' \(or leave map_location out\)"):
        nn.load(path, map_location="cuda")


# torch.load's other map_location forms, where they keep the CPU: CS224n a4's NMT.load passes the function
# `lambda storage, loc: storage` (each storage where it was saved); one that moves storages, or a dict to a GPU, is
# refused
def test_load_takes_map_location_functions_and_dicts_that_keep_the_cpu(tmp_path):
    path = tmp_path / "m.bin"
    nn.save({"state_dict": {"w": np.arange(3.0)}, "args": {"hidden_size": 4}}, path)
    for map_location in (lambda storage, loc: storage, {"cuda:0": "cpu"}, {}):
        loaded = nn.load(path, map_location=map_location)
        np.testing.assert_array_equal(loaded["state_dict"]["w"], np.arange(3.0))
        assert loaded["args"] == {"hidden_size": 4}
    with pytest.raises(ValueError, match=r"nn.load: map_location, a function, returned something other than the "
                                         r"storage it was given .* lambda storage, loc: storage"):
        nn.load(path, map_location=lambda storage, loc: "cuda:0")
    with pytest.raises(ValueError, match=r"nn.load: map_location, a function, failed on a CPU storage "
                                         r"\(AttributeError: .*cuda.*\)"):
        nn.load(path, map_location=lambda storage, loc: storage.cuda(0))
    with pytest.raises(ValueError, match=r"nn.load: map_location's device 'cuda:1' is not available"):
        nn.load(path, map_location={"cuda:0": "cuda:1"})
    torch = pytest.importorskip("torch")  # (torch.load takes the same forms)
    torch.save({"w": torch.arange(3.0)}, tmp_path / "t.pth")
    for map_location in (lambda storage, loc: storage, {"cuda:0": "cpu"}):
        assert torch.load(tmp_path / "t.pth", map_location=map_location)["w"].tolist() == [0.0, 1.0, 2.0]


# torch.load's mmap (module_load_state_dict_tips recipe): False and None are taken; True is refused, saying why,
# rather than read into memory silently
def test_load_takes_torchs_mmap_false_and_refuses_true(tmp_path):
    path = tmp_path / "m.pth"
    nn.save({"w": np.arange(3.0)}, path)
    for mmap in (None, False):
        np.testing.assert_array_equal(nn.load(path, mmap=mmap, weights_only=True)["w"], np.arange(3.0))
    with pytest.raises(ValueError, match=r"nn.load: mmap must be False or None, got True; nn.load reads every array "
                                         r"into memory"):
        nn.load(path, mmap=True)


# torch.save(obj, f) and torch.load(f) take open binary files (the book "Deep Learning with PyTorch", ch. 3, writes
# `with open(path, 'wb') as f: torch.save(points, f)`): nn.save and nn.load do too, a text file is refused.

def test_save_and_load_take_open_binary_files(tmp_path):
    import io
    state = {"w": np.arange(6.0).reshape(2, 3), "epoch": 3}
    with open(tmp_path / "ckpt.pt", "wb") as f:
        nn.save(state, f)
    with open(tmp_path / "ckpt.pt", "rb") as f:
        loaded = nn.load(f)
    np.testing.assert_array_equal(loaded["w"], state["w"])
    assert loaded["epoch"] == 3
    np.testing.assert_array_equal(nn.load(tmp_path / "ckpt.pt")["w"], state["w"])  # the same file as a path gives
    buffer = io.BytesIO()
    nn.save(state, buffer)
    buffer.seek(0)
    np.testing.assert_array_equal(nn.load(buffer)["w"], state["w"])
    with open(tmp_path / "text.pt", "w") as f, pytest.raises(TypeError, match=r"nn.save: the file .*text.pt' is open "
                                                                               r"in text mode; open it in binary mode "
                                                                               r"\('wb'\)"):
        nn.save(state, f)
    with pytest.raises(ValueError, match=r"nn.load: BytesIO is not an nn.save checkpoint: it is not an .npz"):
        nn.load(io.BytesIO(b"not a zip at all"))


def test_a_file_torch_save_wrote_to_a_buffer_is_refused_not_unpickled(tmp_path):
    torch = pytest.importorskip("torch")
    import io
    buffer = io.BytesIO()
    torch.save({"w": torch.ones(2)}, buffer)  # (a zip too, holding a pickle: nn.load reads .npy members only)
    buffer.seek(0)
    with pytest.raises(ValueError, match=r"nn.load: BytesIO is not"):
        nn.load(buffer)


# torch.save(obj=..., f=PATH) and torch.load(f=PATH), as the Zero to Mastery course writes them: f= is torch's name
# for the path (or open file)
def test_save_and_load_take_torchs_f_keyword(tmp_path):
    path = tmp_path / "01_pytorch_workflow_model_0.pth"
    state = {"weights": np.array([0.7], dtype=np.float32), "bias": np.array([0.3], dtype=np.float32)}
    nn.save(obj=state, f=path)
    loaded = nn.load(f=path)
    assert loaded.keys() == state.keys()
    for key in state:
        np.testing.assert_array_equal(loaded[key], state[key])
        assert loaded[key].dtype == np.float32
    with open(path, "rb") as f:
        np.testing.assert_array_equal(nn.load(f=f)["bias"], state["bias"])
    with pytest.raises(TypeError, match="nn.save: got both path=.* and f=.*; give one of them"):
        nn.save(state, path, f=path)
    with pytest.raises(TypeError, match="nn.load: missing the argument path"):
        nn.load()
    torch = pytest.importorskip("torch")  # (torch's own names: obj= and f=)
    torch.save(obj={"w": torch.zeros(1)}, f=tmp_path / "t.pth")
    assert torch.load(f=tmp_path / "t.pth")["w"].tolist() == [0.0]


# nn.load gives arrays of numbers and bools back as constant Tensors, as torch.load gives tensors: an EMA written for
# torch (shadow.sub_, .clone(), .to()) loads its shadow parameters as is
def test_load_gives_numbers_as_constant_tensors_sharing_the_read_memory_in_their_dtype(tmp_path):
    state = {"w": np.arange(6, dtype=np.float32).reshape(2, 3), "ids": np.array([3, -1], dtype=np.int16),
             "mask": np.array([True, False]), "names": np.array(["a", "bc"]), "scalar": np.float32(2.5),
             "epoch": 3, "note": "ok", "flag": True, "nested": [(np.ones(2),)]}
    nn.save(state, tmp_path / "c.npz")
    back = nn.load(tmp_path / "c.npz")
    for key in ("w", "ids", "mask"):
        loaded = back[key]
        assert type(loaded) is ag.Tensor and not loaded.requires_grad and loaded.grad_fn is None
        assert loaded.dtype == state[key].dtype and loaded.shape == state[key].shape
        np.testing.assert_array_equal(loaded.data, state[key])
    assert type(back["nested"][0][0]) is ag.Tensor and back["nested"][0][0].tolist() == [1.0, 1.0]
    assert type(back["names"]) is np.ndarray and back["names"].tolist() == ["a", "bc"]  # strings stay arrays
    assert type(back["scalar"]) is np.float32 and back["scalar"] == 2.5  # NumPy scalars stay scalars
    assert (back["epoch"], back["note"], back["flag"]) == (3, "ok", True)  # Python values stay what they are
    assert type(back["epoch"]) is int and type(back["flag"]) is bool


def test_a_loaded_tensor_wraps_the_array_it_was_read_into_without_a_copy(tmp_path, monkeypatch):
    read = []
    real = np.lib.format.read_array
    monkeypatch.setattr(np.lib.format, "read_array", lambda *a, **k: read.append(real(*a, **k)) or read[-1])
    nn.save({"w": np.arange(4.0)}, tmp_path / "c.npz")
    back = nn.load(tmp_path / "c.npz")["w"]
    assert any(back.data is array for array in read)  # the very array NumPy read: memory shared, nothing copied


def test_an_ema_written_for_torch_load_runs_on_nn_load(tmp_path):
    """score_sde_pytorch's ExponentialMovingAverage: load_state_dict keeps the loaded shadow parameters and updates
    them with Tensor methods."""
    model = nn.Linear(3, 2, rng=0)
    shadow = [p.clone().detach() for p in model.parameters()]
    nn.save({"shadow_params": shadow, "decay": 0.9}, tmp_path / "ema.npz")
    back = nn.load(tmp_path / "ema.npz")
    loaded = [p.clone().to(np.float64) for p in back["shadow_params"]]
    with ag.no_grad():
        for s, p in zip(loaded, model.parameters()):
            s.sub_((1 - back["decay"]) * (s - p))  # p equals s: nothing changes
    for s, p in zip(loaded, model.parameters()):
        assert type(s) is ag.Tensor and s.size(0) == p.shape[0]
        np.testing.assert_array_equal(s.data, p.data)


def test_model_and_adam_round_trip_through_a_checkpoint_bit_for_bit(tmp_path):
    rng = np.random.default_rng(0)
    x, y = ag.tensor(rng.standard_normal((8, 3))), ag.tensor(rng.standard_normal((8, 2)))

    def train(model, opt, steps):
        for _ in range(steps):
            opt.zero_grad()
            ((model(x) - y) ** 2).mean().backward()
            opt.step()

    model = nn.Linear(3, 2, rng=1)
    opt = nn.optim.Adam(model.parameters(), lr=0.01)
    train(model, opt, 3)
    nn.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, tmp_path / "c.npz")
    back = nn.load(tmp_path / "c.npz")
    assert type(back["optimizer"]["state"][0]["exp_avg"]) is ag.Tensor
    assert type(back["optimizer"]["state"][0]["step"]) is int  # a count stays a number
    again = nn.Linear(3, 2, rng=2)
    again_opt = nn.optim.Adam(again.parameters(), lr=0.01)
    again.load_state_dict(back["model"])
    again_opt.load_state_dict(back["optimizer"])
    for p, (index, saved) in zip(again.parameters(), back["optimizer"]["state"].items()):
        for k, v in again_opt.state[p].items():  # a buffer a new Tensor (as PyTorch's deep copy), a count an int
            assert type(v) is (int if k == "step" else ag.Tensor), k
            assert k == "step" or not np.shares_memory(v.data, saved[k].data), k
    train(model, opt, 2)
    train(again, again_opt, 2)
    for a, b in zip(model.parameters(), again.parameters()):
        assert a.data.tobytes() == b.data.tobytes()
    assert again(x).data.tobytes() == model(x).data.tobytes()


def test_load_gives_what_torch_load_gives_for_the_same_state(tmp_path):
    torch = pytest.importorskip("torch")
    state = {"w": np.arange(6, dtype=np.float32).reshape(2, 3), "ids": np.arange(3), "mask": np.array([True, False]),
             "epoch": 3}
    torch.save({k: torch.from_numpy(v) if isinstance(v, np.ndarray) else v for k, v in state.items()},
               tmp_path / "t.pt")
    theirs = torch.load(tmp_path / "t.pt", weights_only=True)
    nn.save(state, tmp_path / "c.npz")
    ours = nn.load(tmp_path / "c.npz")
    for key in ("w", "ids", "mask"):
        assert isinstance(theirs[key], torch.Tensor) and isinstance(ours[key], ag.Tensor)
        assert str(theirs[key].numpy().dtype) == str(ours[key].dtype)
        np.testing.assert_array_equal(ours[key].data, theirs[key].numpy())
    assert ours["epoch"] == theirs["epoch"] == 3 and type(ours["epoch"]) is type(theirs["epoch"])
