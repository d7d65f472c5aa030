"""F1's fuzzing of int arguments against PyTorch: a 0-d integer Tensor is taken wherever PyTorch's functions take an
int (dims, sizes, narrow's start and length, topk's k), as torch's are; they were refused with TypeError. A float or
bool Tensor, or one of more elements, is still refused."""
import numpy as np
import pytest

import autograd_core as ag

torch = pytest.importorskip("torch")

X = np.arange(6.0).reshape(2, 3)
CALLS = {
    "gather": lambda lib, i: lib.gather(_t(lib, X), i(1), _t(lib, np.array([[0, 2]]))),
    "topk": lambda lib, i: lib.topk(_t(lib, X), i(2))[0],
    "narrow": lambda lib, i: lib.narrow(_t(lib, X), i(1), i(1), i(2)),
    "index_select": lambda lib, i: lib.index_select(_t(lib, X), i(0), _t(lib, np.array([1]))),
    "unbind": lambda lib, i: lib.unbind(_t(lib, X), i(1))[2],
    "unsqueeze": lambda lib, i: _t(lib, X).unsqueeze(i(0)),
    "flatten": lambda lib, i: _t(lib, np.zeros((2, 3, 4))).flatten(i(1)),
    "expand": lambda lib, i: _t(lib, X[:1]).expand(i(4), i(3)),
    "view": lambda lib, i: _t(lib, X).view(i(3), i(2)),
    "new_zeros": lambda lib, i: _t(lib, X).new_zeros(i(2), i(1)),
}


def _t(lib, value):
    return lib.tensor(value)


@pytest.mark.parametrize("name", list(CALLS))
def test_a_zero_d_integer_tensor_is_an_int(name):
    expected = CALLS[name](torch, lambda n: torch.tensor(n))
    got = CALLS[name](ag, lambda n: ag.tensor(n))
    assert got.shape == tuple(expected.shape)
    np.testing.assert_array_equal(got.data, expected.numpy())


def test_other_tensors_are_still_refused():
    x = ag.tensor(X)
    with pytest.raises(TypeError, match="topk: k must be an int"):
        ag.topk(x, ag.tensor(1.0))
    with pytest.raises(TypeError, match="narrow: dim must be an int"):
        ag.narrow(x, ag.tensor(True), 0, 1)
    with pytest.raises(TypeError, match="gather: dim must be an int"):
        ag.gather(x, ag.tensor([1]), ag.tensor([[0]]))


def test_randint_bounds_may_be_zero_d_integer_tensors():
    t = ag.randint(ag.tensor(1), ag.tensor(5), (50,), rng=0)
    assert t.shape == (50,) and 1 <= int(t.data.min()) and int(t.data.max()) < 5
    assert ag.randint(ag.tensor(3), (4,), rng=0).shape == (4,)
    with pytest.raises(TypeError, match="randint: low and high must be ints"):
        ag.randint(ag.tensor(5.0), (2,))
