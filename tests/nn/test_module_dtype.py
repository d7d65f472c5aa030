"""Module's dtype casts (nn/module.py): to, double, float and half, in place, against PyTorch's."""
import re

import numpy as np
import pytest

import autograd_core as ag
import nn
from test_module_registry import _Tree, _torch_tree  # the module tree with every kind of place


# ---- to, double, float, half ---------------------------------------------------------------------------------
def _float_tensors(module):
    """{dotted name: dtype} of every Parameter and buffer."""
    return {**{name: p.dtype for name, p in module.named_parameters()},
            **{name: b.dtype for name, b in module.named_buffers()}}


@pytest.mark.parametrize("cast, dtype", [(lambda m: m.double(), np.float64), (lambda m: m.half(), np.float16),
                                         (lambda m: m.double().float(), np.float32),
                                         (lambda m: m.to(np.float64), np.float64),
                                         (lambda m: m.to("float16"), np.float16),
                                         (lambda m: m.to(dtype="float64"), np.float64),
                                         (lambda m: m.to("cpu", np.float64, non_blocking=True), np.float64),
                                         (lambda m: m.to(ag.zeros(1, dtype=np.float16)), np.float16),
                                         (lambda m: m.to(np.zeros(1)), np.float64)])  # (to(tensor): its dtype)
def test_to_casts_every_float_parameter_and_buffer_in_place_and_returns_self(cast, dtype):
    tree = _Tree()
    tree.register_buffer("counts", np.zeros(3, dtype=np.int32))
    tree.register_buffer("mask", np.ones(3, dtype=bool), persistent=False)
    tree.frozen = nn.Parameter(np.arange(3), requires_grad=False)  # an integer Parameter
    tree.seq[0].bias.requires_grad_(False)
    params = dict(tree.named_parameters())
    assert cast(tree) is tree
    integers = {"frozen", "counts", "mask", "seq.1.0.num_batches_tracked"}
    assert {name: d for name, d in _float_tensors(tree).items() if name not in integers} == dict.fromkeys(
        set(_float_tensors(tree)) - integers, np.dtype(dtype))  # in containers, plain lists and dicts: all cast
    assert (tree.frozen.dtype, tree.counts.dtype, tree.mask.dtype, tree.seq[1][0].num_batches_tracked.dtype) == (
        np.dtype(int), np.int32, bool, np.int64)  # integer and bool ones are left alone, as in torch
    assert all(p is params[name] for name, p in tree.named_parameters())  # the same Parameter objects
    assert not tree.seq[0].bias.requires_grad and tree.seq[0].weight.requires_grad  # each keeps its flag


def test_to_casts_the_values_and_leaves_nothing_shared_with_the_old_ones():
    layer = nn.Linear(3, 2, rng=0)
    old = layer.weight.data
    view = layer.weight.detach()  # shares the old memory
    layer.double()
    np.testing.assert_array_equal(layer.weight.data, old.astype(np.float64))
    assert view.dtype == np.float32 and not np.shares_memory(view.data, layer.weight.data)


def test_a_shared_parameter_is_cast_once_and_stays_shared():
    shared = nn.Linear(2, 2, rng=0)
    net = nn.Sequential(shared, nn.ReLU(), shared).half()
    assert net[0].weight is net[2].weight and shared.weight.dtype == np.float16
    x = np.ones((1, 2), np.float32)
    np.testing.assert_array_equal(net(x).data, shared(shared(x).relu()).data)


def test_to_casts_each_grad_keeping_the_grad_object_as_torch():
    layer = nn.Linear(2, 2, rng=0)
    layer(np.ones((3, 2), np.float32)).sum().backward()
    grad, value = layer.weight.grad, layer.weight.grad.data.copy()
    layer.double()
    assert layer.weight.grad is grad and grad.dtype == np.float64 and layer.bias.grad.dtype == np.float64
    np.testing.assert_array_equal(grad.data, value)
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Linear(2, 2)
    theirs(torch.ones(3, 2)).sum().backward()
    tgrad = theirs.weight.grad
    theirs.double()
    assert theirs.weight.grad is tgrad and tgrad.dtype == torch.float64


def test_a_recorded_grad_becomes_its_recorded_cast_and_its_graph_keeps_the_old_values():
    layer = nn.Linear(2, 1, rng=0)
    x = ag.tensor(np.ones((3, 2), np.float32), requires_grad=True)
    (layer(x) ** 2).sum().backward(create_graph=True)  # .grad is part of a graph
    recorded = layer.weight.grad
    layer.double()
    assert layer.weight.grad is not recorded and recorded.dtype == np.float32
    assert layer.weight.grad.dtype == np.float64 and layer.weight.grad.op_name == "astype"
    np.testing.assert_array_equal(layer.weight.grad.data, recorded.data.astype(np.float64))


def test_a_graph_recorded_before_the_cast_refuses_to_backpropagate():
    layer = nn.Linear(2, 1, rng=0)
    out = layer(ag.tensor(np.ones((1, 2), np.float32), requires_grad=True)).sum()
    layer.double()
    with pytest.raises(RuntimeError, match=r"the 'linear' node saved for its gradient, an input .* was changed"):
        out.backward()
    kept = nn.Linear(2, 1, rng=0)
    out = kept(ag.tensor(np.ones((1, 2), np.float32), requires_grad=True)).sum()
    kept.float().to("cpu")  # float32 already: nothing changes, the graph stays valid
    out.backward()
    assert kept.weight.grad.dtype == np.float32
    unread = nn.Linear(2, 1, rng=0)
    out = unread(np.ones((1, 2), np.float32)).sum()  # the weight's gradient reads the input, not the weight
    unread.double()
    out.backward()  # (torch's arrives in float32, the old dtype)
    assert unread.weight.grad.dtype == unread.bias.grad.dtype == np.float64


def test_an_optimizer_built_before_double_steps_the_same_parameters_as_one_built_in_float64():
    before = nn.Sequential(nn.Linear(3, 4, rng=0), nn.Tanh(), nn.Linear(4, 1, rng=1))
    optimizer = nn.optim.SGD(before.parameters(), lr=0.1, momentum=0.9)
    before.double()
    after = nn.Sequential(nn.Linear(3, 4, dtype=np.float64), nn.Tanh(), nn.Linear(4, 1, dtype=np.float64))
    after.load_state_dict(before.state_dict())
    reference = nn.optim.SGD(after.parameters(), lr=0.1, momentum=0.9)
    x, y = np.random.default_rng(0).normal(size=(8, 3)), np.zeros((8, 1))
    for model, opt in ((before, optimizer), (after, reference)):
        for _ in range(3):
            opt.zero_grad()
            nn.MSELoss()(model(x), y).backward()
            opt.step()
    for p, q in zip(before.parameters(), after.parameters()):
        assert p.dtype == np.float64
        np.testing.assert_array_equal(p.data, q.data)


@pytest.mark.parametrize("build, x", [
    (lambda: nn.Linear(2, 3, rng=0), np.ones((4, 2))),
    (lambda: nn.Maxout(2, 3, 2, rng=0), np.ones((4, 2))),
    (lambda: nn.Embedding(5, 3, rng=0), np.array([[0, 4], [1, 1]])),
    (lambda: nn.LayerNorm(2), np.arange(8.0).reshape(4, 2)),
    (lambda: nn.BatchNorm1d(2), np.arange(8.0).reshape(4, 2)),
    (lambda: nn.MLP([2, 3, 1], rng=0), np.ones((4, 2))),
])
@pytest.mark.parametrize("cast, dtype", [("double", np.float64), ("half", np.float16), ("float", np.float32)])
def test_layers_compute_in_the_dtype_they_are_cast_to_whatever_the_inputs(build, x, cast, dtype):
    layer = getattr(build().to(np.float64 if cast == "float" else np.float32), cast)()
    for input_dtype in ((np.float32, np.float64) if x.dtype.kind == "f" else (x.dtype,)):
        out = layer(x.astype(input_dtype))
        assert out.dtype == dtype  # Linear casts an input of another dtype to its weight's, and so do the others
        out.sum().backward()
        assert all(p.grad.dtype == dtype for p in layer.parameters())
        layer.zero_grad()
    if hasattr(layer, "running_mean"):
        assert layer.running_mean.dtype == layer.running_var.dtype == dtype and layer.dtype == dtype


def test_a_norm_without_parameters_takes_its_dtype_from_its_running_statistics_or_keeps_the_one_given():
    # (without parameters a float input keeps its dtype, as in torch; an integer one is cast to the layer's dtype)
    tracked, plain = nn.BatchNorm1d(2, affine=False).double(), nn.LayerNorm(2, elementwise_affine=False).double()
    assert tracked.dtype == tracked.running_mean.dtype == np.float64 and plain.dtype == np.float32
    assert tracked(np.arange(8).reshape(4, 2)).dtype == np.float64
    assert tracked(np.ones((4, 2), np.float32)).dtype == np.float32


def test_half_agrees_with_torchs_half_to_float16_rounding():
    torch = pytest.importorskip("torch")
    ours = nn.Sequential(nn.Linear(4, 5, rng=0), nn.LayerNorm(5), nn.Tanh(), nn.Linear(5, 3, rng=1)).half()
    theirs = torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.LayerNorm(5), torch.nn.Tanh(),
                                 torch.nn.Linear(5, 3)).half()
    theirs.load_state_dict({key: torch.from_numpy(value) for key, value in ours.state_dict().items()})
    x = np.random.default_rng(0).normal(size=(6, 4)).astype(np.float16)
    out, tout = ours(x), theirs(torch.from_numpy(x))
    assert out.dtype == np.float16 and tout.dtype == torch.float16
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=2e-3, atol=2e-3)


def test_to_casts_the_same_parameters_and_buffers_as_torch():
    torch = pytest.importorskip("torch")
    ours, theirs = _Tree(), _torch_tree(torch)
    for cast in ("double", "half", "float"):
        getattr(ours, cast)(), getattr(theirs, cast)()
        assert {name: str(d) for name, d in _float_tensors(ours).items()} == {
            name: str(t.dtype).replace("torch.", "") for name, t in [*theirs.named_parameters(),
                                                                    *theirs.named_buffers()]}


@pytest.mark.parametrize("args, kwargs", [((), {}), ((None,), {}), (("cpu",), {}), ((), {"device": "cpu"}),
                                          ((), {"dtype": None, "non_blocking": False}),
                                          ((), {"memory_format": ag.contiguous_format}),
                                          (("cpu",), {"memory_format": ag.preserve_format})])
def test_to_without_a_dtype_changes_nothing(args, kwargs):
    layer = nn.Linear(2, 2, rng=0)
    weight = layer.weight.data
    out = layer(ag.tensor(np.ones((1, 2), np.float32), requires_grad=True)).sum()
    assert layer.to(*args, **kwargs) is layer and layer.weight.data is weight
    out.backward()  # not counted as a change


# (args, kwargs, error, message): each a TypeError or ValueError naming Linear.to and the value
TO_ERRORS = [
    ((np.int64,), {}, TypeError, r"Linear.to: dtype must be float16, float32 or float64, got int64 \(a cast applies "
                                 r"to float Parameters and buffers; integer and bool ones keep their dtype\)"),
    (("bool",), {}, TypeError, r"Linear.to: dtype must be float16, float32 or float64, got bool"),
    ((), {"dtype": np.complex64}, TypeError, r"got complex64 \(autograd_core has no complex numbers\)"),
    ((ag.tensor([1, 2]),), {}, TypeError, r"Linear.to: dtype must be float16, float32 or float64, got int64"),
    ((3,), {}, TypeError, r"Linear.to: dtype must be float16, float32 or float64 \(a NumPy dtype or its name\), "
                          r"got 3"),
    (("cuda",), {}, RuntimeError, r"Linear.to: device 'cuda' is not available: autograd_core computes on the CPU "
                                  r"with NumPy; use 'cpu'"),
    ((), {"device": "mps", "dtype": np.float64}, ValueError, r"Linear.to: device 'mps' is not available"),
    ((), {"device": 0}, TypeError, r"Linear.to: 0 is neither a float dtype"),
    (("flaot64",), {}, ValueError, r"Linear.to: 'flaot64' is neither a float dtype"),
    ((np.float32,), {"dtype": np.float64}, TypeError, r"Linear.to: dtype given twice"),
    (("cpu", "cpu"), {}, TypeError, r"Linear.to: device given twice \('cpu' and 'cpu'\)"),
    ((), {"memory": None}, TypeError, r"Linear.to: unexpected keyword argument 'memory'; it takes dtype=, device=, "
                                      r"non_blocking= and memory_format="),
    ((), {"memory_format": "channels_last"}, TypeError, r"Linear.to: memory_format must be ag.preserve_format or "
                                                        r"ag.contiguous_format"),
    (("cpu", np.float64, False, None), {}, TypeError, r"Linear.to: takes at most 3 positional arguments"),
    ((np.float64,), {"non_blocking": "yes"}, TypeError, r"Linear.to: non_blocking must be True or False, got 'yes'"),
]


@pytest.mark.parametrize("args, kwargs, error, message", TO_ERRORS)
def test_to_refuses_what_is_no_float_dtype_nor_the_cpu_and_changes_nothing(args, kwargs, error, message):
    layer = nn.Linear(2, 2, rng=0)
    with pytest.raises(error, match=message):
        layer.to(*args, **kwargs)
    assert layer.weight.dtype == np.float32


def test_to_takes_memory_format_with_a_dtype_as_torch():
    # Pytorch-UNet's train.py: model.to(memory_format=...) (a layout: NumPy's arrays keep theirs, so no change)
    layer = nn.Conv2d(3, 4, 1)
    assert layer.to(np.float64, memory_format=ag.contiguous_format) is layer
    assert layer.weight.dtype == np.float64 and layer.weight.data.flags.c_contiguous
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Conv2d(3, 4, 1)
    assert theirs.to(torch.float64, memory_format=torch.contiguous_format) is theirs
    assert theirs.weight.dtype == torch.float64 and theirs.weight.is_contiguous()


def test_torch_refuses_an_integer_dtype_with_a_type_error_too():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="only accepts floating point"):
        torch.nn.Linear(2, 2).to(torch.int64)
    assert torch.nn.Linear(2, 2).to("cpu").weight.dtype == torch.float32  # and takes "cpu" as it is


def test_to_refuses_copy_with_torchs_runtime_error():
    # found by porting PyTorch's test_nn.py (test_to): to("cpu", copy=True) raised a TypeError only
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="copy"):
        torch.nn.Linear(3, 5).to("cpu", copy=True)
    layer = nn.Linear(3, 5)
    with pytest.raises(RuntimeError, match=r"Linear.to: copy= is not accepted") as error:
        layer.to("cpu", dtype=np.float64, copy=True)
    assert isinstance(error.value, TypeError) and layer.weight.dtype == np.float32


@pytest.mark.parametrize("dst_type, dtype", [(np.float64, np.float64), ("float16", np.float16),
                                             (ag.DoubleTensor, np.float64), ("torch.HalfTensor", np.float16)])
def test_type_casts_every_parameter_and_buffer_in_place_integer_ones_too_as_torchs(dst_type, dtype):
    # found by porting PyTorch's test_nn.py: Module.type(dst_type), to()'s kin, was missing (an AttributeError);
    # then it kept integer buffers (num_batches_tracked) as to() does, where PyTorch's type casts every tensor
    net = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    weight, count = net[0].weight, net[1].num_batches_tracked
    assert net.type(dst_type) is net and net[0].weight is weight and net[1].num_batches_tracked is count
    assert {t.dtype for t in net.state_dict(keep_vars=True).values()} == {np.dtype(dtype)}
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3))
    assert theirs.type(getattr(torch, np.dtype(dtype).name)) is theirs
    assert {str(t.dtype) for t in theirs.state_dict().values()} == {f"torch.{np.dtype(dtype).name}"}


def test_type_casts_shared_and_tied_tensors_once_and_a_grad_follows_its_parameter_as_torchs():
    torch = pytest.importorskip("torch")
    for lib in (nn, torch.nn):
        shared = lib.Linear(2, 2)
        net = lib.Sequential(shared, lib.BatchNorm1d(2), shared)
        shared.weight.grad = ag.ones((2, 2), dtype=ag.float32) if lib is nn else torch.ones(2, 2)
        net.type(np.float64 if lib is nn else torch.float64)
        dtypes = [str(t.dtype).replace("torch.", "") for t in net.state_dict(keep_vars=True).values()]
        assert dtypes == ["float64"] * 9 and str(shared.weight.grad.dtype).replace("torch.", "") == "float64"


@pytest.mark.parametrize("dst_type", [np.int32, "torch.LongTensor", "bool"])
def test_type_to_an_integer_or_bool_dtype_casts_buffers_and_frozen_parameters_as_torchs(dst_type):
    torch = pytest.importorskip("torch")
    dtype = np.dtype(ag.creation.tensor_type_dtype("type", dst_type))
    net = nn.BatchNorm1d(2).requires_grad_(False)
    theirs = torch.nn.BatchNorm1d(2).requires_grad_(False)
    assert net.type(dst_type) is net and theirs.type(getattr(torch, dtype.name)) is theirs
    assert {t.dtype for t in net.state_dict(keep_vars=True).values()} == {dtype}
    assert {str(t.dtype) for t in theirs.state_dict().values()} == {f"torch.{dtype.name}"}


def test_type_to_an_integer_dtype_refuses_a_parameter_that_takes_gradients_and_changes_nothing():
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="floating point"):  # (PyTorch's, from inside its cast)
        torch.nn.Linear(2, 2).type(torch.int64)
    net = nn.Sequential(nn.BatchNorm1d(2), nn.Linear(2, 2).requires_grad_(False))
    net[1].weight.grad = ag.zeros((2, 2), dtype=ag.float32)
    net[0].weight.requires_grad_(False)  # (net[0].bias still requires grad)
    before = _dtypes(net)  # (each refusal leaves every dtype as it was: no partial cast before it)
    assert before["0.num_batches_tracked"] == "int64" and before["1.weight.grad"] == "float32"
    for dst_type, dtype in ((np.int64, "int64"), ("torch.BoolTensor", "bool")):
        with pytest.raises(RuntimeError, match=re.escape(f"Sequential.type: cannot cast to {dtype}: the parameter "
                                                         f"'0.bias' requires grad")) as error:
            net.type(dst_type)
        assert isinstance(error.value, TypeError)
        assert _dtypes(net) == before
    net[0].bias.requires_grad_(False)
    with pytest.raises(RuntimeError, match=r"the parameter '1.weight' requires grad or has a .grad"):
        net.type(np.int64)
    assert _dtypes(net) == before


def _dtypes(module):
    """{name: dtype name} of every Parameter, buffer and .grad below module."""
    tensors = {**dict(module.named_parameters()), **dict(module.named_buffers())}
    grads = {f"{name}.grad": p.grad for name, p in module.named_parameters() if p.grad is not None}
    return {name: str(t.dtype) for name, t in {**tensors, **grads}.items()}


_NO_DTYPE = "type: dst_type must be a bool, integer or float16, float32 or float64 dtype or tensor type"


@pytest.mark.parametrize("dst_type, error, message", [
    ("cpu", TypeError, _NO_DTYPE),
    (None, TypeError, _NO_DTYPE),
    ("complex64", TypeError, _NO_DTYPE),
    (np.longdouble, TypeError, _NO_DTYPE),  # (R1 review: type() cast to float128, which to() refuses)
    ("torch.cuda.FloatTensor", RuntimeError, "type: device 'cuda' is not available")])
def test_type_refuses_what_is_no_dtype_and_changes_nothing(dst_type, error, message):
    net = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    net(np.ones((3, 2), np.float32)).sum().backward()  # (.grads too)
    before = _dtypes(net)
    values = {name: np.array(t.data, copy=True) for name, t in net.state_dict(keep_vars=True).items()}
    with pytest.raises(error, match=re.escape(f"Sequential.{message}")):
        net.type(dst_type)
    assert _dtypes(net) == before and len(before) == 11  # (4 Parameters, their .grads, 3 buffers)
    assert all(np.array_equal(t.data, values[name]) for name, t in net.state_dict(keep_vars=True).items())


def test_type_and_to_refuse_float128_alike():
    # (R1 review: Module.type(np.longdouble) cast to float128 where to(np.longdouble) refused it: one rule)
    for cast in (lambda m: m.type(np.longdouble), lambda m: m.to(np.longdouble)):
        layer = nn.Linear(2, 2)
        with pytest.raises(TypeError, match="float16, float32 or float64"):
            cast(layer)
        assert layer.weight.dtype == np.float32


def test_cpu_returns_the_module_itself_unchanged_as_pytorch_cpu():
    net = nn.Sequential(nn.Linear(2, 3, dtype=np.float64), nn.BatchNorm1d(3))
    before = {name: np.array(value, copy=True) for name, value in net.state_dict().items()}
    params = list(net.parameters())
    assert net.cpu() is net and net[1].cpu() is net[1]  # (pytorch-CycleGAN's save_networks: net.cpu().state_dict())
    assert all(p is q for p, q in zip(net.parameters(), params))
    after = net.cpu().state_dict()
    assert all(np.asarray(after[name]).dtype == value.dtype and np.array_equal(after[name], value)
               for name, value in before.items())
    torch = pytest.importorskip("torch")
    torch_net = torch.nn.Linear(2, 3)
    assert torch_net.cpu() is torch_net


@pytest.mark.parametrize("args", [("cpu", True), (None, True), (True,)])
def test_to_takes_a_positional_non_blocking_only_after_a_dtype_or_tensor(args):
    # PyTorch's forms: to(device, dtype, non_blocking), to(dtype, non_blocking), to(tensor, non_blocking)
    net = nn.Sequential(nn.Linear(3, 3))
    with pytest.raises(TypeError, match="non_blocking"):
        net.to(*args)
    assert net.to(np.float64, True)[0].weight.dtype == np.float64
    assert net.to("cpu", np.float32, True)[0].weight.dtype == np.float32
    assert net.to(ag.zeros(1), False)[0].weight.dtype == np.float64
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        torch.nn.Linear(3, 3).to(*args)


def test_private_apply_changes_parameters_grads_and_buffers_keeping_the_parameter_objects():
    net = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    weight = net[0].weight
    weight.grad = ag.ones((3, 2), dtype=np.float32)
    before = weight.data.copy()
    saved = weight * weight  # a graph that saved the old value
    assert net._apply(lambda t: t + 1) is net
    assert net[0].weight is weight  # the same Parameter, as PyTorch's default
    np.testing.assert_array_equal(weight.data, before + 1)
    np.testing.assert_array_equal(weight.grad.data, np.full((3, 2), 2.0))
    np.testing.assert_array_equal(net[1].running_var.data, np.full(3, 2.0))
    assert net[1].num_batches_tracked.item() == 1
    with pytest.raises(RuntimeError, match="changed in place"):  # torch: "modified by an inplace operation"
        saved.sum().backward()
    torch = pytest.importorskip("torch")
    reference = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3))
    reference[0].weight.grad = torch.ones(3, 2)
    reference._apply(lambda t: t + 1)
    assert reference[0].weight.grad[0, 0].item() == 2.0 and reference[1].running_var[0].item() == 2.0
    assert reference[1].num_batches_tracked.item() == 1


@pytest.mark.parametrize("lib", ["nn", "torch"])
def test_casts_and_apply_call_the_apply_override_of_a_module_below_as_torchs(lib):
    # found while porting PyTorch's test_nn.py: double()/half()/to() and _apply walked every module themselves, so a
    # module whose _apply override also converts a plain tensor attribute it keeps (not a buffer) was never called
    torch = pytest.importorskip("torch") if lib == "torch" else None
    lib = torch.nn if torch else nn
    ones = (lambda n: torch.ones(n, dtype=torch.float32)) if torch else (lambda n: ag.ones(n, dtype=np.float32))

    class Cached(lib.Module):
        def __init__(self):
            super().__init__()
            self.lin = lib.Linear(2, 2)
            self.cache = ones(3)  # a plain attribute, no buffer

        def _apply(self, fn, recurse=True):
            super()._apply(fn)
            self.cache = fn(self.cache)
            return self

    net = lib.Sequential(lib.Linear(2, 2), Cached())
    weight = net[1].lin.weight
    net.double()
    assert [str(t.dtype).replace("torch.", "") for t in (net[1].cache, weight, net[0].weight)] == ["float64"] * 3
    net.half()
    assert [str(t.dtype).replace("torch.", "") for t in (net[1].cache, weight, net[0].weight)] == ["float16"] * 3
    assert net[1].lin.weight is weight  # the same Parameter object
    net._apply(lambda t: t * 0)
    assert float(net[1].cache.sum()) == 0.0 and float(abs(weight.detach()).sum()) == 0.0
    assert float(abs(net[0].weight.detach()).sum()) == 0.0


def test_type_casts_integer_buffers_through_an_overridden_apply_too():
    calls = []

    class Logged(nn.BatchNorm1d):
        def _apply(self, fn, recurse=True):
            calls.append(type(self).__name__)
            return super()._apply(fn, recurse)

    net = nn.Sequential(Logged(2))
    net.type(np.float64)
    assert calls == ["Logged"] and net[0].num_batches_tracked.dtype == np.float64
    assert net.float()[0].num_batches_tracked.dtype == np.float32  # (a float one now, cast as PyTorch's)
