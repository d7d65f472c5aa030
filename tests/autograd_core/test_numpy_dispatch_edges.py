"""NumPy's in-place ufunc.at on Tensors (autograd_core/numpy_dispatch.py): an ndarray target gets the values, as
out= does; a Tensor target is updated in place as `a[index] += b` is, repeated indices accumulating. Hand-written
NumPy backward passes use it (CS231n's word_embedding_backward: np.add.at(dW, x, dout)), so they run on constant
Tensors as on arrays."""
import numpy as np
import pytest

import autograd_core as ag

WORDS = np.array([[0, 3, 1], [3, 3, 2]])  # repeated indices: each occurrence counts
UPSTREAM = np.random.default_rng(0).standard_normal((2, 3, 4))


def _word_embedding_backward(dout, x, vocab_size):  # CS231n a3's, as written
    dW = np.zeros((vocab_size, dout.shape[-1]))
    np.add.at(dW, x, dout)
    return dW


def _expected_embedding_gradient(vocab_size=5):
    expected = np.zeros((vocab_size, 4))
    for n, t in np.ndindex(WORDS.shape):
        expected[WORDS[n, t]] += UPSTREAM[n, t]
    return expected


@pytest.mark.parametrize("wrap_indices", [False, True])
def test_add_at_writes_a_constant_tensors_values_into_an_ndarray(wrap_indices):
    words = ag.tensor(WORDS) if wrap_indices else WORDS
    dW = _word_embedding_backward(ag.tensor(UPSTREAM), words, 5)
    assert type(dW) is np.ndarray
    np.testing.assert_array_equal(dW, _expected_embedding_gradient())


def test_add_at_gives_the_embeddings_gradient_that_backward_gives():
    W = ag.tensor(np.random.default_rng(1).standard_normal((5, 4)), requires_grad=True)
    W[WORDS].backward(UPSTREAM)
    with ag.no_grad():  # (a cotangent that requires grad: its values, outside any graph)
        dW = _word_embedding_backward(ag.tensor(UPSTREAM, requires_grad=True), WORDS, 5)
    np.testing.assert_allclose(dW, W.grad.data, rtol=0, atol=1e-15)


def test_add_at_of_a_value_that_requires_grad_into_an_ndarray_is_refused_while_recording():
    with pytest.raises(TypeError, match=r"^np\.add\.at: writing into an ndarray would cut a value that requires grad "
                                        r"from the graph; compute under ag\.no_grad\(\) \(or on value\.detach\(\)\) "
                                        r"for the values alone$"):
        _word_embedding_backward(ag.tensor(UPSTREAM, requires_grad=True), WORDS, 5)


def test_ufunc_at_updates_a_tensor_in_place_and_counts_the_change():
    dW = ag.zeros((5, 4))
    w = ag.ones((5, 4), requires_grad=True)
    saved = w * dW  # multiply's rule reads dW for w's gradient
    assert np.add.at(dW, WORDS, ag.tensor(UPSTREAM)) is None  # (NumPy's at returns None)
    np.testing.assert_array_equal(dW.data, _expected_embedding_gradient())
    with pytest.raises(RuntimeError, match="was changed in place after the node was recorded"):  # counted
        saved.sum().backward()
    np.negative.at(dW, [0, 0])  # a unary ufunc: twice at a repeated index
    np.testing.assert_array_equal(dW.data[0], _expected_embedding_gradient()[0])
    counts = ag.zeros(4, dtype=np.int64)
    np.add.at(counts, np.array([1, 1, 3]), 1)
    assert counts.tolist() == [0, 2, 0, 1]


def test_ufunc_at_on_a_leaf_that_requires_grad_needs_no_grad_as_other_updates():
    w = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"^np\.add\.at: a leaf Tensor that requires grad \(shape \(3,\)\) cannot be "
                                           r"updated in place while gradients are recorded; update it under `with "
                                           r"ag\.no_grad\(\):` \(as optimizers do\), or write a = ag\.index_add\(a, "
                                           r"axis, index, values\) for a new, recorded Tensor"):
        np.add.at(w, [0, 0], 1.0)
    with ag.no_grad():
        np.add.at(w, [0, 0], 1.0)
    assert w.tolist() == [3.0, 2.0, 3.0] and w.requires_grad


def test_ufunc_at_refuses_a_recorded_result_and_a_recorded_value():
    w = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = w * 2
    with pytest.raises(RuntimeError, match=r"^np\.add\.at: this Tensor was computed by 'multiply' in a recorded graph, "
                                           r"and an update in place would not be recorded; write a = ag\.index_add"):
        np.add.at(y, [1], 1.0)
    with pytest.raises(RuntimeError, match=r"^np\.add\.at: the value requires grad, and an update in place would not "
                                           r"be recorded"):
        np.add.at(ag.zeros(3), [1], w[0])
    with ag.no_grad():
        np.add.at(y, [1, 1], 1.0)  # under no_grad a recorded result is changed and counted, as PyTorch's index_add_
    assert y.tolist() == [2.0, 6.0, 6.0] and y._version == 1


def test_the_recorded_form_the_refusal_names_gives_add_ats_values_and_gradients():
    w = ag.tensor(np.zeros((5, 4)), requires_grad=True)
    values = ag.tensor(UPSTREAM.reshape(-1, 4), requires_grad=True)
    out = ag.index_add(w, 0, ag.tensor(WORDS.ravel()), values)
    np.testing.assert_allclose(out.data, _expected_embedding_gradient(), rtol=0, atol=1e-15)
    (out * out).sum().backward()
    np.testing.assert_allclose(values.grad.data, 2 * out.data[WORDS.ravel()], rtol=0, atol=1e-15)


def test_ufunc_at_matches_numpy_on_arrays_and_torchs_index_put_with_accumulate():
    expected = np.zeros((5, 4))
    np.add.at(expected, WORDS, UPSTREAM)
    ours = ag.zeros((5, 4))
    np.add.at(ours, WORDS, ag.tensor(UPSTREAM))
    np.testing.assert_array_equal(ours.data, expected)
    torch = pytest.importorskip("torch")
    theirs = torch.zeros(5, 4, dtype=torch.float64).index_put_((torch.tensor(WORDS),), torch.tensor(UPSTREAM),
                                                               accumulate=True)
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=0, atol=1e-15)
