"""F1's fuzzing of torch_extras against PyTorch: lerp takes PyTorch's second form for |weight| >= 0.5 (so weight 1
gives end exactly), and addmm ignores a term whose factor (beta, alpha) is 0, NaN and inf in it too."""
import numpy as np
import pytest

import autograd_core as ag

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("weight", [1.0, 0.75, -0.5, 1.5])
@pytest.mark.parametrize("as_tensor", [False, True])
def test_lerp_matches_torch_bit_for_bit_when_input_dwarfs_end(weight, as_tensor):
    a, b = np.array([1e20, -3e15, 7.0]), np.array([1.0, 0.3, -2.5])
    w = np.full(3, weight)
    expected = torch.lerp(torch.tensor(a), torch.tensor(b), torch.tensor(w)).numpy()
    got = ag.lerp(ag.tensor(a), ag.tensor(b), ag.tensor(w) if as_tensor else weight)
    np.testing.assert_array_equal(got.data, expected)
    if weight == 1.0:
        np.testing.assert_array_equal(got.data, b)  # (the first form gave 0 for the 1e20 entry)


def test_lerp_gradients_at_an_infinite_input_match_torch():
    a = np.array([-np.inf, 2.0, np.inf, 1.0])
    b, w = np.array([0.5, -1.0, 3.0, 1e10]), np.array([0.5, 0.25, 1.0, 0.75])
    x, y, z = (ag.tensor(v, requires_grad=True) for v in (a, b, w))
    tx, ty, tz = (torch.tensor(v, requires_grad=True) for v in (a, b, w))
    with np.errstate(invalid="ignore"):
        ag.lerp(x, y, z).sum().backward()
    torch.lerp(tx, ty, tz).sum().backward()
    for ours, theirs in ((x, tx), (y, ty), (z, tz)):
        np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-12)


def test_lerp_second_derivatives_across_both_forms():
    from autograd_core.testing import gradgradcheck
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    w = np.array([[0.1, 0.49, 0.5], [0.9, 1.3, -0.7]])
    assert gradgradcheck(ag.lerp, a, b, w)
    assert gradgradcheck(lambda a, b: ag.lerp(a, b, 0.8), a, b)


@pytest.mark.parametrize("beta, alpha", [(0, 1), (0.0, 2.0), (1, 0), (0.5, 0.0), (0, 0)])
def test_addmm_leaves_out_a_term_whose_factor_is_zero(beta, alpha):
    c = np.array([[np.nan, 1.0], [np.inf, -2.0]])
    m1, m2 = np.array([[np.inf, 1.0], [2.0, 3.0]]), np.array([[1.0, 0.0], [-1.0, 2.0]])
    tensors = [ag.tensor(v, requires_grad=True) for v in (c, m1, m2)]
    theirs = [torch.tensor(v, requires_grad=True) for v in (c, m1, m2)]
    with np.errstate(invalid="ignore"):
        out = ag.addmm(*tensors, beta=beta, alpha=alpha)
        out.sum().backward()
    expected = torch.addmm(*theirs, beta=beta, alpha=alpha)
    expected.sum().backward()
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    for ours, t in zip(tensors, theirs):
        np.testing.assert_array_equal(ours.grad.data, t.grad.numpy())


def test_addmm_beta_zero_keeps_the_dtype_and_checks_the_shape():
    m = ag.ones((2, 2), dtype=np.float32)
    assert ag.addmm(ag.tensor([np.nan, np.nan], dtype=np.float32), m, m, beta=0).dtype == np.float32
    np.testing.assert_array_equal(ag.addmm(np.array([np.nan, 1.0]), m, m, beta=0).data, np.full((2, 2), 2.0))
    with pytest.raises(ValueError, match=r"addmm: input of shape \(3,\) does not broadcast"):
        ag.addmm(ag.ones(3), m, m, beta=0)


def test_lerp_of_float16_is_computed_in_float32_and_rounded_once():
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal(4000).astype(np.float16) for _ in range(2))
    w = (rng.random(4000) * 1.4 - 0.2).astype(np.float16)
    for ours, theirs in ((ag.tensor(w), torch.tensor(w)), (0.3, 0.3), (0.7, 0.7)):
        got = ag.lerp(ag.tensor(a), ag.tensor(b), ours)
        expected = torch.lerp(torch.tensor(a), torch.tensor(b), theirs).numpy()
        assert got.dtype == np.float16
        # (PyTorch's kernel fuses a multiply-add: a few results an ulp apart; in float16 steps hundreds were)
        assert np.count_nonzero(got.data != expected) <= 20
        np.testing.assert_allclose(got.data.astype(float), expected.astype(float), atol=2.5e-4, rtol=1e-3)
    x = ag.tensor(a[:5], requires_grad=True)
    ag.lerp(x, ag.tensor(b[:5]), 0.25).sum().backward()
    assert x.grad.dtype == np.float16 and x.grad.tolist() == [0.75] * 5
