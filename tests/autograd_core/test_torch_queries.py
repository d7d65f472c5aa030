"""PyTorch's questions about a Tensor (autograd_core/torch_queries.py): is_signed, is_complex, is_same_size,
is_nonzero, itemsize and nbytes, against torch's answers (found missing by porting PyTorch's test_torch.py)."""
import numpy as np
import pytest

import autograd_core as ag

DTYPES = [np.float16, np.float32, np.float64, np.int8, np.int16, np.int32, np.int64, np.uint8, np.bool_]


@pytest.mark.parametrize("dtype", DTYPES)
def test_dtype_queries_match_torch(dtype):
    torch = pytest.importorskip("torch")
    x, t = ag.zeros((2, 3), dtype=dtype), torch.zeros((2, 3), dtype=torch.from_numpy(np.zeros(1, dtype)).dtype)
    assert x.is_signed() == t.is_signed()
    assert x.is_complex() is t.is_complex() is False and ag.is_complex(x) is False
    assert (x.itemsize, x.nbytes) == (t.itemsize, t.nbytes) == (x.element_size(), 6 * x.element_size())


def test_is_same_size_compares_shapes_as_torch():
    # PyTorch's test_is_same_size
    t1, t2, t3, t4 = ag.empty((3, 4, 9, 10)), ag.empty((3, 4)), ag.empty((1, 9, 3, 3)), ag.empty((3, 4, 9, 10))
    assert not t1.is_same_size(t2) and not t1.is_same_size(t3) and t1.is_same_size(t4)


def test_is_nonzero_reads_the_one_value_and_refuses_other_counts_as_torch():
    # PyTorch's test_is_nonzero
    for value, expected in ((0, False), (1, True), ([0], False), ([[1]], True), (0.1, True), (-0.1, True),
                            (0.0, False), (-0.0, False), ([[[False]]], False), (True, True)):
        assert ag.tensor(value).is_nonzero() is expected and ag.is_nonzero(ag.tensor(value)) is expected
    for value, message in (([], "is_nonzero: an empty Tensor"), ([0, 0], r"is_nonzero: a Tensor of shape \(2,\)")):
        with pytest.raises(RuntimeError, match=message) as info:
            ag.tensor(value).is_nonzero()
        assert isinstance(info.value, ValueError)
