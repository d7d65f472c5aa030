"""identity_with_grad_hook (autograd_core/grad_hook_identity.py): Tensors passed through unchanged, whose gradients
reach one hook together, which may replace them."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck


def _recording(log, result=None):
    def hook(grads):
        log.append([None if g is None else g.numpy().copy() for g in grads])
        return result(grads) if result is not None else None
    return hook


def test_the_results_are_the_same_values_and_memory_and_other_items_come_back_as_they_are():
    x, c = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor([5.0])
    x2, number, c2, array = ag.identity_with_grad_hook((x, 3, c, np.ones(2)), lambda grads: None)
    assert x2 is not x and x2.requires_grad and np.shares_memory(x2.data, x.data)
    np.testing.assert_array_equal(x2.data, x.data)
    assert number == 3 and c2 is c and isinstance(array, np.ndarray)
    with ag.no_grad():  # a change in place to the original is a new version of the identity too
        x += 1
    assert x2._version == x._version == 1


def test_the_hook_gets_every_gradient_at_once_none_where_there_is_none():
    x, w, unused = (ag.tensor(v, requires_grad=True) for v in ([1.0, 2.0], 3.0, [4.0]))
    log = []
    x2, number, w2, unused2 = ag.identity_with_grad_hook((x, 7, w, unused), _recording(log))
    (x2 * w2).sum().backward()
    assert len(log) == 1  # once, for the three identities together
    gx, g_number, gw, g_unused = log[0]
    np.testing.assert_array_equal(gx, [3.0, 3.0])  # d(sum(x*w))/dx = w
    assert g_number is None and g_unused is None and float(gw) == 3.0  # d/dw = sum(x)
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0])
    assert float(w.grad) == 3.0 and unused.grad is None


def test_a_returned_tuple_replaces_the_gradients_none_dropping_one():
    x, w = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor(3.0, requires_grad=True)
    x2, w2 = ag.identity_with_grad_hook((x, w), lambda grads: [grads[0] * 10, None])
    (x2 * w2 + x2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [40.0, 40.0])  # (w + 1) * 10
    assert w.grad is None


def test_replacements_flow_on_to_what_the_inputs_came_from():
    # the gradient of x flows through x2's hook on to a = 2 * x: a chain rule with the hook's factor in it
    a = ag.tensor([1.0, -1.0], requires_grad=True)
    (x2,) = ag.identity_with_grad_hook((2 * a,), lambda grads: (3 * grads[0],))
    (x2 ** 2).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), 3 * 2 * (2 * 2 * np.array([1.0, -1.0])))


def test_each_backward_pass_calls_the_hook_once_and_an_error_in_one_leaves_the_next_right():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    log = []
    calls = iter([ValueError("stop"), None, None])

    def hook(grads):
        log.append(grads[0].numpy().copy())
        error = next(calls)
        if error:
            raise error

    (x2,) = ag.identity_with_grad_hook((x,), hook)
    y = (x2 * x2).sum()
    with pytest.raises(ValueError, match="stop"):
        y.backward(retain_graph=True)
    y.backward(retain_graph=True)
    y.backward()
    assert len(log) == 3
    np.testing.assert_array_equal(x.grad.numpy(), 2 * 2 * np.array([1.0, 2.0]))  # the failed pass added nothing


def test_gradients_kept_by_a_pass_that_failed_before_the_hook_are_not_given_to_the_next():
    x, w = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor(3.0, requires_grad=True)
    log = []
    x2, w2 = ag.identity_with_grad_hook((x, w), _recording(log))
    failures = [ZeroDivisionError]

    def fail_once(grad):  # runs after w2's gradient was kept (x2 was recorded first: it is visited later)
        if failures:
            raise failures.pop()

    x2.register_hook(fail_once)
    with pytest.raises(ZeroDivisionError):
        (x2 * w2).sum().backward(retain_graph=True)
    x2.sum().backward()  # only x2's gradient this time
    assert len(log) == 1 and log[0][1] is None
    np.testing.assert_array_equal(log[0][0], [1.0, 1.0])


def test_a_pass_that_does_not_go_through_the_identities_does_not_call_the_hook():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    log = []
    (x2,) = ag.identity_with_grad_hook((x,), _recording(log))
    y = ag.exp(x2)
    (gy,) = ag.autograd.grad(y.sum(), y, retain_graph=True)  # wanted: y only, behind the identity's junction
    assert log == []
    np.testing.assert_array_equal(gy.numpy(), [1.0, 1.0])
    (gx,) = ag.autograd.grad(y.sum(), x)
    assert len(log) == 1
    np.testing.assert_allclose(gx.numpy(), np.exp([1.0, 2.0]))


def test_under_create_graph_the_hook_is_recorded_and_differentiated_again():
    # f(x) = sum(x**3) through an identity whose hook squares the gradient: df = (3x**2)**2 = 9x**4. The second
    # pass differentiates that recorded square, 36x**3, which reaches x through the identity again, whose hook
    # squares it too (as PyTorch's module hooks fire again in a double backward through the forward graph).
    def f(x):
        (x2,) = ag.identity_with_grad_hook((x,), lambda grads: (grads[0] * grads[0],))
        return (x2 ** 3).sum()

    x = np.array([1.0, 2.0])
    np.testing.assert_allclose(ag.grad(f)(x).numpy(), 9 * x ** 4)
    np.testing.assert_allclose(ag.grad(lambda x: ag.grad(f)(x).sum())(x).numpy(), (36 * x ** 3) ** 2)
    seen = []
    t = ag.tensor(x, requires_grad=True)
    (t2,) = ag.identity_with_grad_hook((t,), lambda grads: seen.append((grads[0].requires_grad, ag.is_grad_enabled())))
    (t2 ** 2).sum().backward(create_graph=True)
    (t2 ** 2).sum().backward()
    assert seen == [(True, True), (False, False)]


def test_a_hook_passing_the_gradients_on_changes_no_derivative():
    def f(x, w):
        x2, w2 = ag.identity_with_grad_hook((x, w), lambda grads: None)
        return ag.tanh(x2 @ w2).sum()

    rng = np.random.default_rng(0)
    assert gradcheck(f, rng.standard_normal((3, 2)), rng.standard_normal(2))


def test_what_the_hook_is_given_or_returns_does_not_become_a_grad_added_into_later():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    kept, returned = [], ag.tensor([5.0, 5.0])
    for result in (None, (returned,)):
        x.grad = None
        (x2,) = ag.identity_with_grad_hook((x,), lambda grads: kept.append(grads[0]) or result)
        (2 * x2).sum().backward()
        (2 * x).sum().backward()  # adds into x.grad in place
    np.testing.assert_array_equal(kept[0].numpy(), [2.0, 2.0])
    np.testing.assert_array_equal(returned.numpy(), [5.0, 5.0])
    np.testing.assert_array_equal(x.grad.numpy(), [7.0, 7.0])


def test_a_replacement_is_cast_to_the_tensors_dtype():
    x = ag.tensor([1.0, 2.0], dtype=np.float32, requires_grad=True)
    (x2,) = ag.identity_with_grad_hook((x,), lambda grads: (np.array([1, 2]),))
    x2.sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 2.0])


def test_without_grad_mode_or_any_tensor_requiring_grad_nothing_is_hooked():
    x = ag.tensor([1.0], requires_grad=True)
    with ag.no_grad():
        (same,) = ag.identity_with_grad_hook((x,), print)
    assert same is x
    c = ag.tensor([1.0])
    assert ag.identity_with_grad_hook([c, 2], print) == (c, 2)


@pytest.mark.parametrize("result, error, message", [
    (lambda grads: grads[0], TypeError, r"must return None or a tuple of 1 gradient\(s\).*got a Tensor"),
    (lambda grads: (grads[0], grads[0]), TypeError, "got 2 entries"),
    (lambda grads: (ag.ones(3),), ValueError, r"entry 0, a gradient of shape \(3,\) for a Tensor of shape \(2,\)"),
    (lambda grads: (np.array(["a", "b"]),), TypeError, "entry 0, a gradient of dtype <U1"),
])
def test_a_bad_replacement_is_refused_naming_the_entry(result, error, message):
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    (x2,) = ag.identity_with_grad_hook((x,), result, name="my hook")
    with pytest.raises(error, match=f"my hook .*{message}"):
        x2.sum().backward()


def test_bad_arguments_are_refused():
    x = ag.tensor([1.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"identity_with_grad_hook: tensors must be a tuple or list.*pass \(t,\)"):
        ag.identity_with_grad_hook(x, print)
    with pytest.raises(TypeError, match="identity_with_grad_hook: the hook must be callable, got str"):
        ag.identity_with_grad_hook((x,), "print")


def test_against_pytorch_a_custom_function_with_the_same_hook():
    torch = pytest.importorskip("torch")

    class Through(torch.autograd.Function):  # torch's counterpart: an identity over several Tensors
        @staticmethod
        def forward(ctx, *args):
            return tuple(a.view_as(a) for a in args)

        @staticmethod
        def backward(ctx, *grads):
            return grads[0] * 2, grads[1] - 1

    rng = np.random.default_rng(1)
    a, b = rng.standard_normal(3), rng.standard_normal(3)
    ta, tb = (torch.tensor(v, requires_grad=True) for v in (a, b))
    ua, ub = Through.apply(ta, tb)
    (torch.sin(ua) * ub).sum().backward()
    xa, xb = (ag.tensor(v, requires_grad=True) for v in (a, b))
    va, vb = ag.identity_with_grad_hook((xa, xb), lambda grads: (grads[0] * 2, grads[1] - 1))
    (ag.sin(va) * vb).sum().backward()
    np.testing.assert_allclose(xa.grad.numpy(), ta.grad.numpy())
    np.testing.assert_allclose(xb.grad.numpy(), tb.grad.numpy())
    np.testing.assert_allclose(xa.grad.numpy(), 2 * np.cos(a) * b)  # and by hand
