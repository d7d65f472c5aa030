# %% [markdown]
# # 7. Optimizers: adapting the step size
#
# The notes' gradient descent has five steps: initialise the weights randomly; loop until
# convergence: "compute (noisy) gradient $\partial J / \partial W$", "update weights
# $W \leftarrow W - \eta\, \partial J / \partial W$"; return the weights. Their next slide, *Adaptive
# Learning Rates*, says the step size "can be made larger or smaller depending on how large gradient
# is, how fast learning is happening, size of particular weights", and names the usual methods:
# **momentum, Adagrad, Adam, RMSProp**. This notebook writes each of them from its formula, checks
# `nn.optim` against those formulas, and then watches them on a problem small enough to draw and on
# the digits. It ends with the other way to adapt the step size: learning-rate schedules, fixed in
# advance or driven by the validation loss.

# %%
import numpy as np
import matplotlib.pyplot as plt
import autograd_core as ag
import nn
import nn.datasets

# %% [markdown]
# ## One learning rate for two curvatures
#
# The simplest cost where a single $\eta$ is a poor fit: a quadratic bowl, stretched,
# $$J(\boldsymbol w) = \tfrac12 \left(\lambda_1 w_1^2 + \lambda_2 w_2^2\right), \qquad \lambda_1 = 1,\ \lambda_2 = 20 .$$
# Gradient descent multiplies each coordinate by $1 - \eta\lambda_i$ per step, so it converges only if
# $|1 - \eta\lambda_i| < 1$ for both, that is $\eta < 2/\lambda_2 = 0.1$: the steep direction sets the
# learning rate, and the flat direction, shrinking by $1 - \eta\lambda_1 > 0.9$ per step, then crawls.
#
# The bowl is written with its Hessian $H$, $J = \tfrac12 \boldsymbol w^\top H \boldsymbol w$, so that
# it can be turned later. `descend` runs any `nn.optim` optimizer on it, with the gradient from the
# engine.

# %%
def rotation(angle):
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, -s], [s, c]])

H = np.diag([1.0, 20.0])
start = np.array([-4.0, 1.5])
STEPS = 200

def descend(make_optimizer, H=H, start=start, steps=STEPS, scale=1.0):
    """The path of w (steps + 1 points) from start under the optimizer, minimising scale * J."""
    w = nn.Parameter(start.copy())
    optimizer = make_optimizer([w])
    path = [w.data.copy()]
    for _ in range(steps):
        optimizer.zero_grad()
        (scale * 0.5 * (w * (ag.tensor(H) @ w)).sum()).backward()
        optimizer.step()
        path.append(w.data.copy())
    return np.array(path)

def cost(path, H=H):
    """J at each point of a path."""
    return 0.5 * np.einsum("ti,ij,tj->t", path, H, path)

def steps_to_reach(path, H=H, level=1e-6):
    """The first step at which J < level (None if never)."""
    below = np.flatnonzero(cost(path, H) < level)
    return int(below[0]) if below.size else None

for lr in (0.09, 0.11):
    path = descend(lambda p: nn.optim.SGD(p, lr=lr))
    print(f"gradient descent, lr {lr}: J after {STEPS} steps = {cost(path)[-1]:.3g}, "
          f"J < 1e-6 after {steps_to_reach(path)} steps")
assert steps_to_reach(descend(lambda p: nn.optim.SGD(p, lr=0.09))) < 100
assert steps_to_reach(descend(lambda p: nn.optim.SGD(p, lr=0.11))) is None  # diverges: 1 - 0.11 * 20 = -1.2

# %% [markdown]
# ## The update rules, from their formulas
#
# With $\boldsymbol g$ the gradient at step $t$ and all operations elementwise:
#
# | method | state update | weight update |
# |---|---|---|
# | momentum | $\boldsymbol b \leftarrow \mu \boldsymbol b + \boldsymbol g$ | $\boldsymbol w \leftarrow \boldsymbol w - \eta \boldsymbol b$ |
# | Adagrad | $\boldsymbol G \leftarrow \boldsymbol G + \boldsymbol g^2$ | $\boldsymbol w \leftarrow \boldsymbol w - \eta\, \boldsymbol g / (\sqrt{\boldsymbol G} + \epsilon)$ |
# | RMSProp | $\boldsymbol s \leftarrow \alpha \boldsymbol s + (1 - \alpha) \boldsymbol g^2$ | $\boldsymbol w \leftarrow \boldsymbol w - \eta\, \boldsymbol g / (\sqrt{\boldsymbol s} + \epsilon)$ |
# | Adam | $\boldsymbol m \leftarrow \beta_1 \boldsymbol m + (1 - \beta_1) \boldsymbol g$, $\boldsymbol v \leftarrow \beta_2 \boldsymbol v + (1 - \beta_2) \boldsymbol g^2$ | $\boldsymbol w \leftarrow \boldsymbol w - \eta\, \hat{\boldsymbol m} / (\sqrt{\hat{\boldsymbol v}} + \epsilon)$, $\hat{\boldsymbol m} = \frac{\boldsymbol m}{1 - \beta_1^t}$, $\hat{\boldsymbol v} = \frac{\boldsymbol v}{1 - \beta_2^t}$ |
#
# All states start at 0 (momentum's $\boldsymbol b$ at the first gradient). The defaults, as in
# `torch.optim`: Adagrad $\epsilon = 10^{-10}$; RMSProp $\alpha = 0.99$ and $\epsilon = 10^{-8}$, added
# after the square root (Goodfellow et al.'s Algorithm 8.5 puts it inside); Adam $\beta_1 = 0.9$,
# $\beta_2 = 0.999$, $\epsilon = 10^{-8}$.
#
# Momentum accumulates a velocity: along a direction where the gradient keeps its sign, steps grow
# up to $1/(1 - \mu)$ times (ten times for $\mu = 0.9$); where it flips sign they largely cancel.
# Goodfellow et al. call the momentum $\alpha$ and the learning rate $\epsilon$ (notes 002's $\epsilon$ too):
# $\boldsymbol v \leftarrow \alpha \boldsymbol v - \epsilon \boldsymbol g$,
# $\boldsymbol w \leftarrow \boldsymbol w + \boldsymbol v$. That is the same sequence of steps with
# $\boldsymbol v = -\eta \boldsymbol b$, as long as $\eta$ is constant (under a schedule, PyTorch's
# form rescales the whole velocity at once; theirs applies a new $\eta$ to new gradients only).
#
# The other three divide each coordinate's step by a running size of its own gradients, which is
# the slide's "how large gradient is", taken weight by weight: Adagrad by all of them so far (its
# effective rate $\eta / \sqrt{\boldsymbol G}$ only shrinks), RMSProp by a moving average of their
# squares. Adam comes last because it is RMSProp plus a moving average of the gradient itself (a
# momentum), with bias corrections for the zero initial states. Below each is written in NumPy, with
# the gradient $H \boldsymbol w$ of the bowl, and compared with `nn.optim` over 200 steps. The learning
# rates were picked by hand, from a few trials, to suit this bowl.

# %%
def reference_path(rule, steps=STEPS):
    """The same descent with a rule(w, g, state, t) written from the table above."""
    w, state, path = start.copy(), {}, [start.copy()]
    for t in range(1, steps + 1):
        w = rule(w, H @ w, state, t)
        path.append(w.copy())
    return np.array(path)

def momentum(lr, mu):
    def rule(w, g, state, t):
        state["b"] = mu * state["b"] + g if t > 1 else g
        return w - lr * state["b"]
    return rule

def adagrad(lr, eps=1e-10):
    def rule(w, g, state, t):
        state["G"] = state.get("G", 0) + g ** 2
        return w - lr * g / (np.sqrt(state["G"]) + eps)
    return rule

def rmsprop(lr, alpha=0.99, eps=1e-8):
    def rule(w, g, state, t):
        state["s"] = alpha * state.get("s", 0) + (1 - alpha) * g ** 2
        return w - lr * g / (np.sqrt(state["s"]) + eps)
    return rule

def adam(lr, beta1=0.9, beta2=0.999, eps=1e-8):
    def rule(w, g, state, t):
        state["m"] = beta1 * state.get("m", 0) + (1 - beta1) * g
        state["v"] = beta2 * state.get("v", 0) + (1 - beta2) * g ** 2
        m_hat, v_hat = state["m"] / (1 - beta1 ** t), state["v"] / (1 - beta2 ** t)
        return w - lr * m_hat / (np.sqrt(v_hat) + eps)
    return rule

# name: (nn.optim optimizer, the rule from the table, whether it rescales each coordinate)
methods = {
    "gradient descent, lr 0.09": (lambda p: nn.optim.SGD(p, lr=0.09), momentum(0.09, 0.0), False),
    "momentum 0.5, lr 0.05": (lambda p: nn.optim.SGD(p, lr=0.05, momentum=0.5), momentum(0.05, 0.5), False),
    "Adagrad, lr 1": (lambda p: nn.optim.Adagrad(p, lr=1.0), adagrad(1.0), True),
    "RMSProp, lr 0.05": (lambda p: nn.optim.RMSprop(p, lr=0.05), rmsprop(0.05), True),
    "Adam, lr 0.5": (lambda p: nn.optim.Adam(p, lr=0.5), adam(0.5), True),
}
paths = {}
for name, (make_optimizer, rule, _) in methods.items():
    paths[name] = descend(make_optimizer)
    expected = reference_path(rule)
    print(f"{name:26s} J < 1e-6 after {steps_to_reach(paths[name]):3d} steps; "
          f"largest difference from the formula: {np.abs(paths[name] - expected).max():.1e}")
    np.testing.assert_allclose(paths[name], expected, rtol=1e-12, atol=1e-12)

# %% [markdown]
# `nn.optim` computes the formulas' numbers to rounding (Adam's differ in the last bit: `nn.optim`
# keeps PyTorch's order of operations, which differs slightly from the table's).
#
# On the picture: gradient descent at 0.09 zigzags across the steep direction while creeping along
# the flat one. Momentum zigzags less and moves along the flat direction as if its rate were
# $\eta/(1 - \mu) = 0.1$, a rate plain descent cannot use (67 steps against 85 above). Adagrad and
# RMSProp start by moving both coordinates by the same amount, since each coordinate's step is
# divided by the size of its own gradient. RMSProp's first steps are $1/\sqrt{1 - \alpha} = 10$ times
# $\eta$: it starts from $\boldsymbol s = 0$ without Adam's bias correction. Adam also moves both
# coordinates alike, and its momentum carries it past the minimum.

# %%
grid_1, grid_2 = np.meshgrid(np.linspace(-4.5, 1.5, 300), np.linspace(-1.8, 1.8, 300))
grid = np.stack([grid_1.ravel(), grid_2.ravel()], axis=1)
fig, ax = plt.subplots(figsize=(9, 5.5))
ax.contour(grid_1, grid_2, cost(grid).reshape(grid_1.shape), levels=np.logspace(-2, 2, 12),
           colors="grey", alpha=0.5, linewidths=0.7)
for name, path in paths.items():
    ax.plot(*path[:41].T, ".-", ms=4, lw=1, label=name)
ax.plot(0, 0, "k*", ms=12)
ax.set_xlabel("$w_1$ (curvature 1)"); ax.set_ylabel("$w_2$ (curvature 20)")
ax.set_title("the first 40 steps on $J = (w_1^2 + 20 w_2^2)/2$")
ax.legend(loc="lower right", fontsize=9)
plt.show()

# %% [markdown]
# The rescaling is per coordinate, so it helps most when the steep and flat directions are the
# coordinate axes, as here. Turn the bowl and the starting point together by 45°: the same problem,
# with the steep and flat directions along the diagonals. Count the steps again:

# %%
turn = rotation(np.pi / 4)
H_turned, start_turned = turn @ H @ turn.T, turn @ start
counts = {}
print(f"{'':26s} {'along the axes':>15s} {'turned 45°':>11s}")
for name, (make_optimizer, _, _) in methods.items():
    path = descend(make_optimizer, H=H_turned, start=start_turned, steps=2000)
    counts[name] = steps_to_reach(paths[name]), steps_to_reach(path, H=H_turned)
    print(f"{name:26s} {counts[name][0]:15d} {counts[name][1]:11d}")
for name, (_, _, adaptive) in methods.items():
    assert counts[name][1] > counts[name][0] if adaptive else counts[name][1] == counts[name][0]
assert counts["Adagrad, lr 1"][1] > 3 * counts["Adagrad, lr 1"][0]
assert counts["RMSProp, lr 0.05"][1] > 2 * counts["RMSProp, lr 0.05"][0]

# %% [markdown]
# Gradient descent and momentum take exactly the same steps, turned: they do not care which way the
# bowl points. Adagrad, the fastest along the axes, now needs nearly four times as many steps,
# RMSProp twice as many and Adam a sixth more. A network's cost has no reason to be aligned with its
# weights, so the bowl along the axes is the adaptive rules' best case.
#
# ### How large the gradient is
#
# Multiply the cost by 1000. Gradient descent's steps grow a thousandfold, and it diverges at the
# rates used above (after 40 steps $|w_2|$ is near $10^{130}$); only $\eta < 2/(1000 \cdot 20) = 10^{-4}$
# would do. Adagrad, RMSProp and Adam divide the gradient by its own size, so their paths barely
# change (only $\epsilon$ tells the two costs apart):

# %%
for name, (make_optimizer, _, adaptive) in methods.items():
    scaled = descend(make_optimizer, steps=40, scale=1000.0)
    change = np.abs(scaled - paths[name][:41]).max()
    print(f"{name:26s} cost x 1000: the first 40 steps move by up to {change:.2g}")
    assert change < 1e-6 if adaptive else change > 1e100

# %% [markdown]
# ## On the digits: the learning rate matters as much as the method
#
# Now minibatch SGD as in the notes (each step uses the gradient of one minibatch of 32 examples) on
# the 8x8 digits: a $64 \to 64 \to 10$ ReLU MLP with cross-entropy, 10 epochs, the same initial
# weights and the same batches for every run. Each method is tried with six learning rates and judged
# on the validation loss after the last epoch; the test set, used once at the end, estimates how well
# each chosen model generalises. (This is one seed: on this small validation set, 270 images, one
# image is 0.4% of accuracy, and close rankings can change with the seed.)

# %%
X, y = nn.datasets.load_digits()
X = X / np.float32(16.0)
(X_train, y_train), (X_val, y_val), (X_test, y_test) = nn.train_val_test_split(X, y, val=0.15, test=0.15, rng=0)

optimizers = {
    "SGD": lambda params, lr: nn.optim.SGD(params, lr=lr),
    "SGD, momentum 0.9": lambda params, lr: nn.optim.SGD(params, lr=lr, momentum=0.9),
    "Adagrad": lambda params, lr: nn.optim.Adagrad(params, lr=lr),
    "RMSProp": lambda params, lr: nn.optim.RMSprop(params, lr=lr),
    "Adam": lambda params, lr: nn.optim.Adam(params, lr=lr),
}
learning_rates = [1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1]
runs, models = {}, {}
for name, make_optimizer in optimizers.items():
    for lr in learning_rates:
        models[name, lr] = model = nn.MLP([64, 64, 10], rng=0)
        runs[name, lr] = nn.fit(model, nn.CrossEntropyLoss(), make_optimizer(model.parameters(), lr),
                                (X_train, y_train), val=(X_val, y_val), epochs=10, progress=False, rng=0)

def test_accuracy(model):
    with ag.no_grad():
        return float((model.eval()(X_test).numpy().argmax(axis=1) == y_test).mean())

best = {name: min(learning_rates, key=lambda lr: runs[name, lr]["val_loss"][-1]) for name in optimizers}
print(f"{'method':18s} {'best lr':>8s} {'val loss':>9s} {'val accuracy':>13s} {'test accuracy':>14s}")
for name, lr in best.items():
    history = runs[name, lr]
    print(f"{name:18s} {lr:8g} {history['val_loss'][-1]:9.4f} {100 * history['val_accuracy'][-1]:12.1f}% "
          f"{100 * test_accuracy(models[name, lr]):13.1f}%")

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
for name in optimizers:
    axes[0].plot(learning_rates, [runs[name, lr]["val_loss"][-1] for lr in learning_rates], "o-", label=name)
    axes[1].plot(range(1, 11), runs[name, best[name]]["train_loss"], "o-", ms=3, label=f"{name}, lr {best[name]:g}")
axes[0].set_xscale("log"); axes[0].set_yscale("log")
axes[0].set_xlabel("learning rate"); axes[0].set_ylabel("validation loss after 10 epochs")
axes[0].set_title("each method over learning rates")
axes[1].set_yscale("log"); axes[1].set_xlabel("epoch"); axes[1].set_ylabel("mean minibatch loss in the epoch")
axes[1].set_title("each method at its best learning rate (by validation loss)")
for ax in axes:
    ax.grid(alpha=0.3, which="both"); ax.legend(fontsize=8)
plt.show()

final_val_loss = {key: history["val_loss"][-1] for key, history in runs.items()}
assert all(runs[name, lr]["val_accuracy"][-1] >= 0.92 for name, lr in best.items())
assert best["SGD"] >= 0.1 and max(best["Adam"], best["RMSProp"]) <= 0.03
assert min(final_val_loss["RMSProp", 0.3], final_val_loss["Adam", 0.3]) > 1.0  # they fail at 0.3
assert all(final_val_loss[name, 0.03] > final_val_loss[name, 0.01] for name in ("RMSProp", "Adam"))  # worse from 0.03
assert final_val_loss["Adagrad", 0.3] < 0.2  # Adagrad does not
for small, large in zip(learning_rates[:3], learning_rates[2:5]):  # momentum 0.9 at lr ~ plain SGD at 10 lr
    assert np.isclose(final_val_loss["SGD, momentum 0.9", small], final_val_loss["SGD", large], rtol=0.25)

# %% [markdown]
# Every method gets to between 92% and 99% validation accuracy at its own learning rate, and the best
# rates span a factor of 30: plain SGD's is 0.3, RMSProp's and Adam's about 0.01.
#
# * **Momentum**: for $\eta \le 0.01$ its curve on the left is plain SGD's moved one decade to the
#   left: momentum 0.9 at $\eta$ ends about where SGD at $10\eta$ does (the assert above). At larger
#   rates the match breaks, as it must: the $1/(1 - \mu)$ argument assumes the gradient hardly
#   changes over the $1/(1 - \mu) = 10$ steps the velocity remembers.
# * **RMSProp and Adam** take steps whose size per weight is set by $\eta$, not by the gradient's
#   size, so they degrade from $\eta = 0.03$ and fail at 0.3.
# * **Adagrad** tolerates large rates because its effective rate keeps shrinking.
#
# Comparing optimizers at one shared learning rate would mostly compare how well that rate suits each.
#
# ## Learning-rate schedules
#
# The slide's "how fast learning is happening" is also handled from outside the optimizer. A
# schedule lowers $\eta$ epoch by epoch, so that the late, noisy minibatch steps stop jumping around
# the minimum (a rule that watches the progress itself, `ReduceLROnPlateau`, is closer to the slide's
# words: it comes last). `nn.optim.lr_scheduler` has PyTorch's schedulers, with their names and
# arguments; three fixed ones here, `StepLR`, `ExponentialLR` and `CosineAnnealingLR`. As in PyTorch,
# `scheduler.step()` is called once per epoch, after that epoch's optimizer steps. Each follows a
# closed form:

# %%
from nn.optim.lr_scheduler import CosineAnnealingLR, ExponentialLR, StepLR

epochs = np.arange(11)
schedules = {  # name: (scheduler, its closed form for base rate 0.1)
    "StepLR(step_size=3, gamma=0.5)": (lambda opt: StepLR(opt, step_size=3, gamma=0.5), 0.1 * 0.5 ** (epochs // 3)),
    "ExponentialLR(gamma=0.8)": (lambda opt: ExponentialLR(opt, gamma=0.8), 0.1 * 0.8 ** epochs),
    "CosineAnnealingLR(T_max=10)": (lambda opt: CosineAnnealingLR(opt, T_max=10),
                                    0.05 * (1 + np.cos(np.pi * epochs / 10))),
}
fig, ax = plt.subplots(figsize=(7, 3.5))
for name, (make_schedule, closed_form) in schedules.items():
    optimizer = nn.optim.SGD([nn.Parameter(np.zeros(1))], lr=0.1)
    scheduler = make_schedule(optimizer)
    lrs = []
    for epoch in epochs:
        lrs.append(scheduler.get_last_lr()[0])
        optimizer.step()  # (the epoch's training would go here; no gradient, so nothing moves)
        scheduler.step()  # after the optimizer's steps, as PyTorch expects (it warns otherwise)
    np.testing.assert_allclose(lrs, closed_form, rtol=1e-14, atol=1e-15)
    ax.step(epochs, lrs, where="post", label=name)
ax.set_xlabel("epoch"); ax.set_ylabel("learning rate"); ax.legend(); ax.grid(alpha=0.3)
ax.set_title("three fixed schedules from base rate 0.1")
plt.show()

# %% [markdown]
# A training loop that uses one is PyTorch's usual loop. Here momentum SGD at the best constant rate
# of the sweep and at three times that, each once constant and once annealed towards 0 over the 10
# epochs (the last epoch runs at 2.4% of the first rate), with five seeds each (initial weights and
# batch order), since one run at a large rate says little:

# %%
def train_with_schedule(lr, schedule=None, seed=0, epochs=10):
    """Momentum SGD for `epochs` epochs; (training loss, validation loss) at the end."""
    model = nn.MLP([64, 64, 10], rng=seed)
    optimizer = nn.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    scheduler = schedule(optimizer) if schedule else None
    loader = nn.DataLoader(nn.TensorDataset(X_train, y_train), batch_size=32, shuffle=True, rng=seed)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        if scheduler:
            scheduler.step()
    with ag.no_grad():
        return loss_fn(model(X_train), y_train).item(), loss_fn(model(X_val), y_val).item()

def cosine(optimizer):
    return CosineAnnealingLR(optimizer, T_max=10)

lr_best = best["SGD, momentum 0.9"]
results = {(lr, label): np.array([train_with_schedule(lr, schedule, seed) for seed in range(5)])
           for lr in (lr_best, 3 * lr_best) for label, schedule in (("constant", None), ("cosine", cosine))}
print("momentum SGD, 10 epochs, 5 seeds   training loss: mean (min-max)   validation loss: mean")
for (lr, label), losses in results.items():
    train_losses, val_losses = losses[:, 0], losses[:, 1]
    print(f"  lr {lr:<4g} {label:8s} {train_losses.mean():25.4f} ({train_losses.min():.4f}-{train_losses.max():.4f})"
          f" {val_losses.mean():18.4f}")

# the hand-written loop with seed 0 is nn.fit's run from the sweep (same weights, same batches)
assert np.isclose(results[lr_best, "constant"][0, 1], final_val_loss["SGD, momentum 0.9", lr_best], rtol=1e-6)
annealed_large = results[3 * lr_best, "cosine"]
others = [losses for key, losses in results.items() if key != (3 * lr_best, "cosine")]
assert annealed_large[:, 0].mean() < 0.5 * min(losses[:, 0].mean() for losses in others)
assert np.ptp(results[3 * lr_best, "constant"][:, 0]) > 3 * np.ptp(annealed_large[:, 0])
assert annealed_large[:, 1].mean() < 1.1 * min(losses[:, 1].mean() for losses in others)

# %% [markdown]
# Kept constant, the larger rate is erratic: its final training loss varies widely from seed to
# seed. Annealed from that rate, training ends far lower than in any other setting, and the
# validation loss is as good as the best of the others: large steps early, when the weights are far
# from any minimum, and small ones late, when the minibatch noise would otherwise keep them jumping
# around it. At the best constant rate, annealing changes little.
#
# A fixed schedule must be told in advance how long training lasts. `ReduceLROnPlateau` watches the
# progress instead, as the slide puts it: `scheduler.step(val_loss)` after each epoch multiplies $\eta$ by
# `factor` once the validation loss has gone more than `patience` epochs in a row without improving (as in
# PyTorch, `patience` counts the bad epochs it tolerates: with `patience=1` the rate falls after the second).
# From the large rate again, with the same five seeds, dividing the rate by 3:

# %%
from nn.optim.lr_scheduler import ReduceLROnPlateau

def train_on_plateau(lr, seed, epochs=10):
    """Momentum SGD whose rate is divided by 3 after 2 epochs in a row without progress: (training loss,
    the validation loss of each epoch, the rate of each epoch)."""
    model = nn.MLP([64, 64, 10], rng=seed)
    optimizer = nn.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    scheduler = ReduceLROnPlateau(optimizer, factor=1 / 3, patience=1)
    loader = nn.DataLoader(nn.TensorDataset(X_train, y_train), batch_size=32, shuffle=True, rng=seed)
    loss_fn, rates, val_losses = nn.CrossEntropyLoss(), [], []
    for epoch in range(epochs):
        rates.append(optimizer.param_groups[0]["lr"])
        for xb, yb in loader:
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        with ag.no_grad():
            val_losses.append(loss_fn(model(X_val), y_val).item())
        scheduler.step(val_losses[-1])
    with ag.no_grad():
        return loss_fn(model(X_train), y_train).item(), val_losses, rates

plateau = [train_on_plateau(3 * lr_best, seed) for seed in range(5)]
for seed, (train_loss, val_losses, rates) in enumerate(plateau):
    print(f"  seed {seed}: training loss {train_loss:.4f}, validation loss {val_losses[-1]:.4f}, rates "
          + " ".join(f"{rate:.3g}" for rate in rates))

def plateau_rates(val_losses, lr, factor=1 / 3, patience=1, threshold=1e-4):
    """The rule written out (PyTorch's defaults: an improvement beats the best by a relative 1e-4)."""
    rates, best, bad_epochs = [], np.inf, 0
    for val_loss in val_losses:
        rates.append(lr)
        if val_loss < best * (1 - threshold):
            best, bad_epochs = val_loss, 0
        else:
            bad_epochs += 1
        if bad_epochs > patience:          # more than `patience` bad epochs in a row
            lr, bad_epochs = lr * factor, 0
    return rates

for train_loss, val_losses, rates in plateau:
    np.testing.assert_allclose(rates, plateau_rates(val_losses, 3 * lr_best), rtol=1e-12)
    assert rates[-1] < rates[0]            # it fell in every run
constant_large = results[3 * lr_best, "constant"]
assert np.mean([train for train, *_ in plateau]) < constant_large[:, 0].mean()

# %% [markdown]
# The rate falls where the validation loss stalls, which is earlier for some seeds than for others,
# and training ends lower than at the constant large rate. Unlike the cosine schedule, nothing had to
# be known in advance about how many epochs there would be.
