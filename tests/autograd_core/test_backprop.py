"""Back-propagation (autograd_core/backprop.py): Algorithm 6.2, the grad_table, freeing and accumulation."""
import gc
import sys
import threading

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import numerical_grad


def test_diamond_graph_sums_the_gradients_of_every_path():
    # x feeds a and b, which both feed y: dy/dx = dy/da da/dx + dy/db db/dx.
    x = ag.tensor(1.5, requires_grad=True)
    a = x * x
    b = ag.sin(x)
    y = a * b + a
    y.backward()
    expected = 2 * 1.5 * np.sin(1.5) + 1.5 ** 2 * np.cos(1.5) + 2 * 1.5
    np.testing.assert_allclose(x.grad.item(), expected, rtol=1e-12)


def test_node_consumed_many_times():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x + x + x * x + x * 3
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2 + 2 + 3, 2 + 4 + 3])


def test_backward_twice_accumulates_into_grad():
    x = ag.tensor([1.0, -2.0], requires_grad=True)
    (x * x).sum().backward()
    (3 * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2 + 3, -4 + 3])
    x.grad = None
    (3 * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])


def test_second_pass_over_a_freed_graph_raises_a_clear_error():
    x = ag.tensor(2.0, requires_grad=True)
    y = ag.exp(x) * x
    y.backward()
    with pytest.raises(RuntimeError, match=r"second time: the 'multiply' node's record \(its inputs and saved "
                                           r"values\) was freed.*retain_graph=True"):
        y.backward()


def test_the_second_pass_message_has_the_words_pytorchs_tests_match():
    # PyTorch's own tests (test_nn's test_Conv2d_backward_twice, test_autograd's) match these two phrases
    phrases = r"Trying to backward through the graph a second time.*Specify retain_graph=True"
    x = ag.tensor(2.0, requires_grad=True)
    y = ag.exp(x) * x
    y.backward()
    with pytest.raises(RuntimeError, match=phrases):
        y.backward()
    torch = pytest.importorskip("torch")
    tx = torch.tensor(2.0, requires_grad=True)
    ty = torch.exp(tx) * tx
    ty.backward()
    with pytest.raises(RuntimeError, match=phrases):
        ty.backward()


def test_a_hidden_state_carried_over_steps_is_refused_naming_detach():
    # min-char-rnn's hprev carried into the next step as the recorded Tensor: the step's backward reaches the
    # previous step's freed graph (PyTorch raises too); carrying hprev.detach() is the fix the message names
    W = ag.tensor([[0.5]], requires_grad=True)
    hidden = ag.zeros((1, 1))
    for step in range(2):
        hidden = ag.tanh(W @ hidden + 1.0)
        if step == 0:
            hidden.sum().backward()
    with pytest.raises(RuntimeError, match=r"retain_graph=True .* carry value\.detach\(\) instead"):
        hidden.sum().backward()
    hidden = ag.tanh(W @ hidden.detach() + 1.0)
    hidden.sum().backward()  # the fix: this step's graph alone
    assert W.grad is not None


def test_retain_graph_allows_a_second_pass():
    x = ag.tensor(2.0, requires_grad=True)
    y = ag.exp(x) * x
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.item(), 2 * (np.exp(2.0) * 3), rtol=1e-12)


def test_backprop_returns_grad_table_with_intermediates():
    x = ag.tensor(3.0, requires_grad=True)
    w = ag.tensor(2.0, requires_grad=True)
    h = x * w
    z = ag.tanh(h)
    out = z * z
    table = ag.backprop(out)
    assert set(table) == {x, w, h, z, out}
    dz = 2 * np.tanh(6.0)
    dh = dz * (1 - np.tanh(6.0) ** 2)
    np.testing.assert_allclose(float(table[out]), 1.0)
    np.testing.assert_allclose(float(table[z]), dz)
    np.testing.assert_allclose(float(table[h]), dh)
    np.testing.assert_allclose([float(table[x]), float(table[w])], [dh * 2.0, dh * 3.0])
    assert all(isinstance(g, ag.Tensor) for g in table.values())


def test_every_grad_table_entry_has_its_nodes_dtype():
    x = ag.tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    h = ag.exp(x)
    out = h.sum()
    table = ag.backprop(out)
    assert [table[n].dtype for n in (out, h, x)] == [np.float32] * 3  # the seed 1 too
    assert x.grad is None, "backprop returns the table; it must not fill .grad"


def test_backprop_seeds_the_outputs_entry_and_leaves_constant_inputs_out():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    c = ag.tensor([5.0, 5.0])
    y = x * c
    table = ag.backprop(y, gradient=np.array([1.0, -1.0]))
    np.testing.assert_array_equal(table[x].data, [5.0, -5.0])
    np.testing.assert_array_equal(table[y].data, [1.0, -1.0])
    assert c not in table


def test_backward_on_non_scalar_without_gradient_is_a_clear_error():
    y = ag.tensor([1.0, 2.0], requires_grad=True) * 2
    with pytest.raises(RuntimeError, match=r"gradient must be given.*shape \(2,\)"):
        y.backward()


@pytest.mark.parametrize("shape", [(1,), (1, 1)])
def test_backward_of_a_one_element_output_needs_no_gradient(shape):
    x = ag.tensor(np.full(shape, 2.0), requires_grad=True)
    y = x * 3.0
    assert ag.backprop(y, retain_graph=True)[y].shape == shape  # the seed 1 has the output's shape
    y.backward()
    np.testing.assert_array_equal(x.grad.data, np.full(shape, 3.0))


@pytest.mark.parametrize("shape", [(1,), (1, 1)])
def test_backward_of_a_one_element_output_matches_torch(shape):
    torch = pytest.importorskip("torch")
    x, tx = ag.tensor(np.full(shape, 2.0), requires_grad=True), torch.full(shape, 2.0, requires_grad=True)
    (x * 3.0).backward()
    (tx * 3.0).backward()
    np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())


def test_backward_with_gradient_of_wrong_shape_is_a_clear_error():
    y = ag.tensor([1.0, 2.0], requires_grad=True) * 2
    with pytest.raises(ValueError, match=r"gradient has shape \(3,\).*output has shape \(2,\)"):
        y.backward(np.ones(3))
    with pytest.raises(RuntimeError, match="gradient has shape"):  # PyTorch's class too ("Mismatch in shape")
        ag.autograd.grad(y, [y], grad_outputs=[np.ones(3)])


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("dtype, seed", [(np.float64, np.array([1, 2])), (np.float32, np.array([1.0, 2.0])),
                                         (np.float64, ag.tensor([1, 2])), (np.float32, np.array([1, 2], np.int32))],
                         ids=["int array", "float64 array", "int Tensor", "int32 array"])
def test_the_seed_is_cast_to_the_outputs_dtype_as_pytorch(dtype, seed, create_graph):
    x = ag.tensor(np.array([1.0, 2.0], dtype), requires_grad=True)
    y = x * 2
    y.retain_grad()
    y.backward(seed, create_graph=create_graph)
    assert y.grad.dtype == dtype and x.grad.dtype == dtype
    (x * 2).backward(seed)  # accumulates into a .grad of x's dtype (an int .grad made this a casting error)
    np.testing.assert_array_equal(x.grad.data, 4 * np.asarray(seed))
    with pytest.raises(TypeError, match=r"backward: gradient must be a Tensor, an array or a number, got array"):
        (x * 2).backward(np.array(["a", "b"]))
    with pytest.raises(TypeError, match=r"backward: gradient must be a Tensor, an array or a number, got 'x'"):
        (x * 2).backward("x")  # not "gradient has shape ()"


def test_backward_on_a_tensor_without_graph_is_a_clear_error():
    with pytest.raises(RuntimeError, match="does not require grad"):
        (ag.tensor(1.0) * 2).backward()


def test_non_scalar_backward_with_gradient_is_a_vector_jacobian_product():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    v = np.array([0.5, -1.0, 2.0])
    (x ** 2).backward(v)
    np.testing.assert_allclose(x.grad.data, 2 * x.data * v)


def test_leaf_grads_are_independent_arrays():
    # Two leaves whose gradients pass through the seed or a view must not share memory.
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    b = ag.tensor([3.0, 4.0], requires_grad=True)
    seed = np.ones(2)
    (a + b).backward(seed)
    assert not np.shares_memory(a.grad.data, b.grad.data)
    assert not np.shares_memory(a.grad.data, seed)
    a.grad.data[0] = 100.0
    assert b.grad.data[0] == 1.0 and seed[0] == 1.0


def test_leaves_handed_one_upstream_array_get_independent_grads():
    # add passes its upstream gradient on unchanged, so both leaves are handed the same array.
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    b = ag.tensor([3.0, 4.0], requires_grad=True)
    ((a + b) * 2.0).sum().backward()
    assert not np.shares_memory(a.grad.data, b.grad.data)
    (a * 3.0).sum().backward()  # accumulates into a.grad in place
    np.testing.assert_array_equal(a.grad.data, [5.0, 5.0])
    np.testing.assert_array_equal(b.grad.data, [2.0, 2.0])


def test_create_graph_gives_differentiable_grads():
    x = ag.tensor(1.3, requires_grad=True)
    y = x ** 3
    y.backward(create_graph=True)
    first = x.grad
    assert first.requires_grad
    np.testing.assert_allclose(first.item(), 3 * 1.3 ** 2)
    np.testing.assert_allclose(ag.backprop(first)[x].item(), 6 * 1.3)


def test_plain_backward_then_create_graph_backward_accumulates_a_differentiable_grad():
    # The recorded pass adds to a plain .grad: the sum is recorded, and its derivative is the recorded part's.
    x = ag.tensor([1.3, -0.7], requires_grad=True)
    (x ** 3).sum().backward()
    plain = x.grad
    (x ** 3).sum().backward(create_graph=True)
    assert x.grad.requires_grad and x.grad is not plain
    np.testing.assert_allclose(x.grad.data, 2 * 3 * x.data ** 2)
    np.testing.assert_allclose(plain.data, 3 * x.data ** 2)  # out of place, as PyTorch
    np.testing.assert_allclose(ag.backprop(x.grad.sum())[x].data, 6 * x.data)


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def test_plain_backward_then_create_graph_backward_matches_torch():
    torch = pytest.importorskip("torch")
    value = np.array([1.3, -0.7])
    x, tx = ag.tensor(value, requires_grad=True), torch.tensor(value, requires_grad=True)
    (x ** 3).sum().backward()
    (tx ** 3).sum().backward()
    (x ** 3).sum().backward(create_graph=True)
    (tx ** 3).sum().backward(create_graph=True)
    assert x.grad.requires_grad and tx.grad.requires_grad
    np.testing.assert_allclose(x.grad.data, tx.grad.detach().numpy(), rtol=1e-12)
    (expected,) = torch.autograd.grad(tx.grad.sum(), tx)
    np.testing.assert_allclose(ag.backprop(x.grad.sum())[x].data, expected.numpy(), rtol=1e-12)


def test_a_plain_backward_after_a_create_graph_one_leaves_the_recorded_grad_intact():
    # A recorded .grad may already feed a graph (a gradient penalty): the next plain pass adds out of
    # place, so that graph keeps its values. (PyTorch adds in place here, then refuses penalty's backward.)
    x = ag.tensor([1.3, -0.7], requires_grad=True)
    (x ** 3).sum().backward(create_graph=True)
    first = x.grad
    penalty = (first * first).sum()
    (x ** 3).sum().backward()
    np.testing.assert_allclose(x.grad.data, 2 * 3 * x.data ** 2)
    np.testing.assert_allclose(first.data, 3 * x.data ** 2)
    np.testing.assert_allclose(ag.backprop(penalty)[x].data, 2 * 3 * x.data ** 2 * 6 * x.data)


def _plain_backward_after_a_create_graph_one(lib, grad_enabled):
    """x.grad and h.grad (h = x * x retaining grad) made by backward(create_graph=True), then added into by a plain
    backward run under the given grad mode."""
    x = lib.tensor(np.array([1.3, -0.7]), requires_grad=True)  # float64 in both
    h = x * x
    h.retain_grad()
    (h ** 3).sum().backward(create_graph=True)
    y = (h * 1.0).sum()
    with lib.set_grad_enabled(grad_enabled):
        y.backward(retain_graph=True)  # (the first pass's recorded gradients go back through h's node)
    return x, h


@pytest.mark.parametrize("grad_enabled", [True, False])
def test_a_plain_backward_keeps_a_leafs_recorded_grad_recorded_whatever_the_grad_mode(grad_enabled):
    # The out-of-place sum into a recorded .grad was taken under the caller's mode, so under no_grad x.grad lost its
    # graph (requires_grad False). A leaf's stays recorded (PyTorch adds in place); an intermediate's retained
    # .grad is recorded only by a create_graph pass (PyTorch: .grad + new under the pass's mode), in either mode.
    x, h = _plain_backward_after_a_create_graph_one(ag, grad_enabled)
    assert x.grad.requires_grad and not h.grad.requires_grad
    np.testing.assert_allclose(h.grad.data, 3 * h.data ** 2 + 1.0)
    np.testing.assert_allclose(x.grad.data, 6 * x.data ** 5 + 2 * x.data)
    np.testing.assert_allclose(ag.backprop(x.grad.sum())[x].data, 30 * x.data ** 4)  # the first pass's 6x**5


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
@pytest.mark.parametrize("grad_enabled", [True, False])
def test_a_plain_backward_after_a_create_graph_one_records_the_grads_as_torch(grad_enabled):
    torch = pytest.importorskip("torch")
    ours, theirs = (_plain_backward_after_a_create_graph_one(lib, grad_enabled) for lib in (ag, torch))
    for mine, their in zip(ours, theirs):
        assert mine.grad.requires_grad == their.grad.requires_grad
        np.testing.assert_allclose(mine.grad.data, their.grad.detach().numpy(), rtol=1e-12)


def test_a_read_only_grad_assigned_by_the_user_still_accumulates():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    x.grad = ag.broadcast_to(ag.tensor(1.0), (2,))  # a read-only view: the sum cannot be written into it
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 5.0])


def test_create_graph_records_the_dependence_on_a_gradient_that_requires_grad():
    # x.grad = v * 2x is recorded in v as well as in x.
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    v = ag.tensor([3.0, -1.0], requires_grad=True)
    (x ** 2).backward(v, create_graph=True)
    np.testing.assert_array_equal(x.grad.data, [6.0, -4.0])
    table = ag.backprop(x.grad.sum())
    np.testing.assert_array_equal(table[v].data, 2 * x.data)
    np.testing.assert_array_equal(table[x].data, 2 * v.data)


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def test_create_graph_through_a_gradient_that_requires_grad_matches_torch():
    torch = pytest.importorskip("torch")
    x, v = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor([3.0, -1.0], requires_grad=True)
    tx, tv = torch.tensor([1.0, 2.0], requires_grad=True), torch.tensor([3.0, -1.0], requires_grad=True)
    (x ** 2).backward(v, create_graph=True)
    (tx ** 2).backward(tv, create_graph=True)
    table = ag.backprop(x.grad.sum())
    expected = torch.autograd.grad(tx.grad.sum(), (tx, tv))
    np.testing.assert_allclose(table[x].data, expected[0].numpy())
    np.testing.assert_allclose(table[v].data, expected[1].numpy())


def test_million_node_chain_under_the_default_recursion_limit():
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    was_enabled = gc.isenabled()
    gc.disable()  # nodes hold no cycles; the collector would only slow the build down
    try:
        x = ag.tensor(0.5, requires_grad=True)
        y = x
        for _ in range(1_000_000):
            y = y + 1.0
        y.backward()
        assert x.grad.item() == 1.0
        assert y.item() == 1_000_000.5
        del y  # freeing the chain must not recurse either
    finally:
        sys.setrecursionlimit(limit)
        if was_enabled:
            gc.enable()


def test_gradient_through_a_deep_chain_matches_finite_differences():
    def f(x):
        for _ in range(50):
            x = ag.sin(x) * 1.1 + 0.1
        return x.sum()

    x = ag.tensor([0.3, -0.2], requires_grad=True)
    f(x).backward()
    (expected,) = numerical_grad(f, x.data)
    np.testing.assert_allclose(x.grad.data, expected, rtol=1e-6, atol=1e-8)


def test_topological_order_puts_inputs_first():
    x = ag.tensor(1.0, requires_grad=True)
    a = x * 2
    b = a + x
    c = b * a
    order = ag.topological_order(c)
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for parent in node._parents:
            assert position[id(parent)] < position[id(node)]
    assert order[-1] is c and set(map(id, order)) == {id(x), id(a), id(b), id(c)}


def test_grad_of_unused_leaf_stays_none():
    x = ag.tensor(1.0, requires_grad=True)
    unused = ag.tensor(2.0, requires_grad=True)
    (x * 3).backward()
    assert unused.grad is None


# ---- random programs: nodes reused across paths, broadcasting, reductions kept in ----------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

from autograd_core.testing import gradcheck, gradgradcheck  # noqa: E402
from autograd_core.testing.strategies import broadcastable_shapes, elements  # noqa: E402

_UNARY = [ag.sin, ag.tanh, ag.sigmoid, ag.softplus, lambda t: t * t, lambda t: 0.5 - t,
          lambda t: ag.mean(t, axis=-1, keepdims=True) if t.ndim else t,
          lambda t: ag.logsumexp(t, axis=0, keepdims=True) if t.ndim else t]
_BINARY = [ag.add, ag.subtract, ag.multiply, lambda a, b: a / (1.5 + ag.sigmoid(b))]


@st.composite
def _programs(draw):
    shapes = draw(broadcastable_shapes(2, max_dims=2, max_side=3))
    inputs = [draw(hnp.arrays(np.float64, s, elements=elements(-2, 2))) for s in shapes]
    steps = []
    for k in range(draw(st.integers(1, 6))):
        available = 2 + k  # every earlier value may be used again: diamonds and fan-out
        if draw(st.booleans()):
            steps.append(("unary", draw(st.integers(0, len(_UNARY) - 1)), draw(st.integers(0, available - 1))))
        else:
            steps.append(("binary", draw(st.integers(0, len(_BINARY) - 1)),
                          draw(st.integers(0, available - 1)), draw(st.integers(0, available - 1))))
    return inputs, steps


def _run_program(steps):
    def f(a, b):
        values = [a, b]
        for step in steps:
            if step[0] == "unary":
                values.append(_UNARY[step[1]](values[step[2]]))
            else:
                values.append(_BINARY[step[1]](values[step[2]], values[step[3]]))
        return values[-1] + values[0] * 0.25 + values[1] * 0.5  # both inputs always reach the output
    return f


@settings(max_examples=30)
@given(_programs())
def test_random_programs_gradients_match_finite_differences(program):
    inputs, steps = program
    assert gradcheck(_run_program(steps), *inputs)


@settings(max_examples=10)
@given(_programs())
def test_random_programs_second_derivatives_match_finite_differences(program):
    inputs, steps = program
    assert gradgradcheck(_run_program(steps), *inputs)


@pytest.mark.parametrize("create_graph", [False, True], ids=["plain", "create_graph"])
@pytest.mark.parametrize("wrap", [np.asarray, ag.tensor], ids=["ndarray", "Tensor"])
@pytest.mark.parametrize("op", [lambda t: t.T, lambda t: t.reshape(3, 2), lambda t: t[::-1], lambda t: t * 1.0,
                                lambda t: ag.concatenate([t, t])[:2], lambda t: t + 0.0])
def test_leaf_grad_never_aliases_the_users_seed(op, wrap, create_graph):
    x = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    y = op(x)
    seed = wrap(np.ones(y.shape))
    y.backward(seed, create_graph=create_graph)
    values = np.asarray(seed)  # the seed's own memory (a Tensor's array, not a copy)
    before = x.grad.data.copy()
    values[...] = 100.0
    np.testing.assert_array_equal(x.grad.data, before)
    x.grad.data[...] = -1.0
    assert np.all(values == 100.0)


@pytest.mark.parametrize("create_graph", [False, True], ids=["plain", "create_graph"])
def test_leaves_given_the_same_gradient_get_grads_of_their_own(create_graph):
    a, b = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor([3.0, 4.0], requires_grad=True)
    (a + b).sum().backward(create_graph=create_graph)  # add hands the same cotangent to both
    assert a.grad is not b.grad and not np.shares_memory(a.grad.data, b.grad.data)
    (a * 1.0).sum().backward()  # accumulates into a.grad only (in place, when it is a plain value)
    np.testing.assert_array_equal(a.grad.data, [2.0, 2.0])
    np.testing.assert_array_equal(b.grad.data, [1.0, 1.0])


# ---- retain_grad: backward fills chosen intermediates' .grad too ------------------------------------


def test_backprops_errors_name_backprop_not_backward():
    with pytest.raises(RuntimeError, match=r"^backprop: the output does not require grad"):
        ag.backprop(ag.tensor(1.0))
    with pytest.raises(RuntimeError, match=r"^backprop: gradient must be given for a non-scalar output"):
        ag.backprop(ag.tensor([1.0, 2.0], requires_grad=True) * 2)
    with pytest.raises(RuntimeError, match=r"^backward: the output does not require grad"):
        ag.tensor(1.0).backward()


def test_a_complex_gradient_for_a_real_output_is_an_error_naming_both_dtypes():
    y = ag.tensor([1.0, 2.0], requires_grad=True) * 2
    with pytest.raises(TypeError, match=r"^backward: gradient has dtype complex128, but the output's is float64; give "
                                        r"a real gradient"):
        y.backward(np.array([1 + 1j, 1.0]))


def _accumulate_in_threads(size, threads, passes):
    w = ag.tensor(np.zeros(size), requires_grad=True)
    start = threading.Barrier(threads)

    def work():
        start.wait()
        for _ in range(passes):
            (w * 1.0).sum().backward()  # d/dw = 1 everywhere, added into w.grad

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return w.grad.data


def test_concurrent_backward_into_a_shared_leaf_loses_no_gradient_as_torch():
    # PyTorch: "concurrent backward calls ... accumulate into .grad" thread-safely (AccumulateGrad holds a mutex),
    # as Hogwild-style training on a shared model relies on. Each pass adds exactly 1 to every element, so the
    # sum is threads * passes (exact in float64). Large arrays: NumPy releases the GIL inside the in-place add.
    threads, passes = 4, 25
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        results = [_accumulate_in_threads(500_000, threads, passes) for _ in range(2)]
    finally:
        sys.setswitchinterval(interval)
    for grad in results:
        np.testing.assert_array_equal(grad, np.full(500_000, float(threads * passes)))


_CREATE_GRAPH_X0 = [0.5, -1.2, 2.0]


def _accumulated_twice_second_under_no_grad(lib):
    """x.grad after two create_graph backward passes, the second called inside the library's no_grad; then
    d(sum(x.grad))/dx through the accumulated gradient."""
    no_grad = ag.no_grad if lib is ag else lib.no_grad
    x = lib.tensor(_CREATE_GRAPH_X0, dtype=np.float64 if lib is ag else lib.float64, requires_grad=True)
    (x ** 3).sum().backward(create_graph=True)
    second = lib.sin(x).sum()
    with no_grad():
        second.backward(create_graph=True)  # create_graph records the pass whatever the caller's grad mode
    accumulated = x.grad
    if not accumulated.requires_grad:  # cut from the graph: nothing to differentiate
        return False, None
    x.grad = None
    accumulated.sum().backward()
    return True, np.asarray(x.grad.detach().numpy() if lib is not ag else x.grad.data)


def test_a_create_graph_backward_under_no_grad_accumulates_a_recorded_grad_as_pytorch():
    torch = pytest.importorskip("torch")
    theirs = _accumulated_twice_second_under_no_grad(torch)
    x = np.array(_CREATE_GRAPH_X0)
    assert theirs[0]
    np.testing.assert_allclose(theirs[1], 6 * x - np.sin(x), rtol=1e-12)  # the formula: d/dx (3x^2 + cos x)
    ours = _accumulated_twice_second_under_no_grad(ag)
    assert ours[0], "x.grad lost its graph: the accumulation was run under the caller's no_grad"
    np.testing.assert_allclose(ours[1], 6 * x - np.sin(x), rtol=1e-12)


def test_a_retained_intermediate_grad_accumulated_under_no_grad_with_create_graph_stays_recorded():
    torch = pytest.importorskip("torch")
    requires = []
    for lib, no_grad in ((torch, torch.no_grad), (ag, ag.no_grad)):
        x = lib.tensor(_CREATE_GRAPH_X0, requires_grad=True)
        h = x * 2.0
        h.retain_grad()
        y = (h ** 3).sum()
        y.backward(create_graph=True)
        with no_grad():
            y.backward(create_graph=True)
        requires.append(h.grad.requires_grad)
    assert requires == [True, True]


def _seeded_leaf_grads(lib):
    """(a + b).backward(v, create_graph=True) with a seed v that requires grad; then v zeroed in place under
    no_grad. Returns whether a.grad is v or b.grad, and a.grad's and b.grad's values afterwards. (torch also lets
    a.grad.zero_() run there; here a.grad is a recorded result, which is never changed in place: see README.)"""
    no_grad = ag.no_grad if lib is ag else lib.no_grad
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([3.0, 4.0], requires_grad=True)
    v = lib.tensor([0.5, -1.0], requires_grad=True)
    (a + b).backward(v, create_graph=True)
    aliased = a.grad is v or a.grad is b.grad
    with no_grad():
        v.zero_()
    values = [t.detach().numpy().copy() if lib is not ag else t.data.copy() for t in (a.grad, b.grad)]
    return aliased, values


def test_a_create_graph_backward_gives_each_leaf_a_grad_of_its_own_not_the_seed_tensor():
    torch = pytest.importorskip("torch")
    torch_aliased, (torch_a_grad, torch_b_grad) = _seeded_leaf_grads(torch)
    assert not torch_aliased
    np.testing.assert_array_equal(torch_a_grad, [0.5, -1.0])
    np.testing.assert_array_equal(torch_b_grad, [0.5, -1.0])
    aliased, (a_grad, b_grad) = _seeded_leaf_grads(ag)
    assert not aliased, "a.grad is the seed Tensor v (and b.grad) itself"
    np.testing.assert_array_equal(a_grad, [0.5, -1.0])  # zeroing the caller's seed must not change the .grads
    np.testing.assert_array_equal(b_grad, [0.5, -1.0])


@pytest.mark.parametrize("output", ["a", 3.0, np.ones(2)], ids=["str", "float", "ndarray"])
def test_backprop_of_what_is_no_tensor_is_a_type_error_naming_it(output):
    # (it said "the output does not require grad", a RuntimeError meant for a Tensor computed without gradients)
    with pytest.raises(TypeError, match=rf"^backprop: the output must be a Tensor .* got {type(output).__name__}"):
        ag.backprop(output)


def test_a_leaf_whose_flag_was_cleared_after_recording_gets_no_grad_as_torch():
    torch = pytest.importorskip("torch")
    tx = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    ty = (tx * tx).sum()
    tx.requires_grad_(False)
    ty.backward()
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    x.requires_grad = False
    y.backward()
    assert tx.grad is None
    assert x.grad is None


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")  # torch's, on its reference cycle
def test_a_create_graph_grad_does_not_save_the_seed_so_a_later_change_to_it_is_allowed_as_torch():
    # The first .grad of a leaf is a recorded copy of g (here the seed itself): its rule reads no values, so
    # changing the seed in place afterwards does not stop a backward through the .grad, as torch's clone.
    torch = pytest.importorskip("torch")
    tx = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    ts = torch.tensor([1.0, 3.0], dtype=torch.float64, requires_grad=True)
    (tx + 0.0).backward(ts, create_graph=True)
    with torch.no_grad():
        ts += 1
    tx.grad.sum().backward()
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    s = ag.tensor([1.0, 3.0], requires_grad=True)
    (x + 0.0).backward(s, create_graph=True)
    with ag.no_grad():
        s += 1
    x.grad.sum().backward()
    np.testing.assert_array_equal(s.grad.data, ts.grad.numpy())


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")  # torch's, on its reference cycle
@pytest.mark.parametrize("create_graph", [False, True])
def test_a_grad_taken_from_a_hooks_read_only_result_is_a_writable_copy_as_torch(create_graph):
    torch = pytest.importorskip("torch")
    tx = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    tr = torch.tensor([5.0, 7.0], dtype=torch.float64)
    tx.register_hook(lambda g: tr)
    (tx * 3).sum().backward(create_graph=create_graph)
    assert tx.grad.data_ptr() != tr.data_ptr()
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    replacement = ag.tensor([5.0, 7.0])
    replacement.data.flags.writeable = False
    x.register_hook(lambda g: replacement)
    (x * 3).sum().backward(create_graph=create_graph)
    np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())
    assert not np.shares_memory(x.grad.data, replacement.data)
    x.grad.data[0] = 0.0  # a write into .grad's array, as into torch's .grad
    assert x.grad.data.tolist() == [0.0, 7.0]


@pytest.mark.parametrize("run", [lambda y, **flags: y.backward(**flags), lambda y, **flags: ag.backprop(y, **flags)],
                         ids=["backward", "backprop"])
@pytest.mark.parametrize("flag", ["retain_graph", "create_graph"])
def test_text_for_retain_graph_or_create_graph_is_refused(run, flag):
    # "no" would read as True (a recorded backward pass); PyTorch reads it by its truth.
    x = ag.tensor(2.0, requires_grad=True)
    y = x * x
    with pytest.raises(TypeError, match=rf"{flag} must be True(, False or None| or False), got 'no'"):
        run(y, **{flag: "no"})
    run(y, retain_graph=None)  # PyTorch's default: retain the graph only with create_graph
    with pytest.raises(RuntimeError, match="freed"):
        run(y)
