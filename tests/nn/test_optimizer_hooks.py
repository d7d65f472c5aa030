"""nn.optim's state-dict hooks (register_state_dict_pre_hook / _post_hook, register_load_state_dict_pre_hook /
_post_hook), as torch.optim.Optimizer's (test_optim's test_state_dict_pre_hook, test_state_dict_post_hook,
test_load_state_dict_pre_hook, test_load_state_dict_post_hook): the order they run in, a dict returned replacing the
state dict, prepend=, removal; against torch where installed."""
import pytest

import autograd_core as ag
import nn
from nn import optim


def _hooked(library, make_param, prepend):
    """The calls each hook saw (in order) through a state_dict() and a load_state_dict() of an SGD with momentum after
    a step, the post hook adding a key and the load pre hook changing lr; also the lr loaded and the added key."""
    weight = make_param([1.0, 2.0])
    opt = library.optim.SGD([weight], lr=0.1, momentum=0.9)
    (weight * weight).sum().backward()
    opt.step()
    seen = []
    opt.register_state_dict_pre_hook(lambda o: seen.append(("state_dict pre", o is opt)))
    opt.register_state_dict_pre_hook(lambda o: seen.append(("state_dict pre, prepended", o is opt)),
                                     prepend=prepend)

    def post(o, state):
        seen.append(("state_dict post", sorted(state)))
        return {**state, "extra": 7}

    def load_pre(o, state):
        seen.append(("load pre", sorted(state)))
        state["param_groups"][0]["lr"] = 0.5
        return state
    opt.register_state_dict_post_hook(post)
    opt.register_load_state_dict_pre_hook(load_pre)
    opt.register_load_state_dict_post_hook(lambda o: seen.append(("load post", o.param_groups[0]["lr"])))
    state = opt.state_dict()
    extra = state.pop("extra")
    opt.load_state_dict(state)
    return seen, opt.param_groups[0]["lr"], extra


@pytest.mark.parametrize("prepend", [False, True])
def test_state_dict_hooks_run_in_order_and_may_replace_the_dict(prepend):
    seen, lr, extra = _hooked(nn, lambda v: ag.tensor(v, requires_grad=True), prepend)
    pre = [("state_dict pre", True), ("state_dict pre, prepended", True)]
    assert seen == (pre[::-1] if prepend else pre) + [("state_dict post", ["param_groups", "state"]),
                                                      ("load pre", ["param_groups", "state"]), ("load post", 0.5)]
    assert lr == 0.5 and extra == 7


@pytest.mark.parametrize("prepend", [False, True])
def test_state_dict_hooks_equal_pytorchs(prepend):
    torch = pytest.importorskip("torch")
    assert _hooked(nn, lambda v: ag.tensor(v, requires_grad=True), prepend) == \
        _hooked(torch, lambda v: torch.tensor(v, requires_grad=True), prepend)


def test_a_removed_hook_no_longer_runs_and_bad_hooks_are_refused():
    weight = ag.tensor([1.0], requires_grad=True)
    opt = optim.Adam([weight])
    seen = []
    handle = opt.register_load_state_dict_post_hook(lambda o: seen.append("post"))
    opt.load_state_dict(opt.state_dict())
    handle.remove()
    opt.load_state_dict(opt.state_dict())
    assert seen == ["post"]
    with opt.register_state_dict_pre_hook(lambda o: seen.append("pre")):  # a handle is a context manager too
        opt.state_dict()
    opt.state_dict()
    assert seen == ["post", "pre"]
    assert "_optimizer_state_dict_pre_hooks" not in vars(optim.SGD([weight], lr=0.1))  # none made until one is added
    with pytest.raises(TypeError, match=r"Adam.register_state_dict_post_hook: the hook must be callable, got int"):
        opt.register_state_dict_post_hook(3)


def _step_calls(library, make_param, Optimizer):
    """What the step hooks saw through opt.step(closure), opt.step(closure=closure), a step whose pre hook swaps the
    closure for another, and a step after both hooks were removed; and the weights after."""
    weight = make_param([1.0, 2.0])
    opt = Optimizer([weight], lr=0.1)
    calls = []

    def closure(scale=1.0):
        opt.zero_grad()
        loss = scale * (weight * weight).sum()
        loss.backward()
        return loss

    def pre(o, args, kwargs):
        calls.append(("pre", o is opt, args[0] is o, len(args), sorted(kwargs)))
        if len(calls) == 5:  # the third step: a closure that doubles the loss
            return (o, lambda: closure(2.0)), {}
        return None

    pre_handle = opt.register_step_pre_hook(pre)
    post_handle = opt.register_step_post_hook(lambda o, args, kwargs: calls.append(("post", len(args))))
    opt.step(closure)
    opt.step(closure)
    opt.step(closure)
    pre_handle.remove()
    post_handle.remove()
    opt.step(closure)
    return calls, weight.detach().numpy().tolist()


@pytest.mark.parametrize("name", ["SGD", "Adam", "LBFGS"])
def test_step_hooks_run_around_each_step_and_a_pre_hook_may_replace_its_arguments(name):
    calls, weights = _step_calls(ag, lambda v: ag.tensor(v, requires_grad=True), getattr(optim, name))
    assert calls == [("pre", True, True, 2, []), ("post", 2)] * 3
    reference = _step_calls(ag, lambda v: ag.tensor(v, requires_grad=True), getattr(optim, name))[1]
    assert weights == reference  # (deterministic)
    plain = ag.tensor([1.0, 2.0], requires_grad=True)
    opt = getattr(optim, name)([plain], lr=0.1)
    for scale in (1.0, 1.0, 2.0, 1.0):  # the third step's loss doubled by the hook's closure
        def closure(scale=scale):
            opt.zero_grad()
            loss = scale * (plain * plain).sum()
            loss.backward()
            return loss
        opt.step(closure)
    assert weights == plain.detach().numpy().tolist()
    torch = pytest.importorskip("torch")
    theirs = _step_calls(torch, lambda v: torch.tensor(v, dtype=torch.float64, requires_grad=True),
                         getattr(torch.optim, name))
    assert calls == theirs[0]
    assert weights == pytest.approx(theirs[1], rel=1e-12)


def test_a_subclass_step_calling_optimizer_step_runs_the_hooks_once():
    class Clipped(optim.SGD):
        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    p.grad = p.grad.clip(-1.0, 1.0)
            return super().step(closure)

    weight = ag.tensor([3.0], requires_grad=True)
    opt = Clipped([weight], lr=0.1)
    calls = []
    opt.register_step_pre_hook(lambda o, args, kwargs: calls.append("pre"))
    opt.register_step_post_hook(lambda o, args, kwargs: calls.append("post"))
    (weight * weight).sum().backward()
    opt.step()
    assert calls == ["pre", "post"] and weight.item() == pytest.approx(2.9)
    with pytest.raises(RuntimeError, match="must return None or a tuple of"):
        opt.register_step_pre_hook(lambda o, args, kwargs: "no")
        opt.step()


def _note_round_trip(library, make_param):
    """test_optim's test_state_dict_pre_post_hook: a state_dict pre hook notes an entry under the key "test" of
    opt.state, a post hook finds it in the state dict and moves it out; then a state whose "note" entry is under no
    parameter's index loads back into opt.state. Returns (what the post hook found, the state dict's state, the
    loaded optimizer's note, and its momentum buffer)."""
    weight = make_param([1.0, 2.0])
    opt = library.optim.SGD([weight], lr=0.1, momentum=0.9)
    (weight * weight).sum().backward()
    opt.step()
    found = []
    opt.register_state_dict_pre_hook(lambda o: o.state.__setitem__("test", 1))
    opt.register_state_dict_post_hook(lambda o, state: found.append(state["state"].pop("test", None)))
    state = opt.state_dict()
    state["state"]["note"] = {"epoch": 3}
    fresh = library.optim.SGD([make_param([1.0, 2.0])], lr=0.1, momentum=0.9)
    fresh.load_state_dict(state)
    buffer = next(v["momentum_buffer"] for k, v in fresh.state.items() if k != "note")
    return found, sorted(map(str, state["state"])), fresh.state["note"], buffer.tolist()


def test_an_entry_under_a_key_that_is_no_parameter_round_trips_through_the_state_dict():
    found, keys, note, buffer = _note_round_trip(nn, lambda v: ag.tensor(v, requires_grad=True))
    assert found == [1]  # the pre hook's entry reached the state dict, under its own key
    assert keys == ["0", "note"] and note == {"epoch": 3}
    assert buffer == [2.0, 4.0]  # (the gradient 2w after one step: the parameter's state loads beside the note)
    torch = pytest.importorskip("torch")
    assert _note_round_trip(torch, lambda v: torch.tensor(v, requires_grad=True)) == (found, keys, note, buffer)


def _global_hook_calls(library, register_pre, register_post):
    """test_optim's test_step_all_hooks: the order of two optimizers' calls of the global step hooks (torch.optim
    .optimizer's register_optimizer_step_pre_hook/_post_hook) and of one optimizer's own, and that removing the
    handles stops them. Returns (the calls, the calls after removal, the parameter after the two SGD steps)."""
    calls = []
    weight = library.tensor([1.0, 2.0], requires_grad=True)
    sgd = library.optim.SGD([weight], lr=0.5)
    adam = library.optim.Adam([library.tensor([1.0], requires_grad=True)])
    handles = [register_pre(lambda o, args, kwargs: calls.append(("global pre", type(o).__name__, len(args)))),
               register_post(lambda o, args, kwargs: calls.append(("global post", type(o).__name__)))]
    sgd.register_step_pre_hook(lambda o, args, kwargs: calls.append(("own pre", type(o).__name__)))
    sgd.register_step_post_hook(lambda o, args, kwargs: calls.append(("own post", type(o).__name__)))
    weight.grad = library.tensor([1.0, 1.0])
    sgd.step()
    adam.step(lambda: 1.0)
    for handle in handles:
        handle.remove()
    before_removal = len(calls)
    sgd.step()
    adam.step()
    return calls[:before_removal], calls[before_removal:], weight.detach().tolist()


def test_global_step_hooks_run_around_every_optimizers_step_and_its_own_hooks():
    from nn.optim.optimizer import register_optimizer_step_post_hook, register_optimizer_step_pre_hook
    calls, after, weight = _global_hook_calls(ag_library(), register_optimizer_step_pre_hook,
                                              register_optimizer_step_post_hook)
    assert calls == [("global pre", "SGD", 1), ("own pre", "SGD"), ("own post", "SGD"), ("global post", "SGD"),
                     ("global pre", "Adam", 2), ("global post", "Adam")]
    assert after == [("own pre", "SGD"), ("own post", "SGD")]  # the removed global hooks no longer run
    assert weight == [0.0, 1.0]  # two SGD steps of 0.5 * 1
    assert not optim.Optimizer._has_step_hooks  # a step without hooks tests one attribute again
    torch = pytest.importorskip("torch")
    from torch.optim.optimizer import register_optimizer_step_post_hook as torch_post
    from torch.optim.optimizer import register_optimizer_step_pre_hook as torch_pre
    assert _global_hook_calls(torch, torch_pre, torch_post) == (calls, after, weight)


def ag_library():
    """autograd_core with nn.optim as its optim, as torch has torch.optim."""
    import types
    return types.SimpleNamespace(tensor=ag.tensor, optim=optim)


def test_a_global_step_hook_must_be_callable():
    from nn.optim.optimizer import register_optimizer_step_pre_hook
    with pytest.raises(TypeError, match="register_optimizer_step_pre_hook: the hook must be callable, got int"):
        register_optimizer_step_pre_hook(3)
    assert not optim.Optimizer._has_step_hooks
