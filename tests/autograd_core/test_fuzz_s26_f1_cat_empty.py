"""F1's fuzzing of ag.cat against torch.cat: an empty 1-D Tensor among Tensors of other ranks is skipped, as
PyTorch's (the accumulation idiom out = cat([out, x]) from out = tensor([]) raised NumPy's dimension error); its
dtype still counts."""
import numpy as np
import pytest

import autograd_core as ag

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_an_empty_vector_is_skipped_among_matrices(dim):
    x = np.arange(6.0).reshape(2, 3)
    expected = torch.cat([torch.tensor([], dtype=torch.float64), torch.tensor(x), torch.tensor([], dtype=torch.float64),
                          torch.tensor(x)], dim)
    got = ag.cat([ag.tensor([]), ag.tensor(x), ag.tensor([]), ag.tensor(x)], dim)
    assert got.shape == tuple(expected.shape) and got.dtype == expected.numpy().dtype
    np.testing.assert_array_equal(got.data, expected.numpy())


def test_the_accumulation_idiom_keeps_the_graph_and_the_dtype():
    w = ag.tensor(np.ones((2, 2)), requires_grad=True)
    out = ag.tensor([])
    for i in range(3):
        out = ag.cat([out, w * i])
    assert out.shape == (6, 2)
    out.sum().backward()
    np.testing.assert_array_equal(w.grad.data, np.full((2, 2), 3.0))
    assert ag.cat([ag.tensor([]), ag.ones((2, 2), dtype=np.float32)]).dtype == np.float64  # (the empty one's dtype)
    assert ag.cat([ag.tensor([]), ag.ones(3)]).shape == (3,)  # (all 1-D: NumPy's concatenate as before)
    with pytest.raises(ValueError, match="out of bounds"):
        ag.cat([ag.tensor([]), ag.ones((2, 3))], 5)
