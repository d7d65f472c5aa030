"""ag.vmap (autograd_core/vmap.py), torch.func.vmap's common uses as a loop over the mapped dimension: results equal to
a loop of func over the slices, stacked (in_dims ints, None and tuples, negative dims, nested argument structures,
out_dims ints and tuples), gradients through it (composed with ag.grad either way round: per-example gradients against
a loop and finite differences), and the refusals; compared with torch.func.vmap where it is installed."""
import collections

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck

try:
    import torch
except ImportError:
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="needs torch")
RNG = np.random.default_rng(0)
X = RNG.normal(size=(4, 3))
W = RNG.normal(size=(3, 2))


def test_each_row_is_func_of_that_row():
    out = ag.vmap(lambda row: ag.tanh(row) @ ag.tensor(W))(ag.tensor(X))
    np.testing.assert_allclose(out.data, np.stack([np.tanh(row) @ W for row in X]), rtol=1e-15)


def test_in_dims_per_argument_none_passes_whole_and_negative_dims_count_from_the_end():
    x, w = ag.tensor(X), ag.tensor(W)
    by_column = ag.vmap(lambda column, w: column.sum() * w, in_dims=(1, None))(x, w)
    assert by_column.shape == (3, 3, 2)
    np.testing.assert_allclose(by_column.data, np.stack([X[:, k].sum() * W for k in range(3)]), rtol=1e-15)
    np.testing.assert_array_equal(ag.vmap(lambda c: c * 2.0, in_dims=-1)(x).data, (X * 2.0).T)
    np.testing.assert_array_equal(ag.vmap(lambda r, s: r * s, in_dims=0)(x, x).data, X * X)
    # keyword arguments are passed whole
    np.testing.assert_array_equal(ag.vmap(lambda r, scale: r * scale)(x, scale=3.0).data, X * 3.0)


def test_tuple_outputs_stack_along_their_out_dims():
    x = ag.tensor(X)
    rows, sums = ag.vmap(lambda r: (r * 2.0, r.sum()), out_dims=(1, 0))(x)
    np.testing.assert_array_equal(rows.data, (X * 2.0).T)
    np.testing.assert_array_equal(sums.data, X.sum(axis=1))
    np.testing.assert_array_equal(ag.vmap(lambda r: r * 1.0, out_dims=-1)(x).data, X.T)
    nested = ag.vmap(lambda r: {"twice": r * 2.0, "parts": [r[0], r[1:]]})(x)
    np.testing.assert_array_equal(nested["twice"].data, X * 2.0)
    np.testing.assert_array_equal(nested["parts"][0].data, X[:, 0])
    np.testing.assert_array_equal(nested["parts"][1].data, X[:, 1:])


def test_arguments_that_are_tuples_or_dicts_are_mapped_entry_by_entry():
    params = {"w": ag.tensor(np.stack([W, 2 * W])), "b": ag.tensor([1.0, -1.0])}
    out = ag.vmap(lambda p, x: x @ p["w"] + p["b"], in_dims=(0, None))(params, ag.tensor(X))
    np.testing.assert_allclose(out.data, np.stack([X @ W + 1.0, X @ (2 * W) - 1.0]), rtol=1e-15)


def test_a_namedtuple_argument_is_mapped_field_by_field_and_kept():
    Layer = collections.namedtuple("Layer", "w b")
    layer = Layer(ag.tensor(np.stack([W, 2 * W])), ag.tensor([1.0, -1.0]))
    seen = []
    out = ag.vmap(lambda p, x: seen.append(type(p)) or x @ p.w + p.b, in_dims=(0, None))(layer, ag.tensor(X))
    assert seen == [Layer, Layer]
    np.testing.assert_allclose(out.data, np.stack([X @ W + 1.0, X @ (2 * W) - 1.0]), rtol=1e-15)


def test_nested_vmap_is_the_double_loop():
    outer = ag.vmap(ag.vmap(lambda a, b: a * b, in_dims=(0, None)), in_dims=(None, 0))
    np.testing.assert_array_equal(outer(ag.tensor(X[0]), ag.tensor(X[1])).data, np.outer(X[1], X[0]))


def test_per_example_gradients_equal_a_loop_of_grad():
    w, x, y = ag.tensor(W[:, 0]), ag.tensor(X), ag.tensor([0.5, -1.0, 2.0, 0.0])

    def loss(w, x, y):
        return (ag.tanh(x @ w) - y) ** 2

    per_example = ag.vmap(ag.grad(loss), in_dims=(None, 0, 0))(w, x, y)
    expected = np.stack([ag.grad(loss)(w, x[k], y[k]).data for k in range(4)])
    np.testing.assert_allclose(per_example.data, expected, rtol=1e-14)
    np.testing.assert_allclose(per_example.data.sum(axis=0), ag.grad(lambda w: loss(w, x, y).sum())(w).data,
                               rtol=1e-12)


def test_gradients_flow_through_vmap():
    def f(w, x):
        return ag.vmap(lambda row, w: ag.sin(row @ w).sum(), in_dims=(0, None))(x, w).sum()

    assert gradcheck(f, W, X)
    gradient = ag.grad(f)(W, X)
    x = ag.tensor(X)
    expected = ag.grad(lambda w: ag.sin(x @ w).sum())(W)
    np.testing.assert_allclose(gradient.data, expected.data, rtol=1e-14)
    w = ag.tensor(W, requires_grad=True)
    ag.vmap(lambda row: (row @ w) ** 2)(x).sum().backward()
    np.testing.assert_allclose(w.grad.data, 2 * X.T @ (X @ W), rtol=1e-13)


@needs_torch
def test_matches_torch_func_vmap():
    def f(x, w, lib):
        return lib.tanh(x @ w), (x ** 2).sum()

    for in_dims, out_dims, x_array in [(0, 0, X), ((1, None), (1, 0), X.T), ((-1, None), (-1, 0), X.T)]:
        args = (x_array, W) if isinstance(in_dims, tuple) else (x_array, np.stack([W] * 4))
        ours = ag.vmap(lambda *a: f(*a, lib=ag), in_dims=in_dims, out_dims=out_dims)(*map(ag.tensor, args))
        theirs = torch.func.vmap(lambda *a: f(*a, lib=torch), in_dims=in_dims, out_dims=out_dims)(
            *map(torch.tensor, args))
        for o, t in zip(ours, theirs):
            assert o.shape == tuple(t.shape)
            np.testing.assert_allclose(o.data, t.numpy(), rtol=1e-12, atol=1e-15)
    # per-example gradients, torch.func's idiom
    w, x, y = W[:, 0], X, np.array([0.5, -1.0, 2.0, 0.0])
    ours = ag.vmap(ag.grad(lambda w, x, y: (ag.tanh(x @ w) - y) ** 2), in_dims=(None, 0, 0))(
        *map(ag.tensor, (w, x, y)))
    theirs = torch.func.vmap(torch.func.grad(lambda w, x, y: (torch.tanh(x @ w) - y) ** 2), in_dims=(None, 0, 0))(
        *map(torch.tensor, (w, x, y)))
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-12, atol=1e-15)


# refusals, each naming vmap and what was given

def test_mismatched_sizes_along_the_mapped_dims_are_refused_naming_both():
    with pytest.raises(ValueError, match=r"vmap: argument 1 has size 3 along its mapped dimension 0, but argument 0 "
                                         r"has size 4"):
        ag.vmap(lambda a, b: a)(ag.tensor(X), ag.ones(3))


def test_in_dims_out_of_range_or_on_a_number_are_refused():
    with pytest.raises(ValueError, match=r"vmap: in_dims gives dimension 2 for argument 0, of shape \(4, 3\) .* "
                                         r"must be in \[-2, 2\)"):
        ag.vmap(lambda a: a, in_dims=2)(ag.tensor(X))
    with pytest.raises(ValueError, match="vmap: in_dims gives dimension 0 for argument 0, a 0-d"):
        ag.vmap(lambda a: a)(ag.tensor(1.0))
    with pytest.raises(TypeError, match="vmap: in_dims gives dimension 0 for argument 1, a float, .* give None"):
        ag.vmap(lambda a, b: a * b)(ag.tensor(X), 2.0)
    with pytest.raises(TypeError, match=r"vmap: in_dims must be an int or None, or a tuple of them .* got 'x'"):
        ag.vmap(lambda a: a, in_dims="x")
    with pytest.raises(ValueError, match=r"vmap: in_dims=\(0, None\) has 2 entries but the function was called with "
                                         r"1 positional"):
        ag.vmap(lambda a: a, in_dims=(0, None))(ag.tensor(X))


def test_no_mapped_argument_and_an_empty_mapped_dimension_are_refused():
    with pytest.raises(ValueError, match=r"vmap: no argument is mapped \(in_dims=\(None,\)"):
        ag.vmap(lambda a: a, in_dims=(None,))(ag.tensor(X))
    with pytest.raises(ValueError, match="vmap: no argument is mapped"):
        ag.vmap(lambda: ag.ones(2))()
    with pytest.raises(ValueError, match="vmap: the mapped dimension has size 0"):
        ag.vmap(lambda a: a)(ag.zeros((0, 3)))


def test_bad_outputs_and_out_dims_are_refused():
    x = ag.tensor(X)
    with pytest.raises(ValueError, match=r"vmap: out_dims gives dimension 2 for the output, of shape \(3,\) per "
                                         r"slice; it must be in \[-2, 1\]"):
        ag.vmap(lambda r: r * 1.0, out_dims=2)(x)
    with pytest.raises(ValueError, match=r"vmap: out_dims=\(0, 0\) has 2 entries but func returned a Tensor"):
        ag.vmap(lambda r: r * 1.0, out_dims=(0, 0))(x)
    with pytest.raises(TypeError, match="vmap: func must return Tensors .* the output is a str"):
        ag.vmap(lambda r: "row")(x)
    with pytest.raises(ValueError, match=r"vmap: the output has shape \(1,\) for index 0 but \(2,\) for index 1"):
        ag.vmap(lambda r: r[:1] if float(r[0]) == X[0, 0] else r[:2])(x)
    with pytest.raises(TypeError, match="vmap: out_dims must be an int, or a tuple of ints"):
        ag.vmap(lambda r: r, out_dims=None)
    with pytest.raises(TypeError, match="vmap: func must be callable"):
        ag.vmap(3)
