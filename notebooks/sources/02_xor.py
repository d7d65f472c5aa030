# %% [markdown]
# # 2. Learning XOR
#
# The notes' first example of a deep feedforward network. The inputs are the four points
# $\mathbb{X} = \{[0,0]^\top, [0,1]^\top, [1,0]^\top, [1,1]^\top\}$, the target $f^*(\boldsymbol{x})$ is
# $x_1 \oplus x_2$, and, as in the notes, we treat it as regression with the MSE cost
# $$J(\boldsymbol\theta) = \frac14 \sum_{\boldsymbol{x} \in \mathbb{X}} \big(f^*(\boldsymbol{x}) - f(\boldsymbol{x}; \boldsymbol\theta)\big)^2 .$$

# %%
import numpy as np
import matplotlib.pyplot as plt
import autograd_core as ag
import nn

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
y = np.array([0, 1, 1, 0], dtype=np.float64)

# %% [markdown]
# ## A linear model fails
#
# For $f(\boldsymbol{x}; \boldsymbol{w}, b) = \boldsymbol{x}^\top \boldsymbol{w} + b$, setting
# $\nabla_{\boldsymbol{w}} J = 0$ and $\partial J / \partial b = 0$ gives the normal equations
# $\tilde X^\top \tilde X \boldsymbol\theta = \tilde X^\top \boldsymbol{y}$ with $\tilde X = [X, \boldsymbol 1]$.
# Their solution is $\boldsymbol{w} = 0$, $b = \tfrac12$: the model outputs 0.5 everywhere.

# %%
X1 = np.hstack([X, np.ones((4, 1))])
w_lin = np.linalg.solve(X1.T @ X1, X1.T @ y)
print("normal equations: w =", w_lin[:2].round(12), " b =", w_lin[2].round(12))
assert np.allclose(w_lin, [0, 0, 0.5])

# %% [markdown]
# Gradient descent on the same cost with the engine finds the same point, the unique minimum of a
# convex cost; its value $J = \tfrac14$ is as bad as always answering $\tfrac12$.

# %%
w = ag.tensor(np.random.default_rng(0).normal(size=2), requires_grad=True)
b = ag.tensor(0.0, requires_grad=True)
for step in range(2000):
    J = ((ag.tensor(X) @ w + b - y) ** 2).mean()
    J.backward()
    with ag.no_grad():                 # the update is not part of the graph
        w -= 0.5 * w.grad
        b -= 0.5 * b.grad
    w.grad = b.grad = None             # backward() adds into .grad: clear it for the next step
print(f"gradient descent: w = {w.numpy().round(6)}, b = {float(b):.6f}, J = {float(J):.6f}")
assert np.allclose(w.numpy(), 0, atol=1e-6) and np.isclose(float(b), 0.5) and np.isclose(float(J), 0.25)

# %% [markdown]
# ## The notes' hand-set ReLU network solves it
#
# $f(\boldsymbol{x}; W, \boldsymbol{c}, \boldsymbol{w}, b) = \boldsymbol{w}^\top \max\{0, W^\top \boldsymbol{x} + \boldsymbol{c}\} + b$
# with
# $W = \begin{bmatrix} 1 & 1 \\ 1 & 1 \end{bmatrix}$, $\boldsymbol{c} = \begin{bmatrix} 0 \\ -1 \end{bmatrix}$,
# $\boldsymbol{w} = \begin{bmatrix} 1 \\ -2 \end{bmatrix}$, $b = 0$.
# Row by row (one example per row), $H = \max\{0, XW + \boldsymbol{c}^\top\}$:

# %%
W = ag.tensor([[1.0, 1.0], [1.0, 1.0]])
c = ag.tensor([0.0, -1.0])
w_out = ag.tensor([1.0, -2.0])
b_out = 0.0

def hand_set(x):
    h = ag.relu(ag.tensor(x) @ W + c)
    return h, h @ w_out + b_out

H, out = hand_set(X)
print("h =\n", H.numpy())
print("f(x) =", out.numpy())
assert np.array_equal(H.numpy(), [[0, 0], [1, 0], [1, 0], [2, 1]])
assert np.array_equal(out.numpy(), y)

# %% [markdown]
# The hidden layer is what makes this possible: it maps $[0,1]^\top$ and $[1,0]^\top$ to the *same*
# point $\boldsymbol h = [1, 0]^\top$, and in $\boldsymbol h$-space the two classes lie on either side of a
# line, $\boldsymbol{w}^\top \boldsymbol h = h_1 - 2h_2 = \tfrac12$, that the linear output layer can draw.

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 4), layout="constrained", gridspec_kw={"width_ratios": [1.6, 2.6]})
for ax, points, title, names in ((axes[0], X, "input space x", ("x1", "x2")),
                                 (axes[1], H.numpy(), "hidden space h = max(0, W^T x + c)", ("h1", "h2"))):
    for label, marker, color in ((0, "o", "tab:blue"), (1, "^", "tab:red")):
        pts = points[y == label]
        ax.scatter(*pts.T, s=140, marker=marker, color=color, label=f"xor = {label}", zorder=3)
    ax.set_xlabel(names[0]); ax.set_ylabel(names[1]); ax.set_title(title); ax.grid(alpha=0.3)
    ax.set_xlim(-0.3, 1.3 if ax is axes[0] else 2.3); ax.set_ylim(-0.3, 1.4); ax.set_aspect("equal")
hs = np.linspace(-0.3, 2.3, 2)
axes[1].plot(hs, (hs - 0.5) / 2, "k--", label="h1 - 2 h2 = 1/2")
axes[0].legend(loc="center", fontsize=8); axes[1].legend(loc="upper left", fontsize=8)
plt.show()

# %% [markdown]
# ## Learning the network from random weights
#
# Now the same architecture family, but the weights start random and gradient descent must find
# them. The notes warn that gradient-based learning "cannot guarantee global optimum": with only
# two ReLU units a random start often ends with a dead unit or in a local minimum. We count, over 20
# random initialisations, how often each width reaches $J < 10^{-3}$ (Adam, full batch,
# 300 steps of: forward, cost, backward, update).

# %%
def train_xor(width, seed, steps=300, lr=0.05):
    model = nn.MLP([2, width, 1], activation="relu", rng=seed)
    opt = nn.optim.Adam(model.parameters(), lr=lr)
    Xt, yt = ag.tensor(X.astype(np.float32)), ag.tensor(y.astype(np.float32).reshape(-1, 1))
    mse = nn.MSELoss()
    for step in range(steps):
        J = mse(model(Xt), yt)
        opt.zero_grad()
        J.backward()
        opt.step()
    return model, float(J)

results = {width: [train_xor(width, seed)[1] for seed in range(20)] for width in (2, 4, 8)}
for width, costs in results.items():
    print(f"width {width}: {sum(c < 1e-3 for c in costs):2d}/20 random starts solve XOR")
assert sum(c < 1e-3 for c in results[8]) >= 18
assert sum(c < 1e-3 for c in results[2]) < sum(c < 1e-3 for c in results[8])

# %% [markdown]
# Wider layers make a good start far more likely: more units, more chances that enough of them
# begin in a useful place. One trained network, width 8:

# %%
model, J = train_xor(8, seed=0)
with ag.no_grad():
    pred = model(ag.tensor(X.astype(np.float32))).numpy().ravel()
print("f(x) =", pred.round(4) + 0.0, " J =", f"{J:.2e}")   # + 0.0 turns -0.0 into 0.0
assert np.allclose(pred, y, atol=0.05)

# %% [markdown]
# ## Decision regions
#
# Thresholding $f(\boldsymbol{x})$ at $\tfrac12$ over the whole square (triangles: xor = 1, circles: xor = 0): the linear model cannot
# decide anywhere (it outputs exactly $\tfrac12$), the hand-set network puts the class-1 points in a
# band between two parallel lines, and the trained network finds a different solution of its own:
# two boundaries that cut off the class-1 corners. Many weight settings solve XOR; gradient
# descent finds whichever its random start leads to.

# %%
g = np.linspace(-0.5, 1.5, 201)
gx, gy = np.meshgrid(g, g)
grid = np.column_stack([gx.ravel(), gy.ravel()])
with ag.no_grad():
    surfaces = {
        "linear model (w = 0, b = 1/2)": grid @ w_lin[:2] + w_lin[2],
        "hand-set ReLU network": hand_set(grid)[1].numpy(),
        "trained ReLU network (width 8)": model(ag.tensor(grid.astype(np.float32))).numpy().ravel(),
    }

fig, axes = plt.subplots(1, 3, figsize=(14, 4.4), layout="constrained")
for ax, (title, f) in zip(axes, surfaces.items()):
    im = ax.contourf(gx, gy, f.reshape(gx.shape), levels=np.linspace(-0.5, 1.5, 21), cmap="coolwarm", extend="both")
    if np.ptp(f) > 0:
        ax.contour(gx, gy, f.reshape(gx.shape), levels=[0.5], colors="black", linewidths=2)
    for label, marker in ((0, "o"), (1, "^")):
        ax.scatter(*X[y == label].T, s=120, marker=marker, color="white", edgecolor="black", zorder=3)
    ax.set_title(title); ax.set_xlabel("x1"); ax.set_ylabel("x2"); ax.set_aspect("equal")
fig.colorbar(im, ax=axes, label="f(x)   (black line: f = 1/2)", shrink=0.85)
plt.show()

hand = surfaces["hand-set ReLU network"].reshape(gx.shape)
trained = surfaces["trained ReLU network (width 8)"].reshape(gx.shape)
corners = [(np.argmin(abs(g - a)), np.argmin(abs(g - b_))) for a, b_ in X]
for (i, j), target in zip(corners, y):
    assert (hand[j, i] > 0.5) == bool(target) and (trained[j, i] > 0.5) == bool(target)
