"""nn.Embedding, F.embedding and F.one_hot: values against NumPy, the weight's gradient and second derivative
against central differences (a declaration table, Hypothesis), the padding row, the module protocol (repr,
parameters, state dict, checkpoints), PyTorch's options (max_norm, scale_grad_by_freq, from_pretrained, ...) and the
errors; then, in the torch section (skipped without torch), outputs,
gradients, reprs and errors against PyTorch's."""
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck, numerical_grad

sys.path.append(str(Path(__file__).resolve().parents[1] / "autograd_core" / "ops"))  # the engine's declaration tables
from optable import Op, generated_tests  # noqa: E402
from conftest import assert_same_layer_results, layer_results  # noqa: E402


# ---- the declaration table: the weight differentiated, the indices drawn (repeated ones accumulate) ---------------
@st.composite
def _embedding_case(draw):
    rows, dim = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    index_shape = draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=3))
    indices = draw(hnp.arrays(np.int64, index_shape, elements=st.integers(0, rows - 1)))
    return ((rows, dim),), {"input": indices}


EMBEDDING = [
    Op("F.embedding", lambda weight, input: F.embedding(input, weight), lambda weight, input: weight[input],
       case=_embedding_case()),
]

globals().update(generated_tests(EMBEDDING))


# ---- values, shapes and the padding row ----------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(), (4,), (2, 3), (2, 1, 3)])
def test_embedding_picks_the_rows_of_any_shape_of_indices(shape):
    emb = nn.Embedding(5, 3, rng=0)
    indices = np.random.default_rng(0).integers(0, 5, size=shape)
    out = emb(indices)
    assert out.shape == shape + (3,) and out.dtype == np.float32
    np.testing.assert_array_equal(out.data, emb.weight.data[indices])
    np.testing.assert_array_equal(emb(ag.tensor(indices)).data, out.data)  # an integer Tensor too
    np.testing.assert_array_equal(emb(indices.astype(np.int32)).data, out.data)


def test_embedding_gradient_scatter_adds_repeated_indices():
    emb = nn.Embedding(4, 2, dtype=np.float64, rng=0)
    emb(np.array([[0, 2], [2, 2]])).sum().backward()
    np.testing.assert_array_equal(emb.weight.grad.data, [[1, 1], [0, 0], [3, 3], [0, 0]])


def test_embedding_weight_is_standard_normal_reproducibly():
    weight = nn.Embedding(400, 50, rng=0).weight
    assert weight.shape == (400, 50) and weight.dtype == np.float32 and weight.requires_grad
    assert abs(weight.data.mean()) < 0.02 and abs(weight.data.std() - 1) < 0.02
    np.testing.assert_array_equal(nn.Embedding(3, 2, rng=7).weight.data,
                                  nn.Embedding(3, 2, rng=np.random.default_rng(7)).weight.data)
    assert nn.Embedding(3, 2, dtype=np.float64).weight.dtype == np.float64


@pytest.mark.parametrize("padding_idx, row", [(1, 1), (-1, 3), (0, 0)])
def test_padding_row_starts_at_zero_and_gets_no_gradient(padding_idx, row):
    emb = nn.Embedding(4, 3, padding_idx=padding_idx, dtype=np.float64, rng=0)
    assert emb.padding_idx == row and not emb.weight.data[row].any()
    emb.weight.data = np.random.default_rng(1).normal(size=(4, 3))  # a padding row that is not zero any more
    indices = np.array([[row, 2], [row, (row + 1) % 4]])
    out = emb(indices)
    np.testing.assert_array_equal(out.data, emb.weight.data[indices])  # its value is returned as it is
    cotangent = np.random.default_rng(2).normal(size=out.shape)
    out.backward(cotangent)
    expected = numerical_grad(lambda w: F.embedding(indices, w), emb.weight.data, cotangent=cotangent)[0]
    expected[row] = 0  # every other row's gradient is the derivative's
    np.testing.assert_allclose(emb.weight.grad.data, expected, atol=1e-8)


def test_padding_gradient_is_zero_in_second_derivatives_too():
    indices = np.array([0, 1, 1, 2])
    f = lambda w: ag.sin(F.embedding(indices, w, padding_idx=2))  # noqa: E731
    w = ag.tensor(np.random.default_rng(0).normal(size=(3, 2)), requires_grad=True)
    g = ag.grad(lambda w: f(w).sum())(w)
    assert not g.data[2].any() and g.data[0].all()
    hessian_row = ag.grad(lambda w: ag.grad(lambda v: f(v).sum())(w)[1, 0])(w)
    np.testing.assert_allclose(hessian_row.data, [[0, 0], [-2 * np.sin(w.data[1, 0]), 0], [0, 0]])
    # without padding rows among the indices, the padding changes nothing
    assert gradgradcheck(lambda w: F.embedding(np.array([0, 1]), w, padding_idx=2), w.data)
    assert gradcheck(lambda w: F.embedding(np.array([0, 1, 0]), w, padding_idx=2), w.data)


def test_embedding_module_protocol():
    model = nn.Sequential(nn.Embedding(10, 4, padding_idx=0, rng=0), nn.Flatten(), nn.Linear(12, 2, rng=0))
    assert [n for n, _ in model.named_parameters()] == ["0.weight", "2.weight", "2.bias"]
    assert list(model.state_dict()) == ["0.weight", "2.weight", "2.bias"]
    assert repr(model[0]) == "Embedding(10, 4, padding_idx=0)" and repr(nn.Embedding(3, 2)) == "Embedding(3, 2)"
    assert model(np.array([[1, 2, 0], [3, 0, 0]])).shape == (2, 2)
    assert model.eval()(np.array([[1, 2, 0]])).shape == (1, 2) and not model[0].training


def test_save_and_load_a_model_with_an_embedding(tmp_path):
    model = nn.Sequential(nn.Embedding(6, 3, padding_idx=5, rng=0), nn.LayerNorm(3), nn.Linear(3, 2, rng=0))
    nn.save(model.state_dict(), tmp_path / "emb.npz")
    other = nn.Sequential(nn.Embedding(6, 3, padding_idx=5, rng=1), nn.LayerNorm(3), nn.Linear(3, 2, rng=1))
    other.load_state_dict(nn.load(tmp_path / "emb.npz"))
    indices = np.array([[0, 5, 2]])
    np.testing.assert_array_equal(model(indices).data, other(indices).data)


def test_one_hot_values_dtype_and_no_gradient():
    out = F.one_hot(np.array([[0, 3], [1, 1]]))
    assert out.shape == (2, 2, 4) and out.dtype == np.int64 and not out.requires_grad
    np.testing.assert_array_equal(out.data, np.eye(4, dtype=np.int64)[[[0, 3], [1, 1]]])
    assert F.one_hot(ag.tensor(2), num_classes=5).data.tolist() == [0, 0, 1, 0, 0]
    assert F.one_hot(np.array([1, 0]), 2).data.tolist() == [[0, 1], [1, 0]]
    assert F.one_hot(np.zeros(0, dtype=np.int64), 3).shape == (0, 3)


@given(hnp.arrays(np.int64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4), elements=st.integers(0, 6)),
       st.integers(7, 9))
def test_one_hot_is_the_identity_matrixs_rows(indices, classes):
    np.testing.assert_array_equal(F.one_hot(indices, classes).data, np.eye(classes, dtype=np.int64)[indices])


# ---- errors -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, error, message", [
    (lambda: nn.Embedding(3, 2)(np.array([0, 3])), IndexError,
     r"Embedding: index 3 is out of range for a weight of 3 rows \(num_embeddings\); valid indices are 0..2 "
     r"\(input of shape \(2,\)\)"),
    (lambda: nn.Embedding(3, 2)(np.array([[-1]])), IndexError, "Embedding: index -1 is out of range"),
    (lambda: nn.Embedding(3, 2)(np.array([0.0, 1.0])), TypeError,
     r"Embedding: indices must be integers \(int64, int32...\), got dtype float64 \(shape \(2,\)\)"),
    (lambda: nn.Embedding(3, 2)(np.array([True])), TypeError, "Embedding: indices must be integers"),
    (lambda: F.embedding(np.array([0]), np.ones(3)), ValueError,
     r"embedding: weight must be 2-D \(num_embeddings, embedding_dim\), got shape \(3,\)"),
    (lambda: F.embedding([0.5], np.ones((3, 2))), TypeError, "embedding: indices must be integers"),
    (lambda: F.embedding([0], np.ones((3, 2)), padding_idx=3), ValueError,
     r"embedding: padding_idx must be None or an int in \[-3, 2\]"),
    (lambda: nn.Embedding(3, 2, padding_idx=-4), ValueError,
     r"Embedding: padding_idx must be None or an int in \[-3, 2\] \(a row of the weight\), got -4"),
    (lambda: nn.Embedding(3, 2, padding_idx=1.0), TypeError, "Embedding: padding_idx must be None or an int"),
    (lambda: nn.Embedding(-1, 2), ValueError, "Embedding: num_embeddings must be an int >= 0, got -1"),
    (lambda: nn.Embedding(3, 2.5), TypeError, "Embedding: embedding_dim must be an int >= 0"),
    (lambda: nn.Embedding(0, 2, padding_idx=0), ValueError,
     r"Embedding: padding_idx must be None for a weight of no rows \(num_embeddings=0\), got 0"),
    (lambda: nn.Embedding(3, 2, dtype=np.int32), TypeError, "Embedding: dtype must be a float dtype"),
    (lambda: nn.Embedding(3, 2, rng="seed"), TypeError, "Embedding"),
    (lambda: F.one_hot(np.array([0.0, 1.0]), 2), TypeError,
     r"one_hot: class values must be integers \(int64, int32...\), got dtype float64"),
    (lambda: F.one_hot(np.array([-1, 2]), 3), ValueError, "one_hot: class values must be non-negative, got -1"),
    (lambda: F.one_hot(np.array([0, 3]), 3), ValueError,
     "one_hot: class value 3 is out of range for num_classes=3; valid classes are 0..2"),
    (lambda: F.one_hot(np.array([0]), 0), ValueError,
     "one_hot: class value 0 is out of range for num_classes=0; no class is valid"),
    (lambda: F.one_hot(np.zeros(0, dtype=int)), ValueError,
     "one_hot: cannot infer the number of classes from an empty input"),
    (lambda: F.one_hot(np.array([0]), -2), ValueError,
     r"one_hot: num_classes must be -1 \(the largest class \+ 1\) or an int >= 0, got -2"),
    (lambda: F.one_hot(np.array([0]), 2.0), TypeError, "one_hot: num_classes must be -1"),
])
def test_bad_inputs_are_refused_naming_the_operation_and_what_is_valid(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---- PyTorch's options: max_norm, norm_type, scale_grad_by_freq, sparse=False, _weight, _freeze, from_pretrained --
# Checked against PyTorch over a few SGD steps, renormalised weights included, and against written-out values
# without it.
def _torch_or_none():
    """torch when it is installed, else None (the module's name `torch` is the torch section's fixture)."""
    try:
        import torch
    except ImportError:
        return None
    return torch


@pytest.mark.parametrize("padding_idx, max_norm, norm_type, scale_grad_by_freq",
                         [(None, 1.0, 2.0, False), (0, 0.5, 1.0, True), (-1, None, 2.0, True), (None, 2.0, 3.0, True)])
def test_a_few_sgd_steps_equal_pytorchs(padding_idx, max_norm, norm_type, scale_grad_by_freq):
    torch = _torch_or_none()
    if torch is None:
        pytest.skip("compares with torch")
    rng = np.random.default_rng(0)
    kwargs = dict(padding_idx=padding_idx, max_norm=max_norm, norm_type=norm_type,
                  scale_grad_by_freq=scale_grad_by_freq)
    reference = torch.nn.Embedding(5, 3, **kwargs).double()
    with torch.no_grad():
        reference.weight.mul_(2.0)
    layer = nn.Embedding(5, 3, **kwargs, dtype=np.float64)
    layer.load_state_dict({"weight": reference.weight.detach().numpy()})
    ours, theirs = nn.optim.SGD(layer.parameters(), lr=0.5), torch.optim.SGD(reference.parameters(), lr=0.5)
    for indices in (np.array([[1, 1, 4], [0, 1, 2]]), np.array([3, 3, 3, 0]), np.array(2)):
        cotangent = rng.standard_normal(indices.shape + (3,))
        value, expected = layer(indices), reference(torch.tensor(indices))
        np.testing.assert_allclose(value.data, expected.detach().numpy(), rtol=1e-12, atol=1e-14)
        ours.zero_grad(), theirs.zero_grad()
        (value * cotangent).sum().backward()
        (expected * torch.tensor(cotangent)).sum().backward()
        np.testing.assert_allclose(layer.weight.grad.data, reference.weight.grad.numpy(), rtol=1e-12, atol=1e-14)
        ours.step(), theirs.step()
        np.testing.assert_allclose(layer.weight.data, reference.weight.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_the_functional_form_renormalises_the_named_rows_in_place_as_pytorchs():
    torch = _torch_or_none()
    w = np.array([[3.0, 4.0], [0.3, 0.4], [6.0, 8.0]])
    weight = ag.tensor(w.copy())
    value = F.embedding(np.array([0, 1]), weight, None, 1.0, 2.0, False, False)
    renormed = np.array([[3.0, 4.0], [0.3, 0.4], [6.0, 8.0]]) / np.array([[5 + 1e-7], [1.0], [1.0]])  # (norm 5 > 1)
    np.testing.assert_allclose(value.data, renormed[:2], rtol=1e-12)
    np.testing.assert_allclose(weight.data, renormed, rtol=1e-12)  # row 2, not named, unchanged
    assert weight.data[2].tolist() == [6.0, 8.0]
    if torch is not None:
        reference = torch.tensor(w.copy())
        expected = torch.nn.functional.embedding(torch.tensor([0, 1]), reference, None, 1.0, 2.0, False, False)
        np.testing.assert_allclose(value.data, expected.numpy(), rtol=1e-12)
        np.testing.assert_allclose(weight.data, reference.numpy(), rtol=1e-12)


def test_max_norm_of_a_float32_row_scales_by_max_norm_over_norm_plus_1e_7_in_double_as_pytorchs():
    # In float32, 2 + 1e-7 is 2: the scale must be formed in double (PyTorch's), then cast, so a renormed row's norm
    # stays below max_norm (what PyTorch's test_embedding_max_norm asserts) instead of landing on it or above.
    weight = ag.tensor(np.array([[2.0, 0.0, 0.0], [0.0, 0.3, 0.4]], dtype=np.float32))
    value = F.embedding(np.array([0, 1]), weight, max_norm=1.0)
    scale = np.float32(1.0 / (2.0 + 1e-7))  # 0.49999997, not 0.5
    assert value.dtype == np.float32 and scale < 0.5
    np.testing.assert_array_equal(value.data, np.array([[2 * scale, 0, 0], [0, 0.3, 0.4]], dtype=np.float32))
    assert weight.data[0, 0] == np.float32(0.99999994)
    rng = np.random.default_rng(3)
    w = (rng.standard_normal((50, 5)) * 2).astype(np.float32)
    for norm_type in (2.0, 1.0):
        table = ag.tensor(w.copy())
        value = F.embedding(np.arange(50), table, max_norm=1.0, norm_type=norm_type)
        norms = np.linalg.norm(w, ord=norm_type, axis=1).astype(np.float64)
        expected = np.where((norms > 1)[:, None], w * (1.0 / (norms + 1e-7)).astype(np.float32)[:, None], w)
        np.testing.assert_array_equal(value.data, expected)
        torch = _torch_or_none()
        if torch is not None and norm_type == 1.0:  # (the 1-norm's sum matches PyTorch's to the bit here)
            theirs = torch.nn.functional.embedding(torch.arange(50), torch.tensor(w.copy()), max_norm=1.0,
                                                   norm_type=norm_type)
            np.testing.assert_array_equal(value.data, theirs.numpy())
        if torch is not None:
            theirs = torch.nn.functional.embedding(torch.tensor([0]), torch.tensor([[2.0, 0.0, 0.0]]), max_norm=1.0)
            assert theirs.numpy().tolist() == [[2 * float(scale), 0.0, 0.0]]


def test_scaling_by_frequency_divides_a_second_derivative_once_more_by_the_count():
    # The scaled gradient is no derivative (so no gradgradcheck); differentiated again, its division by the count
    # applies once more (as EmbeddingBag's here), where PyTorch's double backward of the scaled rule (its
    # embedding_dense_double_backward) takes no count: equal to PyTorch's for rows named once, its / count else.
    torch = _torch_or_none()
    indices, w0 = np.array([0, 2, 2, 2, 1]), np.linspace(-1, 1, 6).reshape(3, 2)
    v = np.array([[0.5, -1.0], [2.0, 0.25], [1.0, 3.0]])
    w = ag.tensor(w0, requires_grad=True)
    (F.embedding(indices, w, scale_grad_by_freq=True) ** 3).sum().backward(create_graph=True)
    grad, w.grad = w.grad, None
    (grad * v).sum().backward()
    counts = np.array([1.0, 1.0, 3.0])[:, None]
    np.testing.assert_allclose(grad.data, 3 * w0 ** 2, rtol=1e-13)  # each row's 3 w**2 summed, over its count
    np.testing.assert_allclose(w.grad.data, 6 * w0 * v / counts, rtol=1e-13)
    if torch is None:
        return
    tw = torch.tensor(w0, requires_grad=True)
    loss = (torch.nn.functional.embedding(torch.tensor(indices), tw, scale_grad_by_freq=True) ** 3).sum()
    (tgrad,) = torch.autograd.grad(loss, tw, create_graph=True)
    (second,) = torch.autograd.grad((tgrad * torch.tensor(v)).sum(), tw)
    np.testing.assert_allclose(grad.data, tgrad.detach().numpy(), rtol=1e-13)  # 3 w**2 for each row
    np.testing.assert_allclose(w.grad.data, second.numpy() / counts, rtol=1e-13)  # 6 w v / count


@pytest.mark.parametrize("freeze", [False, True])
def test_freeze_without_a_weight_freezes_the_drawn_table_as_pytorchs(freeze):
    emb = nn.Embedding(3, 2, _freeze=freeze, rng=0)
    assert emb.weight.requires_grad is (not freeze)
    assert nn.Embedding(3, 2, _weight=np.ones((3, 2)), _freeze=freeze).weight.requires_grad is (not freeze)
    torch = pytest.importorskip("torch")
    assert torch.nn.Embedding(3, 2, _freeze=freeze).weight.requires_grad is (not freeze)


def test_from_pretrained_and_the_settings_as_pytorchs():
    torch = _torch_or_none()
    values = np.arange(6.0).reshape(3, 2)
    emb = nn.Embedding.from_pretrained(values, padding_idx=1)
    assert emb.weight.requires_grad is False
    assert emb.weight.dtype == np.float64 and emb.weight.data.tolist() == values.tolist()  # (the padding row kept)
    assert nn.Embedding.from_pretrained(values, freeze=False).weight.requires_grad
    if torch is not None:
        assert torch.nn.Embedding.from_pretrained(torch.tensor(values), padding_idx=1).weight.requires_grad is False
        assert repr(nn.Embedding(4, 2, 0, 1.5, 1.0, True)) == repr(torch.nn.Embedding(4, 2, 0, 1.5, 1.0, True))
    assert nn.Embedding(4, 2, sparse=False).sparse is False
    with pytest.raises(TypeError, match=r"Embedding: sparse must be"):
        nn.Embedding(4, 2, sparse="yes")
    with pytest.raises(ValueError, match=r"Embedding: max_norm must be"):
        nn.Embedding(4, 2, max_norm=-1.0)
    with pytest.raises(ValueError, match=r"Embedding: _weight has shape \(3, 2\), but .* make \(4, 2\)"):
        nn.Embedding(4, 2, _weight=values)
    with pytest.raises(ValueError, match=r"Embedding.from_pretrained: embeddings must be 2-D"):
        nn.Embedding.from_pretrained(np.ones(3))


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.int64, np.bool_])
def test_from_pretrained_keeps_a_frozen_integer_table_as_pytorchs(dtype):
    values = np.array([[1, 0, 3], [4, 5, 0]], dtype=dtype)
    emb = nn.Embedding.from_pretrained(values)  # a table of ids or flags, looked up, never trained
    out = emb(np.array([[1, 0], [1, 1]]))
    assert emb.weight.dtype == dtype and emb.weight.requires_grad is False and out.dtype == dtype
    np.testing.assert_array_equal(out.data, values[[[1, 0], [1, 1]]])
    torch = _torch_or_none()
    if torch is not None:
        expected = torch.nn.Embedding.from_pretrained(torch.from_numpy(values))(torch.tensor([[1, 0], [1, 1]]))
        np.testing.assert_array_equal(out.data, expected.numpy())
    # trainable, it must be float (PyTorch: "Only Tensors of floating point ... can require gradients")
    with pytest.raises(TypeError, match=r"Embedding: dtype must be a float dtype .* for trainable weights"):
        nn.Embedding.from_pretrained(values, freeze=False)
    with pytest.raises(TypeError, match=r"Embedding: dtype must be a float dtype .* for trainable weights"):
        nn.Embedding(2, 3, _weight=values)


# ---- against PyTorch ----------------------------------------------------------------------------------------------
@pytest.fixture
def torch():
    return pytest.importorskip("torch")


@pytest.mark.parametrize("padding_idx", [None, 2, -1])
@pytest.mark.parametrize("shape", [(), (5,), (2, 4)])
def test_embedding_matches_torch(torch, padding_idx, shape):
    rng = np.random.default_rng(0)
    ours = nn.Embedding(6, 3, padding_idx=padding_idx, rng=0)
    theirs = torch.nn.Embedding(6, 3, padding_idx=padding_idx)
    assert repr(ours) == repr(theirs) and ours.padding_idx == theirs.padding_idx
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    if padding_idx is not None:  # both zero the padding row at initialisation
        assert not theirs.weight.detach().numpy()[padding_idx].any() and not ours.weight.data[padding_idx].any()
    weight = rng.normal(size=(6, 3)).astype(np.float32)  # the padding row too: its value is returned as it is
    ours.load_state_dict({"weight": weight})
    theirs.load_state_dict({"weight": torch.tensor(weight)})
    indices = rng.integers(0, 6, size=shape)
    indices.flat[:1] = 5  # the last row (the padding row for -1) is among them
    out, expected = ours(indices), theirs(torch.tensor(indices))
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    cotangent = rng.normal(size=out.shape).astype(np.float32)
    out.backward(cotangent)
    expected.backward(torch.tensor(cotangent))
    np.testing.assert_allclose(ours.weight.grad.data, theirs.weight.grad.numpy(), rtol=1e-6, atol=1e-6)
    functional = F.embedding(indices, weight, padding_idx=padding_idx)
    np.testing.assert_array_equal(functional.data, torch.nn.functional.embedding(
        torch.tensor(indices), torch.tensor(weight), padding_idx=padding_idx).numpy())


def test_embedding_refuses_what_torch_refuses(torch):
    weight = np.ones((3, 2), dtype=np.float32)
    for indices in ([0, 3], [-1, 0]):
        with pytest.raises(IndexError):
            torch.nn.functional.embedding(torch.tensor(indices), torch.tensor(weight))
        with pytest.raises(IndexError, match="embedding: index"):
            F.embedding(np.array(indices), weight)
    for padding_idx in (3, -4):
        with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
            torch.nn.Embedding(3, 2, padding_idx=padding_idx)
        with pytest.raises(ValueError, match="Embedding: padding_idx must be"):
            nn.Embedding(3, 2, padding_idx=padding_idx)


@pytest.mark.parametrize("shape, classes", [((4,), -1), ((2, 3), 5), ((), 3), ((0,), 2)])
def test_one_hot_matches_torch(torch, shape, classes):
    indices = np.random.default_rng(0).integers(0, 3, size=shape)
    expected = torch.nn.functional.one_hot(torch.tensor(indices), classes)
    out = F.one_hot(indices, classes)
    assert out.shape == tuple(expected.shape) and out.dtype == np.int64 == expected.numpy().dtype
    np.testing.assert_array_equal(out.data, expected.numpy())


@pytest.mark.parametrize("indices, classes, message", [([-1, 2], 3, "non-negative"), ([0, 3], 3, "num_classes"),
                                                       ([], -1, "empty")])
def test_one_hot_refuses_what_torch_refuses(torch, indices, classes, message):
    with pytest.raises(RuntimeError):
        torch.nn.functional.one_hot(torch.tensor(indices, dtype=torch.long), classes)
    with pytest.raises(ValueError, match=message):
        F.one_hot(np.array(indices, dtype=np.int64), classes)


# ---- Embedding of size 0, as PyTorch's ----------------------------------------------------------------------------
@pytest.mark.parametrize("sizes, indices", [((0, 3), np.zeros((2, 0), np.int64)), ((4, 0), np.array([[1, 2], [3, 3]])),
                                            ((0, 0), np.zeros(0, np.int64))])
@pytest.mark.parametrize("options", [{}, dict(max_norm=1.0), dict(scale_grad_by_freq=True)], ids=str)
def test_embedding_of_size_0_looks_up_empty_rows(sizes, indices, options):
    layer = nn.Embedding(*sizes, rng=0, **options)
    assert layer.weight.shape == sizes
    output, _, grads = layer_results(layer, [indices])
    assert output.shape == indices.shape + (sizes[1],) and output.size == 0
    assert grads["weight"].shape == sizes
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Embedding(*sizes, **options)
    assert_same_layer_results((output, [], grads), layer_results(theirs, [indices], torch))


def test_embedding_of_size_0_padding_idx():
    layer = nn.Embedding(4, 0, padding_idx=1)
    assert layer(np.array([1, 2])).shape == (2, 0)
    with pytest.raises(ValueError, match=r"Embedding: padding_idx must be None for a weight of no rows "
                                         r"\(num_embeddings=0\), got -1"):
        nn.Embedding(0, 3, padding_idx=-1)  # (PyTorch's: "index 0 is out of bounds for dimension 0 with size 0")
    with pytest.raises(TypeError, match="Embedding: padding_idx must be"):
        nn.Embedding(0, 3, padding_idx=0.5)


def test_sparse_true_gives_the_dense_gradient_pytorchs_sparse_one_stands_for():
    """sparse=True (dlrm's, DeepCTR's tables): accepted and kept, as PyTorch's; the gradient is the dense Tensor
    PyTorch's sparse COO one stands for (repeated indices summed), so an SGD step equals PyTorch's."""
    values = np.arange(8.0).reshape(4, 2)
    emb = nn.Embedding(4, 2, sparse=True, _weight=values.copy())
    assert emb.sparse is True and repr(emb) == "Embedding(4, 2, sparse=True)"
    indices = np.array([1, 1, 3])
    emb(indices).sum().backward()
    dense = np.zeros((4, 2))
    np.add.at(dense, indices, 1.0)
    np.testing.assert_array_equal(emb.weight.grad.data, dense)
    nn.optim.SGD(emb.parameters(), lr=0.5).step()
    np.testing.assert_array_equal(emb.weight.data, values - 0.5 * dense)
    w = ag.tensor(values, requires_grad=True)
    F.embedding(indices, w, sparse=True).sum().backward()
    np.testing.assert_array_equal(w.grad.data, dense)
    torch = _torch_or_none()
    if torch is not None:
        theirs = torch.nn.Embedding(4, 2, sparse=True, _weight=torch.tensor(values))
        theirs(torch.tensor(indices)).sum().backward()
        np.testing.assert_array_equal(theirs.weight.grad.to_dense().numpy(), emb.weight.grad.data)
        torch.optim.SGD(theirs.parameters(), lr=0.5).step()
        np.testing.assert_array_equal(theirs.weight.detach().numpy(), emb.weight.data)
        assert repr(theirs) == repr(emb)


@pytest.mark.parametrize("indices, num_classes", [([3, 4, -1, 0], -1), ([3, 4, 1, 0], 3), (np.empty((4, 0), np.int64), -1),
                                                  ([3, 4, 1, 0], -2)],
                         ids=["negative", "out-of-range", "empty-inferred", "num_classes-2"])
def test_one_hot_value_errors_are_pytorchs_runtime_error_too(indices, num_classes):
    # found by porting PyTorch's test_nn.py (test_one_hot: assertRaises(RuntimeError)); they were ValueErrors only
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.nn.functional.one_hot(torch.tensor(np.asarray(indices, np.int64)), num_classes)
    with pytest.raises(RuntimeError, match="^one_hot: ") as caught:
        F.one_hot(ag.tensor(np.asarray(indices, np.int64)), num_classes)
    assert isinstance(caught.value, ValueError)  # (NumPy's class, as before)
