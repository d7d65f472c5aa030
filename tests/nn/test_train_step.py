


"""nn.TrainStep: the compiled step equals the eager loop bit for bit (losses, parameters, gradients, optimizer
state, versions, errors and warnings) over models, losses, optimizers, data and learning rates. When it replays and
when it runs eagerly: test_train_step_guards.py, which shares this file's helpers."""


import numpy as np


import pytest


from hypothesis import given, settings, strategies as st


import autograd_core as ag


import nn


def _pair(sizes, activation="relu", dtype=np.float32, optimizer=("SGD", {"lr": 0.05}), seed=0):
    """Two identical models with their optimizers: one for the eager loop, one for TrainStep."""
    made = []
    for _ in range(2):
        model = nn.MLP(sizes, activation=activation, rng=np.random.default_rng(seed), dtype=dtype)
        name, options = optimizer
        made.append((model, getattr(nn.optim, name)(model.parameters(), **options)))
    return made


def _eager_step(model, loss_fn, optimizer, x, y):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def _assert_same(eager, compiled):
    (m1, o1), (m2, o2) = eager, compiled
    for p, q in zip(m1.parameters(), m2.parameters()):
        np.testing.assert_array_equal(p.data, q.data)
        assert (p.grad is None) == (q.grad is None)
        if p.grad is not None:
            np.testing.assert_array_equal(p.grad.data, q.grad.data)
            assert q.grad.data is not q.data and q.grad.data.base is None  # a .grad owns its memory
        assert p._version == q._version
    s1, s2 = o1.state_dict(), o2.state_dict()
    assert s1["param_groups"] == s2["param_groups"]
    for key in s1["state"]:
        for name, value in s1["state"][key].items():
            other = s2["state"][key][name]
            np.testing.assert_array_equal(getattr(value, "data", value), getattr(other, "data", other))


def _batches(rng, n, width, classes, batch, dtype=np.float32):
    x = rng.standard_normal((n, width)).astype(dtype)
    y = rng.integers(0, classes, n)
    return [(x[i:i + batch], y[i:i + batch]) for i in range(0, n, batch)]


@settings(max_examples=25, deadline=None)
@given(hidden=st.lists(st.integers(1, 9), min_size=0, max_size=2), activation=st.sampled_from(["relu", "tanh",
       "sigmoid"]), dtype=st.sampled_from([np.float32, np.float64]), batch=st.integers(1, 7), seed=st.integers(0, 99),
       optimizer=st.sampled_from([("SGD", {"lr": 0.1}), ("SGD", {"lr": 0.1, "momentum": 0.9}),
                                  ("SGD", {"lr": 0.1, "weight_decay": 0.01, "nesterov": True, "momentum": 0.5}),
                                  ("Adam", {"lr": 0.01}), ("AdamW", {"lr": 0.01}), ("RMSprop", {"lr": 0.01})]))
def test_train_step_equals_the_eager_loop_bit_for_bit(hidden, activation, dtype, batch, seed, optimizer):
    sizes = [3, *hidden, 4]
    eager, compiled = _pair(sizes, activation, dtype, optimizer, seed)
    loss_fn = nn.CrossEntropyLoss()
    step = nn.TrainStep(compiled[0], loss_fn, compiled[1])
    batches = _batches(np.random.default_rng(seed), 17, 3, 4, batch, dtype) * 2  # (the last batch shorter)
    replayed = 0
    for x, y in batches:
        expected = _eager_step(eager[0], loss_fn, eager[1], x, y)
        loss = step(x, y)
        assert loss.item() == expected and not loss.requires_grad
        replayed += step.eager_reason is None
    _assert_same(eager, compiled)
    assert replayed >= len(batches) - 2 * len({len(y) for _, y in batches})  # all but each shape's first steps


def test_train_step_with_mse_loss_and_a_tensor_input_replays():
    eager, compiled = _pair([2, 5, 3], "tanh", np.float64)
    rng = np.random.default_rng(1)
    batches = [(ag.tensor(rng.standard_normal((6, 2))), rng.standard_normal((6, 3))) for _ in range(4)]
    assert _run_both(eager, compiled, nn.MSELoss(), batches)[-1] is None


def test_batches_of_a_data_loader_replay_with_their_targets_copied_by_the_loss():
    eager, compiled = _pair([3, 6, 4])
    rng = np.random.default_rng(9)
    data = nn.TensorDataset(rng.standard_normal((23, 3)), rng.integers(0, 4, 23))  # float64 data, Tensor targets
    batches = list(nn.DataLoader(data, batch_size=5, shuffle=True, rng=0)) * 2
    reasons = _run_both(eager, compiled, nn.CrossEntropyLoss(), batches)
    assert reasons[-4:] == [None] * 4


def _run_both(eager, compiled, loss_fn, batches, between=None, keep_step=False):
    """Each batch through both; between(k, eager_pair, compiled_pair) changes both the same way after step k. The
    eager reasons of the steps, or the step with them as .reasons (keep_step)."""
    step = nn.TrainStep(compiled[0], loss_fn, compiled[1])
    reasons = []
    for k, (x, y) in enumerate(batches):
        expected = _eager_step(eager[0], loss_fn, eager[1], x, y)
        assert step(x, y).item() == expected
        reasons.append(step.eager_reason)
        if between is not None:
            between(k, eager, compiled)
    _assert_same(eager, compiled)
    if keep_step:
        step.reasons = reasons
        return step
    return reasons


def test_a_scheduled_learning_rate_is_read_each_step():
    eager, compiled = _pair([3, 6, 4])
    schedulers = [nn.optim.lr_scheduler.StepLR(o, step_size=1, gamma=0.5) for _, o in (eager, compiled)]

    def between(k, *_):
        for scheduler in schedulers:
            scheduler.step()
    batches = _batches(np.random.default_rng(2), 30, 3, 4, 5)
    reasons = _run_both(eager, compiled, nn.CrossEntropyLoss(), batches, between)
    assert reasons[2:] == [None] * 4


def test_batches_of_an_equal_dtype_object_and_a_strided_layout_replay_as_the_eager_step():
    # (a batch through pickle has a dtype equal to the model's but not the same object; a strided Fortran-ordered one
    # is no layout BLAS takes as it is: the replay's products must be taken as the eager step's)
    import pickle
    eager, compiled = _pair([40, 3])
    equal_dtype = pickle.loads(pickle.dumps(np.dtype(np.float32)))
    rng = np.random.default_rng(5)
    batches = []
    for k in range(5):
        x = np.asfortranarray(rng.standard_normal((6, 80)).astype(np.float32))[:, ::2]
        batches.append((x.view(equal_dtype) if k % 2 else x, rng.integers(0, 3, 6)))
    reasons = _run_both(eager, compiled, nn.CrossEntropyLoss(), batches)
    assert reasons[1:] == [None] * 4


@pytest.mark.parametrize("kind", ["float", "0-d array"])
def test_a_learning_rate_changed_between_steps_is_the_one_used(kind):
    # (the replay keeps lr's array while the group holds the same float; a 0-d array may change in place)
    eager, compiled = _pair([3, 6, 4])
    for _, optimizer in (eager, compiled):
        optimizer.param_groups[0]["lr"] = 0.1 if kind == "float" else np.array(0.1)

    def between(k, *pairs):
        for _, optimizer in pairs:
            if kind == "float":
                optimizer.param_groups[0]["lr"] = [0.1, 0.05, 0.05, 0.2][k % 4]
            else:
                optimizer.param_groups[0]["lr"][...] = 0.1 / (k + 2)
    batches = _batches(np.random.default_rng(4), 30, 3, 4, 5)
    reasons = _run_both(eager, compiled, nn.CrossEntropyLoss(), batches, between)
    assert reasons[2:] == [None] * 4


def test_targets_out_of_range_raise_the_eager_error():
    _, (model, optimizer) = _pair([3, 4])
    step = nn.TrainStep(model, nn.CrossEntropyLoss(), optimizer)
    x = np.ones((2, 3), np.float32)
    step(x, np.array([0, 1]))
    step(x, np.array([1, 2]))
    assert step.eager_reason is None
    before = [p.data.copy() for p in model.parameters()]
    with pytest.raises(IndexError, match="out of range"):
        step(x, np.array([0, 4]))
    for p, value in zip(model.parameters(), before):
        np.testing.assert_array_equal(p.data, value)


def test_no_grad_around_a_step_raises_as_the_eager_step():
    _, (model, optimizer) = _pair([3, 4])
    step = nn.TrainStep(model, nn.CrossEntropyLoss(), optimizer)
    x, y = np.ones((2, 3), np.float32), np.array([0, 1])
    step(x, y), step(x, y)
    with ag.no_grad(), pytest.raises(RuntimeError, match="does not require grad"):
        step(x, y)


def test_bad_arguments_are_refused_naming_what_was_expected():
    model = nn.Linear(2, 2)
    with pytest.raises(TypeError, match="nn.Module and a loss function"):
        nn.TrainStep(lambda x: x, nn.MSELoss(), nn.optim.SGD(model.parameters(), lr=0.1))
    with pytest.raises(TypeError, match="expected an optimizer"):
        nn.TrainStep(model, nn.MSELoss(), object())


def test_a_model_left_with_nothing_to_train_raises_as_the_eager_step():
    eager, compiled = _pair([3, 4])
    loss_fn = nn.CrossEntropyLoss()
    step = nn.TrainStep(compiled[0], loss_fn, compiled[1])
    x, y = np.ones((2, 3), np.float32), np.array([0, 1])
    step(x, y), step(x, y)
    for model, optimizer in (eager, compiled):
        model.requires_grad_(False)
    with pytest.raises(RuntimeError, match="does not require grad") as expected:
        _eager_step(eager[0], loss_fn, eager[1], x, y)
    with pytest.raises(type(expected.value), match="does not require grad"):
        step(x, y)


@pytest.mark.parametrize("action", ["always", "default"])
def test_warnings_are_the_eager_steps_also_when_recording(action):
    import warnings
    eager, compiled = _pair([3, 5, 4])
    loss_fn = nn.MSELoss()
    step = nn.TrainStep(compiled[0], loss_fn, compiled[1])
    x, y = np.full((2, 3), 1e30, np.float32), np.ones((2, 4), np.float32)  # (overflows, forward and backward)
    seen = []
    for run in (lambda: _eager_step(eager[0], loss_fn, eager[1], x, y), lambda: step(x, y).item()):
        with warnings.catch_warnings(record=True) as caught:  # ("default": each place's warning once)
            warnings.simplefilter(action)
            for _ in range(3):
                caught.append("next step")
                run()
        seen.append([str(getattr(warning, "message", warning)) for warning in caught])
    assert seen[0] == seen[1] and len(seen[0]) > 3


def test_an_error_in_a_replayed_step_leaves_the_gradients_as_the_eager_step():
    eager, compiled = _pair([3, 5, 4])
    loss_fn = nn.MSELoss()
    step = nn.TrainStep(compiled[0], loss_fn, compiled[1])
    x, y = np.ones((2, 3), np.float32), np.ones((2, 4), np.float32)
    for _ in range(2):
        assert step(x, y).item() == _eager_step(eager[0], loss_fn, eager[1], x, y)
    with np.errstate(over="raise"):  # in the forward: the eager step had set the gradients to None first
        with pytest.raises(FloatingPointError):
            _eager_step(eager[0], loss_fn, eager[1], x * 1e30, y)
        with pytest.raises(FloatingPointError):
            step(x * 1e30, y)
    _assert_same(eager, compiled)
    for model, _ in (eager, compiled):  # in the update: every .grad set first, as the eager backward does
        weight = model.layers[-1].weight
        weight.data = weight.data.copy()
        weight.data.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        _eager_step(eager[0], loss_fn, eager[1], x, y)
    with pytest.raises(ValueError, match="read-only"):
        step(x, y)
    _assert_same(eager, compiled)


def test_the_recordings_of_many_batch_sizes_share_their_update_memory():
    _, (model, optimizer) = _pair([3, 6, 4])
    step = nn.TrainStep(model, nn.CrossEntropyLoss(), optimizer)
    for size in range(1, 9):
        for x, y in _batches(np.random.default_rng(size), 2 * size, 3, 4, size):
            step(x, y)
    held = {id(value): value.nbytes for run in step._compiled.values() for value in run.__globals__.values()
            if isinstance(value, np.ndarray) and value.flags.writeable}  # (the eager loop holds none between steps;
    # the read-only ones are constants: a seed, the engine's vector of ones for a batch size, shared with the eager)
    assert len(step._compiled) == 8 and sum(held.values()) <= sum(p.data.nbytes for p in model.parameters())


def test_a_bad_learning_rate_in_a_later_group_fails_after_the_earlier_groups_updates():
    pairs = []
    for model, _ in _pair([3, 6, 4]):
        params = list(model.parameters())
        pairs.append((model, nn.optim.SGD([{"params": params[:2]}, {"params": params[2:], "lr": 0.2}], lr=0.1)))
    (eager, compiled), loss_fn = pairs, nn.CrossEntropyLoss()
    step = nn.TrainStep(compiled[0], loss_fn, compiled[1])
    x, y = np.ones((2, 3), np.float32), np.array([0, 1])
    step(x, y), step(x, y)
    _eager_step(eager[0], loss_fn, eager[1], x, y), _eager_step(eager[0], loss_fn, eager[1], x, y)
    for _, optimizer in pairs:
        optimizer.param_groups[1]["lr"] = "0.1 per step"
    with pytest.raises(ValueError, match="could not convert"):
        _eager_step(eager[0], loss_fn, eager[1], x, y)
    with pytest.raises(ValueError, match="could not convert"):
        step(x, y)
    _assert_same(eager, compiled)


def test_a_recording_step_leaves_the_warnings_shown_once_shown():
    import warnings
    eager, compiled = _pair([3, 4])
    step = nn.TrainStep(compiled[0], nn.CrossEntropyLoss(), compiled[1])
    x, y = np.ones((2, 3), np.float32), np.array([0, 1])
    seen = []
    for run in (lambda: _eager_step(eager[0], nn.CrossEntropyLoss(), eager[1], x, y), lambda: step(x, y)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")  # (a place's warning once: not again after the step)
            for _ in range(2):
                warnings.warn("the caller's", UserWarning)
                run()
        seen.append([str(warning.message) for warning in caught])
    assert seen[0] == seen[1] == ["the caller's"]


def test_float64_data_into_a_float32_model_replays_with_the_layers_cast():
    eager, compiled = _pair([3, 6, 4])
    batches = [(x.astype(np.float64), y) for x, y in _batches(np.random.default_rng(7), 20, 3, 4, 5)]
    reasons = _run_both(eager, compiled, nn.CrossEntropyLoss(), batches)
    assert reasons[1:] == [None] * 3
    eager, compiled = _pair([3, 6, 2])
    rng = np.random.default_rng(8)
    batches = [(rng.standard_normal((4, 3)), rng.standard_normal((4, 2))) for _ in range(4)]  # MSELoss casts y too
    assert _run_both(eager, compiled, nn.MSELoss(), batches)[1:] == [None] * 3


_MIDDLE = {
    "leaky_relu": lambda: nn.LeakyReLU(0.2), "elu": lambda: nn.ELU(0.7), "relu6": nn.ReLU6,
    "hardtanh": lambda: nn.Hardtanh(-0.5, 2.0), "hardsigmoid": nn.Hardsigmoid, "logsigmoid": nn.LogSigmoid,
    "tanhshrink": nn.Tanhshrink, "softmax": lambda: nn.Softmax(dim=1), "log_softmax": lambda: nn.LogSoftmax(dim=-1),
    "softmin": lambda: nn.Softmin(dim=1), "dropout in eval mode": lambda: nn.Dropout(0.5, rng=0).eval(),
    "dropout p=0": lambda: nn.Dropout(0.0), "layer_norm": lambda: nn.LayerNorm(5),
    "layer_norm without affine": lambda: nn.LayerNorm((5,), eps=1e-3, elementwise_affine=False),
    "unflatten, flatten": lambda: nn.Sequential(nn.Unflatten(1, (5, 1)), nn.Flatten()),
}


def _floats(rng, n):
    return rng.standard_normal((n, 4))  # (float64: cast to a float32 model's dtype by the loss, as eagerly)


def _probabilities(rng, n):  # (some exactly 0 or 1, the ends of [0, 1])
    values = rng.random((n, 4))
    return np.where(rng.random((n, 4)) < 0.3, np.round(values), values)


_LOSSES = {
    "l1": (nn.L1Loss, None, _floats), "l1 sum": (lambda: nn.L1Loss(reduction="sum"), None, _floats),
    "smooth_l1": (lambda: nn.SmoothL1Loss(beta=0.5), None, _floats),
    "smooth_l1 beta=0": (lambda: nn.SmoothL1Loss(beta=0.0), None, _floats),
    "huber": (lambda: nn.HuberLoss(delta=0.7), None, _floats), "mse": (nn.MSELoss, None, _floats),
    "bce": (nn.BCELoss, nn.Sigmoid, _probabilities),
    "nll": (nn.NLLLoss, lambda: nn.LogSoftmax(dim=1), lambda rng, n: rng.integers(0, 4, n)),
    "nll sum": (lambda: nn.NLLLoss(reduction="sum", ignore_index=4), lambda: nn.LogSoftmax(dim=1),
                lambda rng, n: rng.integers(0, 4, n)),
}


@pytest.mark.parametrize("middle, loss", [(middle, sorted(_LOSSES)[k % len(_LOSSES)])  # (each at least once)
                                          for k, middle in enumerate(sorted(_MIDDLE))])
@settings(max_examples=12, deadline=None)
@given(dtype=st.sampled_from([np.float32, np.float64]), batch=st.integers(1, 6), seed=st.integers(0, 99),
       optimizer=st.sampled_from([("SGD", {"lr": 0.1}), ("Adam", {"lr": 0.01})]))
def test_the_other_replayable_modules_and_losses_equal_the_eager_loop_bit_for_bit(middle, loss, dtype, batch, seed,
                                                                                   optimizer):
    make_loss, last, targets = _LOSSES[loss]
    made = []
    for _ in range(2):
        rng = np.random.default_rng(seed)
        model = nn.Sequential(nn.Linear(3, 5, dtype=dtype, rng=rng), _MIDDLE[middle](),
                              nn.Linear(5, 4, dtype=dtype, rng=rng), *([last()] if last else []))
        name, options = optimizer
        made.append((model, getattr(nn.optim, name)(model.parameters(), **options)))
    rng = np.random.default_rng(seed)
    batches = [(rng.standard_normal((n, 3)).astype(dtype), targets(rng, n))
               for n in [batch] * 3 + [batch + 1] * 2]
    reasons = _run_both(*made, make_loss(), batches)
    assert reasons[1:3] == [None, None] and reasons[4] is None  # (each shape's steps after its first replayed)


@pytest.mark.parametrize("loss_fn, last, good, bad, error", [
    (nn.BCELoss(), nn.Sigmoid, np.full((2, 4), 0.5), np.full((2, 4), 1.5), "targets"),
    (nn.BCELoss(), nn.Sigmoid, np.full((2, 4), 0.5), np.full((2, 4), -1e-30), "targets"),
    (nn.BCELoss(), nn.Sigmoid, np.full((2, 4), 0.5), np.full((2, 4), np.nan), "targets"),
    (nn.NLLLoss(), lambda: nn.LogSoftmax(dim=1), np.array([0, 3]), np.array([0, 4]), "out of range"),
    (nn.NLLLoss(), lambda: nn.LogSoftmax(dim=1), np.array([0, 3]), np.array([-1, 0]), "out of range"),
])
def test_targets_a_loss_refuses_raise_the_eager_error_after_replaying(loss_fn, last, good, bad, error):
    model = nn.Sequential(nn.Linear(3, 4, rng=0), last())
    step = nn.TrainStep(model, loss_fn, nn.optim.SGD(model.parameters(), lr=0.1))
    x = np.ones((2, 3), np.float32)
    step(x, good), step(x, good)
    assert step.eager_reason is None
    before = [p.data.copy() for p in model.parameters()]
    with pytest.raises(ValueError, match=error):  # (binary_cross_entropy's ValueError, nll_loss's TargetRangeError)
        step(x, bad)
    for p, value in zip(model.parameters(), before):
        np.testing.assert_array_equal(p.data, value)
    assert all(p.grad is None for p in model.parameters())  # (the eager step's zero_grad, then its error)


def test_a_batch_with_an_ignored_target_runs_eagerly_and_the_recording_stays():
    eager, compiled = _pair([3, 6, 4])
    batches = _batches(np.random.default_rng(12), 30, 3, 4, 5)
    x, y = batches[3]
    batches[3] = (x, np.where(np.arange(len(y)) == 0, -100, y))  # a padded batch's ignored target
    step = _run_both(eager, compiled, nn.CrossEntropyLoss(), batches, keep_step=True)
    reasons = step.reasons
    assert "targets are outside" in reasons[3] and reasons[4:] == [None] * 2
    # (after a batch with one, the replay checks the targets before its forward, not by the loss's forward raising)
    assert [run.__globals__["padded"] for run in step._compiled.values()] == [[True]]


def test_an_error_in_the_input_cast_leaves_the_gradients_none_as_the_eager_step():
    _, (model, optimizer) = _pair([3, 4])
    step = nn.TrainStep(model, nn.CrossEntropyLoss(), optimizer)
    x, y = np.ones((2, 3)), np.array([0, 1])
    step(x, y), step(x, y)
    assert step.eager_reason is None and all(p.grad is not None for p in model.parameters())
    with np.errstate(over="raise"), pytest.raises(FloatingPointError):
        step(np.full((2, 3), 1e300), y)  # past float32: the cast overflows
    assert all(p.grad is None for p in model.parameters())


def test_class_probability_targets_replay():
    eager, compiled = _pair([3, 6, 4])
    rng = np.random.default_rng(16)
    batches = [(rng.standard_normal((5, 3)).astype(np.float32),
                rng.dirichlet(np.ones(4), 5).astype(np.float32)) for _ in range(4)]
    assert _run_both(eager, compiled, nn.CrossEntropyLoss(), batches)[1:] == [None] * 3
