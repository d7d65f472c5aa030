"""linspace, logspace and the *_like functions (autograd_core/ops/spacing.py) beside their table declarations in
test_numpy_more.py: NumPy's conventions (num 0 and 1, endpoint, retstep, integer dtypes, the last sample being stop),
values equal to NumPy's to the bit, a gradient reaching start, stop and base, np.*_like and np.meshgrid on Tensors,
and errors naming the function called (axes, shapes that do not broadcast, order and device)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
from checks import assert_same_constant


# ---- NumPy's conventions and bits ----
def test_linspace_and_logspace_conventions():
    for num, endpoint in ((0, True), (1, True), (1, False), (5, False)):
        out, step = ag.linspace(ag.tensor(1.0), 2.0, num, endpoint=endpoint, retstep=True)
        expected, expected_step = np.linspace(1.0, 2.0, num, endpoint=endpoint, retstep=True)
        np.testing.assert_array_equal(out.data, expected)
        np.testing.assert_array_equal(step.data, expected_step)
    assert_same_constant(ag.linspace(0, 10, 4, dtype=np.int64), np.linspace(0, 10, 4, dtype=np.int64))
    start = ag.tensor([0.0, 1.0], requires_grad=True)
    ag.linspace(start, 3.0, 4).sum().backward()  # the last sample is stop itself: start's gradient 1 + 2/3 + 1/3
    np.testing.assert_allclose(start.grad.data, [2.0, 2.0])
    base = np.array([2.0, 3.0])
    np.testing.assert_allclose(ag.logspace(0.0, ag.tensor([1.0, 2.0]), 3, base=base, axis=-1).data,
                               np.logspace(0.0, np.array([1.0, 2.0]), 3, base=base, axis=-1))


@settings(max_examples=40, deadline=None)
@given(start=st.floats(-1e3, 1e3), stop=st.floats(-1e3, 1e3), num=st.integers(0, 9), endpoint=st.booleans(),
       dtype=st.sampled_from([np.float32, np.float64]))
def test_linspace_values_equal_numpys_to_the_bit(start, stop, num, endpoint, dtype):
    start, stop = np.asarray(start, dtype), np.asarray(stop, dtype)
    out, expected = ag.linspace(start, stop, num, endpoint), np.linspace(start, stop, num, endpoint)
    assert out.dtype == expected.dtype and out.data.tobytes() == expected.tobytes()
    assert ag.linspace(0.1, 0.7, 7).data[-1] == 0.7  # the last sample is stop itself, as NumPy's


# ---- linspace and logspace on Tensors: an axis out of range, a non-integer axis, and start, stop (and base) that do
# not broadcast raise errors naming the function called; NumPy's valid axes still work ----
@pytest.mark.parametrize("name", ["linspace", "logspace"])
@pytest.mark.parametrize("axis", [2, -3])
def test_axis_out_of_range_names_the_function(name, axis):
    with pytest.raises(np.exceptions.AxisError):
        getattr(np, name)(np.ones(2), 3.0, 4, axis=axis)
    with pytest.raises(np.exceptions.AxisError, match=f"^{name}: axis {axis} is out of range"):
        getattr(ag, name)(ag.ones(2), 3.0, 4, axis=axis)


def test_non_integer_axis_names_linspace():
    with pytest.raises(TypeError, match="linspace: axis must be an int"):
        ag.linspace(ag.ones(2), 3.0, 4, axis=1.5)


@pytest.mark.parametrize("name", ["linspace", "logspace"])
def test_start_and_stop_that_do_not_broadcast(name):
    with pytest.raises(ValueError):
        getattr(np, name)(np.ones(2), np.ones(3), 4)
    with pytest.raises(ValueError, match=f"^{name}: start and stop must broadcast together"):
        getattr(ag, name)(ag.ones(2), np.ones(3), 4)


def test_logspace_base_that_does_not_broadcast():
    with pytest.raises(ValueError, match="^logspace: start, stop and base must broadcast together"):
        ag.logspace(ag.ones(2), 3.0, 4, base=np.ones(3))


@pytest.mark.parametrize("axis", [0, 1, -1, -2, True, np.int64(1)])
def test_valid_axes_are_numpys(axis):
    start = np.array([0.0, 1.0])
    np.testing.assert_allclose(ag.linspace(ag.tensor(start), 3.0, 4, axis=axis).data,
                               np.linspace(start, 3.0, 4, axis=axis))
    np.testing.assert_allclose(ag.logspace(ag.tensor(start), 3.0, 4, base=np.array([2.0, 3.0]), axis=axis).data,
                               np.logspace(start, 3.0, 4, base=np.array([2.0, 3.0]), axis=axis))


@pytest.mark.parametrize("base", [None, "ab", 1j])
def test_logspace_base_of_another_kind_names_logspace(base):
    with pytest.raises(TypeError, match="^logspace: "):  # (it named power)
        ag.logspace(ag.tensor(0.0), 1.0, 3, base=base)


# ---- np.full_like, np.zeros_like, np.ones_like, np.empty_like and np.meshgrid on Tensors ----
def test_numpy_like_functions_and_meshgrid_on_tensors():
    t = ag.tensor([[1, 2], [3, 4]])
    for func, args, kwargs in ((np.full_like, (7.5,), {}), (np.full_like, (7.5,), {"dtype": np.float32, "shape": 3}),
                               (np.zeros_like, (), {"shape": (2, 3)}), (np.ones_like, (), {"dtype": bool}),
                               (np.empty_like, (), {"shape": (1, 2), "dtype": np.float32})):
        out, expected = func(t, *args, **kwargs), func(t.data, *args, **kwargs)
        assert isinstance(out, ag.Tensor) and out.dtype == expected.dtype and out.shape == expected.shape
        if func is not np.empty_like:
            np.testing.assert_array_equal(out.data, expected)
    assert_same_constant(ag.zeros_like(t, shape=(2, 3)), np.zeros((2, 3), np.int64))
    assert_same_constant(ag.ones_like(t, np.float32, shape=4), np.ones(4, np.float32))
    x, y = ag.tensor([1.0, 2.0, 3.0], requires_grad=True), ag.tensor([4.0, 5.0], requires_grad=True)
    grids = np.meshgrid(x, y, indexing="ij", sparse=True)
    assert isinstance(grids, tuple) and [g.shape for g in grids] == [(3, 1), (1, 2)]
    (grids[0] * grids[1]).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [9.0, 9.0, 9.0])
    w = ag.tensor(2.0, requires_grad=True)
    ag.full_like(np.zeros(3), w).sum().backward()
    assert float(w.grad) == 3.0


# ---- full_like, empty_like and np.zeros_like / np.ones_like on Tensors check order and device as NumPy's; valid
# ones change nothing ----
CALLS = {
    "full_like": (lambda x, **k: np.full_like(x, 2.0, **k), lambda x, **k: ag.full_like(x, 2.0, **k)),
    "empty_like": (np.empty_like, ag.empty_like),
    "zeros_like": (np.zeros_like, np.zeros_like),
    "ones_like": (np.ones_like, np.ones_like),
}


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("kwargs, error", [({"order": "Z"}, ValueError), ({"order": 1}, TypeError),
                                           ({"device": "cuda"}, ValueError), ({"device": "CPU"}, ValueError)])
def test_invalid_order_and_device_are_refused(name, kwargs, error):
    numpy_call, call = CALLS[name]
    with pytest.raises(error):
        numpy_call(np.ones(2), **kwargs)
    with pytest.raises(error, match=f"^{name}: {next(iter(kwargs))} (must|.*is not available)"):
        call(ag.ones(2), **kwargs)


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("kwargs", [{"order": "C"}, {"order": "f"}, {"order": None}, {"order": "K", "device": "cpu"},
                                    {"device": None}])
def test_valid_order_and_device_change_nothing(name, kwargs):
    numpy_call, call = CALLS[name]
    expected = numpy_call(np.ones((2, 3), np.float32), **kwargs)
    got = call(ag.ones((2, 3), dtype=np.float32), **kwargs)
    assert isinstance(got, ag.Tensor) and got.shape == expected.shape and got.dtype == expected.dtype
    if name != "empty_like":
        np.testing.assert_array_equal(got.data, expected)


def test_linspace_requires_grad_makes_a_leaf_as_torch():
    x = ag.linspace(-1.0, 1.0, 5, requires_grad=True)
    assert x.is_leaf and x.requires_grad
    np.testing.assert_array_equal(x.data, np.linspace(-1.0, 1.0, 5))
    ag.sin(x).sum().backward()
    np.testing.assert_allclose(x.grad.data, np.cos(x.data))
    samples, step = ag.linspace(0.0, 1.0, 3, retstep=True, requires_grad=True)
    assert samples.requires_grad and float(step) == 0.5
    with pytest.raises(ValueError, match="linspace: requires_grad=True asks for a leaf"):
        ag.linspace(ag.tensor(0.0, requires_grad=True), 1.0, 3, requires_grad=True)
    with pytest.raises(TypeError, match="only floating-point Tensors can require gradients"):
        ag.linspace(0, 10, 3, dtype=np.int64, requires_grad=True)
    torch = pytest.importorskip("torch")
    t = torch.linspace(-1.0, 1.0, 5, requires_grad=True)
    assert t.is_leaf == x.is_leaf and t.requires_grad == x.requires_grad


def test_linspace_and_logspace_take_pytorchs_end_and_steps_keywords():
    # UvA's flow tutorial: alpha = torch.linspace(0, 1, steps=num_steps, device=z.device)
    np.testing.assert_array_equal(ag.linspace(0, 1, steps=5).data, np.linspace(0, 1, 5))
    np.testing.assert_array_equal(ag.linspace(start=-2.0, end=3.0, steps=6).data, np.linspace(-2.0, 3.0, 6))
    np.testing.assert_array_equal(ag.logspace(0, 2, steps=3, base=2.0).data, np.logspace(0, 2, 3, base=2.0))
    np.testing.assert_array_equal(ag.logspace(start=0.0, end=1.0, steps=4).data, np.logspace(0.0, 1.0, 4))
    with pytest.raises(TypeError, match=r"linspace: got both num=3 and steps=4 \(PyTorch's name for num\)"):
        ag.linspace(0, 1, 3, steps=4)
    with pytest.raises(TypeError, match=r"logspace: got both stop=1 and end=2 \(PyTorch's name for stop\)"):
        ag.logspace(0, 1, end=2)
    with pytest.raises(TypeError, match=r"linspace: missing the argument stop \(or PyTorch's name for it, end=\)"):
        ag.linspace(0, steps=3)
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(ag.linspace(start=-2.0, end=3.0, steps=6).data,
                                  torch.linspace(start=-2.0, end=3.0, steps=6, dtype=torch.float64).numpy())
    np.testing.assert_allclose(ag.logspace(0, 2, steps=3, base=2.0).data,
                               torch.logspace(0, 2, steps=3, base=2.0, dtype=torch.float64).numpy())


def test_logspace_refuses_torchs_positional_base_for_numpys_endpoint():
    # found by porting PyTorch's test_tensor_creation_ops (test_logspace: torch.logspace(0, 2, 3, 2) is base 2):
    # NumPy's fourth argument is endpoint, so the base stayed 10 and [1, 10, 100] came back silently
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match=r"logspace: endpoint must be True or False, got 2; .* base=2"):
        ag.logspace(0, 2, 3, 2)
    np.testing.assert_array_equal(ag.logspace(0, 2, 3, base=2).data, torch.logspace(0, 2, 3, 2).numpy())
    np.testing.assert_array_equal(ag.logspace(0, 2, 4, False).data, np.logspace(0, 2, 4, False))
    np.testing.assert_array_equal(np.logspace(ag.tensor(0.0), 2, 4, np.False_).data, np.logspace(0, 2, 4, False))


def test_logspace_takes_torchs_device_and_requires_grad_as_linspace():
    # found by porting PyTorch's OpInfo entries for logspace: every sample passes device='cpu', which logspace
    # refused with a TypeError while linspace took it; requires_grad=True makes a leaf, as torch.logspace's
    x = ag.logspace(-3, 1, steps=5, base=2.0, device="cpu", requires_grad=True)
    assert x.is_leaf and x.requires_grad and x.dtype == np.float64
    np.testing.assert_array_equal(x.data, [0.125, 0.25, 0.5, 1.0, 2.0])
    np.testing.assert_array_equal(x.data, np.logspace(-3, 1, 5, base=2.0))
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, 2 * x.data)
    assert not ag.logspace(0, 1, 3, device="cpu").requires_grad
    with pytest.raises(ValueError, match="logspace: device 'cuda' is not available"):
        ag.logspace(0, 1, 3, device="cuda")
    with pytest.raises(ValueError, match="logspace: requires_grad=True asks for a leaf"):
        ag.logspace(ag.tensor(0.0, requires_grad=True), 1.0, 3, requires_grad=True)
    with pytest.raises(TypeError, match="only floating-point Tensors can require gradients"):
        ag.logspace(0, 2, 3, dtype=np.int64, requires_grad=True)


def test_logspace_takes_torchs_device_and_requires_grad_as_torch():
    torch = pytest.importorskip("torch")
    x = ag.logspace(-3, 1, steps=5, base=2.0, device="cpu", requires_grad=True)
    t = torch.logspace(-3, 1, steps=5, base=2.0, dtype=torch.float64, requires_grad=True)
    np.testing.assert_array_equal(x.data, t.detach().numpy())
