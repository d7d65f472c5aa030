"""nn.utils.parametrizations: weight_norm, spectral_norm, orthogonal: NumPy references, gradients, torch parity."""
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd_core as ag
import nn
from autograd_core.testing import gradcheck, gradgradcheck
from autograd_core.testing.strategies import elements, float_arrays
from nn.utils import parametrizations as PZ
from nn.utils import parametrize as P
from nn.utils.parametrizations import _Orthogonal, _SpectralNorm, _WeightNorm, matrix_exp


def _torch():
    return pytest.importorskip("torch")  # (its modules made float64 with .double(): no global default changed)


def _load_into_torch(ours, theirs, torch):
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})


# ---- weight_norm ------------------------------------------------------------------------------
@pytest.mark.parametrize("dim, g_shape", [(0, (4, 1)), (1, (1, 3)), (-1, ()), (None, ())])
def test_weight_norm_numpy(dim, g_shape):
    layer = nn.Linear(3, 4, dtype=np.float64, rng=0)
    w = layer.weight.data.copy()
    PZ.weight_norm(layer, dim=dim)
    g, v = layer.parametrizations.weight.original0, layer.parametrizations.weight.original1
    assert g.shape == g_shape and v.shape == (4, 3)
    np.testing.assert_allclose(layer.weight.data, w, rtol=1e-12)  # starts at the same value
    g.data = g.data * 2
    if dim in (-1, None):
        norm = np.sqrt((v.data ** 2).sum())
    else:
        norm = np.sqrt((v.data ** 2).sum(axis=1 - dim, keepdims=True))
    np.testing.assert_allclose(layer.weight.data, v.data * g.data / norm, rtol=1e-12)


@pytest.mark.parametrize("dim", [0, 1])
def test_weight_norm_loads_the_older_weight_norms_state_dict(dim):
    # PyTorch's load-state-dict pre-hook renames weight_g/weight_v to parametrizations.weight.original0/1
    with pytest.warns(FutureWarning, match="parametrizations.weight_norm"):
        old = nn.utils.weight_norm(nn.Linear(4, 5, dtype=np.float64, rng=0), dim=dim)
    old.weight_g.data = old.weight_g.data * 3.0  # g no longer the norm of v: the load must carry both
    new = PZ.weight_norm(nn.Linear(4, 5, dtype=np.float64, rng=1), dim=dim)
    new.load_state_dict(old.state_dict())
    v, g = old.weight_v.data, old.weight_g.data
    np.testing.assert_array_equal(new.parametrizations.weight.original1.data, v)
    norm = np.sqrt((v ** 2).sum(axis=1 - dim, keepdims=True))
    x = np.random.default_rng(0).standard_normal((3, 4))
    np.testing.assert_allclose(new(x).data, x @ (g * v / norm).T + old.bias.data, rtol=1e-12)
    torch = _torch()
    theirs = torch.nn.utils.parametrizations.weight_norm(torch.nn.Linear(4, 5).double(), dim=dim)
    theirs.load_state_dict({k: torch.tensor(a) for k, a in old.state_dict().items()})
    np.testing.assert_allclose(new(x).data, theirs(torch.tensor(x)).detach().numpy(), rtol=1e-12)


def test_weight_norm_conv_gradcheck():
    wn = _WeightNorm(0)
    rng = np.random.default_rng(0)
    v = rng.standard_normal((3, 2, 2))
    g = rng.standard_normal((3, 1, 1))
    assert gradcheck(wn, g, v)
    assert gradgradcheck(wn, g, v)
    assert gradcheck(_WeightNorm(None), np.array(1.5), v)


# ---- spectral_norm ----------------------------------------------------------------------------
def test_spectral_norm_numpy_power_method():
    layer = nn.Linear(5, 4, dtype=np.float64, rng=0)
    PZ.spectral_norm(layer, n_power_iterations=3, rng=1)
    sn = layer.parametrizations.weight[0]
    w = layer.parametrizations.weight.original.data
    u, v = sn._u.data.copy(), sn._v.data.copy()
    for _ in range(3):  # what one training-mode read does
        u = w @ v / np.linalg.norm(w @ v)
        v = w.T @ u / np.linalg.norm(w.T @ u)
    value = layer.weight.data
    np.testing.assert_allclose(sn._u.data, u, rtol=1e-12)
    np.testing.assert_allclose(value, w / (u @ w @ v), rtol=1e-12)
    np.testing.assert_allclose(np.linalg.svd(value, compute_uv=False)[0], 1.0, rtol=1e-6)
    layer.eval()
    u_eval = sn._u.data.copy()
    layer.weight, layer(np.ones((1, 5)))
    np.testing.assert_array_equal(sn._u.data, u_eval)  # eval mode: no power iteration


def test_spectral_norm_one_dimensional_and_errors():
    bn = nn.BatchNorm1d(3, dtype=np.float64)
    bn.weight.data = np.array([3.0, 4.0, 0.0])
    PZ.spectral_norm(bn)
    np.testing.assert_allclose(bn.weight.data, [0.6, 0.8, 0.0])
    with pytest.raises(IndexError, match=r"spectral_norm: dimension out of range \(expected to be in range of "
                                         r"\[-2, 1\] but got 2\)"):
        PZ.spectral_norm(nn.Linear(2, 2), dim=2)
    with pytest.raises(ValueError, match="n_power_iterations to be a positive int.*0"):
        PZ.spectral_norm(nn.Linear(2, 2), n_power_iterations=0)
    with pytest.raises(ValueError, match="has no parameter or buffer with name 'nope'"):
        PZ.spectral_norm(nn.Linear(2, 2), "nope")


def test_spectral_norm_conv_transpose_defaults_to_dim_1():
    layer = PZ.spectral_norm(nn.ConvTranspose2d(2, 5, 3, rng=0), rng=0)
    sn = layer.parametrizations.weight[0]
    assert sn.dim == 1 and sn._u.shape == (5,) and sn._v.shape == (2 * 9,)


# ---- orthogonal -------------------------------------------------------------------------------
def test_matrix_exp_numpy_reference():
    rng = np.random.default_rng(0)
    for scale in (0.1, 1.0, 7.0):
        a = rng.standard_normal((2, 4, 4)) * scale
        w, vecs = np.linalg.eig(a[0])
        expected = (vecs @ np.diag(np.exp(w)) @ np.linalg.inv(vecs)).real
        np.testing.assert_allclose(matrix_exp(ag.tensor(a)).data[0], expected, rtol=1e-9, atol=1e-9)
    for scale in (0.3, 3.0):  # a symmetric matrix: exp through eigh, accurate to rounding
        a = rng.standard_normal((5, 5)) * scale
        a = a + a.T
        w, vecs = np.linalg.eigh(a)
        np.testing.assert_allclose(matrix_exp(ag.tensor(a)).data, vecs @ np.diag(np.exp(w)) @ vecs.T, rtol=1e-13,
                                   atol=1e-13 * np.exp(w).max())
    skew = rng.standard_normal((4, 4))
    q = matrix_exp(ag.tensor(skew - skew.T)).data
    np.testing.assert_allclose(q.T @ q, np.eye(4), atol=1e-14)
    assert gradcheck(matrix_exp, rng.standard_normal((3, 3)))


@pytest.mark.parametrize("orthogonal_map", ["matrix_exp", "cayley", "householder"])
@pytest.mark.parametrize("shape", [(3, 3), (5, 3), (2, 4)])
@pytest.mark.parametrize("use_trivialization", [True, False])
def test_orthogonal_is_orthogonal_and_differentiable(orthogonal_map, shape, use_trivialization):
    layer = nn.Linear(shape[1], shape[0], dtype=np.float64, rng=0)
    PZ.orthogonal(layer, orthogonal_map=orthogonal_map, use_trivialization=use_trivialization, rng=0)
    original = layer.parametrizations.weight.original
    off_diagonal = 1 - np.eye(*shape)  # householder reads the diagonal's signs (truncated, as PyTorch's .int())
    original.data = original.data + np.random.default_rng(1).standard_normal(shape) * 0.2 * off_diagonal
    q = layer.weight.data
    small = min(shape)
    gram = q.T @ q if shape[0] >= shape[1] else q @ q.T
    np.testing.assert_allclose(gram, np.eye(small), atol=1e-10)
    orth = layer.parametrizations.weight[0]
    # (householder's diagonal holds +-1, read truncated: a step there; 1.5 keeps finite differences off it)
    point = original.data + 0.5 * np.sign(original.data) * np.eye(*shape)
    assert gradcheck(orth, point)


def test_orthogonal_starts_at_the_weight_made_orthogonal():
    layer = nn.Linear(3, 3, dtype=np.float64, rng=0)
    q, r = np.linalg.qr(layer.weight.data)
    expected = q * np.sign(np.diag(r))
    PZ.orthogonal(layer)
    np.testing.assert_allclose(layer.weight.data, expected, atol=1e-12)
    np.testing.assert_allclose(layer.parametrizations.weight.original.data, -np.eye(3))
    assert sorted(layer.state_dict()) == ["bias", "parametrizations.weight.0.base",
                                          "parametrizations.weight.original"]
    layer.weight = ag.tensor(np.eye(3)[::-1].copy())  # assigning an orthogonal matrix: the base becomes it
    np.testing.assert_allclose(layer.weight.data, np.eye(3)[::-1], atol=1e-12)


def test_orthogonal_errors():
    with pytest.raises(ValueError, match="expected a matrix or batch of matrices, got a tensor of 1 dimensions"):
        PZ.orthogonal(nn.Linear(2, 2), "bias")
    with pytest.raises(ValueError, match='orthogonal_map has to be one of "matrix_exp", "cayley", "householder", '
                                         "got 'qr'"):
        PZ.orthogonal(nn.Linear(2, 2), orthogonal_map="qr")
    layer = PZ.orthogonal(nn.Linear(2, 2, dtype=np.float64), use_trivialization=False)
    with pytest.raises(NotImplementedError, match="use_trivialization=False"):
        layer.weight = ag.tensor(np.eye(2))
    with pytest.raises(ValueError, match=r"shape \(2, 2\), got a tensor of shape \(3,\)"):
        _Orthogonal(ag.tensor(np.eye(2)), "cayley").right_inverse(ag.tensor(np.ones(3)))


# ---- against torch ----------------------------------------------------------------------------
def _train_both(ours, theirs, torch, x_shape, steps=3, lr=0.05):
    opt, topt = nn.optim.SGD(ours.parameters(), lr=lr), torch.optim.SGD(theirs.parameters(), lr=lr)
    rng = np.random.default_rng(5)
    for _ in range(steps):
        x = rng.standard_normal(x_shape)
        out, tout = ours(x), theirs(torch.tensor(x))
        np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-9, atol=1e-11)
        opt.zero_grad(), topt.zero_grad()
        (out ** 2).sum().backward(), (tout ** 2).sum().backward()
        opt.step(), topt.step()
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[key], value.numpy(), rtol=1e-9, atol=1e-11, err_msg=key)


@pytest.mark.parametrize("dim", [0, 1, None])
def test_weight_norm_training_matches_torch(dim):
    torch = _torch()
    ours = PZ.weight_norm(nn.Conv1d(2, 3, 3, dtype=np.float64, rng=0), dim=dim)
    theirs = torch.nn.utils.parametrizations.weight_norm(torch.nn.Conv1d(2, 3, 3).double(), dim=dim)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    _load_into_torch(ours, theirs, torch)
    _train_both(ours, theirs, torch, (2, 2, 6))


@pytest.mark.parametrize("make, x_shape", [(lambda m: m.Linear(4, 3), (5, 4)),
                                           (lambda m: m.Conv2d(2, 3, 2), (1, 2, 4, 4)),
                                           (lambda m: m.ConvTranspose1d(2, 3, 2), (1, 2, 4))])
def test_spectral_norm_training_matches_torch(make, x_shape):
    torch = _torch()
    ours = PZ.spectral_norm(make(nn).double(), n_power_iterations=2, rng=0)
    theirs = torch.nn.utils.parametrizations.spectral_norm(make(torch.nn).double(), n_power_iterations=2)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    _load_into_torch(ours, theirs, torch)
    _train_both(ours, theirs, torch, x_shape)
    ours.eval(), theirs.eval()
    _train_both(ours, theirs, torch, x_shape, steps=2)


@pytest.mark.parametrize("orthogonal_map", ["matrix_exp", "cayley", "householder"])
@pytest.mark.parametrize("shape", [(3, 3), (4, 2)])
def test_orthogonal_training_matches_torch(orthogonal_map, shape):
    torch = _torch()
    ours = nn.Linear(shape[1], shape[0], dtype=np.float64, rng=0)
    theirs = torch.nn.Linear(shape[1], shape[0]).double()
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(ours.weight.data))
    PZ.orthogonal(ours, orthogonal_map=orthogonal_map, rng=0)
    torch.nn.utils.parametrizations.orthogonal(theirs, orthogonal_map=orthogonal_map)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    _load_into_torch(ours, theirs, torch)  # the random completion of a non-square base
    _train_both(ours, theirs, torch, (3, shape[1]), steps=3, lr=0.1)


def test_stacked_on_one_weight_matches_torch():
    torch = _torch()
    ours = nn.Linear(3, 3, dtype=np.float64, rng=0)
    theirs = torch.nn.Linear(3, 3).double()
    PZ.weight_norm(ours)
    torch.nn.utils.parametrizations.weight_norm(theirs)
    P.register_parametrization(ours, "weight", nn.Tanh())
    torch.nn.utils.parametrize.register_parametrization(theirs, "weight", torch.nn.Tanh())
    assert list(ours.state_dict()) == list(theirs.state_dict())
    _load_into_torch(ours, theirs, torch)
    _train_both(ours, theirs, torch, (4, 3))


# ---- the older hook API: nn.utils.weight_norm, nn.utils.spectral_norm -------------------------
def test_old_weight_norm_numpy_and_remove():
    layer = nn.Linear(3, 4, dtype=np.float64, rng=0)
    w = layer.weight.data.copy()
    with pytest.warns(FutureWarning, match="parametrizations.weight_norm"):
        nn.utils.weight_norm(layer)
    assert list(layer.state_dict()) == ["bias", "weight_g", "weight_v"]
    np.testing.assert_allclose(layer.weight_g.data, np.linalg.norm(w, axis=1, keepdims=True))
    layer.weight_g.data = layer.weight_g.data * 3
    x = np.ones((2, 3))
    np.testing.assert_allclose(layer(x).data, x @ (3 * w).T + layer.bias.data, rtol=1e-12)  # the hook recomputes
    layer(x).sum().backward()
    assert layer.weight_g.grad.shape == (4, 1) and layer.weight_v.grad.shape == (4, 3)
    with pytest.raises(RuntimeError, match="two weight_norm hooks on the same parameter 'weight'"), \
            pytest.warns(FutureWarning):
        nn.utils.weight_norm(layer)
    nn.utils.remove_weight_norm(layer)
    assert list(layer.state_dict()) == ["bias", "weight"] and isinstance(layer.weight, nn.Parameter)
    np.testing.assert_allclose(layer.weight.data, 3 * w, rtol=1e-12)
    with pytest.raises(ValueError, match="weight_norm of 'weight' not found in Linear"):
        nn.utils.remove_weight_norm(layer)
    with pytest.raises(ValueError, match="has no parameter 'nope'"), pytest.warns(FutureWarning):
        nn.utils.weight_norm(layer, "nope")


def test_old_spectral_norm_numpy_and_remove():
    layer = nn.Linear(5, 4, dtype=np.float64, rng=0)
    nn.utils.spectral_norm(layer, n_power_iterations=2, rng=0)
    assert list(layer.state_dict()) == ["bias", "weight_orig", "weight_u", "weight_v"]
    w, u, v = layer.weight_orig.data, layer.weight_u.data.copy(), layer.weight_v.data.copy()
    layer(np.ones((1, 5)))
    for _ in range(2):  # the old order: v first
        v = w.T @ u / np.linalg.norm(w.T @ u)
        u = w @ v / np.linalg.norm(w @ v)
    np.testing.assert_allclose(layer.weight_u.data, u, rtol=1e-12)
    np.testing.assert_allclose(layer.weight.data, w / (u @ w @ v), rtol=1e-12)
    layer.eval()
    layer(np.ones((1, 5)))
    np.testing.assert_allclose(layer.weight_u.data, u, rtol=1e-12)  # no power iteration in eval mode
    with pytest.raises(RuntimeError, match="two spectral_norm hooks"):
        nn.utils.spectral_norm(layer)
    nn.utils.remove_spectral_norm(layer)
    assert list(layer.state_dict()) == ["bias", "weight"]
    np.testing.assert_allclose(layer.weight.data, w / (u @ w @ v), rtol=1e-12)
    with pytest.raises(ValueError, match="spectral_norm of 'weight' not found"):
        nn.utils.remove_spectral_norm(layer)
    with pytest.raises(IndexError, match=r"dimension out of range \(expected to be in range of \[-2, 1\]"):
        nn.utils.spectral_norm(nn.Linear(2, 2), dim=5)
    with pytest.raises(IndexError, match=r"takes a dim >= 0 \(here 1 for -1\)"):
        nn.utils.spectral_norm(nn.Linear(2, 2), dim=-1)
    with pytest.raises(ValueError, match="n_power_iterations to be a positive int"):
        nn.utils.spectral_norm(nn.Linear(2, 2), n_power_iterations=0)


@pytest.mark.parametrize("which", ["weight_norm", "spectral_norm"])
def test_old_api_training_matches_torch(which):
    torch = _torch()
    import warnings
    ours, theirs = nn.Conv1d(2, 3, 2, dtype=np.float64, rng=0), torch.nn.Conv1d(2, 3, 2).double()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        getattr(nn.utils, which)(ours)
        getattr(torch.nn.utils, which)(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    _load_into_torch(ours, theirs, torch)
    _train_both(ours, theirs, torch, (2, 2, 5))
    getattr(nn.utils, "remove_" + which)(ours)
    getattr(torch.nn.utils, "remove_" + which)(theirs)
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[key], value.numpy(), rtol=1e-9, err_msg=key)


# ---- second derivatives, over random shapes (Hypothesis) ----------------------------------------
@settings(max_examples=12, deadline=None)
@given(data=st.data(), orthogonal_map=st.sampled_from(["matrix_exp", "cayley", "householder"]),
       batch=st.sampled_from([(), (2,)]), n=st.integers(1, 3), k=st.integers(1, 3))
def test_orthogonal_maps_second_derivatives(data, orthogonal_map, batch, n, k):
    x = data.draw(float_arrays((*batch, n, k), elements=elements(-1.0, 1.0)))
    diagonal = np.arange(min(n, k))  # householder reads the diagonal truncated to an int: +-1.5 means +-1
    x[..., diagonal, diagonal] = np.where(x[..., diagonal, diagonal] < 0, -1.5, 1.5)
    orth = _Orthogonal(ag.tensor(x), orthogonal_map, use_trivialization=False)
    q = orth(ag.tensor(x)).data
    gram = np.swapaxes(q, -1, -2) @ q if n >= k else q @ np.swapaxes(q, -1, -2)
    np.testing.assert_allclose(gram, np.broadcast_to(np.eye(min(n, k)), gram.shape), atol=1e-10)
    assert gradgradcheck(orth, x)


@settings(max_examples=10, deadline=None)
@given(data=st.data(), dim=st.sampled_from([0, 1]), shape=st.sampled_from([(3, 2), (2, 4), (2, 2, 2)]))
def test_spectral_norm_second_derivatives_in_eval_mode(data, dim, shape):
    weight = data.draw(float_arrays(shape, elements=elements(-2.0, 2.0)))
    sn = _SpectralNorm(ag.tensor(weight), dim=dim, rng=0).eval()
    assume(abs(sn._u.data @ sn._matrix(weight) @ sn._v.data) > 0.1)  # sigma's estimate away from 0
    assert gradcheck(sn, weight)
    assert gradgradcheck(sn, weight)
