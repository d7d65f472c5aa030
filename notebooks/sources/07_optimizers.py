# %% [markdown]
# # 7. Optimizers: adapting the step size
#
# The notes' gradient descent is four lines: initialise the weights randomly, then loop
# "compute (noisy) gradient $\partial J / \partial W$; update weights
# $W \leftarrow W - \eta\, \partial J / \partial W$". Their next slide, *Adaptive Learning Rates*, says
# the step size "can be made larger or smaller depending on how large gradient is, how fast learning
# is happening, size of particular weights", and names the usual methods: **momentum, Adagrad, Adam,
# RMSProp**. This notebook writes each of them from its formula, checks that `nn.optim` follows those
# formulas exactly, and then watches them on a problem small enough to draw and on the digits.

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
# learning rate, and the flat direction, shrinking by $1 - \eta\lambda_1 \ge 0.9$ per step, then crawls.
#
# `descend` runs any `nn.optim` optimizer on it, with the gradient from the engine.

# %%
curvature = np.array([1.0, 20.0])
start = np.array([-4.0, 1.5])

def cost(w):
    return 0.5 * (ag.tensor(curvature) * w * w).sum()

def descend(make_optimizer, steps=200, scale=1.0):
    """The path of w (steps + 1 points) under the optimizer, minimising scale * J."""
    w = nn.Parameter(start.copy())
    optimizer = make_optimizer([w])
    path = [w.data.copy()]
    for _ in range(steps):
        optimizer.zero_grad()
        (scale * cost(w)).backward()
        optimizer.step()
        path.append(w.data.copy())
    return np.array(path)

def steps_to_reach(path, level=1e-6):
    """The first step at which J < level (None if never)."""
    values = 0.5 * (curvature * path ** 2).sum(axis=1)
    below = np.flatnonzero(values < level)
    return int(below[0]) if below.size else None

for lr in (0.09, 0.11):
    path = descend(lambda p: nn.optim.SGD(p, lr=lr))
    print(f"gradient descent, lr {lr}: J after 200 steps = {float(cost(path[-1])):.3g}, "
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
# Momentum accumulates a velocity: along a direction where the gradient keeps its sign, steps grow
# up to $1/(1 - \mu)$ times (ten times for $\mu = 0.9$); where it flips sign they cancel. (Goodfellow
# et al. write $\boldsymbol v \leftarrow \alpha \boldsymbol v - \epsilon \boldsymbol g$,
# $\boldsymbol w \leftarrow \boldsymbol w + \boldsymbol v$: the same steps, with $\boldsymbol v = -\eta \boldsymbol b$.)
# The other three divide each coordinate's step by a running size of its own gradients, which is
# the "size of particular weights" adaptation: Adagrad by all of them so far (its effective rate
# $\eta / \sqrt{\boldsymbol G}$ only shrinks), RMSProp by a moving average, Adam by a moving average of squares while also averaging the
# gradient itself, with bias corrections for the zero initial state. Below each is written in NumPy,
# with the gradient $\lambda_i w_i$ of the bowl, and compared with `nn.optim` over 200 steps.

# %%
def reference_path(rule, steps=200):
    """The same descent with a rule(w, g, state, t) written from the table above."""
    w, state, path = start.copy(), {}, [start.copy()]
    for t in range(1, steps + 1):
        w = rule(w, curvature * w, state, t)
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

methods = {  # name: (nn.optim optimizer, the rule from the table), each with a learning rate that suits the bowl
    "gradient descent, lr 0.09": (lambda p: nn.optim.SGD(p, lr=0.09), momentum(0.09, 0.0)),
    "momentum 0.5, lr 0.05": (lambda p: nn.optim.SGD(p, lr=0.05, momentum=0.5), momentum(0.05, 0.5)),
    "Adagrad, lr 1": (lambda p: nn.optim.Adagrad(p, lr=1.0), adagrad(1.0)),
    "RMSProp, lr 0.05": (lambda p: nn.optim.RMSprop(p, lr=0.05), rmsprop(0.05)),
    "Adam, lr 0.5": (lambda p: nn.optim.Adam(p, lr=0.5), adam(0.5)),
}
paths = {}
for name, (make_optimizer, rule) in methods.items():
    paths[name] = descend(make_optimizer)
    gap = np.abs(paths[name] - reference_path(rule)).max()
    print(f"{name:26s} J < 1e-6 after {steps_to_reach(paths[name])} steps; "
          f"largest difference from the formula: {gap:.1e}")
    np.testing.assert_allclose(paths[name], reference_path(rule), rtol=1e-12, atol=1e-12)

# %% [markdown]
# `nn.optim` computes the same numbers as the formulas (its order of operations is PyTorch's, so the
# two agree to rounding). On the picture: gradient descent zigzags across the steep direction
# while creeping along the flat one; momentum damps the zigzag. Adagrad and RMSProp start by moving
# both coordinates by about the same amount, since each coordinate's step is divided by the size of
# its own gradient. Adam does the same, and its momentum carries it past the minimum.

# %%
grid_1, grid_2 = np.meshgrid(np.linspace(-4.5, 1.5, 300), np.linspace(-1.8, 1.8, 300))
fig, ax = plt.subplots(figsize=(9, 5.5))
ax.contour(grid_1, grid_2, 0.5 * (grid_1 ** 2 + 20 * grid_2 ** 2), levels=np.logspace(-2, 2, 12),
           colors="grey", alpha=0.5, linewidths=0.7)
for name, path in paths.items():
    ax.plot(*path[:40].T, ".-", ms=4, lw=1, label=name)
ax.plot(0, 0, "k*", ms=12)
ax.set_xlabel("$w_1$ (curvature 1)"); ax.set_ylabel("$w_2$ (curvature 20)")
ax.set_title("the first 40 steps on $J = (w_1^2 + 20 w_2^2)/2$")
ax.legend(loc="lower right", fontsize=9)
plt.show()

# %% [markdown]
# ### How large the gradient is
#
# Multiply the cost by 1000. Gradient descent's steps grow a thousandfold and it diverges at any
# learning rate that suited the original (after 40 steps $|w_2|$ is near $10^{130}$). Adagrad,
# RMSProp and Adam divide the gradient by its own size, so their paths barely change (only
# $\epsilon$ tells the two costs apart):

# %%
for name, (make_optimizer, _) in methods.items():
    scaled = descend(make_optimizer, steps=40, scale=1000.0)
    change = np.abs(scaled - paths[name][:41]).max()
    print(f"{name:26s} cost x 1000: the first 40 steps move by up to {change:.2g}")
    if name.startswith(("Adagrad", "RMSProp", "Adam")):
        assert change < 1e-6
    else:
        assert change > 1e100

# ## On the digits: the learning rate matters as much as the method
#
# Now minibatch SGD as in the notes (each step uses the gradient of one minibatch of 32 examples) on
# the 8x8 digits: a $64 \to 64 \to 10$ ReLU MLP with cross-entropy, 10 epochs, the same initial
# weights and the same batches for every run. Each method is tried with six learning rates, and
# judged on the validation loss after the last epoch.

# %%
X, y = nn.datasets.load_digits()
X = X / np.float32(16.0)
(X_train, y_train), (X_val, y_val), _ = nn.train_val_test_split(X, y, val=0.15, test=0.15, rng=0)

optimizers = {
    "SGD": lambda params, lr: nn.optim.SGD(params, lr=lr),
    "SGD, momentum 0.9": lambda params, lr: nn.optim.SGD(params, lr=lr, momentum=0.9),
    "Adagrad": lambda params, lr: nn.optim.Adagrad(params, lr=lr),
    "RMSprop": lambda params, lr: nn.optim.RMSprop(params, lr=lr),
    "Adam": lambda params, lr: nn.optim.Adam(params, lr=lr),
}
learning_rates = [1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1]
runs = {}
for name, make_optimizer in optimizers.items():
    for lr in learning_rates:
        model = nn.MLP([64, 64, 10], rng=0)
        runs[name, lr] = nn.fit(model, nn.CrossEntropyLoss(), make_optimizer(model.parameters(), lr),
                                (X_train, y_train), val=(X_val, y_val), epochs=10, progress=False, rng=0)

best = {name: min(learning_rates, key=lambda lr: runs[name, lr]["val_loss"][-1]) for name in optimizers}
print(f"{'method':18s} {'best lr':>8s} {'val loss':>9s} {'val accuracy':>13s}")
for name, lr in best.items():
    history = runs[name, lr]
    print(f"{name:18s} {lr:8g} {history['val_loss'][-1]:9.4f} {100 * history['val_accuracy'][-1]:12.1f}%")

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
for name in optimizers:
    axes[0].plot(learning_rates, [runs[name, lr]["val_loss"][-1] for lr in learning_rates], "o-", label=name)
    history = runs[name, best[name]]
    axes[1].plot(range(1, 11), history["train_loss"], "o-", ms=3, label=f"{name}, lr {best[name]:g}")
axes[0].set_xscale("log"); axes[0].set_yscale("log")
axes[0].set_xlabel("learning rate"); axes[0].set_ylabel("validation loss after 10 epochs")
axes[0].set_title("each method over learning rates")
axes[1].set_yscale("log"); axes[1].set_xlabel("epoch"); axes[1].set_ylabel("training loss")
axes[1].set_title("each method at its best learning rate")
for ax in axes:
    ax.grid(alpha=0.3, which="both"); ax.legend(fontsize=8)
plt.show()

assert all(runs[name, lr]["val_accuracy"][-1] >= 0.93 for name, lr in best.items())
assert best["SGD"] >= 0.1 and best["Adam"] <= 0.01 and best["RMSprop"] <= 0.01
for lr in (1e-3, 3e-3, 1e-2):  # momentum 0.9 at lr ~ plain SGD at 10 lr
    assert np.isclose(runs["SGD, momentum 0.9", lr]["val_loss"][-1], runs["SGD", 10 * lr]["val_loss"][-1], rtol=0.25)

# %% [markdown]
# Every method gets to 93-99% at its own learning rate, and those rates differ by a factor of ten
# or more: plain SGD wants $\eta \ge 0.1$, RMSProp and Adam $\eta \le 0.01$. Momentum 0.9 takes steps
# up to $1/(1 - \mu) = 10$ times longer, and on the left its curve is plain SGD's moved one decade
# to the left: momentum at $\eta$ ends about where SGD at $10\eta$ does. RMSProp and Adam take
# steps whose size per weight is set by $\eta$, not by the gradient's size, so they need small rates
# and fail at large ones. Adagrad tolerates large rates because its effective rate keeps
# shrinking. Comparing optimizers at one shared learning rate would mostly compare how well that
# rate suits each.
#
# ## Learning-rate schedules
#
# "How fast learning is happening" is also handled from outside the optimizer: a schedule lowers
# $\eta$ as training goes on, so that the late, noisy minibatch steps stop jumping around the
# minimum. `nn.optim.lr_scheduler` has PyTorch's `StepLR`, `ExponentialLR` and `CosineAnnealingLR`;
# as in PyTorch, `scheduler.step()` is called once per epoch, after that epoch's optimizer steps.

# %%
from nn.optim.lr_scheduler import CosineAnnealingLR, ExponentialLR, StepLR

schedules = {
    "StepLR(step_size=3, gamma=0.5)": lambda opt: StepLR(opt, step_size=3, gamma=0.5),
    "ExponentialLR(gamma=0.8)": lambda opt: ExponentialLR(opt, gamma=0.8),
    "CosineAnnealingLR(T_max=10)": lambda opt: CosineAnnealingLR(opt, T_max=10),
}
fig, ax = plt.subplots(figsize=(7, 3.5))
for name, make_schedule in schedules.items():
    scheduler = make_schedule(nn.optim.SGD([nn.Parameter(np.zeros(1))], lr=0.1))
    lrs = []
    for epoch in range(11):
        lrs.append(scheduler.get_last_lr()[0])
        scheduler.step()
    ax.step(range(11), lrs, where="post", label=name)
ax.set_xlabel("epoch"); ax.set_ylabel("learning rate"); ax.legend(); ax.grid(alpha=0.3)
plt.show()
cosine = 0.05 * (1 + np.cos(np.pi * np.arange(11) / 10))  # eta_t = eta_0 (1 + cos(pi t / T)) / 2
np.testing.assert_allclose(lrs, cosine, atol=1e-15)

# %% [markdown]
# A training loop that uses one is PyTorch's usual loop. Here momentum SGD with the best constant
# rate from above and with the next larger one, 0.3, each once constant and once annealed to 0 over
# the 10 epochs, on the same batches:

# %%
def train_with_schedule(lr, schedule=None, epochs=10):
    model = nn.MLP([64, 64, 10], rng=0)
    optimizer = nn.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    scheduler = schedule(optimizer) if schedule else None
    loader = nn.DataLoader(nn.TensorDataset(X_train, y_train), batch_size=32, shuffle=True, rng=0)
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

results = {}
for lr in (0.1, 0.3):
    results[lr, "constant"] = train_with_schedule(lr)
    results[lr, "cosine annealing"] = train_with_schedule(lr, lambda opt: CosineAnnealingLR(opt, T_max=10))
print(f"momentum SGD, 10 epochs    training loss   validation loss")
for (lr, schedule), (train_loss, val_loss) in results.items():
    print(f"  lr {lr:<4g} {schedule:17s} {train_loss:10.4f} {val_loss:15.4f}")
assert results[0.3, "cosine annealing"] == tuple(map(min, zip(*results.values())))  # lowest of both losses
assert results[0.3, "constant"][0] < results[0.1, "constant"][0] and results[0.3, "constant"][1] > results[0.1, "constant"][1]

# %% [markdown]
# At 0.1, annealing only shortens the steps: both losses end a little higher. At 0.3, a rate too
# large to keep (constant, it ends with a lower training loss than 0.1 but a much higher validation
# loss), annealing gives the lowest training and validation losses of the four: large steps early,
# when the weights are far from any minimum, and small ones late, when the minibatch noise would
# otherwise keep them jumping around it.
