"""Values changed in place under a recorded graph: backprop refuses to use them (version counts).

A node saves the versions of the inputs its gradient rule reads. Every change in place counts (in-place
operators, .data, optimizer steps, .grad accumulation), and a change through one Tensor counts for every
Tensor sharing its memory (views and detached copies), as PyTorch's shared version counters do.
"""
import copy
import gc
import pickle
import weakref

import numpy as np
import pytest

import autograd_core as ag
from conftest import backward_refused
from autograd_core.primitive import Primitive


# ---- parameters and results changed in place ----------------------------------------------------------
def _retained_square_sum():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (w ** 2).sum()
    y.backward(retain_graph=True)
    return w, y


_CHANGED = (r"backprop: a value the 'power' node saved for its gradient, an input \(shapes \(2,\)\), was changed in "
            r"place after the node was recorded")


def test_a_leaf_changed_in_place_after_recording_is_refused_as_in_pytorch():
    # The power node saved w's array; backward from it would use the new values: [0, 0] instead of [2, 4].
    w, y = _retained_square_sum()
    with ag.no_grad():
        w -= 0.5 * w.grad
    with pytest.raises(RuntimeError, match=_CHANGED):
        y.backward()


@pytest.mark.parametrize("change", [lambda w: w.data.__imul__(2.0), lambda w: w.data * 2.0],
                         ids=["in place", "a new array"])
def test_changes_through_data_are_refused(change):
    # Assigning .data, even a new array, is a change too: a create_graph pass would read the new one.
    w, y = _retained_square_sum()
    w.data = change(w)
    with pytest.raises(RuntimeError, match=_CHANGED):
        y.backward()


def test_backward_through_a_graph_whose_weights_an_optimizer_stepped_is_refused():
    # The GAN pattern: the discriminator's weights are stepped, then the generator's loss is backpropagated
    # through the discriminator's old forward pass. PyTorch raises here too.
    import nn

    generator, discriminator = nn.Linear(2, 2, rng=0), nn.Linear(2, 1, rng=1)
    score = discriminator(generator(np.ones((3, 2), dtype=np.float32))).sum()
    optimizer = nn.optim.SGD(discriminator.parameters(), lr=0.1)
    score.backward(retain_graph=True)
    optimizer.step()
    with pytest.raises(RuntimeError, match=r"the 'linear' node saved for its gradient, an input \(shapes \(3, 2\), "
                                           r"\(1, 2\), \(1,\)\), was changed in place"):
        score.backward()


@pytest.mark.parametrize("use", [lambda w: (w + 1).sum(), lambda w: -w.mean(), lambda w: ag.concatenate([w, w]).sum()],
                         ids=["add", "negative of mean", "concatenate"])
def test_operations_whose_gradient_reads_no_value_let_their_inputs_change_as_in_pytorch(use):
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    y = use(w)
    expected = ag.grad(use)(w.detach())
    with ag.no_grad():
        w -= 1.0
    y.backward()
    np.testing.assert_array_equal(w.grad.data, expected.data)


@pytest.mark.parametrize("view", [lambda w: w.T, lambda w: w.reshape(2, 1), lambda w: w[0:1]],
                         ids=["transpose", "reshape", "slice"])
def test_a_view_of_a_changed_leaf_is_caught_by_the_views_consumer_as_in_pytorch(view):
    # The view shares the leaf's memory, so the change is a new version of both (torch: one shared counter).
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    h = ag.tensor(3.0, requires_grad=True)
    y = (view(w) * h).sum()
    with ag.no_grad():
        w -= 1.0
    with pytest.raises(RuntimeError, match=r"the 'multiply' node saved for its gradient, an input \(shapes .*\), was "
                                           r"changed in place"):
        y.backward()


def test_a_recorded_results_data_assigned_is_refused_by_the_rule_reading_it():
    w = ag.tensor([0.0, 1.0], requires_grad=True)
    h = w.exp()  # exp's rule reads its output
    h.data = h.data + 1.0
    with pytest.raises(RuntimeError, match=r"the 'exp' node saved for its gradient, its output, was changed in place"):
        h.sum().backward()


# ---- inputs that do not require grad, views and detached copies ---------------------------------------
# Each scenario records y, changes something in place, and returns y; whether backward refuses is compared
# with the expectation and, when it is installed, with PyTorch. `lib` is autograd_core or torch.
def _constant_factor(lib):
    w, c = lib.tensor([1.0, 2.0], requires_grad=True), lib.tensor([3.0, 4.0])
    y = (w * c).sum()
    c += 1  # mul's rule reads c
    return y


def _constant_addend(lib):
    w, c = lib.tensor([1.0, 2.0], requires_grad=True), lib.tensor([3.0, 4.0])
    y = (w + c).sum()
    c += 1  # add's rule reads no value
    return y


def _where_condition(lib):
    w, cond = lib.tensor([1.0, 2.0], requires_grad=True), lib.tensor([True, False])
    y = lib.where(cond, w, lib.tensor(0.0, dtype=w.dtype)).sum()
    cond *= False  # where's rules read the condition
    return y


def _detached_copy_changed(lib):
    w = lib.tensor([1.0, 2.0], requires_grad=True)
    y = (w * w).sum()
    d = w.detach()
    d += 1  # w's memory
    return y


def _detached_copy_of_a_temporary_view_changed(lib):
    c, w = lib.tensor([3.0, 4.0]), lib.tensor([1.0, 2.0], requires_grad=True)
    y = (w * c).sum()
    d = c[0:1].detach()  # the view itself is gone at once; its memory is c's
    d += 1
    return y


def _view_changed_under_no_grad(lib):
    w = lib.tensor([1.0, 2.0], requires_grad=True)
    y = (w * w).sum()
    with lib.no_grad():
        first = w[0:1]
        first += 1
    return y


def _base_of_a_saved_view_changed(lib):
    c, w = lib.tensor([3.0, 4.0, 5.0]), lib.tensor([1.0, 2.0], requires_grad=True)
    y = (w * c[1:]).sum()  # saves the view
    c += 1
    return y


def _sibling_view_changed(lib):
    c, w = lib.tensor([3.0, 4.0, 5.0]), lib.tensor([1.0, 2.0], requires_grad=True)
    left, right = c[0:2], c[1:3]
    del c  # the views share memory with each other still
    y = (w * right).sum()
    left += 1  # right[0] too
    return y


def _detached_leaf_whose_source_an_optimizer_stepped(lib):
    w = lib.tensor([1.0, 2.0], requires_grad=True)
    x = w.detach().requires_grad_()
    y = (x * x).sum()
    with lib.no_grad():
        w -= 1
    return y


def _copy_made_by_fancy_indexing(lib):
    c, w = lib.tensor([3.0, 4.0]), lib.tensor([1.0, 2.0], requires_grad=True)
    y = (w * c[[1, 0]]).sum()  # a copy: c's changes are not its
    c += 1
    return y


def _grad_accumulated_in_place(lib):
    w, v = lib.tensor([1.0, 2.0], requires_grad=True), lib.tensor([1.0, 1.0], requires_grad=True)
    (w * w).sum().backward()
    y = (v * w.grad).sum()
    (w * w).sum().backward()  # adds into w.grad in place
    return y


def _item_assigned(lib):
    w, c = lib.tensor([1.0, 2.0], requires_grad=True), lib.tensor([3.0, 4.0])
    y = (w * c).sum()
    c[0] = 0.0
    return y


def _exp_input(lib):
    w = lib.tensor([1.0, 2.0], requires_grad=True)
    y = w.exp().sum()
    with lib.no_grad():
        w += 1  # exp's rule reads its output only
    return y


def _exp_output_through_a_detached_copy(lib):
    w = lib.tensor([1.0, 2.0], requires_grad=True)
    h = w.exp()
    d = h.detach()
    d += 1  # h's memory, which exp's rule reads
    return h.sum()


def _own_factor(lib):
    w, c = lib.tensor([1.0, 2.0], requires_grad=True), lib.tensor([3.0, 4.0])
    y = (w * c).sum()
    with lib.no_grad():
        w += 1  # the rule for w reads c only
    return y


def _both_factors_require_grad(lib):
    w, v = lib.tensor([1.0, 2.0], requires_grad=True), lib.tensor([3.0, 4.0], requires_grad=True)
    y = (w * v).sum()
    with lib.no_grad():
        w += 1  # v's rule reads w
    return y


def _where_branch(lib):
    w, c, cond = lib.tensor([1.0, 2.0], requires_grad=True), lib.tensor([3.0, 4.0]), lib.tensor([True, False])
    y = lib.where(cond, c, w).sum()
    c += 1  # where's rules read the condition only
    return y


def _matmul_output_through_a_detached_copy(lib):
    a, b = lib.tensor([[1.0, 2.0]], requires_grad=True), lib.tensor([[3.0], [4.0]], requires_grad=True)
    h = a @ b
    d = h.detach()
    d -= 1  # matmul's rules read its inputs, not its output
    return h.sum()


def _log_input(lib):
    w = lib.tensor([1.0, 2.0], requires_grad=True)
    y = w.log().sum()
    with lib.no_grad():
        w += 1  # log's rule reads its input
    return y


def _relu_output_through_a_detached_copy(lib):
    w = lib.tensor([-1.0, 2.0], requires_grad=True)
    h = lib.relu(w)
    d = h.detach()
    d -= 5.0  # h's memory: relu's rule reads its output (PyTorch saves the result)
    return h.sum()


def _constant_divisor(lib):
    w, c = lib.tensor([1.0, 2.0], requires_grad=True), lib.tensor([4.0, 8.0])
    y = (w / c).sum()
    c += 1  # the rule for w reads c
    return y


_SCENARIOS = {  # name: (scenario, refused)
    "a constant factor": (_constant_factor, True),
    "a constant addend": (_constant_addend, False),
    "a where condition": (_where_condition, True),
    "a detached copy": (_detached_copy_changed, True),
    "a detached copy of a temporary view": (_detached_copy_of_a_temporary_view_changed, True),
    "a view changed under no_grad": (_view_changed_under_no_grad, True),
    "the base of a saved view": (_base_of_a_saved_view_changed, True),
    "a sibling view": (_sibling_view_changed, True),
    "the source of a detached leaf": (_detached_leaf_whose_source_an_optimizer_stepped, True),
    "the source of a fancy-indexing copy": (_copy_made_by_fancy_indexing, False),
    "a .grad accumulated into": (_grad_accumulated_in_place, True),
    "an item assigned": (_item_assigned, True),
    "exp's input": (_exp_input, False),
    "exp's output through a detached copy": (_exp_output_through_a_detached_copy, True),
    "a factor whose own rule does not read it": (_own_factor, False),
    "a factor the other factor's rule reads": (_both_factors_require_grad, True),
    "a where branch": (_where_branch, False),
    "matmul's output through a detached copy": (_matmul_output_through_a_detached_copy, False),
    "log's input": (_log_input, True),
    "relu's output through a detached copy": (_relu_output_through_a_detached_copy, True),
    "a constant divisor": (_constant_divisor, True),
}


@pytest.mark.parametrize("name", _SCENARIOS)
def test_a_value_changed_in_place_after_recording_is_refused_exactly_when_the_rule_reads_it(name):
    scenario, refused = _SCENARIOS[name]
    assert backward_refused(scenario(ag)) == refused


@pytest.mark.parametrize("name", _SCENARIOS)
def test_the_refusals_are_pytorchs(name):
    torch = pytest.importorskip("torch")
    scenario, refused = _SCENARIOS[name]
    assert backward_refused(scenario(torch)) == refused


def test_a_change_the_rule_does_not_read_leaves_the_gradient_right():
    for scenario, expected in ((_constant_addend, [1.0, 1.0]), (_copy_made_by_fancy_indexing, [4.0, 3.0]),
                               (_exp_input, np.exp([1.0, 2.0])), (_own_factor, [3.0, 4.0]), (_where_branch, [0.0, 1.0])):
        y = scenario(ag)
        (w,) = [t for t in _leaves(y) if t.requires_grad]
        y.backward()
        np.testing.assert_allclose(w.grad.data, expected, rtol=1e-15)


def _leaves(y):
    seen, stack = [], [y]
    while stack:
        node = stack.pop()
        if node._op is None:
            seen.append(node)
        stack.extend(node._parents)
    return seen


def test_the_error_names_an_input_that_does_not_require_grad_and_its_shape():
    with pytest.raises(RuntimeError, match=r"the 'multiply' node saved for its gradient, an input that does not "
                                           r"require grad \(shape \(2,\)\), was changed in place"):
        _constant_factor(ag).backward()


def test_a_detached_copy_does_not_keep_the_graph_alive():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    loss = (w * w).sum()
    detached, probe = loss.detach(), weakref.ref(loss)
    del loss
    gc.collect()
    assert probe() is None, "the detached copy holds its source weakly"
    assert detached.item() == 5.0


def test_views_taken_in_a_loop_do_not_pile_up_in_the_shared_memory():
    w = ag.tensor(np.ones((4, 3)))
    for _ in range(1000):
        for row in w:  # each row a view, dropped at once
            pass
    assert len(w._memory.members) < 40
    with ag.no_grad():
        kept = [w[i] for i in range(4)]
        kept[0] += 1
    assert [t._version for t in [w] + kept] == [1] * 5, "every live view saw the change"


def test_replacing_data_ends_the_sharing():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    with ag.no_grad():
        old_view = w[0:1]
    w.data = np.array([5.0, 6.0])
    y = (w * w).sum()
    with ag.no_grad():  # (while recording, a view taken under no_grad is refused, as PyTorch's)
        old_view += 1  # the old array: nothing y saved
    y.backward()
    np.testing.assert_array_equal(w.grad.data, [10.0, 12.0])
    assert w.data[0] == 5.0


def test_zero_grad_without_none_counts_a_change_of_the_grad():
    import nn

    layer = nn.Linear(2, 1, rng=0)
    layer(np.ones((1, 2), dtype=np.float32)).sum().backward()
    v = ag.tensor(np.ones((1, 2), dtype=np.float32), requires_grad=True)
    y = (v * layer.weight.grad).sum()
    layer.zero_grad(set_to_none=False)
    with pytest.raises(RuntimeError, match="an input that does not require grad"):
        y.backward()


@pytest.mark.parametrize("duplicate", [copy.deepcopy, lambda t: pickle.loads(pickle.dumps(t))],
                         ids=["deepcopy", "pickle"])
def test_a_deep_copy_of_a_tensor_sharing_memory_has_its_own_count(duplicate):
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    view = w[0:1]
    twin = duplicate(w)
    y = (twin * twin).sum()
    with ag.no_grad():
        twin += 1
    assert (w._version, view._version) == (0, 0), "the copy's memory is its own"
    with pytest.raises(RuntimeError, match="was changed in place"):
        y.backward()


@pytest.mark.parametrize("duplicate", [copy.deepcopy, lambda t: pickle.loads(pickle.dumps(t))],
                         ids=["deepcopy", "pickle"])
def test_copies_of_a_tensor_and_its_detached_twin_have_memory_of_their_own(duplicate):
    # detach() held the very array, so the copies shared one array, counted apart: a silent wrong gradient.
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    twin, detached = duplicate([w, w.detach()])
    y = (twin * twin).sum()
    detached += 10
    y.backward()
    np.testing.assert_array_equal(twin.grad.data, [2.0, 4.0])


def test_copy_copy_shares_memory_counted_for_both_but_not_grad_or_hooks():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    w.register_hook(lambda g: g * 1)
    (w * w).sum().backward()
    twin = copy.copy(w)
    assert twin.requires_grad and twin.grad is None and np.shares_memory(twin.data, w.data)
    twin.register_hook(lambda g: g * 100)  # not w's
    (twin * 1).sum().backward()
    np.testing.assert_array_equal(w.grad.data, [2.0, 4.0])  # the twin's pass added into w.grad in place before
    np.testing.assert_array_equal(twin.grad.data, [100.0, 100.0])
    y = (w * w).sum()
    with ag.no_grad():
        twin += 1
    with pytest.raises(RuntimeError, match="was changed in place"):
        y.backward()


def test_a_deep_copy_carries_no_hooks_as_in_pytorch():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    w.register_hook(lambda g: g * 10)
    twin = copy.deepcopy(w)
    twin.register_hook(lambda g: g)  # registering one woke the copied ones up
    (twin * twin).sum().backward()
    np.testing.assert_array_equal(twin.grad.data, [2.0, 4.0])


# ---- values a rule reads at backward that are not inputs: copied when recorded ---------------------------
def test_an_index_tensor_changed_after_recording_leaves_the_forward_passs_gradient():
    w = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    index, mask = ag.tensor([0, 0]), ag.tensor([True, False, True])
    y = (w[index] * ag.tensor([1.0, 10.0])).sum() + (w[mask] * ag.tensor([100.0, 1000.0])).sum()
    index[1] = 2
    mask[1], mask[2] = True, False
    y.backward()
    np.testing.assert_array_equal(w.grad.data, [111.0, 0.0, 1000.0])


def test_nll_loss_targets_and_weights_changed_after_recording_leave_the_forward_passs_gradient():
    log_probs = ag.tensor(np.log(np.full((2, 3), 1 / 3)), requires_grad=True)
    target, weight = ag.tensor([0, 1]), ag.tensor([1.0, 2.0])
    loss = ag.nll_loss(log_probs, target, sample_weight=weight, reduction="sum")
    target[0] = 2
    weight *= 5.0
    loss.backward()
    np.testing.assert_array_equal(log_probs.grad.data, [[-1.0, 0.0, 0.0], [0.0, -2.0, 0.0]])


def test_a_clip_bound_changed_after_recording_makes_backward_refuse_as_torch():
    # clip's rule reads a Tensor bound (where x ties it); torch.clamp saves it and refuses the same way.
    w, low = ag.tensor([0.5, 1.5, 2.5], requires_grad=True), ag.tensor([1.0, 1.0, 1.0])
    y = w.clip(low, None).sum()
    low -= 1.0
    with pytest.raises(RuntimeError, match=r"the 'clip' node saved for its gradient, an input that does not require "
                                           r"grad \(shape \(3,\)\), was changed in place"):
        y.backward()


def test_a_detached_copy_of_a_reduction_shares_its_memory():
    w, v = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor(1.0, requires_grad=True)
    s = (w * w).sum()
    d = s.detach()
    d += 10.0
    (s * v).backward()
    assert s.item() == 15.0 and v.grad.item() == 15.0  # as PyTorch's


def test_a_view_of_a_reductions_result_shares_its_memory():
    w, v = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor(1.0, requires_grad=True)
    s = (w * w).sum()
    y = s * v  # v's rule reads s
    with ag.no_grad():
        lifted = s[None]
        lifted += 10.0
    assert s.item() == 15.0
    with pytest.raises(RuntimeError, match="was changed in place"):
        y.backward()


# ---- found by review: create_graph, freeing, nn's targets, the message ---------------------------------
@pytest.mark.parametrize("op", ["multiply", "where"])
def test_a_constant_changed_after_a_create_graph_pass_refuses_the_second_pass(op):
    x, v = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor([1.0, 1.0], requires_grad=True)
    c = ag.tensor([3.0, 4.0]) if op == "multiply" else ag.tensor([True, False])
    y = x * c if op == "multiply" else ag.where(c, x, 0.0)
    y.backward(v, create_graph=True)  # x.grad = v * c, recorded: it reads c
    with ag.no_grad():
        c[...] = 0 if op == "multiply" else True
    with pytest.raises(RuntimeError, match="an input that does not require grad .* was changed in place"):
        x.grad.sum().backward()


def test_backward_frees_the_constants_a_node_saved_the_versions_of():
    x, c = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor(np.ones(2))
    y = x * c
    y.sum().backward()
    probe = weakref.ref(c)
    del c
    gc.collect()
    assert probe() is None, "y, still held, no longer keeps c alive"
    assert y.shape == (2,)


@pytest.mark.parametrize("loss", ["binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy"])
def test_nn_loss_targets_and_weights_changed_after_recording_leave_the_forward_passs_gradient(loss):
    import nn

    def run(change):
        x = ag.tensor([[0.3, 0.6]], requires_grad=True)
        target, weight = ag.tensor([[1.0, 0.0]]), ag.tensor([[2.0, 1.0]])
        kwargs = {"weight": weight[0]} if loss == "cross_entropy" else {"weight": weight}
        value = getattr(nn.functional, loss)(x, target, **kwargs)
        if change:
            target[...] = ag.tensor([[0.0, 1.0]])
            weight *= 3.0
        value.backward()
        return x.grad.data

    np.testing.assert_array_equal(run(change=True), run(change=False))


def test_the_error_names_what_changed_not_an_output_the_rule_does_not_read():
    x, c = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor([3.0, 4.0])
    y = x * c
    y.detach().zero_()  # multiply's rules do not read its output
    c += 1
    with pytest.raises(RuntimeError, match=r"'multiply' node saved for its gradient, an input that does not require "
                                           r"grad \(shape \(2,\)\), was changed in place .*item assignment"):
        y.sum().backward()


def test_copy_copy_keeps_a_subclasss_attributes():
    class Tagged(ag.Tensor):
        __slots__ = ("tag",)

    tagged = Tagged([1.0])
    tagged.tag = "x"
    twin = copy.copy(tagged)
    assert type(twin) is Tagged and twin.tag == "x"


def test_copy_copy_copies_a_subclasss_dict_and_private_slots():
    class Private(ag.Tensor):
        __slots__ = ("__secret",)  # the __dict__ is Tensor's own (a subclass may not declare it again, as in PyTorch)

        def set(self, value):
            self.__secret = value

        def get(self):
            return self.__secret

    original = Private([1.0])
    original.set(5)
    original.extra = 2
    twin = copy.copy(original)
    twin.extra = 99
    assert twin.get() == 5 and original.extra == 2 and twin.__dict__ is not original.__dict__


@pytest.mark.parametrize("shared", [False, True], ids=["alone", "with-a-detached-copy"])
@pytest.mark.parametrize("change", ["new array", "in place"])
def test_changing_a_leafs_data_is_a_new_version_that_recorded_graphs_refuse(change, shared):
    # backprop's contract: `.data -=` (and a new .data) counts as a change, so a graph that saved the old value refuses
    # rather than give gradients of values its forward pass never saw; whether or not a copy shares its memory.
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    copy = w.detach() if shared else None
    loss = (w * w).sum()
    if change == "new array":
        w.data = w.data - 1.0
    else:
        w.data -= 1.0
    with pytest.raises(RuntimeError, match="changed in place"):
        loss.backward()
    if shared:  # a new array ends the sharing; a change in place is the copy's too
        np.testing.assert_array_equal(copy.data, [1.0, 2.0] if change == "new array" else [0.0, 1.0])


# ---- found by mutation testing -------------------------------------------------------------------------------------
def test_a_partial_pass_leaves_a_constant_that_only_rules_it_does_not_run_read():
    # linear(c, w, b) with c a constant: w's rule reads c, b's rule reads nothing. ag.grad in b runs b's rule only,
    # so a change to c after recording is not refused, and b's gradient is the forward pass's (ones, a formula).
    c, w = ag.tensor([[3.0, 4.0]]), ag.tensor([[1.0, 2.0]], requires_grad=True)

    def f(b):
        y = ag.linear(c, w, b).sum()
        with ag.no_grad():
            c[...] = 0.0
        return y

    np.testing.assert_array_equal(ag.grad(f)(ag.tensor([0.5])).data, [1.0])


def test_a_constant_changed_under_a_rule_that_reads_every_value_is_refused():
    # A primitive declaring nothing (reads_values=True, the safe default) reads all its inputs: a constant factor
    # changed in place after recording is refused, as PyTorch refuses a saved tensor changed in place.
    scale = Primitive("scale", lambda x, c: x * c, (lambda g, ans, x, c: g * c, None))
    x, c = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor([3.0, 4.0])
    y = scale(x, c).sum()
    with ag.no_grad():
        c += 1.0
    with pytest.raises(RuntimeError, match=r"the 'scale' node saved for its gradient, an input that does not "
                                           r"require grad \(shape \(2,\)\), was changed in place"):
        y.backward()


def test_a_result_changed_under_a_rule_that_reads_every_value_is_refused():
    # reads_values=True, the default, covers the result too: its memory changed through a detached copy after
    # recording is refused (as PyTorch refuses a saved output changed in place, exp's say).
    square = Primitive("square", lambda x: x * x, (lambda g, ans, x: 2 * g * x,))
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = square(x)
    d = h.detach()  # h's memory
    d *= 2.0
    with pytest.raises(RuntimeError, match=r"the 'square' node saved for its gradient, its output, was changed"):
        h.sum().backward()


# Found by porting PyTorch's test_autograd.py (test_version_counter): a view or detached copy of a Tensor already
# changed in place started its own count at 0, where PyTorch's shares the base's counter.
@pytest.mark.parametrize("take", [lambda x: x[:], lambda x: x.view(2), lambda x: x.T, lambda x: x[0],
                                  lambda x: x.detach()], ids=["slice", "view", "T", "element", "detach"])
def test_a_view_or_detached_copy_starts_at_its_bases_version_as_pytorch(take):
    torch = pytest.importorskip("torch")
    x, expected = ag.tensor([[1.0, 2.0]]), torch.tensor([[1.0, 2.0]])
    x.add_(1).add_(1)
    expected.add_(1).add_(1)
    view, expected_view = take(x), take(expected)
    assert (x._version, view._version) == (expected._version, expected_view._version) == (2, 2)
    view.add_(1)
    expected_view.add_(1)
    assert (x._version, view._version) == (expected._version, expected_view._version) == (3, 3)
