# %% [markdown]
# # 4. Output units and losses: why the log undoes the exp
#
# The notes pair each output unit with a loss, the negative log-likelihood of the distribution the unit
# predicts. We start with the linear unit, the mean of a Gaussian, whose loss is the squared error, and
# with what that loss makes the unit predict. Then a unit for a probability: why a clipped linear unit
# fails and a sigmoid is used instead. The notes' design tip for sigmoid output units: *"It is better to
# choose the maximum likelihood as a cost function, since the log in the cost undoes the exp of the
# sigmoid. Otherwise (e.g., with MSE cost function), the saturation of the sigmoid could prevent
# gradient-based learning."* Here we measure that with the engine's own gradients, then check the softmax
# cross-entropy gradient $\partial L / \partial a_j = p_j - y_j$.

# %%
import numpy as np
import matplotlib.pyplot as plt
import autograd_core as ag
import nn

# %% [markdown]
# ## Linear output units: the mean of a conditional Gaussian
#
# A linear output unit, $\hat{\boldsymbol y} = W^\top \boldsymbol h + \boldsymbol b$, is "mainly used to predict
# the mean of a conditional Gaussian": the model is
# $p(\boldsymbol y \mid \boldsymbol x) = \mathcal N(\boldsymbol y; \hat{\boldsymbol y}, \sigma^2 I)$,
# whose negative log-likelihood for $d$ outputs is
# $$-\log p(\boldsymbol y \mid \boldsymbol x) = \frac{\|\boldsymbol y - \hat{\boldsymbol y}\|^2}{2\sigma^2}
# + \frac d2 \log(2\pi\sigma^2).$$
# That is the squared error, scaled by $1/(2\sigma^2)$ and shifted by a constant, neither of which depends on
# $W$ or $\boldsymbol b$: minimising the squared error is maximising the Gaussian likelihood. The engine
# differentiates both for a linear unit on random $\boldsymbol h$: the Gaussian density written out, through
# `exp` and `log`, and `nn.MSELoss(reduction="sum")` divided by $2\sigma^2$. Both should equal the closed form
# $\nabla_W = -\boldsymbol h\,(\boldsymbol y - \hat{\boldsymbol y})^\top / \sigma^2$ and
# $\nabla_{\boldsymbol b} = -(\boldsymbol y - \hat{\boldsymbol y}) / \sigma^2$, summed over the examples.
# (`nn.Linear` stores the transpose, `weight` $= W^\top$ of shape (outputs, inputs), and computes
# $\hat{\boldsymbol y} = \texttt{weight}\,\boldsymbol h + \boldsymbol b$, so its gradient is
# $-(\boldsymbol y - \hat{\boldsymbol y})\,\boldsymbol h^\top / \sigma^2$.)

# %%
data_rng = np.random.default_rng(0)
h, y_observed, sigma = data_rng.normal(size=(8, 3)), data_rng.normal(size=(8, 2)), 0.7
unit = nn.Linear(3, 2, dtype=np.float64, rng=0)

def gaussian_nll(y_hat):
    density = ag.exp(-(y_observed - y_hat) ** 2 / (2 * sigma ** 2)) / np.sqrt(2 * np.pi * sigma ** 2)
    return -ag.log(density).sum()

def scaled_squared_error(y_hat):
    return nn.MSELoss(reduction="sum")(y_hat, y_observed) / (2 * sigma ** 2)

gradients = {}
for name, loss in (("Gaussian NLL", gaussian_nll), ("squared error / (2 sigma^2)", scaled_squared_error)):
    unit.zero_grad()
    loss(unit(h)).backward()
    gradients[name] = unit.weight.grad.numpy(), unit.bias.grad.numpy()
    print(f"{name:28s} dJ/dW, first row {np.round(gradients[name][0][0], 6)}   dJ/db {np.round(gradients[name][1], 6)}")

(nll_W, nll_b), (squared_W, squared_b) = gradients.values()
y_hat = h @ unit.weight.numpy().T + unit.bias.numpy()
assert np.allclose(nll_W, squared_W, rtol=1e-12) and np.allclose(nll_b, squared_b, rtol=1e-12)
assert np.allclose(squared_W, -(y_observed - y_hat).T @ h / sigma ** 2, rtol=1e-12)   # weight = W^T
assert np.allclose(squared_b, -(y_observed - y_hat).sum(axis=0) / sigma ** 2, rtol=1e-12)

# %% [markdown]
# ### Squared error predicts the mean, absolute error the median
#
# The notes' calculus of variations says what a flexible enough model learns from each loss: minimising
# $\mathbb E\|\boldsymbol y - f(\boldsymbol x)\|^2$ gives the conditional mean,
# $f^*(\boldsymbol x) = \mathbb E[\boldsymbol y \mid \boldsymbol x]$, while minimising
# $\mathbb E\|\boldsymbol y - f(\boldsymbol x)\|_1$ gives the conditional median. They differ when the
# noise is skewed. Take $y = 2x + \varepsilon$ with exponential noise $\varepsilon$ (mean 1, median
# $\log 2$): the conditional mean is $2x + 1$, the conditional median $2x + \log 2$. Fit the linear unit
# $\hat y = wx + b$ by gradient descent (Adam, with a learning rate annealed towards 0 so that the last steps
# of the L1 fit are small), once with `nn.MSELoss` and once with `nn.L1Loss`. At the mean
# the residuals average 0; at the median half the points are above the line.

# %%
x_data = data_rng.uniform(0, 2, size=(1000, 1))
y_data = 2 * x_data + data_rng.exponential(1.0, size=(1000, 1))

def fit_line(loss_fn, steps=1000):
    line = nn.Linear(1, 1, dtype=np.float64, rng=0)
    optimizer = nn.optim.Adam(line.parameters(), lr=0.05)
    scheduler = nn.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps)  # small last steps for L1
    for _ in range(steps):
        optimizer.zero_grad()
        loss_fn(line(x_data), y_data).backward()
        optimizer.step()
        scheduler.step()
    return line.weight.item(), line.bias.item()

lines = {"squared error": fit_line(nn.MSELoss()), "absolute error": fit_line(nn.L1Loss())}
residuals = {name: y_data[:, 0] - (w * x_data[:, 0] + b) for name, (w, b) in lines.items()}
for name, (w, b) in lines.items():
    print(f"{name:15s} w = {w:.3f}, b = {b:.3f}   mean residual {residuals[name].mean():+.4f}   "
          f"points above the line {np.mean(residuals[name] > 0):.1%}")
print(f"expected b: 1 for the mean, log 2 = {np.log(2):.3f} for the median")

fig, ax = plt.subplots(figsize=(6.5, 4))
ax.scatter(x_data, y_data, s=3, alpha=0.3, color="grey", label="data: y = 2x + exponential noise")
grid = np.array([0.0, 2.0])
for (name, (w, b)), color in zip(lines.items(), ("tab:blue", "tab:orange")):
    ax.plot(grid, w * grid + b, color=color, lw=2, label=f"fitted with {name}")
ax.plot(grid, 2 * grid + 1, "k--", lw=1, label="conditional mean 2x + 1")
ax.plot(grid, 2 * grid + np.log(2), "k:", lw=1, label="conditional median 2x + log 2")
ax.set_xlabel("x"); ax.set_ylabel("y"); ax.set_ylim(0, 9); ax.legend(fontsize=8); ax.grid(alpha=0.3)
ax.set_title("squared error fits the mean, absolute error the median")
plt.show()

assert abs(residuals["squared error"].mean()) < 1e-3 and abs(np.mean(residuals["absolute error"] > 0) - 0.5) < 0.01
assert abs(lines["squared error"][1] - 1) < 0.1 and abs(lines["absolute error"][1] - np.log(2)) < 0.1

# %% [markdown]
# ## A unit for a probability: why not a clipped linear unit?
#
# For a binary $y$ the network should predict $P(y = 1 \mid \boldsymbol x)$, a number in $[0, 1]$. The
# notes first try a linear unit clipped to that interval,
# $P(y = 1 \mid \boldsymbol x) = \max\{0, \min\{1, \boldsymbol w^\top \boldsymbol h + b\}\}$, and reject it:
# "any time that $\boldsymbol w^\top \boldsymbol h + b$ strayed outside the unit interval, the gradient would
# be 0". Every loss of $P$ reaches $z = \boldsymbol w^\top \boldsymbol h + b$ through $dP/dz$, so a unit that
# starts outside the interval on the wrong side never moves. With `ag.clip`, and then 100 steps of
# gradient descent on $(P - 1)^2$ from $z = -3$:

# %%
z_values = np.array([-3.0, -0.5, 0.2, 0.6, 1.5, 4.0])
slope = np.asarray(ag.grad(lambda z: ag.clip(z, 0, 1).sum())(z_values))
print("z      :", z_values)
print("P      :", np.clip(z_values, 0, 1))
print("dP/dz  :", slope)
assert np.array_equal(slope, [0, 0, 1, 1, 0, 0])

z_clipped = ag.tensor(-3.0, requires_grad=True)
for _ in range(100):
    ((ag.clip(z_clipped, 0, 1) - 1) ** 2).backward()
    with ag.no_grad():
        z_clipped -= 0.5 * z_clipped.grad
    z_clipped.grad = None
print(f"after 100 steps: z = {z_clipped.item()}, P = {float(ag.clip(z_clipped, 0, 1))}, the target is 1")
assert z_clipped.item() == -3.0

# %% [markdown]
# The sigmoid $\sigma(z)$ also maps every $z$ into $(0, 1)$, and its slope is never exactly 0; the notes
# derive it from $\log \tilde P(y) = yz$ and pair it with the log-likelihood, for the reason below.
#
# ## Sigmoid output: MSE saturates, cross-entropy does not
#
# With logit $z$ and $\hat y = \sigma(z)$, for a target $y = 1$:
#
# * MSE: $J = (\sigma(z) - y)^2$, so $\frac{dJ}{dz} = 2(\sigma(z) - y)\,\sigma(z)(1 - \sigma(z))$:
#   when the model is confidently **wrong** ($z \ll 0$), $\sigma'(z) \approx 0$ kills the gradient.
# * Cross-entropy in the notes' softplus form: $J = -\log\sigma((2y-1)z) = \zeta((1-2y)z)$,
#   so $\frac{dJ}{dz} = \sigma(z) - y$, about $-1$ when confidently wrong. It saturates only when
#   the model already has the right answer.
#
# The derivatives below come from `ag.grad` (the losses are elementwise, so the gradient of their
# sum over a grid of logits is the derivative at each grid point).

# %%
y = 1.0
z = np.linspace(-10, 10, 401)

def mse(z):
    return (ag.sigmoid(z) - y) ** 2

def cross_entropy(z):
    return ag.softplus((1 - 2 * y) * z)

curves = {}
for name, loss in (("sigmoid + MSE", mse), ("sigmoid + cross-entropy", cross_entropy)):
    curves[name] = (np.asarray(loss(ag.tensor(z))), np.asarray(ag.grad(lambda t: loss(t).sum())(z)))

s = 1 / (1 + np.exp(-z))
assert np.allclose(curves["sigmoid + MSE"][1], 2 * (s - y) * s * (1 - s))
assert np.allclose(curves["sigmoid + cross-entropy"][1], s - y)

fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
for name, (value, slope) in curves.items():
    axes[0].plot(z, value, label=name)
    axes[1].plot(z, slope, label=name)
axes[0].set_title("loss J(z) for target y = 1"); axes[0].set_ylim(0, 5); axes[0].set_ylabel("J(z)")
axes[1].set_title("dJ/dz from ag.grad"); axes[1].set_ylabel("dJ/dz")
for ax in axes:
    ax.set_xlabel("logit z"); ax.axvline(0, color="grey", lw=0.5); ax.legend(); ax.grid(alpha=0.3)
axes[1].annotate("confidently wrong:\nMSE gradient ~ 0", xy=(-8, 0), xytext=(-9.5, -0.6),
                 arrowprops=dict(arrowstyle="->"))
plt.show()

at = np.searchsorted(z, -8.0)
print(f"at z = -8: MSE dJ/dz = {curves['sigmoid + MSE'][1][at]:.2e}, "
      f"cross-entropy dJ/dz = {curves['sigmoid + cross-entropy'][1][at]:.4f}")
assert abs(curves["sigmoid + MSE"][1][at]) < 1e-3 < 0.99 < abs(curves["sigmoid + cross-entropy"][1][at])

# %% [markdown]
# ### What that does to learning
#
# Gradient descent on the notes' one-neuron model $y = \sigma(wx + b)$, one example $x = 1$, $y_d = 1$,
# starting confidently wrong at $w = -6$, $b = -2$ (so $z = -8$), learning rate 0.5, 2000 steps. Both runs
# get there in the end, but MSE first crawls along the flat, saturated part of the sigmoid:

# %%
def train(loss, steps=2000, lr=0.5):
    w, b = ag.tensor(-6.0, requires_grad=True), ag.tensor(-2.0, requires_grad=True)
    predictions = []                   # sigma(z) after each step
    for _ in range(steps):
        z = w * 1.0 + b
        loss(z).backward()
        with ag.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
            predictions.append(float(ag.sigmoid(w * 1.0 + b)))
        w.grad = b.grad = None
    return predictions

runs = {"sigmoid + MSE": train(mse), "sigmoid + cross-entropy": train(cross_entropy)}
fig, ax = plt.subplots(figsize=(6, 3.5))
for name, p in runs.items():
    ax.plot(np.arange(1, len(p) + 1), p, label=name)
ax.set_xscale("log")
ax.set_xlabel("gradient descent step (log scale)"); ax.set_ylabel("prediction sigma(z)"); ax.set_ylim(-0.02, 1.05)
ax.set_title("from a confidently wrong start (z = -8)"); ax.legend(loc="upper left"); ax.grid(alpha=0.3)
plt.show()
first = {name: next((step for step, p in enumerate(ps, start=1) if p > 0.5), None) for name, ps in runs.items()}
print("steps until the prediction first exceeds 0.5:", first)
assert first["sigmoid + cross-entropy"] is not None and first["sigmoid + cross-entropy"] < 20
assert first["sigmoid + MSE"] is not None and first["sigmoid + MSE"] > 50 * first["sigmoid + cross-entropy"]

# %% [markdown]
# ### The softplus form is also the *stable* form
#
# Computing $-\log \sigma(z)$ literally rounds $\sigma(-800)$ to 0 and returns $\infty$; the notes'
# identity $\log \sigma(x) = -\zeta(-x)$ gives $\zeta(800) = 800$ (to float64's precision), with gradient $-1$.
# At the other end, $z = 30$, the literal form takes the log of $\sigma(30) \approx 1 - 10^{-13}$, a number
# float64 stores only to about three digits of its distance from 1, and misses the answer
# $\zeta(-30) \approx e^{-30} = 9.3576 \cdot 10^{-14}$ by 0.1%.

# %%
z_far = ag.tensor([-800.0, -30.0, 0.0, 30.0], requires_grad=True)
with np.errstate(divide="ignore"):
    naive = -ag.log(ag.sigmoid(z_far))
stable = ag.softplus(-z_far)
stable.sum().backward()
print("naive  -log sigma(z):", naive.numpy())
print("stable zeta(-z)     :", stable.numpy())
print("d zeta(-z)/dz       :", z_far.grad.numpy())
assert np.isinf(naive.numpy()[0]) and np.isclose(stable.numpy()[0], 800.0)
relative_error = {name: abs(t.numpy()[3] / np.exp(-30) - 1) for name, t in (("naive", naive), ("stable", stable))}
print(f"relative error at z = 30: naive {relative_error['naive']:.1e}, stable {relative_error['stable']:.1e}")
assert relative_error["stable"] < 1e-12 and relative_error["naive"] > 1e-4
assert np.allclose(z_far.grad.numpy(), -1 / (1 + np.exp(z_far.numpy())))

# %% [markdown]
# ## Softmax cross-entropy: the gradient is $\boldsymbol{p} - \boldsymbol{y}$
#
# For logits $\boldsymbol{a}$, $p_j = e^{a_j} / \sum_k e^{a_k}$ and $L = -\log p_c$ for the correct
# class $c$. The notes (Backward Propagation, *Derivative w.r.t. Input of Softmax*) derive
# $\partial L / \partial a_j = p_j - y_j$ with $\boldsymbol{y}$ one-hot. The engine computes
# $L = -(a_c - \log\sum_k e^{a_k})$ through `log_softmax` and never forms that formula; does it agree?

# %%
rng = np.random.default_rng(1)
logits = rng.normal(scale=2.0, size=(6, 5))
classes = np.array([0, 3, 1, 4, 2, 3])
onehot = np.eye(5)[classes]

def softmax_cross_entropy(a):
    return -ag.log_softmax(a, axis=1)[np.arange(len(classes)), classes].sum()

g = np.asarray(ag.grad(softmax_cross_entropy)(logits))
p = np.exp(logits - logits.max(axis=1, keepdims=True)); p /= p.sum(axis=1, keepdims=True)
print("max |engine gradient - (p - y)| =", np.abs(g - (p - onehot)).max())
assert np.allclose(g, p - onehot, atol=1e-12)

fig, ax = plt.subplots(figsize=(7, 3.3))
k = np.arange(5)
ax.bar(k - 0.27, p[0], width=0.27, label="p (softmax)")
ax.bar(k, onehot[0], width=0.27, label="y (one-hot, class 0)")
ax.bar(k + 0.27, g[0], width=0.27, label="dL/da from ag.grad")
ax.axhline(0, color="black", lw=0.6); ax.set_xticks(k); ax.set_xlabel("class j"); ax.set_ylabel("value for class j")
ax.set_title("one example: the gradient is p - y"); ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# The notes also observe (writing $\boldsymbol z$ for the logits that are $\boldsymbol a$ here) that
# $\log\sum_j e^{a_j} \approx \max_j a_j$, so the cost $-\log p_c = \log\sum_j e^{a_j} - a_c$ is roughly
# $\max_j a_j - a_c$: when the model is wrong it *penalises the most active incorrect prediction*, and it is
# near zero when the correct class already has the largest logit by a margin. The engine's `log_softmax`
# stays finite even for logits in the thousands:

# %%
a = ag.tensor([[1000.0, 0.0, -1000.0], [3.0, 9.0, 2.0], [12.0, 1.0, 0.0]], requires_grad=True)
target = np.array([2, 0, 0])
L = -ag.log_softmax(a, axis=1)[np.arange(3), target]
print("losses           :", L.numpy())
print("max_j a_j - a_c  :", a.numpy().max(axis=1) - a.numpy()[np.arange(3), target])
L.sum().backward()
print("gradient, row 0  :", a.grad.numpy()[0])
assert np.all(np.isfinite(L.numpy())) and np.isclose(L.numpy()[0], 2000.0)
assert np.allclose(L.numpy(), a.numpy().max(axis=1) - a.numpy()[np.arange(3), target], atol=0.01)
