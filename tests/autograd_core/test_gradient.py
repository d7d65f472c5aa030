"""ag.gradient (autograd_core/ops/finite_differences.py): np.gradient's values and return form, torch.gradient's
spacing=/dim=/edge_order= and tuple, uneven coordinates, gradients through it, errors. Found missing by a
differential run over PyTorch's OpInfo database (gradient)."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck

VALUES = np.random.default_rng(0).normal(size=(5, 6))
COORDINATES = np.cumsum(np.random.default_rng(1).uniform(0.5, 2.0, size=6))


@pytest.mark.parametrize("args, kwargs", [((), {}), ((2.0,), {}), ((1.5, COORDINATES), {}),
                                          ((COORDINATES,), {"axis": 1}), ((), {"edge_order": 2}),
                                          ((0.5, COORDINATES), {"edge_order": 2}), ((), {"axis": (1, 0)})])
def test_numpy_calls_give_numpys_values(args, kwargs):
    expected = np.gradient(VALUES, *args, **kwargs)
    ours = ag.gradient(ag.tensor(VALUES), *args, **kwargs)
    expected, ours = (expected, ours) if isinstance(expected, tuple) else ((expected,), (ours,))
    assert len(ours) == len(expected)
    for o, e in zip(ours, expected):
        np.testing.assert_allclose(o.data, e, rtol=1e-14, atol=1e-14)
    assert isinstance(np.gradient(ag.tensor(VALUES[0])), ag.Tensor)  # (np.gradient on a Tensor is ag.gradient)


@pytest.mark.parametrize("kwargs", [{}, {"spacing": 2.0}, {"spacing": [0.5, 3.0]}, {"dim": 1}, {"dim": [1, 0]},
                                    {"spacing": 0.3, "dim": 0, "edge_order": 2}, {"spacing": [COORDINATES], "dim": 1},
                                    {"spacing": [COORDINATES], "dim": -1, "edge_order": 2}])
def test_torch_calls_match_torch_gradient(kwargs):
    torch = pytest.importorskip("torch")
    ours_kwargs = dict(kwargs)
    theirs_kwargs = dict(kwargs)
    if "spacing" in kwargs and isinstance(kwargs["spacing"], list) and isinstance(kwargs["spacing"][0], np.ndarray):
        ours_kwargs["spacing"] = [ag.tensor(c) for c in kwargs["spacing"]]
        theirs_kwargs["spacing"] = [torch.tensor(c) for c in kwargs["spacing"]]
    ours = ag.gradient(ag.tensor(VALUES), **ours_kwargs)
    theirs = torch.gradient(torch.tensor(VALUES), **theirs_kwargs)
    assert isinstance(ours, tuple) and len(ours) == len(theirs)
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.data, t.numpy(), rtol=1e-14, atol=1e-14)


def test_torch_form_of_a_vector_is_a_tuple_numpy_form_one_tensor():
    x = ag.tensor([1.0, 4.0, 9.0, 16.0])
    assert isinstance(ag.gradient(x), ag.Tensor)
    (d,) = ag.gradient(x, dim=0)
    np.testing.assert_array_equal(d.data, [3.0, 4.0, 6.0, 7.0])


def test_differentiable_in_values_and_coordinates():
    assert gradcheck(lambda f: ag.gradient(f, spacing=0.7, edge_order=2), VALUES)
    assert gradgradcheck(lambda f: ag.gradient(f, dim=1)[0], VALUES)
    assert gradcheck(lambda f, c: ag.gradient(f, spacing=[c], dim=1, edge_order=2)[0], VALUES, COORDINATES)


def test_integer_input_gives_float64():
    assert ag.gradient(ag.tensor([1, 4, 9])).dtype == np.float64


def test_errors():
    with pytest.raises(ValueError, match="needs at least 3"):
        ag.gradient(ag.tensor([1.0, 2.0]), edge_order=2)
    with pytest.raises(RuntimeError, match="edge_order must be 1 or 2"):
        ag.gradient(ag.tensor([1.0, 2.0, 3.0]), edge_order=3)
    with pytest.raises(ValueError, match="1 spacings for 2 dims"):
        ag.gradient(ag.tensor(VALUES), spacing=[0.1], dim=(1, 0))
    with pytest.raises(ValueError, match="appears multiple times"):
        ag.gradient(ag.tensor(VALUES), dim=(1, -1))
    with pytest.raises(ValueError, match="must be 1-D with 6 entries"):
        ag.gradient(ag.tensor(VALUES), spacing=[ag.tensor([1.0, 2.0])], dim=1)
    with pytest.raises(TypeError, match="both positionally"):
        ag.gradient(ag.tensor(VALUES), 1.0, spacing=1.0)
