# %% [markdown]
# # 9. Back-propagation through an MLP: Algorithms 6.3 and 6.4
#
# Algorithm 6.2 works on any graph of scalars; the notes then specialise it to the graph every MLP
# makes. Algorithm 6.3 is the forward pass of a network of depth $l$ with the cost
# $J = L(\hat{\boldsymbol y}, \boldsymbol y) + \lambda\Omega(\theta)$, and Algorithm 6.4 its backward pass,
# which carries one vector $\boldsymbol g$ down the layers:
#
# * $\boldsymbol g \leftarrow \nabla_{\hat{\boldsymbol y}} J = \nabla_{\hat{\boldsymbol y}} L(\hat{\boldsymbol y}, \boldsymbol y)$;
# * for $k = l, \dots, 1$:
#   $\boldsymbol g \leftarrow \nabla_{\boldsymbol a^{(k)}} J = \boldsymbol g \odot f'(\boldsymbol a^{(k)})$;
#   $\nabla_{\boldsymbol b^{(k)}} J = \boldsymbol g + \lambda \nabla_{\boldsymbol b^{(k)}}\Omega$;
#   $\nabla_{W^{(k)}} J = \boldsymbol g\, \boldsymbol h^{(k-1)\top} + \lambda \nabla_{W^{(k)}}\Omega$;
#   $\boldsymbol g \leftarrow \nabla_{\boldsymbol h^{(k-1)}} J = W^{(k)\top} \boldsymbol g$.
#
# This notebook writes Algorithm 6.4 out in NumPy and checks every $\boldsymbol g$ it computes against
# the grad_table the engine's general Algorithm 6.2 fills for the same graph; then it looks at each step
# as a Jacobian-gradient product, as the handwritten notes do, and finally trains the digits network
# with the hand-written backward beside the engine's, step for step.

# %%
import numpy as np
import matplotlib.pyplot as plt
import autograd_core as ag
import nn
from nn.data import DataLoader, TensorDataset
from nn.datasets import load_digits

# %% [markdown]
# ## Algorithm 6.3 with the engine
#
# The notes' example: two layers, $f$ elementwise in both (here $\tanh$), the squared error
# $L = \|\boldsymbol h^{(2)} - \boldsymbol y\|^2$, and the L2 penalty on the weights
# $\Omega(\theta) = \sum_k \|W^{(k)}\|^2$ (the biases are not penalised, so $\nabla_{\boldsymbol b}\Omega = 0$).
# One input $\boldsymbol x$, as in the algorithm. The loop below *is* Algorithm 6.3; `a` and `h` keep every
# layer's pre-activation and activation, which are nodes of the recorded graph.

# %%
rng = np.random.default_rng(0)
sizes = [3, 4, 2]                       # x in R^3, a hidden layer of 4, y in R^2
l = len(sizes) - 1
W = {k: ag.tensor(rng.normal(0, 0.7, (sizes[k], sizes[k - 1])), requires_grad=True) for k in range(1, l + 1)}
b = {k: ag.tensor(rng.normal(0, 0.1, sizes[k]), requires_grad=True) for k in range(1, l + 1)}
x, y = rng.normal(size=3), np.array([0.5, -0.25])
lam = 0.01

h, a = {0: ag.tensor(x)}, {}
for k in range(1, l + 1):
    a[k] = b[k] + W[k] @ h[k - 1]
    h[k] = ag.tanh(a[k])
y_hat = h[l]
J = ((y_hat - y) ** 2).sum() + lam * sum((W[k] ** 2).sum() for k in W)
print(f"J = {float(J):.6f}")

# %% [markdown]
# `ag.backprop(J)` runs Algorithm 6.2 over that graph and returns the grad_table: an entry for every node
# on a path to $J$, the pre-activations $\boldsymbol a^{(k)}$ and activations $\boldsymbol h^{(k)}$ included.

# %%
grad_table = ag.backprop(J)

# %% [markdown]
# ## Algorithm 6.4 by hand
#
# Plain NumPy on the values the forward pass computed. $\nabla_{\hat{\boldsymbol y}} L = 2(\hat{\boldsymbol y} - \boldsymbol y)$,
# $\tanh'(a) = 1 - \tanh^2(a)$ and $\nabla_{W}\Omega = 2W$. Every $\boldsymbol g$ the loop computes is kept.

# %%
values = {name: {k: t.numpy() for k, t in table.items()} for name, table in (("W", W), ("b", b), ("a", a), ("h", h))}

g = 2 * (values["h"][l] - y)                      # the gradient on the output
g_h, g_a, grad_W, grad_b = {l: g}, {}, {}, {}
for k in range(l, 0, -1):
    g = g * (1 - np.tanh(values["a"][k]) ** 2)    # on the pre-activation: g * f'(a)
    g_a[k] = g
    grad_b[k] = g                                 # + lam * grad_b Omega, which is 0
    grad_W[k] = np.outer(g, values["h"][k - 1]) + lam * 2 * values["W"][k]
    g = values["W"][k].T @ g                      # on the layer below's activation
    g_h[k - 1] = g

# %% [markdown]
# Each of those is an entry of the engine's grad_table. Algorithm 6.4 is Algorithm 6.2 on this graph, with
# the products of local derivatives grouped by layer: the two agree to the last few bits of float64.

# %%
rows = [(f"a^({k})", g_a[k], grad_table[a[k]]) for k in range(l, 0, -1)]
rows += [(f"h^({k})", g_h[k], grad_table[h[k]]) for k in range(l, 0, -1)]
rows += [(f"W^({k})", grad_W[k], grad_table[W[k]]) for k in range(l, 0, -1)]
rows += [(f"b^({k})", grad_b[k], grad_table[b[k]]) for k in range(l, 0, -1)]
print(f"{'node':8} {'shape':8} largest |Algorithm 6.4 - grad_table|")
for name, by_hand, entry in rows:
    difference = np.abs(by_hand - entry.numpy()).max()
    print(f"{name:8} {str(by_hand.shape):8} {difference:.1e}")
    assert difference < 1e-15
print("h^(0) = x needs no gradient, so the engine leaves it out:", h[0] not in grad_table)

# %% [markdown]
# The last step of the hand-written loop computed $W^{(1)\top}\boldsymbol g$, the gradient on the input
# $\boldsymbol h^{(0)} = \boldsymbol x$, which nothing needs; the engine, whose input does not require grad,
# skips it.
#
# ## Each step is a Jacobian-gradient product
#
# The handwritten notes read every line of Algorithm 6.4 as one product: if $\boldsymbol u = \phi(\boldsymbol v)$,
# then $\nabla_{\boldsymbol v} J = \left(\frac{\partial \boldsymbol u}{\partial \boldsymbol v}\right)^{\top} \nabla_{\boldsymbol u} J$.
# For $\boldsymbol a = \boldsymbol b + W\boldsymbol h$ the Jacobian $\partial\boldsymbol a/\partial\boldsymbol h$ is $W$,
# which gives the line $W^\top\boldsymbol g$; for the elementwise $\boldsymbol h = f(\boldsymbol a)$ it is the diagonal
# matrix $\operatorname{diag} f'(\boldsymbol a)$, which gives $\boldsymbol g \odot f'(\boldsymbol a)$.
# `ag.jacobian` builds both matrices; `ag.vjp` computes the product without them.

# %%
k = 2
layer = lambda h_below: b[k].detach() + W[k].detach() @ h_below
jac_layer = ag.jacobian(layer)(values["h"][k - 1]).numpy()
jac_tanh = ag.jacobian(ag.tanh)(values["a"][k]).numpy()
print("d a^(2) / d h^(1) equals W^(2):", np.array_equal(jac_layer, values["W"][k]))
print("d h^(2) / d a^(2) is diagonal:", np.count_nonzero(jac_tanh - np.diag(np.diag(jac_tanh))) == 0)

_, pullback = ag.vjp(ag.tanh, values["a"][k])
(g_from_vjp,) = pullback(g_h[k])
assert np.allclose(jac_tanh.T @ g_h[k], g_a[k], rtol=1e-15, atol=1e-17)
assert np.allclose(g_from_vjp.numpy(), g_a[k], rtol=1e-15, atol=1e-17)
assert np.allclose(jac_layer.T @ g_a[k], g_h[k - 1], rtol=1e-15, atol=1e-17)
print("J^T g from the Jacobians and from ag.vjp equal the lines of Algorithm 6.4")

# %% [markdown]
# Why products and never the Jacobians: for a minibatch, a layer's activations form a matrix, and the
# Jacobian of an elementwise unit over a batch of 32 and 64 units has $(32 \cdot 64)^2$ entries, all but
# the diagonal zero. The product costs one multiplication per entry of $\boldsymbol g$.

# %%
batch, width = 32, 64
Z = rng.normal(size=(batch, width))
G = rng.normal(size=(batch, width))
jac = ag.jacobian(ag.tanh)(Z).numpy()
print(f"Jacobian of tanh on a {batch}x{width} batch: shape {jac.shape}, {jac.size:,} entries, "
      f"{np.count_nonzero(jac):,} of them non-zero")
_, pullback = ag.vjp(ag.tanh, Z)
(product,) = pullback(G)
assert np.allclose(np.einsum("ijkl,ij->kl", jac, G), product.numpy(), rtol=1e-14)
print(f"the vector-Jacobian product: {product.numpy().size:,} entries, the same values")

# %% [markdown]
# ## A minibatch, and the digits
#
# With the examples of a minibatch as the rows of $H^{(k-1)}$ (as `nn.Linear` stores them, $A = HW^\top + \boldsymbol b$),
# the lines of Algorithm 6.4 become matrix products: $G$ holds one $\boldsymbol g$ per row,
# $\nabla_{W} J = G^\top H^{(k-1)}$ sums the examples' outer products, $\nabla_{\boldsymbol b} J$ sums $G$'s rows,
# and $G \leftarrow G W$ passes all of them down at once. With a softmax output and the mean cross-entropy over
# $m$ examples, the first $G$ is $(P - Y)/m$, the notes' $\nabla_{\boldsymbol a} L = \boldsymbol p - \boldsymbol y$
# per example. The network below is $64 \to 32 \to 10$ with ReLU, $f'(a) = [a > 0]$.
#
# `backward_by_hand` is Algorithm 6.4 for this network. Two copies of the same initial weights are
# trained for one epoch on the same minibatches with SGD: one through `nn` (the engine's backward), the
# other with the hand-written gradients and the update $\theta \leftarrow \theta - \eta\nabla_\theta J$ in NumPy.
# In float64, only the order of rounding can tell them apart.

# %%
X, labels = load_digits()
X = X.astype(np.float64) / 16.0      # float64, so that only rounding separates the two

model = nn.Sequential(nn.Linear(64, 32, dtype=np.float64, rng=0), nn.ReLU(), nn.Linear(32, 10, dtype=np.float64, rng=1))
params = {name: p.numpy().copy() for name, p in model.named_parameters()}   # the hand-written copy
loss_fn = nn.CrossEntropyLoss()
optimizer = nn.optim.SGD(model.parameters(), lr=0.1)

def forward_by_hand(p, xb):
    a1 = xb @ p["0.weight"].T + p["0.bias"]
    h1 = np.maximum(a1, 0)
    a2 = h1 @ p["2.weight"].T + p["2.bias"]
    return a1, h1, a2

def backward_by_hand(p, xb, yb):
    """Algorithm 6.4 for Linear-ReLU-Linear with the mean softmax cross-entropy: the parameters' gradients."""
    a1, h1, a2 = forward_by_hand(p, xb)
    probabilities = np.exp(a2 - a2.max(axis=1, keepdims=True))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    G = probabilities.copy()
    G[np.arange(len(yb)), yb] -= 1
    G /= len(yb)                                     # on a^(2): (P - Y) / m
    grads = {"2.weight": G.T @ h1, "2.bias": G.sum(axis=0)}
    G = G @ p["2.weight"]                            # on h^(1)
    G = G * (a1 > 0)                                 # on a^(1): G * f'(a^(1))
    grads.update({"0.weight": G.T @ xb, "0.bias": G.sum(axis=0)})
    return grads

largest = []
for xb, yb in DataLoader(TensorDataset(X, labels), batch_size=32, shuffle=True, rng=0):
    optimizer.zero_grad()
    loss_fn(model(xb), yb).backward()
    grads = backward_by_hand(params, xb, yb)
    largest.append(max(np.abs(grads[name] - p.grad.numpy()).max() for name, p in model.named_parameters()))
    optimizer.step()
    for name in params:
        params[name] -= 0.1 * grads[name]

drift = max(np.abs(params[name] - p.numpy()).max() for name, p in model.named_parameters())
print(f"{len(largest)} steps: largest gradient difference {max(largest):.1e}, "
      f"parameters apart by at most {drift:.1e} after the epoch")
assert max(largest) < 1e-13 and drift < 1e-12

a1, h1, a2 = forward_by_hand(params, X)
print(f"training accuracy after one epoch of the hand-written Algorithm 6.4: {(a2.argmax(axis=1) == labels).mean():.3f}")

# %% [markdown]
# The hand-written backward knows the graph in advance and fuses the softmax with its loss; it is the kind
# of code the benchmarks' NumPy baseline is. What the engine adds is that nobody writes it: change the unit,
# the loss or the architecture and the same Algorithm 6.2 still fills the grad_table.
#
# ## Where $\boldsymbol g$ goes: the gradient per layer
#
# Algorithm 6.4 passes $\boldsymbol g$ down through $W^{(k)\top}$ and $f'$ at every layer, so its size can
# grow or shrink with depth. The engine's `retain_grad()` keeps the gradient on each pre-activation
# (an entry of the grad_table that `backward()` would otherwise free); its norm per layer, for eight tanh
# layers of 64 units at initialisation, shows $\boldsymbol g$ shrinking on its way down when the weights
# are small, growing when they are large, and keeping its size when their variance is $1/\mathrm{fan\_in}$,
# the scale of the initialisations in `nn.init` (Xavier's, for equal fan-in and fan-out).

# %%
def gradient_norms(std, depth=8, width=64):
    generator = np.random.default_rng(1)
    h_k = ag.tensor(X[:128])
    pre = []
    for k in range(depth):
        fan_in = h_k.shape[1]
        weight = ag.tensor(generator.normal(0, std / np.sqrt(fan_in), (width, fan_in)), requires_grad=True)
        a_k = h_k @ weight.T
        a_k.retain_grad()
        pre.append(a_k)
        h_k = ag.tanh(a_k)
    (h_k ** 2).sum().backward()
    return [float(np.linalg.norm(a_k.grad.numpy())) for a_k in pre]

norms = {std: gradient_norms(std) for std in (0.5, 1.0, 2.0)}
fig, ax = plt.subplots(figsize=(7, 4))
for std, per_layer in norms.items():
    ax.semilogy(range(1, len(per_layer) + 1), per_layer, marker="o", label=f"weights ~ N(0, {std}^2 / fan_in)")
    print(f"std {std}: |g| on a^(1) / |g| on a^(8) = {per_layer[0] / per_layer[-1]:.2g}")
ax.set(xlabel="layer k", ylabel="|grad_table[a^(k)]|", title="the gradient on each layer's pre-activation")
ax.legend()
plt.show()
ratio = {std: per_layer[0] / per_layer[-1] for std, per_layer in norms.items()}
assert ratio[0.5] < 0.1 and 0.5 < ratio[1.0] < 2 and ratio[2.0] > 2
