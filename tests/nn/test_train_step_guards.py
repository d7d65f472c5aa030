"""nn.TrainStep replays only while its recording stands for the step: a change after recording (to the model, the
optimizer, hooks, global modes, the step's parts), a module or setting it cannot replay, or an input it cannot tell
apart runs the eager step, says why in step.eager_reason, and records again only when something it read changed."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from test_train_step import _assert_same, _batches, _eager_step, _pair, _run_both


@pytest.mark.parametrize("change", ["eval", "momentum", "new weight", "new data", "new shape", "freeze", "hook",
                                    "tensor hook", "global hook", "param group", "step hook", "view"])
def test_a_change_after_recording_gives_the_eager_result(change):
    eager, compiled = _pair([3, 6, 4])
    calls = {}  # per model: the eager and the compiled model's hooks each run

    def between(k, *pairs):
        if k != 1:
            return
        for model, optimizer in pairs:
            first = model.layers[0]
            if change == "eval":
                model.eval()
            elif change == "momentum":
                optimizer.param_groups[0]["momentum"] = 0.9
            elif change == "new weight":
                first.weight = nn.Parameter(first.weight.data * 2)
                optimizer.param_groups[0]["params"][0] = first.weight
            elif change == "new data":
                first.weight.data = first.weight.data[::-1].copy()
            elif change == "new shape":
                first.bias.data = first.bias.data[:1].copy()  # broadcasts: the graph's shapes change
            elif change == "freeze":
                first.weight.requires_grad_(False)
            elif change == "hook":
                first.register_forward_hook(lambda module, args, out, key=id(model):
                                            calls.setdefault(key, []).append(1))
            elif change == "tensor hook":
                first.weight.register_hook(lambda g: g * 2)
            elif change == "param group":
                extra = nn.Parameter(np.ones(2, np.float32))
                optimizer.add_param_group({"params": [extra]})
            elif change == "step hook":
                optimizer.register_step_post_hook(lambda *args, key=id(model): calls.setdefault(key, []).append(2))
            elif change == "view":
                model.kept_view = first.weight.detach()  # shares memory: in-place steps count its versions too
        if change == "global hook":
            pairs[1][0].handle = nn.modules.module.register_module_forward_hook(
                lambda *args: calls.setdefault("global", []).append(3))
    try:
        reasons = _run_both(eager, compiled, nn.CrossEntropyLoss(), _batches(np.random.default_rng(3), 30, 3, 4, 5),
                            between)
    finally:
        if change == "global hook":
            compiled[0].handle.remove()
    assert reasons[1] is None  # replayed before the change
    if change in ("hook", "step hook"):  # run by the steps that follow, as often for both models
        assert len(calls[id(eager[0])]) == len(calls[id(compiled[0])]) > 0
    if change == "view":
        assert eager[0].kept_view._version == compiled[0].kept_view._version


@pytest.mark.parametrize("model, loss_fn, reason", [
    (lambda: nn.MLP([3, 5, 4], dropout=0.5, rng=0), nn.CrossEntropyLoss(), "Dropout"),
    (lambda: nn.MLP([3, 5, 4], rng=0), nn.CrossEntropyLoss(ignore_index=1), "ignore_index"),
    (lambda: nn.MLP([3, 5, 4], rng=0), nn.CrossEntropyLoss(label_smoothing=0.1), "CrossEntropyLoss"),
    (lambda: nn.Sequential(nn.Linear(3, 4), nn.ReLU(inplace=True)), nn.CrossEntropyLoss(), "ReLU"),
    (lambda: nn.MLP([3, 5, 4], rng=0), lambda out, y: nn.functional.cross_entropy(out, y), "loss function"),
])
def test_steps_it_cannot_replay_run_eagerly_and_say_why(model, loss_fn, reason):
    model = model()
    step = nn.TrainStep(model, loss_fn, nn.optim.SGD(model.parameters(), lr=0.1))
    x, y = np.random.default_rng(4).standard_normal((4, 3)).astype(np.float32), np.array([0, 1, 2, 1])
    for _ in range(3):
        step(x, y)
        assert reason in step.eager_reason


def test_a_copied_or_pickled_step_trains_its_own_model():
    import copy
    import pickle
    _, (model, optimizer) = _pair([3, 4])
    step = nn.TrainStep(model, nn.CrossEntropyLoss(), optimizer)
    x, y = np.ones((2, 3), np.float32), np.array([0, 1])
    step(x, y), step(x, y)
    for copied in (copy.deepcopy(step), pickle.loads(pickle.dumps(step))):
        before = [p.data.copy() for p in model.parameters()]
        eager = copy.deepcopy((copied.model, copied.optimizer))
        expected = [_eager_step(eager[0], copied.loss_fn, eager[1], x, y) for _ in range(2)]
        assert [copied(x, y).item() for _ in range(2)] == expected
        for p, value in zip(model.parameters(), before):  # (the original's model is not the copy's)
            np.testing.assert_array_equal(p.data, value)
        _assert_same(eager, (copied.model, copied.optimizer))


def test_a_model_loss_or_optimizer_given_to_the_step_later_is_the_one_used():
    (model, optimizer), _ = _pair([3, 4])
    eager, compiled = _pair([3, 4], seed=1)  # (made first: a new module is a module change, seen by the guards)
    loss_fn = nn.CrossEntropyLoss(reduction="sum")
    step = nn.TrainStep(model, nn.CrossEntropyLoss(), optimizer)
    x, y = np.ones((2, 3), np.float32), np.array([0, 1])
    step(x, y), step(x, y)
    step.model, step.optimizer, step.loss_fn = compiled[0], compiled[1], loss_fn
    for _ in range(3):
        assert step(x, y).item() == _eager_step(eager[0], step.loss_fn, eager[1], x, y)
    _assert_same(eager, compiled)


@pytest.mark.parametrize("change", ["instance forward", "optimizer step", "optimizer zero_grad"])
def test_instance_attributes_set_after_recording_give_the_eager_result(change):
    eager, compiled = _pair([3, 6, 4])

    def between(k, *pairs):
        if k != 1:
            return
        for model, optimizer in pairs:
            if change == "instance forward":  # (a Python float each call: the graph would hold the first)
                draws, forward = iter(np.linspace(1, 2, 50)), model.layers[0].forward
                model.layers[0].forward = lambda x, draws=draws, forward=forward: forward(x) * float(next(draws))
            elif change == "optimizer step":
                optimizer.step = lambda closure=None: None
            else:  # (keeps the .grad Tensors, zeroed in place, as the eager loop's backward then adds into them)
                optimizer.zero_grad = lambda set_to_none=False, optimizer=optimizer: \
                    type(optimizer).zero_grad(optimizer, set_to_none)
    reasons = _run_both(eager, compiled, nn.CrossEntropyLoss(), _batches(np.random.default_rng(5), 30, 3, 4, 5),
                        between)
    assert reasons[1] is None and None not in reasons[2:]


def test_an_optimizer_with_its_own_zero_grad_or_step_is_not_replayed():
    class KeepingGrads(nn.optim.Adam):
        def zero_grad(self, set_to_none=False):
            super().zero_grad(set_to_none)
    eager, compiled = [(model, KeepingGrads(model.parameters(), lr=0.01)) for model, _ in _pair([3, 4])]
    batches = _batches(np.random.default_rng(6), 12, 3, 4, 4)
    reasons = _run_both(eager, compiled, nn.CrossEntropyLoss(), batches)
    assert all("zero_grad" in reason for reason in reasons)
    assert eager[0].layers[0].weight.grad is not None
    eager, compiled = _pair([3, 4])
    for model, optimizer in (eager, compiled):
        optimizer.step = lambda closure=None: None
    assert all("step" in reason for reason in _run_both(eager, compiled, nn.CrossEntropyLoss(), batches))


@pytest.mark.parametrize("setting", ["anomaly mode", "post-accumulate hook"])
def test_a_setting_every_replay_would_refuse_is_refused_when_recording(setting):
    eager, compiled = _pair([3, 4])
    elsewhere = ag.tensor([1.0], requires_grad=True)  # (a hook on any Tensor: backward calls the hooks it finds)
    batches = _batches(np.random.default_rng(8), 12, 3, 4, 4)
    if setting == "anomaly mode":
        with ag.detect_anomaly(check_nan=False):  # (the mode alone: no NaN checks)
            reasons = _run_both(eager, compiled, nn.CrossEntropyLoss(), batches)
    else:
        elsewhere.register_post_accumulate_grad_hook(lambda tensor: None)
        reasons = _run_both(eager, compiled, nn.CrossEntropyLoss(), batches)
    assert all(setting.split()[0] in reason for reason in reasons)  # (not a recording each step, then a guard)


def test_a_layer_class_whose_forward_was_replaced_is_not_replayed(monkeypatch):
    calls, tanh_forward = {}, nn.Tanh.forward

    def forward(self, x):  # (a Python number that changes each call: a recording would hold the first)
        calls[id(self)] = calls.get(id(self), 0) + 1
        return tanh_forward(self, x) * (1 + calls[id(self)] / 10)
    monkeypatch.setattr(nn.Tanh, "forward", forward)
    eager, compiled = _pair([3, 6, 4], "tanh")
    reasons = _run_both(eager, compiled, nn.CrossEntropyLoss(), _batches(np.random.default_rng(9), 8, 3, 4, 2))
    assert all("Tanh" in reason for reason in reasons)


def test_a_recording_of_one_array_as_input_and_target_replays_only_for_one_array():
    eager, compiled = _pair([3, 5, 3], "tanh", np.float64)
    rng = np.random.default_rng(10)
    batches = []
    for k in range(5):
        x = rng.standard_normal((4, 3))
        batches.append((x, x if k < 2 or k == 4 else rng.standard_normal((4, 3))))  # (step(x, x), then another)
    _run_both(eager, compiled, nn.MSELoss(), batches)


def test_a_step_it_cannot_replay_is_not_recorded_again_until_a_module_changes(monkeypatch):
    import nn.train_step as train_step
    recorded = []
    monkeypatch.setattr(train_step, "straight_line", lambda *args: recorded.append(1) or (_ for _ in ()).throw(
        train_step.NotReplayable("refused for the test")))
    _, (model, optimizer) = _pair([3, 4])
    step = nn.TrainStep(model, nn.CrossEntropyLoss(), optimizer)
    x, y = np.ones((2, 3), np.float32), np.array([0, 1])
    for _ in range(4):
        step(x, y)
        assert step.eager_reason == "refused for the test"
    assert len(recorded) == 1
    model.eval()  # a module attribute changed: the refusal may no longer hold
    step(x, y)
    assert len(recorded) == 2


def test_at_most_sixteen_input_shapes_are_recorded():
    _, (model, optimizer) = _pair([3, 4])
    step = nn.TrainStep(model, nn.CrossEntropyLoss(), optimizer)
    for n in range(1, 19):
        step(np.ones((n, 3), np.float32), np.zeros(n, int))
    assert len([run for run in step._compiled.values() if run is not None]) == 16
    assert "16 input shapes" in step.eager_reason
    step(np.ones((17, 3), np.float32), np.zeros(17, int))
    assert "16 input shapes" in step.eager_reason
    step(np.ones((2, 3), np.float32), np.zeros(2, int))
    assert step.eager_reason is None


def test_a_dropout_put_back_in_training_after_recording_draws_as_the_eager_loop():
    made = []
    for _ in range(2):
        model = nn.Sequential(nn.Linear(3, 6, rng=0), nn.Dropout(0.5, rng=1), nn.Linear(6, 4, rng=2))
        made.append((model.eval(), nn.optim.SGD(model.parameters(), lr=0.1)))

    def between(k, *pairs):
        if k == 1:
            for model, _ in pairs:
                model.train()
    reasons = _run_both(*made, nn.CrossEntropyLoss(), _batches(np.random.default_rng(11), 20, 3, 4, 5), between)
    assert reasons[1] is None and "Dropout" in reasons[3]


@pytest.mark.parametrize("module, loss_fn, target, reason", [
    (nn.GELU, nn.CrossEntropyLoss, np.array([0, 1, 2, 1]), "GELU"),  # (branches on an infinite input)
    (nn.SiLU, nn.CrossEntropyLoss, np.array([0, 1, 2, 1]), "SiLU"),
    (nn.SELU, nn.CrossEntropyLoss, np.array([0, 1, 2, 1]), "SELU"),  # (computes under np.errstate)
    (nn.Softplus, nn.CrossEntropyLoss, np.array([0, 1, 2, 1]), "Softplus"),  # (branches on beta * x > threshold)
    (nn.Softmax, nn.CrossEntropyLoss, np.array([0, 1, 2, 1]), "Softmax"),  # (no dim: a warning at each call)
    (lambda: nn.LeakyReLU(inplace=True), nn.CrossEntropyLoss, np.array([0, 1, 2, 1]), "LeakyReLU"),
    (nn.Identity, lambda: nn.NLLLoss(weight=np.ones(4)), np.array([0, 1, 2, 1]), "NLLLoss"),
    (nn.Identity, lambda: nn.NLLLoss(ignore_index=1), np.array([0, 1, 2, 1]), "ignore_index"),
    (nn.Identity, nn.BCEWithLogitsLoss, np.full((4, 4), 0.5), "BCEWithLogitsLoss"),
])
def test_the_modules_left_out_run_eagerly_and_say_why(module, loss_fn, target, reason):
    import warnings
    model = nn.Sequential(nn.Linear(3, 4, rng=0), module())
    step = nn.TrainStep(model, loss_fn(), nn.optim.SGD(model.parameters(), lr=0.1))
    x = np.random.default_rng(4).standard_normal((4, 3)).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (Softmax's implicit dim)
        for _ in range(3):
            step(x, target)
            assert reason in step.eager_reason


def test_an_input_and_target_equal_in_value_are_not_told_apart_by_value():
    eager, compiled = _pair([3, 3])
    rng = np.random.default_rng(10)
    x = rng.standard_normal((4, 3))  # float64, cast by the first Linear; its target a copy, cast by MSELoss
    batches = [(x, x.copy())] + [(rng.standard_normal((4, 3)), rng.standard_normal((4, 3))) for _ in range(3)]
    reasons = _run_both(eager, compiled, nn.MSELoss(), batches)
    assert "both the input and the target" in reasons[0]


def test_an_input_changed_before_the_first_linear_is_not_named_by_its_value():
    eager, compiled = [(model, nn.optim.SGD(model.parameters(), lr=0.1)) for model in
                       (nn.Sequential(nn.ReLU(), nn.Linear(3, 4, rng=0)) for _ in range(2))]
    rng = np.random.default_rng(11)
    first = np.abs(rng.standard_normal((5, 3)))  # float64, relu(first) == first: the cast Linear makes equals x's
    batches = [(first, rng.integers(0, 4, 5))]
    batches += [(rng.standard_normal((5, 3)), rng.integers(0, 4, 5)) for _ in range(3)]
    reasons = _run_both(eager, compiled, nn.CrossEntropyLoss(), batches)
    assert "did not receive as a named input" in reasons[-1]


def test_a_removed_hook_lets_the_step_replay_again():
    eager, compiled = _pair([3, 6, 4])
    handles = []

    def between(k, *pairs):
        if k == 0:
            handles.extend(model.layers[0].register_forward_hook(lambda *args: None) for model, _ in pairs)
        if k == 2:
            for handle in handles:
                handle.remove()
    reasons = _run_both(eager, compiled, nn.CrossEntropyLoss(), _batches(np.random.default_rng(15), 35, 3, 4, 5),
                        between)
    assert "has hooks" in reasons[1] and reasons[5:] == [None] * 2


def test_a_refused_shape_then_recorded_says_it_is_recording():
    model = nn.MLP([3, 5, 4], dropout=0.5, rng=0)
    step = nn.TrainStep(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1))
    x, y = np.ones((2, 3), np.float32), np.array([0, 1])
    step(x, y)
    assert "Dropout" in step.eager_reason
    model.eval()
    step(x, y)
    assert step.eager_reason == "recording the graph for this input shape"
    step(x, y)
    assert step.eager_reason is None


def test_a_step_refused_under_anomaly_mode_records_once_it_is_off():
    _, (model, optimizer) = _pair([3, 4])
    step = nn.TrainStep(model, nn.CrossEntropyLoss(), optimizer)
    x, y = np.ones((2, 3), np.float32), np.array([0, 1])
    with ag.detect_anomaly():
        step(x, y)
    assert "anomaly" in step.eager_reason
    step(x, y)
    assert step.eager_reason == "recording the graph for this input shape"
    step(x, y)
    assert step.eager_reason is None


_CHANGES_LEAVING_THE_RECORDING = {  # (made between steps on both loops, other: a module no recording went through; the
    # seed of the change's batches)
    "model.train()": (lambda k, pairs, other: [model.train() for model, _ in pairs], 13),
    "another module's attribute, a module made anew": (
        lambda k, pairs, other: (setattr(other, "tag", k), nn.CrossEntropyLoss()), 14),
    "a hook added to another module and removed": (
        lambda k, pairs, other: other.register_forward_hook(lambda *args: None).remove(), 17),
}


@pytest.mark.parametrize("change", sorted(_CHANGES_LEAVING_THE_RECORDING))
def test_changes_that_leave_the_recording_standing_do_not_record_again(change):
    eager, compiled = _pair([3, 6, 4])
    other = nn.Linear(2, 2)
    between, seed = _CHANGES_LEAVING_THE_RECORDING[change]
    reasons = _run_both(eager, compiled, nn.CrossEntropyLoss(), _batches(np.random.default_rng(seed), 30, 3, 4, 5),
                        lambda k, *pairs: between(k, pairs, other))
    assert reasons[1:] == [None] * 5


@pytest.mark.parametrize("change", ["unfreeze", "add_param_group"])
def test_a_recording_refused_for_the_optimizers_parameters_is_made_once_they_change(change):
    # (final read R2) frozen, or an optimizer missing parameters: refused; unfrozen, or given them: it replays again
    eager, compiled = _pair([3, 6, 4])
    for model, optimizer in (eager, compiled):
        first = next(iter(model.parameters()))
        if change == "unfreeze":
            first.requires_grad_(False)
        else:
            optimizer.param_groups[0]["params"].remove(first)

    def between(k, *pairs):
        if k == 1:
            for model, optimizer in pairs:
                first = next(iter(model.parameters()))
                if change == "unfreeze":
                    first.requires_grad_(True)
                else:
                    optimizer.add_param_group({"params": [first]})
    reasons = _run_both(eager, compiled, nn.CrossEntropyLoss(), _batches(np.random.default_rng(18), 30, 3, 4, 5),
                        between)
    assert reasons[1] is not None and reasons[4:] == [None] * 2
