"""lr_scheduler.CyclicLR (nn/optim/lr_scheduler/cyclic.py): the three modes and scale_fn against NumPy closed forms
and against torch's rates and momenta to the last bit over many steps (SGD's momentum, Adam's beta1), per-group
settings, the state_dict round trip, and the errors."""
import numpy as np
import pytest

import autograd_core as ag
from nn import optim
from nn.optim.lr_scheduler import CyclicLR

# These tests follow the schedules themselves, mostly without optimizer steps: PyTorch's warning about that
# order (asserted on its own in test_lr_scheduler.py) would only be noise here.
pytestmark = pytest.mark.filterwarnings(r"ignore:Detected call of `lr_scheduler.step\(\)` before")


def _sgd(groups=1, **kwargs):
    return optim.SGD([{"params": [ag.tensor([1.0], requires_grad=True)]} for _ in range(groups)], lr=0.1,
                     momentum=0.9, **kwargs)


def _rates(sched, steps):
    rates = []
    for _ in range(steps):
        rates.append(sched.get_last_lr()[0])
        sched.optimizer.step()
        sched.step()
    return np.array(rates)


def _triangle(steps, up, down):
    """The triangle wave from 0 up to 1 over up steps and down to 0 over down steps, and the cycle (from 1)."""
    t = np.arange(steps)
    position = t % (up + down)
    return np.where(position <= up, position / up, 1 - (position - up) / down), t // (up + down) + 1


@pytest.mark.parametrize("mode", ["triangular", "triangular2", "exp_range"])
def test_modes_against_the_closed_forms(mode):
    sched = CyclicLR(_sgd(), base_lr=0.01, max_lr=0.3, step_size_up=5, step_size_down=3, mode=mode, gamma=0.97)
    wave, cycle = _triangle(50, 5, 3)
    scale = {"triangular": np.ones(50), "triangular2": 0.5 ** (cycle - 1), "exp_range": 0.97 ** np.arange(50)}[mode]
    np.testing.assert_allclose(_rates(sched, 50), 0.01 + 0.29 * wave * scale, rtol=1e-12)


def test_momentum_cycles_inversely_and_is_set_at_creation():
    opt = _sgd()
    sched = CyclicLR(opt, base_lr=0.1, max_lr=1.0, step_size_up=4)
    assert opt.param_groups[0]["lr"] == 0.1 and opt.param_groups[0]["momentum"] == 0.9
    wave, _ = _triangle(20, 4, 4)
    momenta = []
    for _ in range(20):
        momenta.append(opt.param_groups[0]["momentum"])
        sched.step()
    np.testing.assert_allclose(momenta, 0.9 - 0.1 * wave, rtol=1e-12)
    assert opt.param_groups[0]["max_momentum"] == 0.9 and opt.param_groups[0]["base_momentum"] == 0.8
    adam = optim.Adam([ag.tensor([1.0], requires_grad=True)], betas=(0.5, 0.99))
    CyclicLR(adam, 0.1, 1.0, base_momentum=0.7, max_momentum=0.95).step()
    assert adam.param_groups[0]["betas"][1] == 0.99 and 0.7 < adam.param_groups[0]["betas"][0] < 0.95


def test_per_group_settings_and_custom_scale_fn():
    opt = _sgd(groups=2)
    sched = CyclicLR(opt, base_lr=[0.1, 0.2], max_lr=[1.0, 2.0], step_size_up=2, scale_fn=lambda x: 1.0 / (x + 1),
                     scale_mode="iterations", cycle_momentum=False)
    for _ in range(3):
        sched.step()
    assert sched.get_last_lr() == [0.1 + 0.9 * 0.5 / 4, 0.2 + 1.8 * 0.5 / 4]
    assert opt.param_groups[0]["momentum"] == 0.9  # not cycled


def _torch_pair(torch, kind, **kwargs):
    tp, p = torch.nn.Parameter(torch.ones(2)), ag.tensor([1.0, 1.0], requires_grad=True)
    if kind == "sgd":
        to, o = torch.optim.SGD([tp], lr=0.5, momentum=0.5), optim.SGD([p], lr=0.5, momentum=0.5)
    else:
        to, o = torch.optim.Adam([tp], lr=0.5), optim.Adam([p], lr=0.5)
    return torch.optim.lr_scheduler.CyclicLR(to, **kwargs), CyclicLR(o, **kwargs)


class _Halving:
    """A callable object for scale_fn (saved in the state dict by its attributes, as torch's)."""

    def __init__(self, factor):
        self.factor = factor

    def __call__(self, x):
        return self.factor ** x

    def __repr__(self):  # (a test id the same in every process: pytest-xdist's workers compare them)
        return f"_Halving({self.factor})"


@pytest.mark.parametrize("kind", ["sgd", "adam"])
@pytest.mark.parametrize("settings", [
    {"mode": "triangular"}, {"mode": "triangular2", "step_size_down": 3}, {"mode": "exp_range", "gamma": 0.993},
    {"scale_fn": _Halving(0.9), "scale_mode": "cycle"}, {"scale_fn": _Halving(0.99), "scale_mode": "iterations"},
    {"mode": "triangular", "step_size_up": 3.5, "step_size_down": 0.5}], ids=str)
def test_rates_and_momenta_equal_torchs_to_the_last_bit(kind, settings):
    torch = pytest.importorskip("torch")
    kwargs = {"base_lr": 0.003, "max_lr": 0.7, "step_size_up": 7, "base_momentum": 0.6, "max_momentum": 0.85,
              **settings}
    theirs, ours = _torch_pair(torch, kind, **kwargs)
    key = "momentum" if kind == "sgd" else "betas"
    for _ in range(300):
        assert ours.get_last_lr() == theirs.get_last_lr()
        assert ours.optimizer.param_groups[0][key] == theirs.optimizer.param_groups[0][key]
        theirs.optimizer.step()
        ours.optimizer.step()
        theirs.step()
        ours.step()


def test_state_dict_round_trip():
    sched = CyclicLR(_sgd(), base_lr=0.01, max_lr=0.2, step_size_up=3, mode="exp_range", gamma=0.9)
    for _ in range(5):
        sched.step()
    state = sched.state_dict()
    assert state["_scale_fn_custom"] is None and state["last_epoch"] == 5 and state["mode"] == "exp_range"
    assert all(not callable(v) for v in state.values())
    fresh = CyclicLR(_sgd(), base_lr=0.01, max_lr=0.2, step_size_up=10)
    fresh.load_state_dict(state)
    for _ in range(7):
        sched.step()
        fresh.step()
        assert fresh.get_last_lr() == sched.get_last_lr()
    with_fn = CyclicLR(_sgd(), 0.01, 0.2, scale_fn=_Halving(0.5))
    assert with_fn.state_dict()["_scale_fn_custom"] == {"factor": 0.5}
    other = CyclicLR(_sgd(), 0.01, 0.2, scale_fn=_Halving(0.9))
    other.load_state_dict(with_fn.state_dict())
    assert other._scale_fn_custom.factor == 0.5
    assert CyclicLR(_sgd(), 0.01, 0.2, scale_fn=lambda x: 1.0).state_dict()["_scale_fn_custom"] is None


def test_state_dict_keys_are_torchs():
    torch = pytest.importorskip("torch")
    theirs, ours = _torch_pair(torch, "sgd", base_lr=0.01, max_lr=0.1)
    assert set(theirs.state_dict()) - {"_get_lr_called_within_step", "_scale_fn_ref"} <= set(ours.state_dict())


@pytest.mark.parametrize("call, error, match", [
    (lambda: CyclicLR(_sgd(), 0.1, 1.0, mode="cosine"), ValueError, "CyclicLR: mode must be one of"),
    (lambda: CyclicLR(_sgd(), 0.1, 1.0, step_size_up=0), ValueError, "step_size_up must be a finite number > 0"),
    (lambda: CyclicLR(_sgd(), 0.1, 1.0, step_size_down=-1), ValueError, "step_size_down must be"),
    (lambda: CyclicLR(_sgd(), [0.1, 0.2], 1.0), ValueError, "base_lr has 2 values, but the optimizer has 1"),
    (lambda: CyclicLR(_sgd(), -0.1, 1.0), ValueError, "base_lr must be a finite number >= 0"),
    (lambda: CyclicLR(optim.Adagrad([ag.tensor([1.0], requires_grad=True)]), 0.1, 1.0), ValueError,
     "cycle_momentum=True cycles the momentum"),
    (lambda: CyclicLR(_sgd(), 0.1, 1.0, scale_fn=3), TypeError, "scale_fn must be a callable"),
    (lambda: CyclicLR(_sgd(), 0.1, 1.0, scale_fn=abs, scale_mode="epochs"), ValueError, "scale_mode must be"),
    (lambda: CyclicLR(optim.Adam([ag.tensor([1.0], requires_grad=True)]), 0.1, 1.0, max_momentum=1.0), ValueError,
     r"max_momentum must be a number in \[0, 1\)"),
    (lambda: CyclicLR([], 0.1, 1.0), TypeError, "expected an optimizer"),
])
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
