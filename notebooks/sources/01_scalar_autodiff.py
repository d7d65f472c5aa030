# %% [markdown]
# # 1. Scalar autodiff: Algorithms 6.1 and 6.2 by hand and by the engine
#
# The course notes (Lecture 6, *Back-Propagation*) describe a computational graph as nodes
# $u^{(1)}, \dots, u^{(n)}$: the first $n_i$ are the inputs, every later node applies a function
# $f^{(i)}$ to the set $\mathbb{A}^{(i)}$ of its parents' values.
#
# * **Algorithm 6.1** (forward): $u^{(i)} \leftarrow f^{(i)}(\mathbb{A}^{(i)})$ for $i = n_i+1, \dots, n$.
# * **Algorithm 6.2** (back-propagation): seed $\mathrm{grad\_table}[u^{(n)}] \leftarrow 1$, then for
#   $j = n-1$ down to $1$:
#   $\mathrm{grad\_table}[u^{(j)}] \leftarrow \sum_{i:\, j \in Pa(u^{(i)})} \mathrm{grad\_table}[u^{(i)}]\, \frac{\partial u^{(i)}}{\partial u^{(j)}}$.
#
# We use the notes' scalar example, the output node
# $$u^{(7)} = \sigma(w_1 u^{(5)} + w_2 u^{(6)} + b),$$
# where $u^{(5)}$ and $u^{(6)}$ both depend on the input $u^{(4)} = x$ (here $u^{(5)} = x^2$ and
# $u^{(6)} = \sin x$), so $\partial u^{(7)} / \partial u^{(4)}$ is a sum over two paths, exactly the
# notes' $\frac{\partial u^{(7)}}{\partial u^{(5)}} \frac{\partial u^{(5)}}{\partial u^{(4)}} + \frac{\partial u^{(7)}}{\partial u^{(6)}} \frac{\partial u^{(6)}}{\partial u^{(4)}}$.
# The weights are inputs too: $u^{(1)} = w_1$, $u^{(2)} = w_2$, $u^{(3)} = b$.

# %%
import numpy as np
import autograd_core as ag
from IPython.display import Markdown, display

# %% [markdown]
# ## Algorithm 6.1: the forward pass
#
# The graph is written as data: for each non-input node, its function $f^{(i)}$ and its parents
# $Pa(u^{(i)})$. The loop below *is* Algorithm 6.1; every value it computes is an engine Tensor,
# so the engine records the graph as it goes.

# %%
n_i = 4
x_values = {1: 0.8, 2: -1.5, 3: 0.3, 4: 0.5}          # w1, w2, b, x
labels = {1: "w1", 2: "w2", 3: "b", 4: "x", 5: "x^2", 6: "sin x", 7: "sigma(w1 u5 + w2 u6 + b)"}
graph = {                                               # i: (f^(i), Pa(u^(i)))
    5: (lambda u4: u4 ** 2, [4]),
    6: (lambda u4: ag.sin(u4), [4]),
    7: (lambda u1, u2, u3, u5, u6: ag.sigmoid(u1 * u5 + u2 * u6 + u3), [1, 2, 3, 5, 6]),
}

u = {}
for i in range(1, n_i + 1):                             # u^(i) <- x_i
    u[i] = ag.tensor(x_values[i], requires_grad=True, name=f"u{i} = {labels[i]}")
for i in range(n_i + 1, 8):                             # u^(i) <- f^(i)(A^(i))
    f, parents = graph[i]
    A = [u[j] for j in parents]
    u[i] = f(*A)
    u[i].name = f"u{i}"
n = 7
print("u^(n) =", float(u[n]))

# %% [markdown]
# ## Algorithm 6.2: the grad_table
#
# `ag.backprop(output)` runs Algorithm 6.2 over the graph the forward pass recorded and returns the
# grad_table itself: a dict from every node that needs a gradient to $\partial u^{(n)} / \partial u^{(j)}$.
# (`retain_graph=True` keeps the recorded graph after the pass, so that we can draw it and run
# `backward()` over it again below; without it a second pass over the same graph raises an error.)

# %%
grad_table = ag.backprop(u[n], retain_graph=True)
print(f"grad_table has {len(grad_table)} entries: our 7 named nodes plus the engine's own "
      f"intermediate nodes inside f^(7) (the products and sums)")
print("grad_table[u7] =", float(grad_table[u[7]]), "(the seed)")

# %% [markdown]
# ## The derivatives by hand
#
# With $s = \sigma(z)$, $z = w_1 u^{(5)} + w_2 u^{(6)} + b$ and $\sigma'(z) = s(1-s)$ (the softplus
# identities in the notes):
#
# | node | $\partial u^{(7)} / \partial u^{(j)}$ |
# |---|---|
# | $u^{(6)}$ | $s(1-s)\, w_2$ |
# | $u^{(5)}$ | $s(1-s)\, w_1$ |
# | $u^{(4)} = x$ | $\frac{\partial u^{(7)}}{\partial u^{(5)}} \cdot 2x + \frac{\partial u^{(7)}}{\partial u^{(6)}} \cdot \cos x$ |
# | $u^{(3)} = b$ | $s(1-s)$ |
# | $u^{(2)} = w_2$ | $s(1-s)\, u^{(6)}$ |
# | $u^{(1)} = w_1$ | $s(1-s)\, u^{(5)}$ |
#
# (The slide writes $\sigma(1 - w_1 u^{(5)} - \dots)$ for the second factor; the correct factor is
# $1 - \sigma(w_1 u^{(5)} + w_2 u^{(6)} + b)$.)

# %%
w1, w2, b, x = (x_values[i] for i in (1, 2, 3, 4))
u5, u6 = x ** 2, np.sin(x)
s = 1 / (1 + np.exp(-(w1 * u5 + w2 * u6 + b)))
ds = s * (1 - s)
by_hand = {7: 1.0, 6: ds * w2, 5: ds * w1, 3: ds, 2: ds * u6, 1: ds * u5}
by_hand[4] = by_hand[5] * 2 * x + by_hand[6] * np.cos(x)

rows = ["| node | meaning | value $u^{(j)}$ | grad_table$[u^{(j)}]$ | by hand |", "|---|---|---|---|---|"]
for j in range(n, 0, -1):
    rows.append(f"| $u^{{({j})}}$ | {labels[j]} | {float(u[j]):.6f} | {float(grad_table[u[j]]):.6f} | {by_hand[j]:.6f} |")
display(Markdown("\n".join(rows)))

for j in range(1, n + 1):
    assert np.isclose(float(grad_table[u[j]]), by_hand[j], rtol=1e-12, atol=1e-15), j
assert np.isclose(float(u[7]), s)

# %% [markdown]
# ## Algorithm 6.2 written out
#
# The same table, filled by the notes' loop itself on our seven nodes. Each edge $j \to i$ carries
# its local derivative $\partial u^{(i)} / \partial u^{(j)}$, a function of the values of $u^{(i)}$'s
# parents; the loop visits $j = n-1, \dots, 1$ and sums over the children $i$ of $u^{(j)}$.

# %%
v = {j: float(u[j]) for j in u}                     # the values from the forward pass

def sigma_prime(v):                                 # sigma'(z) at z = w1 u5 + w2 u6 + b
    s = 1 / (1 + np.exp(-(v[1] * v[5] + v[2] * v[6] + v[3])))
    return s * (1 - s)

local = {                                           # (i, j): du^(i)/du^(j)
    (5, 4): lambda v: 2 * v[4],
    (6, 4): lambda v: np.cos(v[4]),
    (7, 1): lambda v: sigma_prime(v) * v[5],
    (7, 2): lambda v: sigma_prime(v) * v[6],
    (7, 3): lambda v: sigma_prime(v),
    (7, 5): lambda v: sigma_prime(v) * v[1],
    (7, 6): lambda v: sigma_prime(v) * v[2],
}

table = {n: 1.0}                                    # grad_table[u^(n)] <- 1
for j in range(n - 1, 0, -1):                       # for j = n-1 down to 1
    table[j] = sum(table[i] * d_ij(v) for (i, jj), d_ij in local.items() if jj == j)
    print(f"grad_table[u{j}] = " + " + ".join(f"grad_table[u{i}] * du{i}/du{j}"
                                               for (i, jj) in local if jj == j) + f" = {table[j]:.6f}")

for j in range(1, n + 1):
    assert np.isclose(table[j], float(grad_table[u[j]]), rtol=1e-12)
print(f"{len(local)} edges, {len(local)} products: the same numbers as ag.backprop")

# %% [markdown]
# Every entry matches the hand derivation to machine precision. Note the order in which
# Algorithm 6.2 needs them: $u^{(7)}$'s entry first, then $u^{(6)}$ and $u^{(5)}$, and only then
# $u^{(4)}$, whose entry sums the contributions arriving along its two outgoing edges.
#
# ## The graph, drawn
#
# `autograd_core.viz.draw_graph` draws one box per Tensor and one ellipse per operation. With
# `show_data=True` each box shows its value $u^{(j)}$; with `show_grad=True` and `grads=grad_table`
# it also shows the grad_table entry $\partial u^{(7)} / \partial u^{(j)}$, for our named nodes
# and for the engine's intermediate ones inside $f^{(7)}$ alike.

# %%
from autograd_core.viz import draw_graph

dot = draw_graph(u[n], show_data=True, show_grad=True, grads=grad_table)
dot

# %% [markdown]
# `Tensor.backward()` runs the same pass but keeps only the inputs' entries, adding them into
# each leaf's `.grad` (the return value of Algorithm 6.2, $\{\mathrm{grad\_table}[u^{(i)}] \mid i = 1, \dots, n_i\}$):

# %%
u[n].backward()
for j in range(1, n_i + 1):
    assert np.isclose(float(u[j].grad), by_hand[j], rtol=1e-12)
print({labels[j]: round(float(u[j].grad), 6) for j in range(1, n_i + 1)})

# %% [markdown]
# ## Why the table, and not the chain rule written out
#
# Written out symbolically, $\partial u^{(7)}/\partial u^{(4)}$ repeats the subexpression
# $\sigma'(z)$ in both paths; for deeper graphs the repeated subexpressions grow exponentially.
# Algorithm 6.2 computes each $\partial u^{(n)} / \partial u^{(i)}$ once, stores it, and reuses it:
# the work is one product per edge, proportional to the cost of the forward pass.
# The notes' slow alternative, forward differences $(J(w + \epsilon e_j) - J(w)) / \epsilon$, needs one more
# forward pass *per input* ("for 1M weights, 1M forward passes"); central differences, used here because
# they are more accurate, need two:

# %%
def u7_of(w1, w2, b, x):
    return 1 / (1 + np.exp(-(w1 * x ** 2 + w2 * np.sin(x) + b)))

eps = 1e-6
point = np.array([w1, w2, b, x])
numeric = []
for k in range(4):
    e = np.zeros(4); e[k] = eps
    numeric.append((u7_of(*(point + e)) - u7_of(*(point - e))) / (2 * eps))
print("central differences:", np.round(numeric, 6))
print("grad_table        :", np.round([float(grad_table[u[j]]) for j in (1, 2, 3, 4)], 6))
assert np.allclose(numeric, [by_hand[j] for j in (1, 2, 3, 4)], atol=1e-8)
