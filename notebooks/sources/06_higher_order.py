# %% [markdown]
# # 6. Higher-order derivatives: grad of grad, Hessians, Hessian-vector products, Newton's method
#
# Algorithm 6.2 builds $\partial u^{(n)}/\partial u^{(j)}$ out of the same kind of operations as the
# forward pass. The notes point out that each $\frac{\partial u^{(i)}}{\partial u^{(j)}}$ "is a
# function of the parents $u^{(j)}$ of $u^{(i)}$, thus linking the nodes of the forward graph to
# those added for the back-propagation graph." If the engine *records* the backward pass
# (`create_graph=True`), the gradient is itself a node of a graph, and back-propagating through it
# gives second derivatives. `ag.grad`, `ag.hessian`, `ag.jvp` are built on exactly that.

# %%
import numpy as np
import matplotlib.pyplot as plt
import autograd_core as ag

# %% [markdown]
# ## grad(grad(f)): derivatives of tanh
#
# For $f(x) = \tanh x$ (the notes' hidden unit that "is nearly linear when its argument is small"):
# $f' = 1 - \tanh^2 x$, $f'' = -2 \tanh x\,(1 - \tanh^2 x)$, $f''' = (6\tanh^2 x - 2)(1 - \tanh^2 x)$.

# %%
f = ag.tanh
df, d2f, d3f = ag.grad(f), ag.grad(ag.grad(f)), ag.grad(ag.grad(ag.grad(f)))

xs = np.linspace(-3, 3, 121)
engine = np.array([[float(g(x)) for x in xs] for g in (f, df, d2f, d3f)])
t = np.tanh(xs)
exact = np.array([t, 1 - t ** 2, -2 * t * (1 - t ** 2), (6 * t ** 2 - 2) * (1 - t ** 2)])
assert np.allclose(engine, exact, atol=1e-12)

fig, ax = plt.subplots(figsize=(7, 3.5))
for row, label in zip(engine, ["tanh x", "first derivative", "second", "third"]):
    ax.plot(xs, row, label=label)
ax.axhline(0, color="grey", lw=0.5)
ax.set_xlabel("x"); ax.set_ylabel("value at x"); ax.set_title("tanh and its derivatives, each by nesting ag.grad"); ax.legend()
plt.show()
print("max |engine - formula| over the grid:", np.abs(engine - exact).max())

# %% [markdown]
# ## A Hessian
#
# For the quadratic $f(\boldsymbol{x}) = \tfrac12 \boldsymbol{x}^\top A \boldsymbol{x} + \boldsymbol{c}^\top \boldsymbol{x}$
# the Hessian is $\tfrac12 (A + A^\top)$, whatever $\boldsymbol{x}$. `ag.hessian(f)` is the Jacobian of
# the gradient: $n$ backward passes through the recorded backward graph.

# %%
rng = np.random.default_rng(0)
A = rng.normal(size=(4, 4))
c = rng.normal(size=4)

def quadratic(x):
    return 0.5 * x @ A @ x + c @ x

x0 = rng.normal(size=4)
H = np.asarray(ag.hessian(quadratic)(x0))
print(np.round(H, 4))
assert np.allclose(H, 0.5 * (A + A.T), atol=1e-12)

# %% [markdown]
# And a non-quadratic one, the Rosenbrock function $f(x, y) = (1-x)^2 + 100\,(y - x^2)^2$, whose
# Hessian by hand is
# $\begin{pmatrix} 2 - 400(y - 3x^2) & -400x \\ -400x & 200 \end{pmatrix}$.

# %%
def rosenbrock(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2

def rosenbrock_hessian(p):
    x, y = p
    return np.array([[2 - 400 * (y - 3 * x ** 2), -400 * x], [-400 * x, 200.0]])

for p in ([-1.2, 1.0], [0.0, 0.0], [1.0, 1.0], [0.5, -0.3]):
    p = np.array(p)
    assert np.allclose(np.asarray(ag.hessian(rosenbrock)(p)), rosenbrock_hessian(p), rtol=1e-12)
print("Hessian at (-1.2, 1):\n", np.asarray(ag.hessian(rosenbrock)(np.array([-1.2, 1.0]))))

# %% [markdown]
# ## A Hessian-vector product without the Hessian
#
# For a network with a million weights the Hessian has $10^{12}$ entries, but $H\boldsymbol{v}$ costs
# about as much as a gradient. Two ways with the engine:
#
# * **reverse over reverse**: $H\boldsymbol{v} = \nabla_{\boldsymbol{x}} \big(\nabla f(\boldsymbol{x})^\top \boldsymbol{v}\big)$, one `ag.grad` of a scalar;
# * **Jacobian-vector product of the gradient**: $H\boldsymbol{v}$ is the directional derivative of
#   $\nabla f$ along $\boldsymbol{v}$, `ag.jvp(ag.grad(f), (x,), (v,))`. The engine is reverse-mode
#   only, so `ag.jvp` gets $J\boldsymbol{v}$ by transposing a vector-Jacobian product (the
#   "double-vjp trick": $\boldsymbol{u} \mapsto J^\top \boldsymbol{u}$ is linear in $\boldsymbol{u}$, and its
#   own vjp with $\boldsymbol{v}$ is $J\boldsymbol{v}$).

# %%
def loss(w):  # a small logistic-regression loss, so the Hessian is not constant
    X = np.array([[1.0, 2.0, -1.0], [0.5, -1.0, 2.0], [-1.5, 0.3, 0.7], [2.0, 1.0, 1.0]])
    y = np.array([1.0, 0.0, 1.0, 0.0])
    z = X @ w
    return ag.mean(ag.softplus((1 - 2 * y) * z))   # the notes' softplus form of cross-entropy

w = np.array([0.3, -0.2, 0.5])
v = np.array([1.0, 2.0, -1.0])

hvp_rr = np.asarray(ag.grad(lambda w: ag.grad(loss)(w) @ v)(w))
_, hvp_fr = ag.jvp(ag.grad(loss), (w,), (v,))
H = np.asarray(ag.hessian(loss)(w))
print("H v, reverse over reverse:", hvp_rr)
print("H v, jvp of the gradient :", np.asarray(hvp_fr))
print("H v, full Hessian        :", H @ v)
assert np.allclose(hvp_rr, H @ v, atol=1e-12) and np.allclose(np.asarray(hvp_fr), H @ v, atol=1e-12)

# %% [markdown]
# ## Newton's method
#
# Gradient descent (notes: $w_{new} = w_{old} - \alpha \nabla J$) uses only the slope. Newton's method
# also uses the curvature: $\boldsymbol{x} \leftarrow \boldsymbol{x} - H^{-1} \nabla f(\boldsymbol{x})$.
# On the Rosenbrock function's curved valley, starting from the classic point $(-1.2, 1)$:

# %%
def newton(f, x, steps):
    path = [x]
    for _ in range(steps):
        g = np.asarray(ag.grad(f)(x))
        H = np.asarray(ag.hessian(f)(x))
        x = x - np.linalg.solve(H, g)
        path.append(x)
    return np.array(path)

def gradient_descent(f, x, steps, lr):
    path = [x]
    for _ in range(steps):
        x = x - lr * np.asarray(ag.grad(f)(x))
        path.append(x)
    return np.array(path)

start = np.array([-1.2, 1.0])
newton_path = newton(rosenbrock, start, 8)
gd_path = gradient_descent(rosenbrock, start, 2000, lr=1e-3)
for k, p in enumerate(newton_path):
    print(f"Newton step {k}: x = {p.round(6)}, f = {rosenbrock(p):.3e}")
print(f"gradient descent after 2000 steps: x = {gd_path[-1].round(4)}, f = {rosenbrock(gd_path[-1]):.3e}")
assert np.allclose(newton_path[-1], [1.0, 1.0], atol=1e-10)
assert rosenbrock(newton_path[5]) < 2e-11 and rosenbrock(newton_path[7]) == 0  # as the text below says
assert rosenbrock(gd_path[-1]) > 1e-3   # still far from the minimum

# %%
gx, gy = np.meshgrid(np.linspace(-2, 2, 400), np.linspace(-3.5, 3, 400))
fig, ax = plt.subplots(figsize=(7, 5.5))
ax.contour(gx, gy, (1 - gx) ** 2 + 100 * (gy - gx ** 2) ** 2, levels=np.logspace(-1, 3.5, 16),
           cmap="viridis", alpha=0.6, linewidths=0.8)
ax.plot(*gd_path.T, ".-", ms=2, lw=1, color="tab:orange", label="gradient descent, 2000 steps, lr 1e-3")
ax.plot(*newton_path.T, "o-", color="tab:blue", label=f"Newton, {len(newton_path) - 1} steps")
ax.plot(1, 1, "k*", ms=14, label="minimum (1, 1)")
ax.set_xlabel("x"); ax.set_ylabel("y"); ax.set_title("Rosenbrock: Newton's method uses ag.hessian")
ax.legend(loc="upper center", fontsize=9)
plt.show()

# %% [markdown]
# Newton's method is not monotone here: its second step jumps off the valley floor, far up the steep
# wall (f rises above 1000 there, where the quadratic model is poor), and f rises once more later on.
# Yet f is below 2e-11 after five steps and exactly 0 after seven, on the minimum, because it
# rescales each direction by its curvature; gradient descent's single learning rate must be small
# enough for the steep walls of the valley (curvature about 1000) and is then far too small along its
# floor. Adagrad, RMSProp and Adam, from the notes' list of adaptive learning rates, are cheap per-coordinate
# approximations of that rescaling (momentum, also on the list, does no per-coordinate rescaling).
