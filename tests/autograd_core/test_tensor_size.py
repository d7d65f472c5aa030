"""t.size (autograd_core/tensor.py, _Size): NumPy's number of elements, an int in every use ndarray.size serves
(arithmetic, hashing, text, NumPy's functions and their dtype promotion, pickling), that called is PyTorch's size():
t.size() the shape, t.size(d) the length along axis d, with PyTorch's errors. Compared with ndarray.size and plain
ints throughout, and with torch.Tensor.size where PyTorch is installed."""
import copy
import json
import math
import operator
import pickle

import numpy as np
import pytest
from hypothesis import given, settings

import autograd_core as ag
import nn
from autograd_core.testing.strategies import shapes

SHAPES = [(), (1,), (5,), (0,), (0, 4), (2, 3), (2, 3, 4), (1, 1, 1, 7)]


def _tensor(shape, dtype=np.float64):
    return ag.tensor(np.arange(math.prod(shape), dtype=dtype).reshape(shape))


# ---- NumPy's int ---------------------------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(shapes(min_dims=0, max_dims=4, min_side=0, max_side=4))
def test_size_is_ndarray_size_in_every_int_use(shape):
    a = np.zeros(shape)
    size, n = ag.tensor(a).size, a.size
    assert isinstance(size, int) and not isinstance(size, bool)
    assert size == n and n == size and hash(size) == hash(n) and operator.index(size) == n and int(size) == n
    assert (repr(size), str(size), f"{size:>5}", "%d" % size, json.dumps({"n": size})) == \
        (repr(n), str(n), f"{n:>5}", "%d" % n, json.dumps({"n": n}))
    assert bool(size) is bool(n) and (size < n + 1, size > n - 1, size != n) == (True, True, False)
    results = [size + 1, 1 + size, size - 2, 2 - size, size * 3, 3 * size, size // 2, size % 3, size ** 2, -size,
               abs(size), divmod(size, 2)[0]]
    expected = [n + 1, 1 + n, n - 2, 2 - n, n * 3, 3 * n, n // 2, n % 3, n ** 2, -n, abs(n), divmod(n, 2)[0]]
    assert results == expected and all(type(r) is int for r in results)  # plain ints, not callable sizes
    assert size / 2 == n / 2 and type(size / 2) is float
    assert list(range(size)) == list(range(n)) and [0] * size == [0] * n and {size: 1} == {n: 1}
    assert np.zeros(size).shape == (n,) and np.arange(size).dtype == np.arange(n).dtype
    assert np.asarray(size).dtype == np.asarray(n).dtype and np.array([size, 1]).dtype == np.array([n, 1]).dtype


def test_size_pickles_and_copies_as_the_plain_int():
    size = ag.zeros((2, 3)).size
    for copied in (pickle.loads(pickle.dumps(size)), copy.copy(size), copy.deepcopy(size)):
        assert copied == 6 and type(copied) is int


@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int32, np.uint8])
def test_numpy_promotes_size_as_a_python_int(dtype):
    # NumPy 2 promotes a Python int weakly (a float32 array stays float32) but an int subclass as int64: t.size must
    # behave as ndarray.size, a Python int
    a = np.arange(1, 7, dtype=dtype).reshape(2, 3)
    size, n = ag.tensor(a).size, a.size
    pairs = [(a / size, a / n), (size * a, n * a), (a + size, a + n), (size - a, n - a), (a[0, 0] * size, a[0, 0] * n),
             (np.maximum(a, size), np.maximum(a, n)), (np.where(a > 2, a, size), np.where(a > 2, a, n)),
             (np.clip(a, 0, size), np.clip(a, 0, n)), (np.clip(a, a_min=0, a_max=size), np.clip(a, 0, n)),
             (np.full((2,), size, dtype=dtype), np.full((2,), n, dtype=dtype))]
    for got, want in pairs:
        assert np.result_type(got) == np.result_type(want)
        np.testing.assert_array_equal(got, want)
    assert np.result_type(a, size) == np.result_type(a, n)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32])
def test_tensor_operations_promote_size_as_a_python_int(dtype):
    x = _tensor((2, 3), dtype)
    size, n = x.size, 6
    pairs = [(x / size, x / n), (size * x, n * x), (x - size, x - n), (size - x, n - x), (x ** 0 * size, x ** 0 * n),
             (ag.maximum(x, size), ag.maximum(x, n)), (ag.where(x > 2, x, size), ag.where(x > 2, x, n)),
             (ag.clip(x, 0, size), ag.clip(x, 0, n)), (ag.full((2,), size), ag.full((2,), n)),
             (ag.tensor(size), ag.tensor(n)), (ag.tensor([size, 2]), ag.tensor([n, 2]))]
    for got, want in pairs:
        assert got.dtype == want.dtype, (got, want)
        np.testing.assert_array_equal(got.data, want.data)


def test_a_mean_written_with_size_has_the_mean_gradient_in_float32():
    x = ag.tensor(np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]], np.float32), requires_grad=True)
    loss = (x * x).sum() / x.size
    loss.backward()
    assert loss.dtype == np.float32 and x.grad.dtype == np.float32
    np.testing.assert_allclose(loss.item(), (x.data ** 2).mean(), rtol=1e-6)
    np.testing.assert_allclose(x.grad.data, 2 * x.data / 6, rtol=1e-6)


def test_numpy_size_len_numel_stay_ints():
    x = _tensor((2, 3, 4))
    for value, expected in [(np.size(x), 24), (np.size(x, 1), 3), (len(x), 2), (x.numel(), 24), (x.nelement(), 24),
                            (ag.numel(x), 24)]:
        assert value == expected and type(value) is int


# ---- PyTorch's size() ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_calling_size_gives_the_shape_and_the_length_along_an_axis(shape):
    x = _tensor(shape)
    assert x.size() == shape and type(x.size()) is ag.Size and x.size(None) == x.size(dim=None) == shape
    assert x.size().numel() == x.data.size  # (torch.Size's)
    for d in range(-len(shape), len(shape)):
        assert x.size(d) == x.size(dim=d) == shape[d] and type(x.size(d)) is int
    assert x.size(np.int64(0) if shape else None) == (shape[0] if shape else shape)
    if shape:
        assert x.size(ag.tensor(len(shape) - 1)) == shape[-1]  # a 0-d integer Tensor as an int, as PyTorch takes it


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_size_call_matches_torch(shape):
    torch = pytest.importorskip("torch")
    x, t = _tensor(shape), torch.zeros(shape)
    assert x.size() == tuple(t.size()) and x.size(dim=None) == tuple(t.size(dim=None))
    for d in range(-len(shape) - 2, len(shape) + 2):
        try:
            expected = t.size(d)
        except IndexError:
            with pytest.raises(IndexError):
                x.size(d)
        else:
            assert x.size(d) == expected


def test_size_of_results_and_parameters():
    w = nn.Linear(4, 3).weight
    y = (w * 2).sum(axis=1)  # a recorded result (the engine may hold NumPy scalars in a 0-d one: the sum below)
    s = y.sum()
    assert (w.size, w.size(), w.size(1)) == (12, (3, 4), 4)
    assert (y.size, y.size(), y.size(0)) == (3, (3,), 3)
    assert (s.size, s.size()) == (1, ())


@pytest.mark.parametrize("dim, kind, message", [
    (2, IndexError, r"^size: dim 2 is out of range for a Tensor of 2 dimensions; valid dims are in \[-2, 2\)$"),
    (-3, IndexError, r"^size: dim -3 is out of range for a Tensor of 2 dimensions; valid dims are in \[-2, 2\)$"),
    (True, TypeError, r"^size: dim must be an int, got True$"),
    (1.0, TypeError, r"^size: dim must be an int, got 1.0$"),
    ("rows", TypeError, r"^size: dim must be an int, got 'rows'$"),
])
def test_size_call_errors(dim, kind, message):
    with pytest.raises(kind, match=message):
        ag.zeros((2, 3)).size(dim)
    torch = pytest.importorskip("torch")
    with pytest.raises(kind):  # the same kind of error from PyTorch
        torch.zeros(2, 3).size(dim)


def test_size_call_errors_on_a_0d_tensor_and_extra_arguments():
    x = ag.tensor(2.0)
    for d in (0, -1):
        with pytest.raises(IndexError, match=rf"^size: dim {d} is out of range for a Tensor of 0 dimensions; "
                                             r"a 0-d Tensor has no dims$"):
            x.size(d)
    with pytest.raises(TypeError, match=r"^Tensor\.size\(\) takes from 1 to 2 positional arguments but 3"):
        ag.zeros((2, 3)).size(0, 1)
    with pytest.raises(TypeError, match=r"^Tensor\.size\(\) got an unexpected keyword argument 'axis'"):
        ag.zeros((2, 3)).size(axis=0)


# ---- ported code ---------------------------------------------------------------------------------------------------

def test_ported_pytorch_code_using_size_runs_as_written():
    rng = np.random.default_rng(0)

    class Attention(nn.Module):  # PyTorch's code, with only torch -> ag
        def __init__(self, features):
            super().__init__()
            self.query, self.key = nn.Linear(features, features), nn.Linear(features, features)

        def forward(self, x):
            batch, steps = x.size(0), x.size(1)
            q, k = self.query(x), self.key(x)
            scores = q @ k.transpose(1, 2) / math.sqrt(q.size(-1))
            out = scores.softmax(dim=-1) @ x
            return out.view(batch * steps, -1).sum() / out.numel(), out.size()

    model = Attention(4)
    x = ag.tensor(rng.standard_normal((2, 3, 4)).astype(np.float32))
    loss, out_shape = model(x)
    loss.backward()
    assert out_shape == (2, 3, 4) and loss.dtype == np.float32 and model.query.weight.grad.shape == (4, 4)

    q = x.data @ model.query.weight.data.T + model.query.bias.data
    k = x.data @ model.key.weight.data.T + model.key.bias.data
    scores = q @ k.transpose(0, 2, 1) / 2.0
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    expected = (weights / weights.sum(-1, keepdims=True) @ x.data).mean()
    np.testing.assert_allclose(loss.item(), expected, rtol=1e-5)
