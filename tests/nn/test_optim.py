"""nn.optim: each rule's first steps equal a NumPy transcription of torch.optim's formula, bit for bit.

The references below are written plainly (no in-place tricks) from PyTorch's single-tensor
implementations; the optimizers under test are fed the same gradients, g(p) = a + b * p,
so both follow the same trajectory. When torch is installed the same steps are also
compared with torch.optim itself (to rounding: its vectorised kernels fuse multiply-adds). State dicts, copies and
pickles: test_optim_state_dict.py.
"""
import math
import re

import numpy as np
import pytest

import autograd_core as ag
import nn
from nn import optim

STEPS = 4
rng = np.random.default_rng(0)
P0 = rng.standard_normal((3, 4))
A = rng.standard_normal((3, 4))
B = rng.uniform(0.5, 2.0, (3, 4))


def grad_of(p):
    return A.astype(p.dtype) + B.astype(p.dtype) * p


# ---- the references: torch.optim's formulas, in torch's order of operations --------------------
def ref_sgd(p, lr, momentum=0, dampening=0, weight_decay=0, nesterov=False):
    buf = None
    for _ in range(STEPS):
        g = grad_of(p)
        if weight_decay:
            g = g + weight_decay * p
        if momentum:
            buf = g.copy() if buf is None else buf * momentum + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        p = p + (-lr) * g
    return p


def ref_adam(p, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, decoupled=False):
    b1, b2 = betas
    m, v, v_max = np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
    for t in range(1, STEPS + 1):
        g = grad_of(p)
        if decoupled:
            p = p * (1 - lr * weight_decay)
        elif weight_decay:
            g = g + weight_decay * p
        w = p.dtype.type(1 - b1)  # torch.lerp: two formulas, by the weight's size
        m = m + w * (g - m) if w < 0.5 else g - (g - m) * (1 - w)
        v = v * b2 + ((1 - b2) * g) * g  # addcmul: self + (value * t1) * t2
        bias_correction1, bias_correction2 = 1 - b1 ** t, 1 - b2 ** t
        step_size = lr / bias_correction1
        v_max = np.maximum(v_max, v)  # amsgrad: the largest second moment so far
        denom = np.sqrt(v_max if amsgrad else v) / math.sqrt(bias_correction2) + eps
        p = p + ((-step_size) * m) / denom  # addcdiv: self + (value * t1) / t2
    return p


def ref_rmsprop(p, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False):
    sq, buf, ga = np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
    for _ in range(STEPS):
        g = grad_of(p)
        if weight_decay:
            g = g + weight_decay * p
        sq = sq * alpha + ((1 - alpha) * g) * g
        if centered:
            ga = ga + (1 - alpha) * (g - ga)
            avg = np.sqrt(sq + (-1 * ga) * ga) + eps
        else:
            avg = np.sqrt(sq) + eps
        if momentum:
            buf = buf * momentum + g / avg
            p = p + (-lr) * buf
        else:
            p = p + ((-lr) * g) / avg
    return p


def ref_adagrad(p, lr=1e-2, eps=1e-10, weight_decay=0, lr_decay=0, initial_accumulator_value=0.0):
    s = np.full_like(p, initial_accumulator_value)
    for t in range(1, STEPS + 1):
        g = grad_of(p)
        if weight_decay:
            g = g + weight_decay * p
        clr = lr / (1 + (t - 1) * lr_decay)
        s = s + g * g
        p = p + ((-clr) * g) / (np.sqrt(s) + eps)
    return p


CASES = [
    ("SGD", dict(lr=0.1), ref_sgd),
    ("SGD", dict(lr=0.1, weight_decay=0.01), ref_sgd),
    ("SGD", dict(lr=0.1, momentum=0.9), ref_sgd),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.1), ref_sgd),
    ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True), ref_sgd),
    ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01), ref_sgd),
    ("Adam", dict(lr=0.01), ref_adam),
    ("Adam", dict(lr=0.1, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1), ref_adam),
    ("Adam", dict(lr=0.1, betas=(0.3, 0.5)), ref_adam),  # beta1 < 0.5: lerp's other formula
    ("AdamW", dict(lr=0.01), lambda p, **kw: ref_adam(p, weight_decay=1e-2, decoupled=True, **kw)),
    ("AdamW", dict(lr=0.1, weight_decay=0.3), lambda p, **kw: ref_adam(p, decoupled=True, **kw)),
    # beta2 = 0.5 forgets fast, so v falls below its running maximum within STEPS: amsgrad changes the path
    ("Adam", dict(lr=0.1, betas=(0.9, 0.5), amsgrad=True), ref_adam),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.5), weight_decay=0.1, amsgrad=True), ref_adam),
    ("AdamW", dict(lr=0.1, betas=(0.9, 0.5), weight_decay=0.3, amsgrad=True),
     lambda p, **kw: ref_adam(p, decoupled=True, **kw)),
    ("RMSprop", dict(lr=0.01), ref_rmsprop),
    ("RMSprop", dict(lr=0.01, alpha=0.9, weight_decay=0.1), ref_rmsprop),
    ("RMSprop", dict(lr=0.01, momentum=0.9), ref_rmsprop),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True, weight_decay=0.01), ref_rmsprop),
    ("RMSprop", dict(lr=0.01, eps=1e-3), ref_rmsprop),
    ("RMSprop", dict(lr=0.01, eps=1e-3, centered=True), ref_rmsprop),
    ("Adagrad", dict(lr=0.1), ref_adagrad),
    ("Adagrad", dict(lr=0.1, weight_decay=0.1, lr_decay=0.01), ref_adagrad),
    ("Adagrad", dict(lr=0.1, eps=1e-3, initial_accumulator_value=0.5), ref_adagrad),
]
IDS = [f"{name}-{'-'.join(f'{k}={v}' for k, v in kw.items())}" for name, kw, _ in CASES]


def run_ours(name, kwargs, dtype, steps=STEPS):
    p = ag.tensor(P0.astype(dtype), requires_grad=True)
    opt = getattr(optim, name)([p], **kwargs)
    for _ in range(steps):
        opt.zero_grad()
        p.grad = ag.tensor(grad_of(p.data))
        opt.step()
    return p, opt


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name,kwargs,reference", CASES, ids=IDS)
def test_steps_equal_the_numpy_transcription_of_torch_formula(name, kwargs, reference, dtype):
    p, _ = run_ours(name, kwargs, dtype)
    expected = reference(P0.astype(dtype), **kwargs)
    assert p.data.dtype == dtype
    np.testing.assert_array_equal(p.data, expected)
    assert not np.array_equal(p.data, P0.astype(dtype))


@pytest.mark.parametrize("dtype,tol", [(np.float32, dict(rtol=1e-5, atol=1e-6)),
                                       (np.float64, dict(rtol=1e-12, atol=1e-14))])
@pytest.mark.parametrize("name,kwargs,reference", CASES, ids=IDS)
def test_steps_match_torch_optim(name, kwargs, reference, dtype, tol):
    """Equal to rounding: torch's add(alpha=...) kernels fuse the multiply-add (one rounding, FMA),
    NumPy rounds twice (verified by hand: float32 p.add_(g, alpha=-lr) equals p + alpha * g rounded once from float64)."""
    torch = pytest.importorskip("torch")
    tp = torch.tensor(P0.astype(dtype), requires_grad=True)
    topt = getattr(torch.optim, name)([tp], **kwargs)
    for _ in range(STEPS):
        topt.zero_grad()
        tp.grad = torch.from_numpy(grad_of(tp.detach().numpy()))
        topt.step()
    p, _ = run_ours(name, kwargs, dtype)
    np.testing.assert_allclose(p.data, tp.detach().numpy(), **tol)


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
def test_amsgrad_keeps_the_running_maximum_and_changes_the_path(name):
    kwargs = dict(lr=0.1, betas=(0.9, 0.5))
    plain, _ = run_ours(name, kwargs, np.float64)
    p, opt = run_ours(name, {**kwargs, "amsgrad": True}, np.float64)
    state = opt.state[p]
    assert set(state) == {"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"}
    assert np.all(state["max_exp_avg_sq"] >= state["exp_avg_sq"])
    assert np.any(state["max_exp_avg_sq"] > state["exp_avg_sq"])  # v fell below its maximum somewhere
    assert not np.array_equal(p.data, plain.data)
    assert opt.param_groups[0]["amsgrad"] is True and "max_exp_avg_sq" in opt.state_dict()["state"][0]
    assert optim.Adam([ag.tensor([1.0], requires_grad=True)]).param_groups[0]["amsgrad"] is False  # torch's default


def test_gradients_from_backward_drive_the_update():
    """End to end: backward() fills .grad, step() applies SGD to it."""
    w = ag.tensor([1.0, -2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.25)
    for _ in range(3):
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
    np.testing.assert_array_equal(w.data, np.array([1.0, -2.0]) * 0.5 ** 3)


def test_parameters_without_grad_are_skipped_and_zero_grad_sets_none():
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    b = ag.tensor([3.0], requires_grad=True)
    opt = optim.Adam([a, b], lr=0.1)
    (a * a).sum().backward()
    opt.step()
    assert b.data.tolist() == [3.0] and id(b) not in opt.state
    assert not np.array_equal(a.data, [1.0, 2.0])
    opt.zero_grad()
    assert a.grad is None and b.grad is None


def test_param_groups_carry_their_own_hyper_parameters():
    a = ag.tensor([1.0], requires_grad=True)
    b = ag.tensor([1.0], requires_grad=True)
    opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1, momentum=0.0)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    a.grad, b.grad = ag.tensor([1.0]), ag.tensor([1.0])
    opt.step()
    assert a.data.tolist() == [0.9] and b.data.tolist() == [0.5]


def test_frozen_parameters_are_accepted_and_skipped_as_in_torch():
    layer = nn.Linear(2, 2, rng=0)
    layer.bias.requires_grad = False  # frozen: torch.optim accepts it and never updates it
    opt = optim.SGD(layer.parameters(), lr=0.1, momentum=0.9)
    bias, weight = layer.bias.data.copy(), layer.weight.data.copy()
    layer(np.ones((3, 2))).sum().backward()
    opt.step()
    assert np.array_equal(layer.bias.data, bias) and not np.array_equal(layer.weight.data, weight)
    assert layer.bias.grad is None and layer.bias not in opt.state and layer.weight in opt.state


@pytest.mark.parametrize("beta1", [0.5, 0.500000001])
def test_adam_with_beta1_one_half_takes_lerps_second_formula_as_torch(beta1):
    # torch.lerp(m, g, w) is m + w (g - m) for |w| < 0.5 and g - (g - m)(1 - w) from 0.5 on: at w = 0.5 they round
    # differently in a few elements of a thousand. w is decided in the parameter's dtype: 1 - 0.500000001 is 0.5 in
    # float32.
    rng = np.random.default_rng(0)
    p = ag.tensor(rng.standard_normal(1000).astype(np.float32), requires_grad=True)
    opt = optim.Adam([p], lr=0.01, betas=(beta1, 0.999))
    m, half = np.zeros(1000, np.float32), np.float32(0.5)
    for _ in range(3):
        g = rng.standard_normal(1000).astype(np.float32)
        p.grad = ag.tensor(g)
        opt.step()
        m = g - (g - m) * (1 - half)
        np.testing.assert_array_equal(opt.state[p]["exp_avg"], m)


def test_boundary_hyper_parameters_that_pytorch_accepts_are_accepted():
    p = [ag.tensor([1.0], requires_grad=True)]
    optim.RMSprop(p, lr=0.1, alpha=1.0)  # alpha = 1: the average never forgets, still finite
    optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True)
    optim.Adam(p, betas=(0.0, 0.0))


def test_step_with_a_closure_records_it_and_returns_its_loss_as_in_torch():
    w = ag.tensor([3.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with ag.no_grad():  # the closure records its graph all the same
        loss = opt.step(closure)
    assert loss.item() == 9.0 and w.data.tolist() == [3.0 - 0.1 * 6.0]
    assert opt.step() is None


@pytest.mark.parametrize("make,message", [
    (lambda p: optim.SGD(p, lr=-0.1), "lr"),
    (lambda p: optim.Adam(p, lr=-1e-3), "lr"),
    (lambda p: optim.AdamW(p, lr=-1.0), "lr"),
    (lambda p: optim.RMSprop(p, lr=-0.01), "lr"),
    (lambda p: optim.Adagrad(p, lr=-0.01), "lr"),
    (lambda p: optim.Adam(p, betas=(1.0, 0.999)), "betas"),
    (lambda p: optim.Adam(p, betas=(0.9,)), "betas"),
    (lambda p: optim.Adam(p, eps=-1e-8), "eps"),
    (lambda p: optim.RMSprop(p, alpha=-0.5), "alpha"),
    (lambda p: optim.RMSprop(p, alpha=1.5), r"alpha=1.5; the average's decay must be in \[0, 1\]"),  # NaN steps
    (lambda p: optim.SGD(p, lr=0.1, momentum=-0.9), "momentum"),
    (lambda p: optim.SGD(p, lr=0.1, nesterov=True), "nesterov"),
    (lambda p: optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), "nesterov"),  # as PyTorch
    (lambda p: optim.Adam(p, weight_decay=-1), "weight_decay"),
    (lambda p: optim.Adam([{"params": p, "lr": -2.0}]), "lr"),
])
def test_invalid_hyper_parameters_raise_value_error_naming_them(make, message):
    with pytest.raises(ValueError, match=message):
        make([ag.tensor([1.0], requires_grad=True)])


@pytest.mark.parametrize("make, message", [
    (lambda p: optim.SGD(p, lr="0.1"), r"SGD: invalid lr='0.1'; it must be a number >= 0"),
    (lambda p: optim.Adam(p, betas=0.9), r"Adam: invalid betas=0.9; it must be a pair"),
    (lambda p: optim.Adam(p, betas=("a", 0.9)), r"Adam: invalid betas=\('a', 0.9\); it must be a pair"),
    (lambda p: optim.Adagrad(p, eps=None), r"Adagrad: invalid eps=None"),
])
def test_hyper_parameters_that_are_no_numbers_raise_type_error_as_in_pytorch(make, message):
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):  # PyTorch's own checks compare them with numbers
        torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr="0.1")
    with pytest.raises(TypeError, match=message):
        make([ag.tensor([1.0], requires_grad=True)])


def test_bad_parameter_lists_are_refused():
    with pytest.raises(ValueError, match="empty"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match=r"^SGD: params must be .* got the module Linear; pass model.parameters\(\)"):
        optim.SGD(nn.Linear(2, 1), lr=0.1)
    with pytest.raises(TypeError, match="single Tensor"):
        optim.SGD(ag.tensor([1.0], requires_grad=True), lr=0.1)
    w = ag.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="more than one parameter group"):
        optim.SGD([{"params": [w]}, {"params": [w]}], lr=0.1)
    with pytest.raises(ValueError, match=r"shape \(1,\) appears twice in one parameter group"):
        optim.SGD([w, w], lr=0.1)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"])
def test_non_leaf_tensors_are_refused_as_in_torch(name):
    w = ag.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"can't optimize a non-leaf Tensor.*computed by mul"):
        getattr(optim, name)([w * 2], lr=0.1)


@pytest.mark.parametrize("name,kwargs", [("SGD", dict(lr=0.1)), ("SGD", dict(lr=0.1, momentum=0.9)),
                                         ("Adam", {}), ("RMSprop", {}), ("Adagrad", {})])
def test_a_gradient_or_state_of_the_wrong_shape_is_named_at_step(name, kwargs):
    # The .grad setter refuses a wrong shape; replacing arrays behind it is still explained at step().
    p = ag.tensor(np.ones(2), requires_grad=True)
    opt = getattr(optim, name)([p], **kwargs)
    p.grad = ag.tensor(np.ones(2))
    p.grad.data = np.ones(3)
    with pytest.raises(ValueError, match=rf"{name}.step: the gradient of a parameter of shape \(2,\) has shape \(3,\)"):
        opt.step()
    p = ag.tensor(np.ones(2), requires_grad=True)
    opt = getattr(optim, name)([p], **kwargs)
    p.grad = ag.tensor(np.ones(2))
    opt.step()  # state made for shape (2,)
    p.data, p.grad = np.ones(3), ag.tensor(np.ones(3))
    if opt.state:
        with pytest.raises(ValueError, match=r"the state '\w+' of a parameter of shape \(3,\) has shape \(2,\)"):
            opt.step()


def test_zero_grad_can_zero_in_place_instead():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    (w * w).sum().backward()
    grad = w.grad
    opt.zero_grad(set_to_none=False)
    assert w.grad is grad and w.grad.data.tolist() == [0.0, 0.0]


def _module_holding(w):
    module = nn.Module()
    module.w = w
    return module


@pytest.mark.parametrize("owner", [lambda w: optim.SGD([w], lr=0.1), _module_holding], ids=["optimizer", "module"])
def test_zero_grad_in_place_leaves_graphs_built_on_a_recorded_gradient_intact(owner):
    # One rule for both: a .grad that is part of a graph gets a fresh zero Tensor instead of being zeroed.
    w = nn.Parameter([2.0])
    zero_grad = owner(w).zero_grad
    (w ** 3).sum().backward(create_graph=True)  # w.grad = 3 w^2, recorded
    penalty = (w.grad * w.grad).sum()  # 9 w^4
    zero_grad(set_to_none=False)
    penalty.backward()
    assert w.grad.data.tolist() == [288.0]  # 0 + 36 w^3: the penalty still saw w.grad = 12
    g = ag.tensor([3.0], requires_grad=True)  # a gradient set by hand that is itself a leaf requiring grad
    w.grad = g
    square = (g * g).sum()
    zero_grad(set_to_none=False)
    square.backward()
    assert g.data.tolist() == [3.0] and g.grad.data.tolist() == [6.0] and w.grad.data.tolist() == [0.0]


def test_optimizer_repr_lists_each_group_as_torch_does():
    """Each line of our repr (name, "Parameter Group i", "    key: value" sorted) is in torch's, in the same order;
    torch's adds only its own extra settings (foreach, fused, ...)."""
    torch = pytest.importorskip("torch")
    ours = nn.optim.SGD([ag.tensor([1.0], requires_grad=True)], lr=0.1, momentum=0.9)
    ours.add_param_group({"params": [ag.tensor([2.0], requires_grad=True)], "lr": 0.01})
    theirs = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
    theirs.add_param_group({"params": [torch.zeros(1, requires_grad=True)], "lr": 0.01})
    lines, expected = repr(ours).splitlines(), repr(theirs).splitlines()
    assert lines[0] == expected[0] == "SGD (" and lines[-1] == expected[-1] == ")"
    assert [line for line in expected if line in lines] == lines
    assert "Parameter Group 1" in lines and "    lr: 0.01" in lines


@pytest.mark.parametrize("name", ["Adam", "AdamW", "RMSprop", "Adagrad"])
def test_default_hyper_parameters_are_torchs(name):
    """API.md: the defaults of torch.optim (lr=1e-3 for Adam, 1e-2 for RMSprop and Adagrad, ...)."""
    torch = pytest.importorskip("torch")
    ours = getattr(nn.optim, name)([ag.tensor([1.0], requires_grad=True)]).defaults
    theirs = getattr(torch.optim, name)([torch.zeros(1, requires_grad=True)]).defaults
    assert {"lr", "eps", "weight_decay"} <= set(ours)
    for key in ours:
        assert ours[key] == theirs[key], key


@pytest.mark.parametrize("lr", [ag.tensor(0.1), np.array(0.1)], ids=["tensor", "array"])
def test_a_0d_learning_rate_is_refused_with_a_type_error_saying_to_pass_a_number(lr):
    # (a ValueError said "it must be a number >= 0" of 0.1; PyTorch takes a tensor lr, this engine a number)
    with pytest.raises(TypeError, match=r"SGD: invalid lr=.*it must be a number >= 0 \(a Python or NumPy number\)"):
        optim.SGD([ag.tensor([1.0], requires_grad=True)], lr=lr)


@pytest.mark.parametrize("make", [
    lambda params, flag: optim.SGD(params, lr=0.1, momentum=0.9, nesterov=flag),
    lambda params, flag: optim.Adam(params, amsgrad=flag),
    lambda params, flag: optim.AdamW(params, amsgrad=flag),
    lambda params, flag: optim.RMSprop(params, centered=flag),
    lambda params, flag: optim.SGD([{"params": params, "nesterov": flag}], lr=0.1, momentum=0.9),
], ids=["SGD nesterov", "Adam amsgrad", "AdamW amsgrad", "RMSprop centered", "a group's nesterov"])
def test_text_for_an_optimizers_flag_is_refused(make):
    # README: text where a flag belongs is refused ("no" would read as True: Nesterov's update).
    with pytest.raises(TypeError, match=r"(nesterov|amsgrad|centered) must be True or False, got 'no'"):
        make([ag.tensor([1.0], requires_grad=True)], "no")
    make([ag.tensor([1.0], requires_grad=True)], np.False_)  # NumPy's bools are bools


def test_text_for_zero_grads_set_to_none_is_refused():
    w = ag.tensor([1.0], requires_grad=True)
    (w * 2).sum().backward()
    with pytest.raises(TypeError, match=r"SGD.zero_grad: set_to_none must be True or False, got 'no'"):
        optim.SGD([w], lr=0.1).zero_grad(set_to_none="no")
    assert w.grad is not None


# ---- found by mutation testing (session 17) -----------------------------------------------------------------
@pytest.mark.parametrize("kind", [set, frozenset])
def test_a_parameter_group_given_as_a_set_is_refused_as_its_order_changes_between_runs(kind):
    ps = [nn.Parameter(np.ones(2)) for _ in range(3)]
    with pytest.raises(TypeError, match=f"SGD: a parameter group's 'params' must be .* not a {kind.__name__}"):
        optim.SGD([{"params": kind(ps)}], lr=0.1)
    with pytest.raises(TypeError, match="Adam: a parameter group's 'params' must be an ordered collection"):
        optim.Adam(ps[:1]).add_param_group({"params": kind(ps[1:])})


# ---- maximize, and PyTorch's implementation switches ------------------------------------------------------------
MAXIMIZE_CASES = [(optim.SGD, dict(lr=0.1, momentum=0.9, weight_decay=0.1, nesterov=True)),
                  (optim.Adam, dict(lr=0.1, weight_decay=0.1, amsgrad=True)), (optim.AdamW, dict(lr=0.1)),
                  (optim.RMSprop, dict(lr=0.01, momentum=0.5, centered=True, weight_decay=0.1)),
                  (optim.Adagrad, dict(lr=0.1, weight_decay=0.1))]


def _ascend(make, objective, steps=5):
    """The parameter after steps of make(params) on objective(p) (maximize is in make)."""
    p = nn.Parameter(np.array([1.0, -2.0, 0.5]))
    opt = make([p])
    for _ in range(steps):
        opt.zero_grad()
        objective(p).backward()
        opt.step()
    return p.data


@pytest.mark.parametrize("kind, options", MAXIMIZE_CASES, ids=[kind.__name__ for kind, _ in MAXIMIZE_CASES])
def test_maximize_follows_the_negated_gradient_bit_for_bit(kind, options):
    # Maximizing f is minimizing -f: the engine's gradient of -f is exactly -g, so the trajectories are the same.
    maximized = _ascend(lambda ps: kind(ps, maximize=True, **options), lambda p: -(p * p).sum() + p.sum())
    minimized = _ascend(lambda ps: kind(ps, **options), lambda p: (p * p).sum() - p.sum())
    np.testing.assert_array_equal(maximized, minimized)
    assert not np.array_equal(maximized, _ascend(lambda ps: kind(ps, **options), lambda p: -(p * p).sum() + p.sum()))
    torch = pytest.importorskip("torch")
    t = torch.nn.Parameter(torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64))
    opt = getattr(torch.optim, kind.__name__)([t], maximize=True, **options)
    for _ in range(5):
        opt.zero_grad()
        (-(t * t).sum() + t.sum()).backward()
        opt.step()
    np.testing.assert_allclose(maximized, t.detach().numpy(), rtol=1e-14, atol=1e-15)


def test_maximize_is_a_group_hyper_parameter_kept_in_the_state_dict():
    p, q = nn.Parameter(np.ones(2)), nn.Parameter(np.ones(2))
    opt = optim.Adam([{"params": [p]}, {"params": [q], "maximize": False}], maximize=True)
    assert [group["maximize"] for group in opt.param_groups] == [True, False]
    fresh = optim.Adam([{"params": [p]}, {"params": [q]}])
    fresh.load_state_dict(opt.state_dict())
    assert [group["maximize"] for group in fresh.param_groups] == [True, False]


@pytest.mark.parametrize("options", [dict(foreach=None), dict(foreach=True), dict(foreach=False), dict(fused=True),
                                     dict(fused=None), dict(capturable=True), dict(differentiable=False)])
def test_pytorchs_implementation_switches_are_taken_and_change_nothing(options):
    plain = _ascend(lambda ps: optim.Adam(ps, lr=0.1), lambda p: (p * p).sum())
    switched = _ascend(lambda ps: optim.Adam(ps, lr=0.1, **options), lambda p: (p * p).sum())
    np.testing.assert_array_equal(plain, switched)


@pytest.mark.parametrize("call, error, message", [
    (lambda ps: optim.SGD(ps, lr=0.1, differentiable=True), ValueError,
     "SGD: differentiable=True is not supported: the update runs in NumPy under no_grad"),
    (lambda ps: optim.Adam(ps, foreach="yes"), TypeError, "Adam: foreach must be"),
    (lambda ps: optim.RMSprop(ps, maximize="no"), TypeError, "RMSprop: maximize must be"),
    (lambda ps: optim.Adagrad(ps, nesterov=True), TypeError,
     "Adagrad: unexpected keyword argument 'nesterov'; besides its hyper-parameters it takes maximize="),
])
def test_bad_switches_are_refused_naming_the_optimizer(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call([nn.Parameter(np.ones(2))])
