"""Contractions (autograd_core/ops/contraction.py): einsum over Hypothesis-drawn subscripts (explicit and implicit,
'...', repeated letters, axes of size 1 broadcast) against np.einsum and finite differences to second order;
tensordot, dot, inner, outer, vdot, vecdot, matvec and vecmat as NumPy's; torch's einsum (and its list of operands)
and tensordot; the errors."""
import inspect
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.testing import gradcheck
from optable import Op, generated_tests

LETTERS = "abcdeZ"  # an uppercase one too: implicit mode sorts by code point, 'Z' before 'a'


@st.composite
def einsum_case(draw, max_operands=3):
    """((shapes...), {"subscripts": ...}): 1 to max_operands operands of up to 3 named axes each (a letter may repeat
    in one operand: a diagonal), '...' in some of them (batch shapes broadcast against each other), a named axis of
    size 1 now and then where the letter is longer elsewhere (broadcast), and an explicit output (any order of a
    subset of the letters, '...' somewhere) or none (NumPy's implicit mode)."""
    n = draw(st.integers(1, max_operands))
    sizes = {c: draw(st.integers(1, 3)) for c in LETTERS}
    terms = [draw(st.lists(st.sampled_from(LETTERS), max_size=3)) for _ in range(n)]
    with_ellipsis = draw(st.booleans())
    batch = draw(hnp.mutually_broadcastable_shapes(num_shapes=n, max_dims=2, max_side=2)).input_shapes
    operands, shapes = [], []
    for term, batch_shape in zip(terms, batch):
        dims = [sizes[c] for c in term]
        for i, c in enumerate(term):  # a size-1 axis against the letter's size elsewhere (not on a diagonal)
            if term.count(c) == 1 and draw(st.integers(0, 5)) == 0:
                dims[i] = 1
        text = "".join(term)
        if with_ellipsis and draw(st.booleans()):
            at = draw(st.integers(0, len(term)))
            text = text[:at] + "..." + text[at:]
            dims = dims[:at] + list(batch_shape) + dims[at:]
        operands.append(text)
        shapes.append(tuple(dims))
    uses_ellipsis = any("..." in t for t in operands)
    subscripts = ",".join(operands)
    if draw(st.booleans()):  # explicit
        seen = sorted({c for term in terms for c in term})
        output = draw(st.permutations(seen).flatmap(lambda p: st.integers(0, len(p)).map(lambda k: p[:k])))
        output = "".join(output)
        if uses_ellipsis:
            at = draw(st.integers(0, len(output)))
            output = output[:at] + "..." + output[at:]
        subscripts += "->" + output
    return tuple(shapes), {"subscripts": subscripts}


def _einsum(*xs, subscripts):
    return ag.einsum(subscripts, *xs)


def _np_einsum(*xs, subscripts):
    return np.einsum(subscripts, *xs)


@st.composite
def tensordot_case(draw):
    """Shapes and axes: an int N (a's last N axes against b's first N) or a pair of lists (either sign, any order)."""
    a_shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3))
    if draw(st.booleans()):
        count = draw(st.integers(0, len(a_shape)))
        free = draw(hnp.array_shapes(min_dims=0, max_dims=3 - count, min_side=1, max_side=3)) if count < 3 else ()
        return (a_shape, a_shape[len(a_shape) - count:] + free), {"axes": count}
    a_axes = draw(st.permutations(range(len(a_shape))).flatmap(lambda p: st.integers(0, len(p)).map(lambda k: p[:k])))
    b_ndim = draw(st.integers(len(a_axes), 3))
    b_axes = draw(st.permutations(range(b_ndim)).map(lambda p: p[:len(a_axes)]))
    b_shape = [draw(st.integers(1, 3)) for _ in range(b_ndim)]
    for i, j in zip(a_axes, b_axes):
        b_shape[j] = a_shape[i]
    negative = draw(st.booleans())
    a_given = [i - len(a_shape) if negative else i for i in a_axes]
    return (a_shape, tuple(b_shape)), {"axes": (a_given, list(b_axes))}


@st.composite
def dot_case(draw, inner=False):
    """Shapes np.dot (or np.inner) accepts: 0-d against anything, else a's last axis against b's second-to-last
    (the last for inner, and for a 1-D b)."""
    a_shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3))
    b_shape = list(draw(hnp.array_shapes(min_dims=0 if a_shape else 1, max_dims=3, min_side=1, max_side=3)))
    if a_shape and b_shape:
        b_shape[-1 if inner or len(b_shape) == 1 else -2] = a_shape[-1]
    return (a_shape, tuple(b_shape)), {}


@st.composite
def vdot_case(draw):
    """Two shapes of one size (np.vdot flattens both)."""
    a_shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3))
    b_shape = draw(st.sampled_from([a_shape, (math.prod(a_shape),), a_shape[::-1]]))
    return (a_shape, b_shape), {}


@st.composite
def vector_product_case(draw, x1_core, x2_core):
    """Shapes for NumPy's gufuncs vecdot (1, 1), matvec (2, 1) and vecmat (1, 2): each operand's core axes (a vector
    or a matrix, the contracted lengths equal) after batch axes that broadcast against each other."""
    batch = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=2)).input_shapes
    n, m = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    cores = {(1, 1): ((n,), (n,)), (2, 1): ((m, n), (n,)), (1, 2): ((n,), (n, m))}[x1_core, x2_core]
    return tuple(b + core for b, core in zip(batch, cores)), {}


CONTRACTIONS = [
    Op("einsum", _einsum, _np_einsum, case=einsum_case()),
    Op("np.einsum", lambda *xs, subscripts: np.einsum(subscripts, *xs), _np_einsum, case=einsum_case(2)),
    Op("tensordot", ag.tensordot, np.tensordot, case=tensordot_case()),
    Op("np.tensordot", np.tensordot, np.tensordot, case=tensordot_case()),
    Op("dot", ag.dot, np.dot, case=dot_case()),
    Op("dot_method", lambda a, b: a.dot(b), np.dot, case=dot_case()),
    Op("inner", ag.inner, np.inner, case=dot_case(inner=True)),
    Op("np.inner", np.inner, np.inner, case=dot_case(inner=True)),
    Op("outer", ag.outer, np.outer, arity=2, shapes=st.tuples(*[hnp.array_shapes(min_dims=0, max_dims=2,
                                                                                  max_side=3)] * 2)),
    Op("outer_method", lambda a, b: a.outer(b), np.outer, arity=2,
       shapes=st.tuples(*[hnp.array_shapes(min_dims=1, max_dims=1, max_side=3)] * 2)),
    Op("vdot", ag.vdot, np.vdot, case=vdot_case()),
    Op("np.vdot", np.vdot, np.vdot, case=vdot_case()),
    Op("vecdot", ag.vecdot, np.vecdot, case=vector_product_case(1, 1)),
    Op("np.vecdot", np.vecdot, np.vecdot, case=vector_product_case(1, 1)),
    Op("matvec", ag.matvec, np.matvec, case=vector_product_case(2, 1)),
    Op("np.matvec", np.matvec, np.matvec, case=vector_product_case(2, 1)),
    Op("vecmat", ag.vecmat, np.vecmat, case=vector_product_case(1, 2)),
    Op("np.vecmat", np.vecmat, np.vecmat, case=vector_product_case(1, 2)),
]

globals().update(generated_tests(CONTRACTIONS))


# ---- fixed cases: each feature once, by name --------------------------------------------------------------------
FIXED = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),        # a matrix product
    ("ij,jk", [(2, 3), (3, 4)]),            # implicit: the same
    ("ba", [(2, 3)]),                       # implicit: a transpose (letters sorted)
    ("ii", [(3, 3)]),                       # a trace
    ("ii->i", [(3, 3)]),                    # a diagonal
    ("iij,j->i", [(2, 2, 3), (3,)]),        # a diagonal contracted with another operand
    ("ij->", [(2, 3)]),                     # everything summed in the one operand
    ("ij,j->", [(2, 3), (3,)]),             # i summed in the first operand alone
    ("...ij,...jk->...ik", [(2, 1, 2, 3), (4, 3, 2)]),  # batches, broadcast
    ("i,i", [(3,), (1,)]),                  # a named axis of size 1, broadcast
    ("ii,i", [(1, 1), (3,)]),               # a 1x1 diagonal broadcast
    ("i...,i...->...", [(2, 3), (2, 1)]),
    ("aab,bc,c->a", [(2, 2, 3), (3, 4), (4,)]),
    ("->", [()]),
]


@pytest.mark.parametrize("subscripts, shapes", FIXED, ids=[s for s, _ in FIXED])
def test_fixed_subscripts_match_numpy_and_torch(subscripts, shapes):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(shape) for shape in shapes]
    leaves = [ag.tensor(a, requires_grad=True) for a in arrays]
    out = ag.einsum(subscripts, *leaves)
    np.testing.assert_allclose(out.data, np.einsum(subscripts, *arrays), rtol=1e-12, atol=1e-14)
    cotangent = rng.standard_normal(out.shape)
    out.backward(cotangent)
    torch = pytest.importorskip("torch")
    if subscripts in ("ii,i",):  # torch refuses a 1x1 diagonal against a longer axis
        return
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    expected = torch.einsum(subscripts, *ts)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12, atol=1e-14)
    expected.backward(torch.tensor(cotangent))
    for leaf, t in zip(leaves, ts):
        np.testing.assert_allclose(leaf.grad.data, t.grad.numpy(), rtol=1e-12, atol=1e-14)


@settings(max_examples=15, deadline=None)
@given(case=einsum_case(), data=st.data())
def test_drawn_subscripts_match_torch_values_and_gradients(case, data):
    torch = pytest.importorskip("torch")
    shapes, kwargs = case
    subscripts = kwargs["subscripts"]
    arrays = [data.draw(hnp.arrays(np.float64, s, elements=st.floats(-3, 3))) for s in shapes]
    if any(subscripts.split("->")[0].split(",")[k].count(c) > 1 and 1 in shapes[k] for k in range(len(shapes))
           for c in LETTERS):
        return  # (torch refuses a diagonal of size 1 against a longer axis elsewhere, NumPy takes it)
    leaves = [ag.tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, expected = ag.einsum(subscripts, *leaves), torch.einsum(subscripts, *ts)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-10, atol=1e-12)
    out.sum().backward()
    expected.sum().backward()
    for leaf, t in zip(leaves, ts):
        np.testing.assert_allclose(leaf.grad.data, t.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_second_derivative_through_a_trace_and_a_product_matches_torch():
    torch = pytest.importorskip("torch")
    values = np.random.default_rng(1).standard_normal((3, 3))

    def ours(a):
        return ag.sin(ag.einsum("ij,jk->ik", a, a)).sum() + ag.einsum("ii", a) ** 2

    def theirs(a):
        return torch.sin(torch.einsum("ij,jk->ik", a, a)).sum() + torch.einsum("ii", a) ** 2

    expected = torch.autograd.functional.hessian(theirs, torch.tensor(values)).numpy()
    np.testing.assert_allclose(ag.hessian(ours)(values).data, expected, rtol=1e-10, atol=1e-12)


def test_tensordot_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    a, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((4, 3, 5))
    for axes in [([1, 2], [1, 0]), ([2], [0])]:
        x, y = ag.tensor(a, requires_grad=True), ag.tensor(b, requires_grad=True)
        ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
        out, expected = ag.tensordot(x, y, axes=axes), torch.tensordot(ta, tb, dims=axes)
        np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12)
        (out ** 2).sum().backward()
        (expected ** 2).sum().backward()
        np.testing.assert_allclose(x.grad.data, ta.grad.numpy(), rtol=1e-12)
        np.testing.assert_allclose(y.grad.data, tb.grad.numpy(), rtol=1e-12)



# ---- np.dot of vectors and matrices is np.matmul: the value is NumPy's own product bit for bit (NumPy code ported
# from scratch, deeplearning.ai's np.dot(W, A) + b, compares with its hand-written original), through the matmul rule
# (it went through a small einsum's loop: other rounding, four times slower); N-D operands keep tensordot's ----
_DOT_GRADIENTS = {  # (a's, b's) gradients of sum(dot(a, b) * g), by hand
    ((4, 3), (3, 5)): (lambda a, b, g: g @ b.T, lambda a, b, g: a.T @ g),
    ((4, 3), (3,)): (lambda a, b, g: np.outer(g, b), lambda a, b, g: a.T @ g),
    ((3,), (3, 5)): (lambda a, b, g: b @ g, lambda a, b, g: np.outer(a, g)),
    ((3,), (3,)): (lambda a, b, g: g * b, lambda a, b, g: g * a),
}


@pytest.mark.parametrize("shapes", list(_DOT_GRADIENTS))
def test_dot_of_vectors_and_matrices_is_numpys_product_bit_for_bit(shapes):
    rng = np.random.default_rng(5)
    a, b = rng.standard_normal(shapes[0]), rng.standard_normal(shapes[1])
    x, y = ag.tensor(a, requires_grad=True), ag.tensor(b, requires_grad=True)
    out = np.dot(x, y)
    np.testing.assert_array_equal(out.data, np.dot(a, b))
    np.testing.assert_array_equal(x.dot(b).data, a.dot(b))
    g = rng.standard_normal(np.shape(out.data))
    out.backward(ag.tensor(g))
    grad_a, grad_b = _DOT_GRADIENTS[shapes]
    np.testing.assert_allclose(x.grad.data, grad_a(a, b, g), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(y.grad.data, grad_b(a, b, g), rtol=1e-14, atol=1e-15)
    torch = pytest.importorskip("torch")
    ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    torch.matmul(ta, tb).backward(torch.tensor(g))  # (torch.dot takes vectors only; its matmul is np.dot here)
    np.testing.assert_allclose(x.grad.data, ta.grad.numpy(), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(y.grad.data, tb.grad.numpy(), rtol=1e-14, atol=1e-15)

def test_tensordot_takes_torchs_dims():
    a, b = np.ones((2, 3)), np.ones((3, 4))
    np.testing.assert_array_equal(ag.tensordot(a, b, dims=1).data, np.tensordot(a, b, 1))
    with pytest.raises(TypeError, match="both axes=1 and dims=1"):
        ag.tensordot(a, b, 1, dims=1)
    with pytest.raises(TypeError, match="both axes=2 and dims=1"):  # an explicit 2 too, though it is the default
        ag.tensordot(a, b, 2, dims=1)
    assert repr(inspect.signature(ag.tensordot).parameters["axes"].default) == "2"  # NumPy's default, as shown


TENSORDOT_SIZE_1 = [(((1, 1, 1), (2, 1, 2)), ((0, 1), (2, 0))), (((3, 1, 4), (2, 5, 4)), ((1, 2), (0, 2))),
                    (((3, 2), (1, 5)), 1)]


def _tensordot_summing_size_1_partners(a, b, dims):
    """NumPy's reference for torch.tensordot's dims=: the partner of a paired axis of size 1 summed first."""
    pairs = (list(range(a.ndim - dims, a.ndim)), list(range(dims))) if isinstance(dims, int) else dims
    for i, j in zip(*pairs):
        if a.shape[i] == 1:
            b = b.sum(axis=j, keepdims=True)
        elif b.shape[j] == 1:
            a = a.sum(axis=i, keepdims=True)
    return np.tensordot(a, b, axes=pairs)


@pytest.mark.parametrize("shapes, dims", TENSORDOT_SIZE_1)
def test_tensordot_with_dims_broadcasts_a_paired_axis_of_size_1(shapes, dims):
    # OpInfo's sample: torch sums the partner of a size-1 paired axis; it raised "paired axes must be of one size"
    a, b = (np.random.default_rng(3).standard_normal(s) for s in shapes)
    x, y = ag.tensor(a, requires_grad=True), ag.tensor(b, requires_grad=True)
    np.testing.assert_allclose(ag.tensordot(x, y, dims=dims).data, _tensordot_summing_size_1_partners(a, b, dims),
                               rtol=1e-13, atol=1e-14)
    assert gradcheck(lambda x, y: ag.tensordot(x, y, dims=dims), x, y)
    with pytest.raises(ValueError, match="paired axes must be of one size"):  # NumPy's axes= keeps NumPy's rule
        ag.tensordot(x, y, axes=dims)


@pytest.mark.parametrize("shapes, dims", TENSORDOT_SIZE_1)
def test_tensordot_with_dims_broadcasts_a_paired_axis_of_size_1_as_torch(shapes, dims):
    torch = pytest.importorskip("torch")
    a, b = (np.random.default_rng(3).standard_normal(s) for s in shapes)
    x, y = ag.tensor(a, requires_grad=True), ag.tensor(b, requires_grad=True)
    tx, ty = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    out, expected = ag.tensordot(x, y, dims=dims), torch.tensordot(tx, ty, dims=dims)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-13, atol=1e-14)
    cotangent = np.ones(out.shape)
    for g, tg in zip(ag.autograd.grad(out, [x, y], ag.tensor(cotangent)),
                     torch.autograd.grad(expected, [tx, ty], torch.tensor(cotangent))):
        np.testing.assert_allclose(g.data, tg.numpy(), rtol=1e-13, atol=1e-14)


def test_float32_operands_stay_float32_and_integers_give_integers():
    a = ag.ones((2, 3), dtype=np.float32)
    assert ag.einsum("ij,jk", a, ag.ones((3, 2), dtype=np.float32)).dtype == np.float32
    ints = np.arange(6).reshape(2, 3)
    out = ag.einsum("ij,ij->i", ints, ints)
    assert out.dtype == np.einsum("ij,ij->i", ints, ints).dtype and out.tolist() == [5, 50]


# ---- float16: small einsums add their terms in float32 and round once, as PyTorch's float16 kernels -------------
def _ulps(value, exact):
    """How many float16 ulps value is from exact (float64) rounded to float16."""
    rounded = exact.astype(np.float16)
    return np.max(np.abs(value.astype(np.float64) - rounded) / np.spacing(np.abs(rounded)).astype(np.float64))


@pytest.mark.parametrize("subscripts, shapes", [("ij,jk->ik", ((16, 200), (200, 3))), ("i,i->", ((3000,), (3000,))),
                                                ("ijk,jk->i", ((3, 40, 30), (40, 30))),
                                                ("ij,jk,kl->il", ((4, 60), (60, 60), (60, 2)))])
def test_small_einsums_of_float16_are_rounded_once(subscripts, shapes):
    # (added in float16, they were 2 to 16 ulps off)
    operands = [np.random.default_rng(seed).random(shape).astype(np.float16) for seed, shape in enumerate(shapes)]
    out = ag.einsum(subscripts, *map(ag.tensor, operands))
    exact = np.einsum(subscripts, *(x.astype(np.float64) for x in operands))
    assert out.dtype == np.float16
    assert _ulps(out.data, exact) <= 1


# ---- errors: they name the operand, the letter and the shapes ----------------------------------------------------
@pytest.mark.parametrize("subscripts, shapes, message", [
    ("ij,j1", [(2, 3), (3, 1)], r"operand 1 has '1' \('j1'\)"),
    ("ij->i.", [(2, 3)], r"the output has '\.'"),
    ("i......", [(2,)], r"operand 0 has '\.'"),
    ("ij,jk", [(2, 3)], r"name 2 operand\(s\), but 1 were given"),
    ("ijk", [(2, 3)], r"operand 0 has shape \(2, 3\) \(2 dimensions\), but its subscripts 'ijk' name 3"),
    ("ij,jk", [(2, 3), (4, 5)], r"index 'j' has size 3 in operand 0 \(shape \(2, 3\)\) but 4 in operand 1 "
                                r"\(shape \(4, 5\)\)"),
    ("ii", [(2, 3)], r"index 'i' is repeated in operand 0 \(shape \(2, 3\)\) over axes of sizes 2 and 3"),
    ("ij->k", [(2, 3)], r"output index 'k' appears in no operand"),
    ("ij->ii", [(2, 3)], r"output index 'i' appears more than once"),
    ("ij->->i", [(2, 3)], r"'->' more than once"),
])
def test_bad_subscripts_are_named(subscripts, shapes, message):
    with pytest.raises(ValueError, match="einsum: .*" + message):
        ag.einsum(subscripts, *(np.ones(s) for s in shapes))


@pytest.mark.parametrize("subscripts, shapes, reference", [
    ("n...i,n...j->nij", [(2, 3, 4, 5), (2, 3, 4, 6)], "nabi,nabj->nij"),  # Opacus's per-sample Linear gradient
    ("n...k->nk", [(2, 3, 4)], "nak->nk"),
    ("...i->i", [(2, 3)], "ai->i"),
    ("...ij,...kj->i", [(4, 2, 3), (5, 3)], "aij,kj->i"),  # '...' of different widths, right-aligned
])
def test_an_output_without_the_ellipsis_sums_its_axes_as_torch(subscripts, shapes, reference):
    operands = [np.random.default_rng(seed).standard_normal(shape) for seed, shape in enumerate(shapes)]
    tensors = [ag.tensor(x, requires_grad=True) for x in operands]
    out = ag.einsum(subscripts, *tensors)
    np.testing.assert_allclose(out.data, np.einsum(reference, *operands), rtol=1e-13, atol=1e-13)
    out.sum().backward()  # each operand's gradient: the others' products against a cotangent of ones
    terms, output = reference.split("->")
    terms = terms.split(",")
    for k, t in enumerate(tensors):
        others = [terms[m] for m in range(len(terms)) if m != k] + [output]
        seen = [c for c in terms[k] if c in "".join(others)]  # letters only this operand has: constant along them
        part = np.einsum(",".join(others) + "->" + "".join(seen),
                         *[operands[m] for m in range(len(terms)) if m != k], np.ones(out.shape))
        part = np.expand_dims(part, tuple(i for i, c in enumerate(terms[k]) if c not in seen))
        np.testing.assert_allclose(t.grad.data, np.broadcast_to(part, t.shape), rtol=1e-13, atol=1e-13)
    torch = pytest.importorskip("torch")  # (after the NumPy reference, which holds without it)
    t_operands = [torch.tensor(x, requires_grad=True) for x in operands]
    t_out = torch.einsum(subscripts, *t_operands)
    t_out.sum().backward()
    np.testing.assert_allclose(out.data, t_out.detach().numpy(), rtol=1e-13, atol=1e-13)
    for t, t_torch in zip(tensors, t_operands):
        np.testing.assert_allclose(t.grad.data, t_torch.grad.numpy(), rtol=1e-13, atol=1e-13)


def test_other_refusals():
    with pytest.raises(TypeError, match="interleaved form"):
        ag.einsum(np.ones(2), [0], np.ones(2), [0])
    with pytest.raises(TypeError, match="no operands"):
        ag.einsum("i")
    with pytest.raises(TypeError, match="np.einsum on Tensors: out= not supported"):
        np.einsum("i->", ag.ones(2), out=np.zeros(()))
    with pytest.raises(TypeError, match="np.einsum on Tensors: dtype= not supported"):
        np.einsum("i->", ag.ones(2), dtype=np.float32)
    assert float(np.einsum("i,i", ag.ones(2), ag.ones(2), optimize="greedy")) == 2.0  # optimize= changes nothing


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.tensordot(np.ones((2, 3)), np.ones((4, 2)), axes=1),
     ValueError, r"axis 1 of a \(shape \(2, 3\)\) has size 3 but axis 0 of b \(shape \(4, 2\)\) has 4"),
    (lambda: ag.tensordot(np.ones((2, 3)), np.ones((3,)), axes=2), ValueError, r"axes=2 must be in \[0, 1\]"),
    (lambda: ag.tensordot(np.ones((2, 3)), np.ones((3,)), axes=([2], [0])),
     np.exceptions.AxisError, r"axes \[2\] out of range for a of shape \(2, 3\)"),
    (lambda: ag.tensordot(np.ones((2, 3)), np.ones((3, 3)), axes=([1, 1], [0, 1])), ValueError, "name an axis twice"),
    (lambda: ag.tensordot(np.ones((2, 3)), np.ones((3, 3)), axes=([1], [0, 1])), ValueError,
     "1 axes of a but 2 of b"),
    (lambda: ag.tensordot(np.ones(2), np.ones(2), axes="a"), TypeError, "axes must be an int or a pair"),
    (lambda: ag.dot(np.ones((2, 3)), np.ones((2, 3))), ValueError,
     r"dot: shapes \(2, 3\) and \(2, 3\) are not aligned: a's last axis \(3\) must equal b's second-to-last"),
    (lambda: ag.inner(np.ones((2, 3)), np.ones((2,))), ValueError, r"inner: the last axes of shapes \(2, 3\) and"),
    (lambda: ag.vdot(np.ones((2, 3)), np.ones(4)), ValueError,
     r"vdot: a of shape \(2, 3\) and b of shape \(4,\) hold 6 and 4 entries; flattened, they must be vectors of one"),
    (lambda: ag.matvec(np.ones((2, 3)), np.ones(2)), ValueError,
     r"matvec: matrices of shape \(2, 3\) take vectors of length 3; x2 of shape \(2,\) holds vectors of length 2"),
    (lambda: ag.vecmat(np.ones(3), np.ones((2, 3))), ValueError,
     r"vecmat: matrices of shape \(2, 3\) take vectors of length 2; x1 of shape \(3,\) holds vectors of length 3"),
    (lambda: ag.matvec(np.ones(3), np.ones(3)), ValueError,
     r"matvec: an operand of shape \(3,\) has 1 axes; it needs at least 2 \(its last two hold matrices\)"),
    (lambda: np.vecmat(ag.ones(()), ag.ones((2, 2))), ValueError, r"vecmat: an operand of shape \(\) has 0 axes"),
    # more axes than letters: a StopIteration (a RuntimeError from a generator) escaped before
    (lambda: ag.einsum("...,...->...", np.ones((1,) * 53), np.ones(1)), ValueError,
     "einsum: subscripts '...,...->...' use too many letters to name the axes of '...'"),
    (lambda: ag.tensordot(np.ones((1,) * 30), np.ones((1,) * 30), axes=0), ValueError,
     r"tensordot: shapes \(1, 1, .* have 60 axes between them, more than the 52 einsum can name"),
])
def test_contraction_errors_name_the_shapes_and_axes(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_large_operands_take_the_optimized_path_with_the_same_values_and_gradients():
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal((70, 80)), rng.standard_normal((80, 60))  # 5,600 and 4,800 entries
    x, y = ag.tensor(a, requires_grad=True), ag.tensor(b, requires_grad=True)
    out = ag.einsum("ij,jk->ik", x, y)
    np.testing.assert_allclose(out.data, a @ b, rtol=1e-12, atol=1e-12)
    weights = rng.standard_normal(out.shape)
    (out * weights).sum().backward()
    np.testing.assert_allclose(x.grad.data, weights @ b.T, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(y.grad.data, a.T @ weights, rtol=1e-12, atol=1e-12)


@st.composite
def large_pair(draw):
    """(subscripts, a, b): two operands of distinct letters each, one of at least 4,096 entries (so einsum takes the
    matrix-product path), in any memory order, strided, flipped or broadcast, with size-1 letters summed alone."""
    sizes = {c: draw(st.integers(1, 7)) for c in "abcdef"}
    ta = "".join(draw(st.permutations("abcdef").map(lambda p: p[:draw(st.integers(0, 5))])))
    tb = "".join(draw(st.permutations("abcdef").map(lambda p: p[:draw(st.integers(0, 5))])))
    if max(math.prod(sizes[c] for c in t) for t in (ta, tb)) < 4096:  # a letter g makes one operand large
        larger = max(ta, tb, key=lambda t: math.prod(sizes[c] for c in t))
        sizes["g"] = -(-4096 // math.prod(sizes[c] for c in larger))
        ta, tb = (ta + "g", tb + "g" * draw(st.booleans())) if larger is ta else (ta + "g" * draw(st.booleans()),
                                                                                  tb + "g")
    seen = sorted(set(ta + tb))
    output = "".join(draw(st.permutations(seen).map(lambda p: p[:draw(st.integers(0, len(p)))])))
    for c in seen:  # a letter summed in one operand alone: of size 1 (a longer one goes to np.einsum)
        if c not in output and (c in ta) != (c in tb):
            sizes[c] = 1
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))

    def view(term):
        shape, step = [sizes[c] for c in term], draw(st.integers(1, 2))
        order = draw(st.permutations(range(len(term))))  # the memory order of the axes
        x = rng.standard_normal([shape[k] * step for k in order]).transpose(np.argsort(order))
        x = x[tuple(slice(None, None, step) for _ in term)]
        if term and draw(st.booleans()):
            x = np.flip(x, draw(st.integers(0, len(term) - 1)))
        if term and draw(st.booleans()):  # an axis broadcast (stride 0)
            axis = draw(st.integers(0, len(term) - 1))
            x = np.broadcast_to(x.take([0], axis), x.shape)
        return x

    return f"{ta},{tb}->{output}", view(ta), view(tb)


@settings(max_examples=60, deadline=None)
@given(case=large_pair())
def test_large_pairs_contract_as_a_matrix_product_with_einsums_values_and_gradients(case):
    # einsum is linear in each operand, so each gradient's pairing with any direction d equals g's pairing with the
    # einsum of d and the other operand: an exact check of the rule (which runs the same path), no differences
    subscripts, a, b = case
    x, y = ag.tensor(a, requires_grad=True), ag.tensor(b, requires_grad=True)
    out = ag.einsum(subscripts, x, y)
    expected = np.einsum(subscripts, a, b)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out.data, expected, rtol=1e-10, atol=1e-10)
    rng = np.random.default_rng(0)
    g = rng.standard_normal(out.shape)
    out.backward(g)
    da, db = rng.standard_normal(a.shape), rng.standard_normal(b.shape)
    np.testing.assert_allclose(np.sum(x.grad.data * da), np.sum(g * np.einsum(subscripts, da, b)), rtol=1e-9, atol=1e-8)
    np.testing.assert_allclose(np.sum(y.grad.data * db), np.sum(g * np.einsum(subscripts, a, db)), rtol=1e-9, atol=1e-8)


@pytest.mark.parametrize("subscripts, constant", [("ij,jk->ik", True), ("ii", False), ("ij->", False)])
def test_a_change_to_an_operand_no_running_rule_reads_is_not_refused(subscripts, constant):
    # each operand's rule reads the others only (as matmul's, and PyTorch's): a weight changed after the forward,
    # with the other operand a constant, is not refused; a change to the constant the weight's rule reads is
    w = ag.tensor(np.eye(2) + 1.0, requires_grad=True)
    c = ag.tensor(np.ones((2, 2)))
    operands = (w, c) if constant else (w,)
    out = ag.einsum(subscripts, *operands).sum()
    with ag.no_grad():
        w[0, 0] = 5.0
    out.backward(retain_graph=True)
    assert w.grad is not None
    if constant:
        with ag.no_grad():
            c[0, 0] = 5.0
        with pytest.raises(RuntimeError, match="'einsum' node saved for its gradient"):
            out.backward()


# ---- an einsum of one operand that NumPy computes as a view ('ii->i', 'ij->ji', np.linalg.diagonal) is a copy, as
# einsum's other results: a change in place through either one would silently change the values a recorded graph
# read, outside any version count (PyTorch's view refuses the backward there) ----
@pytest.mark.parametrize("subscripts", ["ii->i", "ij->ji", "ij", "ij->ij", "...ii->...i", "ijk->kji"])
def test_a_one_operand_einsum_shares_no_memory_with_its_operand(subscripts):
    shape = (3, 3, 3) if "k" in subscripts else (3, 3)
    c = ag.tensor(np.arange(float(np.prod(shape))).reshape(shape))
    out = ag.einsum(subscripts, c)
    np.testing.assert_array_equal(out.data, np.einsum(subscripts, c.data))
    assert not np.may_share_memory(out.data, c.data)


def test_a_change_through_the_diagonal_leaves_a_recorded_operand_alone():
    w = ag.tensor(np.ones((3, 3)), requires_grad=True)
    c = ag.tensor(np.arange(9.0).reshape(3, 3))
    loss = (w * c).sum()
    d = ag.linalg.diagonal(c)
    d += 100.0
    np.testing.assert_array_equal(c.data, np.arange(9.0).reshape(3, 3))
    loss.backward()
    np.testing.assert_array_equal(w.grad.data, np.arange(9.0).reshape(3, 3))


def test_a_change_to_the_operand_leaves_a_recorded_transpose_alone():
    w = ag.tensor(np.arange(9.0).reshape(3, 3), requires_grad=True)
    z = ag.tensor(np.ones((3, 3)), requires_grad=True)
    loss = (ag.einsum("ij->ji", w) * z).sum()
    with ag.no_grad():
        w[0, 1] = 100.0
    loss.backward()
    np.testing.assert_array_equal(z.grad.data, np.arange(9.0).reshape(3, 3).T)


# ---- NumPy's interleaved form (operands and axis lists) is refused naming it, whatever its lists hold (Ellipsis
# too), and np.einsum's refusal says to give the subscripts as a string; the message shows the first operand's type
# and shape, not its whole repr ----
@pytest.mark.parametrize("call", [
    lambda a: np.einsum(a, [Ellipsis, 1]),
    lambda a: np.einsum(a, [0, 1], a, [2, 1], [0, 2]),
    lambda a: np.einsum(a, [0, 1]),
])
def test_interleaved_form_refused_by_name(call):
    with pytest.raises(TypeError, match=r"np.einsum on Tensors: the interleaved form .* is not supported; give the "
                                        r"subscripts as a string"):
        call(ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True))


def test_string_subscripts_still_run():
    a = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    np.testing.assert_allclose(np.einsum("ij,kj->ik", a, a).data, a.data @ a.data.T)


@pytest.mark.parametrize("sublists", [([0, 1], [1, 2], [0, 2]), ([Ellipsis, 1], [1, 2], [Ellipsis, 2])])
def test_interleaved_form_refused_by_the_subscripts_error(sublists):
    a, b = ag.ones((2, 3), requires_grad=True), ag.ones((3, 4))
    with pytest.raises(TypeError, match=r"^einsum: subscripts must be a string such as 'ij,jk->ik', got Tensor "
                                        r"of shape \(2, 3\) \(the interleaved form"):
        ag.einsum(a, sublists[0], b, sublists[1], sublists[2])


def test_other_non_string_subscripts_and_valid_calls():
    with pytest.raises(TypeError, match=r"got \['ij'\]"):
        ag.einsum(["ij"], ag.ones((2, 2)))
    with pytest.raises(TypeError, match="got ndarray of shape"):
        ag.einsum(np.ones(2), ag.ones(2))
    np.testing.assert_allclose(ag.einsum("ij,jk->ik", ag.ones((2, 3)), ag.ones((3, 4))).data, np.full((2, 4), 3.0))


def test_einsum_takes_torchs_list_of_operands():
    # K-FAC's per-example gradients: torch.einsum('abm,abn->amn', (grad_output, input))
    rng = np.random.default_rng(0)
    g_values, a_values = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 3, 5))
    g, a = ag.tensor(g_values, requires_grad=True), ag.tensor(a_values, requires_grad=True)
    expected = np.einsum("abm,abn->amn", g_values, a_values)  # NumPy reference, the operands given apart
    for operands in ((g, a), [g, a]):
        out = ag.einsum("abm,abn->amn", operands)
        np.testing.assert_allclose(out.data, expected, rtol=1e-14)
    out.sum().backward()
    np.testing.assert_allclose(g.grad.data, np.broadcast_to(a_values.sum(-1, keepdims=True), g.shape), rtol=1e-14)
    # one term: a list stays NumPy's array (stacked), as np.einsum takes it
    rows = [ag.tensor([1.0, 2.0]), ag.tensor([3.0, 4.0])]
    assert ag.einsum("ij->j", rows).tolist() == np.einsum("ij->j", [[1.0, 2.0], [3.0, 4.0]]).tolist()


def test_einsum_list_of_operands_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    arrays = [rng.standard_normal((2, 3)), rng.standard_normal((3, 4)), rng.standard_normal(4)]
    ours = ag.einsum("ij,jk,k->i", [ag.tensor(x) for x in arrays])
    theirs = torch.einsum("ij,jk,k->i", [torch.tensor(x) for x in arrays])
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-13)


@pytest.mark.parametrize("create_graph", [False, True])
def test_einsum_gradients_come_in_c_order(create_graph):
    # NumPy's einsum may give a transposed array (here a convolution's weight gradient, out and in channels
    # swapped); PyTorch's is C-ordered, and DARTS flattens it with g.view(-1)
    rng = np.random.default_rng(0)
    windows, w = rng.standard_normal((2, 4, 4, 4, 1, 1)), rng.standard_normal((3, 4, 1, 1))
    weight = ag.tensor(w, requires_grad=True)
    y = ag.einsum("ncuvij,fcij->nfuv", ag.tensor(windows), weight)
    cotangent = rng.standard_normal(y.shape)
    (grad,) = ag.autograd.grad(y, [weight], grad_outputs=ag.tensor(cotangent), create_graph=create_graph)
    assert grad.data.flags.c_contiguous and grad.view(-1).shape == (12,)
    np.testing.assert_allclose(grad.data, np.einsum("nfuv,ncuvij->fcij", cotangent, windows), rtol=1e-13, atol=1e-13)


def test_einsum_gradient_of_a_scalar_operand_keeps_its_shape():
    scale = ag.tensor(2.0, requires_grad=True)
    (grad,) = ag.autograd.grad(ag.einsum(",i->i", scale, ag.tensor([1.0, 2.0])).sum(), [scale])
    assert grad.shape == () and grad.item() == 3.0
