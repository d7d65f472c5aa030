"""PyTorch's other losses and the distances against PyTorch itself (skipped where it is not installed, as in CI):
values and gradients of every operand PyTorch differentiates, for every reduction, on the shapes and settings of
test_losses_more.py's declarations (broadcasting where PyTorch broadcasts), in float64 and float32; the gradients at
the kinks exactly; and the errors where PyTorch raises."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
import nn.functional as F
from conftest import torch_older_than
from test_losses_more import LOSSES  # (the declarations; it puts the engine's optable on the path)

from optable import cases  # noqa: E402

torch = pytest.importorskip("torch")
TF = torch.nn.functional

# Each declaration's twin in PyTorch, and which positional operands PyTorch differentiates (its soft_margin_loss,
# for one, refuses a target that requires grad).
TWINS = {
    "smooth_l1_loss": (TF.smooth_l1_loss, (0, 1)),
    "kl_div": (TF.kl_div, (0, 1)),
    "poisson_nll_loss": (TF.poisson_nll_loss, (0, 1)),
    "gaussian_nll_loss": (TF.gaussian_nll_loss, (0, 1, 2)),
    "soft_margin_loss": (TF.soft_margin_loss, (0,)),
    "margin_ranking_loss": (TF.margin_ranking_loss, (0, 1, 2)),
    "hinge_embedding_loss": (TF.hinge_embedding_loss, (0,)),
    "cosine_embedding_loss": (TF.cosine_embedding_loss, (0, 1)),
    "multilabel_soft_margin_loss": (TF.multilabel_soft_margin_loss, (0, 1)),
    "multi_margin_loss": (TF.multi_margin_loss, (0,)),
    "triplet_margin_loss": (TF.triplet_margin_loss, (0, 1, 2)),
    "pairwise_distance": (TF.pairwise_distance, (0, 1)),
    "cosine_similarity": (TF.cosine_similarity, (0, 1)),
    "normalize": (TF.normalize, (0,)),
}
assert set(TWINS) == {op.name for op in LOSSES}


def _as_torch(value):
    return torch.tensor(value) if isinstance(value, np.ndarray) else value


def _both(ours, theirs, arrays, differentiated, rtol=1e-12, atol=1e-14, what="value", grad_atol=None):
    """ours and theirs (PyTorch's) at the arrays: values equal, and the gradients of the operands differentiated (for
    a cotangent of distinct entries) equal; the result's dtype and PyTorch's returned."""
    leaves = [ag.tensor(a, requires_grad=k in differentiated) for k, a in enumerate(arrays)]
    tleaves = [torch.tensor(a, requires_grad=k in differentiated) for k, a in enumerate(arrays)]
    y, ty = ours(*leaves), theirs(*tleaves)
    assert y.shape == tuple(ty.shape), what
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=rtol, atol=atol, err_msg=what)
    cotangent = np.linspace(-1.5, 2.0, y.size).reshape(y.shape).astype(y.dtype)
    y.backward(cotangent)
    ty.backward(torch.tensor(cotangent))
    for k in differentiated:
        np.testing.assert_allclose(leaves[k].grad.data, tleaves[k].grad.numpy(), rtol=rtol * 100,
                                   atol=rtol if grad_atol is None else grad_atol,
                                   err_msg=f"{what}: the gradient of operand {k}")
    return y.dtype, ty.dtype


# float32's atol: a loss near 0 as 1 - cos(x1, x2) differs by an ulp of 1, cos's rounding here and in PyTorch's;
# a gradient that cancels (cos's, of parallel vectors) by float32's eps / |x|
@settings(max_examples=8, deadline=None)
@pytest.mark.parametrize("dtype, rtol, atol, grad_atol", [(np.float64, 1e-12, 1e-14, 1e-12),
                                                          (np.float32, 1e-5, 1e-6, 1e-4)], ids=["float64", "float32"])
@pytest.mark.parametrize("op", LOSSES, ids=[op.name for op in LOSSES])
@given(data=st.data())
def test_values_gradients_and_dtypes_match_torch(op, dtype, rtol, atol, grad_atol, data):
    arrays, kwargs = data.draw(cases(op), label="arrays, kwargs")
    twin, differentiated = TWINS[op.name]
    # (a float64 weight or target given with float32 inputs: PyTorch promotes the loss to float64, this keeps the
    # input's float32, as the other losses here; the same values in float32 compare the rest)
    kwargs = {key: v.astype(dtype) if isinstance(v, np.ndarray) and v.dtype.kind == "f" else v
              for key, v in kwargs.items()}
    arrays = [a.astype(dtype) for a in arrays]
    ours = lambda *ts: op.fn(*ts, **kwargs)  # noqa: E731
    theirs = lambda *ts: twin(*ts, **{key: _as_torch(v) for key, v in kwargs.items()})  # noqa: E731
    dtypes = _both(ours, theirs, arrays, differentiated, rtol, atol, op.name, grad_atol)
    assert dtypes == (dtype, getattr(torch, np.dtype(dtype).name))


# ---- at the kinks and edges exactly ----------------------------------------------------------------------------
# PyTorch 2.14 passes no gradient at clamp_min's bound (the subgradient of least norm, as relu's), as here; 2.13
# passed it (tests/nn/test_losses_edges.py asserts these kinks' gradients without PyTorch)
_CLAMP_MIN_AT_ITS_BOUND = pytest.mark.skipif(torch_older_than(torch, "2.14"), reason=(
    "PyTorch before 2.14 passes clamp_min's gradient at the bound (1); 2.14 and this library pass none (0)"))
KINKS = [  # (ours, theirs, operands): the operands sit on a kink
    pytest.param(lambda a, b: F.margin_ranking_loss(a, b, np.array([1.0, -1.0]), 0.5, "sum"),
                 lambda a, b: TF.margin_ranking_loss(a, b, torch.tensor([1.0, -1.0]), 0.5, reduction="sum"),
                 ([1.0, 0.0], [0.5, 0.5]), marks=_CLAMP_MIN_AT_ITS_BOUND),
    pytest.param(lambda x: F.hinge_embedding_loss(x, [-1.0, -1.0, 1.0], 1.0, "sum"),
                 lambda x: TF.hinge_embedding_loss(x, torch.tensor([-1.0, -1.0, 1.0]), 1.0, reduction="sum"),
                 ([1.0, 0.5, 1.0],), marks=_CLAMP_MIN_AT_ITS_BOUND),
    (lambda x: F.multi_margin_loss(x, np.array([0, 2]), 1, 1.0, None, "sum"),
     lambda x: TF.multi_margin_loss(x, torch.tensor([0, 2]), 1, 1.0, reduction="sum"),
     ([[1.0, 0.0, 0.5], [0.0, 0.0, 1.0]],)),
    (lambda x: F.multi_margin_loss(x, np.array([0]), 2, 1.0, None, "sum"),
     lambda x: TF.multi_margin_loss(x, torch.tensor([0]), 2, 1.0, reduction="sum"), ([[1.0, 0.0, 0.5]],)),
    pytest.param(lambda *t: F.triplet_margin_loss(*t, eps=0.0), lambda *t: TF.triplet_margin_loss(*t, eps=0.0),
                 ([[0.0, 0.0]], [[1.0, 0.0]], [[2.0, 0.0]]), marks=_CLAMP_MIN_AT_ITS_BOUND),
    (lambda *t: F.triplet_margin_loss(*t, eps=0.0, swap=True),
     lambda *t: TF.triplet_margin_loss(*t, eps=0.0, swap=True),
     ([[0.0, 0.0]], [[2.0, 0.0]], [[1.0, 0.0]])),
    (lambda *t: F.triplet_margin_loss(*t, p=math.inf, eps=0.0),
     lambda *t: TF.triplet_margin_loss(*t, p=math.inf, eps=0.0),
     ([[0.0, 0.0]], [[1.0, -1.0]], [[0.5, 0.0]])),
    (lambda *t: F.triplet_margin_loss(*t, p=1, eps=0.0), lambda *t: TF.triplet_margin_loss(*t, p=1, eps=0.0),
     ([[0.0, 0.0]], [[1.0, 0.0]], [[0.5, 0.0]])),
    (lambda *t: F.triplet_margin_loss(*t, p=0.5, eps=0.0), lambda *t: TF.triplet_margin_loss(*t, p=0.5, eps=0.0),
     ([[0.0, 0.0]], [[1.0, 0.0]], [[0.5, 0.0]])),
    (lambda u, v: F.pairwise_distance(u, v, 3, 0.0), lambda u, v: TF.pairwise_distance(u, v, 3, 0.0),
     ([[1.0, 2.0], [0.0, 1.0]], [[1.0, 2.0], [1.0, 1.0]])),
    (lambda x: F.smooth_l1_loss(x, np.zeros(3), "sum", 0.5),
     lambda x: TF.smooth_l1_loss(x, torch.zeros(3, dtype=torch.float64), reduction="sum", beta=0.5),
     ([0.5, -0.5, 0.0],)),
    (lambda x: F.smooth_l1_loss(x, np.zeros(3), "sum", 0.0),
     lambda x: TF.smooth_l1_loss(x, torch.zeros(3, dtype=torch.float64), reduction="sum", beta=0.0),
     ([0.5, -0.5, 0.0],)),
    pytest.param(lambda u, v: F.cosine_embedding_loss(u, v, [-1, 1], 0.0, "sum"),
                 lambda u, v: TF.cosine_embedding_loss(u, v, torch.tensor([-1, 1]), 0.0, reduction="sum"),
                 ([[1.0, 0.0], [0.0, 0.0]], [[0.0, 1.0], [0.0, 1.0]]), marks=_CLAMP_MIN_AT_ITS_BOUND),
    (lambda u, v: F.cosine_similarity(u, v), lambda u, v: TF.cosine_similarity(u, v),
     ([[0.0, 0.0], [1e-9, 0.0], [1e-9, 1e-9]], [[0.0, 1.0], [0.0, 1.0], [1.0, 1.0]])),
    pytest.param(lambda x: F.normalize(x) * ag.tensor([1.0, 2.0]),
                 lambda x: TF.normalize(x) * torch.tensor([1.0, 2.0]),
                 ([[0.0, 0.0], [1e-13, 0.0], [1e-12, 0.0], [3.0, 4.0]],), marks=_CLAMP_MIN_AT_ITS_BOUND),
    (lambda x, v: F.gaussian_nll_loss(x, np.zeros(3), v, reduction="sum"),
     lambda x, v: TF.gaussian_nll_loss(x, torch.zeros(3), v, reduction="sum"), ([0.5, 1.0, 2.0], [1e-8, 1e-6, 2.0])),
    (lambda x, y: F.kl_div(x, y, "sum", log_target=True), lambda x, y: TF.kl_div(x, y, reduction="sum",
                                                                                  log_target=True),
     ([0.5, -1.0], [-50.0, 0.5])),
]


@pytest.mark.parametrize("ours, theirs, operands", KINKS, ids=[str(k) for k in range(len(KINKS))])
def test_the_gradients_at_kinks_and_edges_are_torchs(ours, theirs, operands):
    _both(ours, theirs, [np.array(v) for v in operands], range(len(operands)), rtol=1e-12, atol=1e-300)


def test_where_torch_gives_nan_at_a_zero_target_the_gradient_here_is_finite():
    # kl_div's and poisson_nll_loss(full=True)'s target gradients at target 0: PyTorch's are NaN (0 / 0 in xlogy's
    # rule, 0 * log 0 in the masked Stirling term); here 0 and -x, the limits of the terms as written
    x, y = torch.tensor([0.5, -1.0], dtype=torch.float64), torch.tensor([0.0, 0.5], dtype=torch.float64,
                                                                        requires_grad=True)
    TF.kl_div(x, y, reduction="sum").backward()
    assert math.isnan(y.grad[0])
    grads = ag.grad(lambda t: F.kl_div(x.numpy(), t, reduction="sum"))(y.detach().numpy()).data
    assert grads[0] == 0.0 and grads[1] == pytest.approx(y.grad[1].item(), rel=1e-14)
    grads = ag.grad(lambda t: F.poisson_nll_loss(x.numpy(), t, full=True, reduction="sum"))(np.array([0.0, 3.0]))
    np.testing.assert_allclose(grads.data, [-0.5, 1.0 + math.log(3.0) + 1 / 6], rtol=1e-14)


def test_where_torchs_norms_and_soft_margin_overflow_these_are_finite():
    x = np.array([[1e200, 1e200]])
    assert math.isinf(TF.pairwise_distance(torch.tensor(x), torch.tensor(-x), eps=0.0).item())
    assert F.pairwise_distance(x, -x, eps=0.0).item() == pytest.approx(2 * math.sqrt(2) * 1e200, rel=1e-15)
    assert TF.cosine_similarity(torch.tensor(x), torch.tensor(x)).item() == 0.0  # inf / inf, clamped
    assert F.cosine_similarity(x, x).item() == pytest.approx(1.0, rel=1e-15)
    z = np.array([-1000.0, 1000.0])  # PyTorch's log1p(exp(-y z)): inf, with gradient NaN
    assert torch.isinf(TF.soft_margin_loss(torch.tensor(z), torch.tensor([1.0, -1.0]), reduction="none")).all()
    np.testing.assert_array_equal(F.soft_margin_loss(z, [1.0, -1.0], reduction="none").data, [1000.0, 1000.0])


# ---- errors where PyTorch raises -------------------------------------------------------------------------------
RAISES = [  # (ours, theirs): both must raise
    (lambda: F.smooth_l1_loss(np.ones(3), np.ones(3), beta=-1.0),
     lambda: TF.smooth_l1_loss(torch.ones(3), torch.ones(3), beta=-1.0)),
    (lambda: F.soft_margin_loss(np.ones(3), np.ones((3, 1))), lambda: TF.soft_margin_loss(torch.ones(3),
                                                                                         torch.ones(3, 1))),
    (lambda: F.margin_ranking_loss(np.ones(3), np.ones(3), np.ones(())),
     lambda: TF.margin_ranking_loss(torch.ones(3), torch.ones(3), torch.ones(()))),
    (lambda: F.cosine_embedding_loss(np.ones((2, 4)), np.ones((2, 4)), 1),
     lambda: TF.cosine_embedding_loss(torch.ones(2, 4), torch.ones(2, 4), torch.tensor(1.0))),
    (lambda: F.cosine_embedding_loss(np.ones((2, 4, 2)), np.ones((2, 4, 2)), [1, 1]),
     lambda: TF.cosine_embedding_loss(torch.ones(2, 4, 2), torch.ones(2, 4, 2), torch.ones(2))),
    (lambda: F.cosine_embedding_loss(np.ones((3, 4)), np.ones((3, 4)), [1, 1]),
     lambda: TF.cosine_embedding_loss(torch.ones(3, 4), torch.ones(3, 4), torch.ones(2))),
    (lambda: F.multilabel_soft_margin_loss(np.ones(()), np.ones(())),
     lambda: TF.multilabel_soft_margin_loss(torch.ones(()), torch.ones(()))),
    (lambda: F.gaussian_nll_loss(np.ones((2, 2, 3)), np.ones((2, 2, 3)), np.ones((1, 1, 3))),
     lambda: TF.gaussian_nll_loss(torch.ones(2, 2, 3), torch.ones(2, 2, 3), torch.ones(1, 1, 3))),
    (lambda: F.gaussian_nll_loss(np.ones((2, 3)), np.ones((2, 3)), np.ones(())),
     lambda: TF.gaussian_nll_loss(torch.ones(2, 3), torch.ones(2, 3), torch.ones(()))),
    (lambda: F.gaussian_nll_loss(np.ones(2), np.ones(2), [1.0, -1.0]),
     lambda: TF.gaussian_nll_loss(torch.ones(2), torch.ones(2), torch.tensor([1.0, -1.0]))),
    (lambda: F.multi_margin_loss(np.ones((2, 4)), np.array([1, 4])),
     lambda: TF.multi_margin_loss(torch.ones(2, 4), torch.tensor([1, 4]))),
    (lambda: F.multi_margin_loss(np.ones((2, 4)), np.array([1, 2, 3])),
     lambda: TF.multi_margin_loss(torch.ones(2, 4), torch.tensor([1, 2, 3]))),
    (lambda: F.multi_margin_loss(np.ones((2, 4, 2)), np.array([1, 2])),
     lambda: TF.multi_margin_loss(torch.ones(2, 4, 2), torch.tensor([1, 2]))),
    (lambda: F.multi_margin_loss(np.ones((2, 4)), np.array([1, 2]), p=3),
     lambda: TF.multi_margin_loss(torch.ones(2, 4), torch.tensor([1, 2]), p=3)),
    (lambda: F.multi_margin_loss(np.ones((2, 4)), np.array([1, 2]), weight=np.ones(3)),
     lambda: TF.multi_margin_loss(torch.ones(2, 4), torch.tensor([1, 2]), weight=torch.ones(3))),
    (lambda: F.triplet_margin_loss(np.ones((3, 4)), np.ones((3, 4)), np.ones(4)),
     lambda: TF.triplet_margin_loss(torch.ones(3, 4), torch.ones(3, 4), torch.ones(4))),
    (lambda: F.triplet_margin_loss(np.ones((3, 4)), np.ones((3, 4)), np.ones((3, 4)), margin=0.0),
     lambda: TF.triplet_margin_loss(torch.ones(3, 4), torch.ones(3, 4), torch.ones(3, 4), margin=0.0)),
    (lambda: F.pairwise_distance(np.ones((3, 4)), np.ones((3, 5))),
     lambda: TF.pairwise_distance(torch.ones(3, 4), torch.ones(3, 5))),
    (lambda: F.cosine_similarity(np.ones(3), np.ones(3)), lambda: TF.cosine_similarity(torch.ones(3), torch.ones(3))),
    (lambda: F.cosine_similarity(np.ones(3), np.ones(3), 0, -1.0),
     lambda: TF.cosine_similarity(torch.ones(3), torch.ones(3), 0, -1.0)),
    (lambda: F.cosine_similarity(np.ones(3, int), np.ones(3, int), 0),
     lambda: TF.cosine_similarity(torch.ones(3, dtype=torch.long), torch.ones(3, dtype=torch.long), 0)),
    (lambda: F.normalize(np.ones(3)), lambda: TF.normalize(torch.ones(3))),
    (lambda: F.kl_div(np.ones(3), np.ones(3), "average"), lambda: TF.kl_div(torch.ones(3), torch.ones(3),
                                                                            reduction="average")),
    (lambda: F.gaussian_nll_loss(np.ones(3), np.ones(3), np.ones(3), reduction="average"),
     lambda: TF.gaussian_nll_loss(torch.ones(3), torch.ones(3), torch.ones(3), reduction="average")),
]


@pytest.mark.parametrize("ours, theirs", RAISES, ids=[str(k) for k in range(len(RAISES))])
def test_where_torch_raises_so_does_this(ours, theirs):
    with pytest.raises((RuntimeError, ValueError, IndexError, TypeError)):
        theirs()
    with pytest.raises((ValueError, IndexError, TypeError)):
        ours()


@pytest.mark.parametrize("name", ["cosine_similarity", "pairwise_distance"])
@pytest.mark.parametrize("int_dtype, float_dtype", [(np.int8, np.float32), (np.int64, np.float32), (np.int32, np.float64)])
def test_distances_promote_an_integer_input_to_the_others_float_dtype_as_torch(name, int_dtype, float_dtype):
    # found by porting PyTorch's test_nn.py (test_cosine_similarity, issue #61454: cosine_similarity(x.to(int8), x));
    # an integer input was refused
    torch = pytest.importorskip("torch")
    a, b = np.array([[3, 0, 4], [1, 2, 2]], int_dtype), np.array([[3.0, 1.0, 4.0], [0.5, 2.0, -1.0]], float_dtype)
    for x1, x2 in ((a, b), (b, a)):
        expected = getattr(torch.nn.functional, name)(torch.tensor(x1), torch.tensor(x2))
        x = ag.tensor(b, requires_grad=True)
        out = getattr(F, name)(*(x if v is b else ag.tensor(v) for v in (x1, x2)))
        assert out.dtype == float_dtype == getattr(np, str(expected.dtype).removeprefix("torch."))
        np.testing.assert_allclose(out.data, expected.numpy(), rtol=1e-6)
        out.sum().backward()
        assert x.grad.dtype == float_dtype
    with pytest.raises(TypeError, match="cosine_similarity: expected an input of a float dtype"):
        F.cosine_similarity(ag.tensor(a), ag.tensor(a))
