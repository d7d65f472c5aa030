"""Embedding's and F.embedding's max_norm, norm_type, scale_grad_by_freq and sparse=False, Embedding's _weight and
_freeze and Embedding.from_pretrained, as PyTorch's (session 25: they raised TypeError, so PyTorch's
nn.Embedding(V, D, padding_idx, max_norm) or a call passing sparse=False could not be written; EmbeddingBag already
took them). Checked against PyTorch over a few SGD steps, renormalised weights included."""
import numpy as np
import pytest
try:
    import torch
except ImportError:  # (CI has no torch: the checks against written-out values still run)
    torch = None

import autograd_core as ag
import nn
import nn.functional as F


@pytest.mark.parametrize("padding_idx, max_norm, norm_type, scale_grad_by_freq",
                         [(None, 1.0, 2.0, False), (0, 0.5, 1.0, True), (-1, None, 2.0, True), (None, 2.0, 3.0, True)])
def test_a_few_sgd_steps_equal_pytorchs(padding_idx, max_norm, norm_type, scale_grad_by_freq):
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


def test_scaling_by_frequency_divides_a_second_derivative_once_more_by_the_count():
    # The scaled gradient is no derivative (so no gradgradcheck); differentiated again, its division by the count
    # applies once more (as EmbeddingBag's here), where PyTorch's double backward of the scaled rule (its
    # embedding_dense_double_backward) takes no count: equal to PyTorch's for rows named once, its / count else.
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


def test_from_pretrained_and_the_settings_as_pytorchs():
    values = np.arange(6.0).reshape(3, 2)
    emb = nn.Embedding.from_pretrained(values, padding_idx=1)
    assert emb.weight.requires_grad is False
    assert emb.weight.dtype == np.float64 and emb.weight.data.tolist() == values.tolist()  # (the padding row kept)
    assert nn.Embedding.from_pretrained(values, freeze=False).weight.requires_grad
    if torch is not None:
        assert torch.nn.Embedding.from_pretrained(torch.tensor(values), padding_idx=1).weight.requires_grad is False
        assert repr(nn.Embedding(4, 2, 0, 1.5, 1.0, True)) == repr(torch.nn.Embedding(4, 2, 0, 1.5, 1.0, True))
    assert nn.Embedding(4, 2, sparse=False).sparse is False
    with pytest.raises(NotImplementedError, match=r"Embedding: sparse=True \(sparse gradients\) is not supported"):
        nn.Embedding(4, 2, sparse=True)
    with pytest.raises(NotImplementedError, match=r"embedding: sparse=True"):
        F.embedding(np.array([0]), np.ones((2, 2)), sparse=True)
    with pytest.raises(ValueError, match=r"Embedding: max_norm must be"):
        nn.Embedding(4, 2, max_norm=-1.0)
    with pytest.raises(ValueError, match=r"Embedding: _weight has shape \(3, 2\), but .* make \(4, 2\)"):
        nn.Embedding(4, 2, _weight=values)
    with pytest.raises(ValueError, match=r"Embedding.from_pretrained: embeddings must be 2-D"):
        nn.Embedding.from_pretrained(np.ones(3))
