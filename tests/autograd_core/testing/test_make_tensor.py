"""autograd_core/testing/creation.py: make_tensor draws PyTorch's ranges, shapes and layouts, and refuses what it
refuses."""
import warnings

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import assert_close, make_tensor

DTYPES = [np.bool_, np.uint8, np.int8, np.int16, np.int32, np.int64, np.float16, np.float32, np.float64]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(), (0,), (1,), (2, 3)])
def test_shape_given_apart_or_as_one_tuple(dtype, shape):
    for t in (make_tensor(shape, dtype=dtype), make_tensor(*shape, dtype=dtype, device="cpu")):
        assert isinstance(t, ag.Tensor) and t.shape == shape and t.dtype == dtype and not t.requires_grad


@pytest.mark.parametrize("dtype, low, high", [(np.bool_, 0, 2), (np.uint8, 0, 10), (np.int8, -9, 10),
                                              (np.int64, -9, 10), (np.float16, -9, 9), (np.float64, -9, 9)])
def test_default_range_is_pytorchs(dtype, low, high):
    values = make_tensor(20_000, dtype=dtype, rng=0).data.astype(np.float64)
    assert values.min() >= low and values.max() < high
    if np.dtype(dtype).kind in "biu":  # (every value of the range is drawn)
        assert values.min() == low and values.max() == high - 1


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_floats_stay_below_high_after_rounding(dtype):
    values = make_tensor(50_000, dtype=dtype, low=0, high=2, rng=1).data
    assert values.dtype == dtype and (values >= 0).all() and (values < 2).all()


def test_bounds_are_clamped_to_the_dtype_and_rounded_up_for_integers():
    assert_close(make_tensor(1000, dtype=np.int64, low=-(1 - 1e-4), high=1 - 1e-4, rng=0), ag.zeros(1000, dtype=np.int64))
    assert (make_tensor(1000, dtype=np.uint8, low=-5, high=1000, rng=0).data >= 0).all()
    top = make_tensor(100, dtype=np.int8, low=127, high=128, rng=0)
    assert (top.data == 127).all()


def test_refused_arguments_name_make_tensor():
    for kwargs, pattern in [({"low": 1, "high": 0}, "`low` must be less than `high`"),
                            ({"low": float("nan")}, "`low` and `high` cannot be NaN"),
                            ({"low": 300, "high": 400, "dtype": np.uint8}, "only supports"),
                            ({"requires_grad": True, "dtype": np.int64}, "not supported for boolean and integral"),
                            ({"noncontiguous": True, "memory_format": ag.contiguous_format}, "mutually exclusive")]:
        kwargs.setdefault("dtype", np.float32)
        with pytest.raises(ValueError, match=f"make_tensor: .*{pattern}"):
            make_tensor((3, 4), **kwargs)
    with pytest.raises(TypeError, match="make_tensor: the requested dtype complex64 is not supported"):
        make_tensor(2, dtype=np.complex64)
    with pytest.raises(ValueError, match="make_tensor: device 'cuda'"):
        make_tensor(2, dtype=np.float32, device="cuda")


def test_low_equal_to_high_of_a_float_dtype_warns_and_fills():
    with pytest.warns(FutureWarning, match="Passing `low==high`"):
        t = make_tensor(5, dtype=np.float32, low=1, high=1)
    assert_close(t, ag.ones(5, dtype=np.float32))


def test_requires_grad_makes_a_leaf_even_when_noncontiguous():
    t = make_tensor((2, 3), dtype=np.float64, requires_grad=True, noncontiguous=True, rng=0)
    assert t.requires_grad and t.is_leaf and not t.is_contiguous()
    (t * t).sum().backward()
    assert_close(t.grad, 2 * t.detach())


@pytest.mark.parametrize("shape, contiguous", [((), True), ((1,), True), ((0,), True), ((2, 3), False)])
def test_noncontiguous_below_two_elements_is_contiguous(shape, contiguous):
    t = make_tensor(shape, dtype=np.int32, noncontiguous=True, rng=0)
    assert t.shape == shape and t.is_contiguous() == contiguous


@pytest.mark.parametrize("dtype", DTYPES)
def test_exclude_zero(dtype):
    t = make_tensor(10_000, dtype=dtype, low=-1, high=2, exclude_zero=True, rng=0)
    assert (t.data != 0).all()


def test_draws_follow_rng_and_manual_seed():
    assert_close(make_tensor(5, dtype=np.float64, rng=3), make_tensor(5, dtype=np.float64, generator=3))
    ag.manual_seed(7)
    first = make_tensor(5, dtype=np.float32)
    ag.manual_seed(7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_close(make_tensor(5, dtype=np.float32), first)
