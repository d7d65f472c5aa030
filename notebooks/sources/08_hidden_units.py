# %% [markdown]
# # 8. Hidden units: ReLU and its generalisations, maxout, sigmoid, tanh
#
# The notes call the design of hidden units "still an active area of research": *"predicting in advance which
# hidden units will work best is usually impossible"*. What can be done is to look at each unit's value and
# derivative, which is what gradient descent sees, and to check the claims the notes make about them:
# the kink of $\max\{0, z\}$ is safe to disregard, a ReLU whose activation is zero cannot learn, the sigmoid
# saturates, tanh is nearly linear for small arguments, maxout learns a convex piecewise-linear function, and
# one hidden layer approximates a continuous function given enough units. On the way, the digits network is
# trained with each unit in turn, since trying is the only way to choose. Every derivative below is the
# engine's own.

# %%
import numpy as np
import matplotlib.pyplot as plt
import autograd_core as ag
import nn
from nn.data import train_val_test_split
from nn.datasets import load_digits

# %% [markdown]
# ## The units and their derivatives
#
# For an elementwise unit $g$, the gradient of $\sum_i g(z_i)$ with respect to $\boldsymbol z$ is the vector of
# derivatives $g'(z_i)$, so one `ag.grad` call gives the derivative on a whole grid. The grid has 400 points
# on $[-4, 4]$ and does not contain 0, where ReLU and its kin have a kink (see the next section).

# %%
z = np.linspace(-4, 4, 400)
units = {
    "ReLU  max(0, z)": nn.ReLU(),
    "leaky ReLU  max(0.1 z, z)": nn.LeakyReLU(negative_slope=0.1),
    "absolute value  |z|": nn.LeakyReLU(negative_slope=-1),
    "sigmoid": nn.Sigmoid(),
    "tanh": nn.Tanh(),
    "ELU": nn.ELU(alpha=1.0),
    "softplus  log(1 + e^z)": nn.Softplus(),
}
values = {name: unit(ag.tensor(z)).numpy() for name, unit in units.items()}
slopes = {name: ag.grad(lambda t, unit=unit: unit(t).sum())(z).numpy() for name, unit in units.items()}

sigma = 1 / (1 + np.exp(-z))
expected_slopes = {
    "ReLU  max(0, z)": (z > 0) * 1.0,
    "leaky ReLU  max(0.1 z, z)": np.where(z > 0, 1, 0.1),
    "absolute value  |z|": np.sign(z),
    "sigmoid": sigma * (1 - sigma),
    "tanh": 1 - np.tanh(z) ** 2,
    "ELU": np.where(z > 0, 1, np.exp(z)),
    "softplus  log(1 + e^z)": sigma,
}
for name in units:
    assert np.allclose(slopes[name], expected_slopes[name], rtol=1e-12, atol=1e-15), name

fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 7), sharex=True)
for name in units:
    top.plot(z, values[name], label=name)
    bottom.plot(z, slopes[name], label=name)
top.set(ylabel="g(z)", ylim=(-2, 4), title="hidden units")
bottom.set(xlabel="z", ylabel="g'(z), from ag.grad", ylim=(-1.2, 1.2))
top.legend(fontsize=8)
plt.show()

# %% [markdown]
# The generalized ReLU of the notes is $h_i = \max(0, z_i) + \alpha_i \min(0, z_i)$: $\alpha = 0$ is ReLU, a
# small $\alpha$ the leaky ReLU, and $\alpha = -1$ the absolute value rectification $|z|$. `nn.LeakyReLU` takes
# $\alpha$ as `negative_slope`, any real number:

# %%
for alpha in (-1.0, 0.0, 0.01, 0.1):
    h = nn.LeakyReLU(negative_slope=alpha)(ag.tensor(z)).numpy()
    assert np.array_equal(h, np.maximum(0, z) + alpha * np.minimum(0, z)), alpha
assert np.array_equal(nn.LeakyReLU(negative_slope=-1)(ag.tensor(z)).numpy(), np.abs(z))
print("LeakyReLU(alpha) is max(0, z) + alpha min(0, z) for alpha = -1, 0, 0.01, 0.1; alpha = -1 is |z|")

# %% [markdown]
# ## The kink at 0 is safe to disregard
#
# $\max\{0, z\}$ has no derivative at $z = 0$. The engine, like PyTorch, takes the left derivative there, 0.
# The notes' argument is that it hardly matters: *"it is very unlikely that the value during the training is
# truly 0"*. We train a $64 \to 64 \to 10$ ReLU network on the digits, split as in notebook 3 (70% training,
# 15% validation, 15% test), for five epochs and count, at every step, the pre-activations
# $z = W^\top x + b$ of the hidden layer that are exactly 0.

# %%
print("relu'(0) =", ag.grad(lambda t: ag.relu(t))(0.0).item())

X, y = load_digits()
X = X / np.float32(16)
(X_train, y_train), (X_val, y_val), (X_test, y_test) = train_val_test_split(X, y, val=0.15, test=0.15, rng=0)

model = nn.MLP([64, 64, 10], rng=0)
optimizer = nn.optim.Adam(model.parameters(), lr=3e-3)
loss_fn = nn.CrossEntropyLoss()
hidden = model.layers[0]
exact_zeros = seen = 0
loader = nn.data.DataLoader(nn.data.TensorDataset(X_train, y_train), batch_size=32, shuffle=True, rng=0)
for epoch in range(5):
    for X_batch, y_batch in loader:
        pre_activation = hidden(X_batch)
        exact_zeros += int((pre_activation.numpy() == 0).sum())
        seen += pre_activation.numpy().size
        optimizer.zero_grad()
        loss_fn(model.layers[2](ag.relu(pre_activation)), y_batch).backward()
        optimizer.step()
print(f"pre-activations exactly 0: {exact_zeros} of {seen:,}")
assert exact_zeros <= seen * 1e-5

# %% [markdown]
# ## A ReLU whose activation is zero cannot learn
#
# The notes' drawback of ReLU: it *"cannot learn via gradient-based methods if [its] activation is zero"*, and
# their advice, to set the bias *"to small values such as 0.1"*, so that units start active. A unit that is 0 on
# every training example receives exactly zero gradient, so gradient descent never changes its weights. We set
# every hidden bias to $b_0$ before training, count the units that are 0 on the whole training set (dead), train
# ten epochs, and count again.

# %%
def dead_units(model):
    with ag.no_grad():
        return np.flatnonzero((model.layers[0](X_train).numpy() <= 0).all(axis=0))

print(f"{'hidden bias':>12} {'dead before':>12} {'dead after':>11} {'test accuracy':>14}")
for b0 in (-0.5, 0.0, 0.1):
    model = nn.MLP([64, 64, 10], rng=1)
    with ag.no_grad():
        model.layers[0].bias[...] = b0
    dead_before = dead_units(model)
    weights_before = model.layers[0].weight.numpy().copy()
    optimizer = nn.optim.Adam(model.parameters(), lr=3e-3)
    nn.fit(model, loss_fn, optimizer, (X_train, y_train), epochs=10, batch_size=32, progress=False, rng=1)
    with ag.no_grad():
        accuracy = (model(X_test).numpy().argmax(axis=1) == y_test).mean()
    print(f"{b0:12.1f} {len(dead_before):12d} {len(dead_units(model)):11d} {accuracy:14.3f}")
    # The dead units' incoming weights are exactly as they were: no gradient ever reached them.
    assert np.array_equal(model.layers[0].weight.numpy()[dead_before], weights_before[dead_before])
    if b0 < 0:
        assert len(dead_before) > 32 and set(dead_before) <= set(dead_units(model))   # most start dead, and stay dead

# %% [markdown]
# With $b_0 = -0.5$ most units start dead and stay dead, their weights untouched bit for bit, and the network
# learns with the units that are left. (A dead unit could only come back if its input changed: here its input is
# the pixels.) Units also die during training, whatever the start: a step that lowers a unit's bias or weights
# far enough leaves it at 0 on every example, for good. The table counts them after ten epochs.
#
# ## The sigmoid saturates, tanh is nearly linear near 0
#
# The logistic sigmoid *"saturates across most of [its] domain"*: its derivative is at most $\frac14$ and falls
# off as $e^{-|z|}$. tanh has derivative 1 at 0, and *"is nearly linear when its argument is small"*, so that
# $\hat y = \boldsymbol w^\top \tanh(U^\top \tanh(V^\top \boldsymbol x))$ comes close to the linear
# $\boldsymbol w^\top U^\top V^\top \boldsymbol x$ for small weights.

# %%
for z0 in (0.0, 2.0, 5.0, 10.0):
    d_sigmoid = ag.grad(ag.sigmoid)(z0).item()
    d_tanh = ag.grad(ag.tanh)(z0).item()
    print(f"z = {z0:4.1f}:  sigmoid'(z) = {d_sigmoid:.2e}   tanh'(z) = {d_tanh:.2e}")
assert ag.grad(ag.sigmoid)(10.0).item() < 5e-5 and ag.grad(ag.tanh)(0.0).item() == 1.0

rng = np.random.default_rng(2)
x_in = rng.normal(size=(100, 5))
V, U, w = rng.normal(size=(5, 8)), rng.normal(size=(8, 8)), rng.normal(size=8)
gaps = []
for scale in (1.0, 0.1, 0.01):
    Vs, Us = ag.tensor(scale * V), ag.tensor(scale * U)
    deep = ag.tanh(ag.tanh(ag.tensor(x_in) @ Vs) @ Us) @ w
    linear = x_in @ (scale * V) @ (scale * U) @ w
    gaps.append(np.abs(deep.numpy() - linear).max() / np.abs(linear).max())
    print(f"weights scaled by {scale:5.2f}: largest relative gap to the linear model {gaps[-1]:.1e}")
assert gaps[0] > gaps[1] > gaps[2] and gaps[1] > 50 * gaps[2]  # tanh(a) = a - a**3/3 + ...: the gap shrinks as scale**2

# %% [markdown]
# ## Maxout
#
# A maxout unit outputs the largest of a group of affine functions, $g(\boldsymbol z)_i = \max_{j \in
# \mathbb G^{(i)}} z_j$, in the notes' two-piece form $\max(\boldsymbol w_1^\top \boldsymbol x + b_1,
# \boldsymbol w_2^\top \boldsymbol x + b_2)$. With hand-set pieces it is ReLU ($w = (1, 0)$) or $|x|$
# ($w = (1, -1)$); trained, it learns a convex piecewise-linear function, closer with more pieces. Here
# `nn.Maxout(1, 1, pieces=k)` learns $x^2$ on $[-2, 2]$. A piece that is the maximum at no training point gets
# no gradient, exactly as a dead ReLU, so not every piece is put to use.

# %%
unit = nn.Maxout(1, 1, pieces=2, dtype=np.float64)
x_line = np.linspace(-2, 2, 101)[:, None]
for w_hand, target in (([1.0, 0.0], np.maximum(0, x_line)), ([1.0, -1.0], np.abs(x_line))):
    with ag.no_grad():
        unit.linear.weight[...] = np.array(w_hand)[:, None]
        unit.linear.bias[...] = 0.0
    assert np.array_equal(unit(x_line).numpy(), target)
print("two-piece maxout with hand-set pieces: ReLU and |x|, exactly")

fits, errors = {}, []
for pieces in (2, 4, 8):
    unit = nn.Maxout(1, 1, pieces=pieces, dtype=np.float64, rng=5)
    optimizer = nn.optim.Adam(unit.parameters(), lr=0.05)
    for step in range(1500):
        optimizer.zero_grad()
        loss = nn.MSELoss()(unit(x_line), x_line ** 2)
        loss.backward()
        optimizer.step()
    optimizer.zero_grad()
    unit_output = unit(x_line)
    nn.MSELoss()(unit_output, x_line ** 2).backward()  # the gradient at the final weights, to look at below
    fits[pieces] = unit_output.numpy()
    # Which piece is the maximum at each x; a piece that is the maximum nowhere gets no gradient at all.
    with ag.no_grad():
        z_pieces = unit.linear(x_line).numpy()      # the pieces' values w_j x + b_j, one column per piece
    used = np.unique(z_pieces.argmax(axis=1))
    unused = np.setdiff1d(np.arange(pieces), used)
    assert not unit.linear.weight.grad.numpy()[unused].any() and not unit.linear.bias.grad.numpy()[unused].any()
    errors.append(((fits[pieces] - x_line ** 2) ** 2).mean())
    print(f"{pieces} pieces: mean squared error {errors[-1]:.2e}, {len(used)} of them the maximum somewhere")
assert errors[0] > errors[1] > errors[2]

plt.figure(figsize=(6, 4))
plt.plot(x_line, x_line ** 2, "k--", label="$x^2$")
for pieces, fit in fits.items():
    plt.plot(x_line, fit, label=f"maxout, {pieces} pieces")
plt.xlabel("x"); plt.ylabel("unit output")
plt.legend()
plt.title("maxout learns a convex piecewise-linear function")
plt.show()

# %% [markdown]
# ## Which unit works best? Try them
#
# Since the best unit cannot be predicted, the practical answer is to train with each and compare them, as the
# notes' *Model Selection* slide says, on the validation set; the test set is kept for one final estimate of the
# chosen network. The digits network (64-64-10, Adam, ten epochs of batch 32) with each hidden unit, and with a
# maxout layer of 64 units of 2 pieces:

# %%
def train_digits(model):
    """Ten epochs of Adam on the training set; the History holds the validation loss and accuracy per epoch."""
    optimizer = nn.optim.Adam(model.parameters(), lr=3e-3)
    return nn.fit(model, loss_fn, optimizer, (X_train, y_train), val=(X_val, y_val), epochs=10,
                  batch_size=32, progress=False, rng=4)

candidates = {name: nn.MLP([64, 64, 10], activation=name, rng=4)
              for name in ("relu", "leaky_relu", "elu", "softplus", "tanh", "sigmoid")}
candidates["maxout"] = nn.Sequential(nn.Maxout(64, 64, pieces=2, rng=4), nn.Linear(64, 10, rng=4))
histories = {name: train_digits(model) for name, model in candidates.items()}
print(f"{'unit':11s} {'validation loss':>16s} {'validation accuracy':>20s}   (after 10 epochs)")
for name, history in histories.items():
    print(f"{name:11s} {history['val_loss'][-1]:16.4f} {history['val_accuracy'][-1]:20.3f}")
    assert history["val_accuracy"][-1] > 0.9

chosen = min(histories, key=lambda name: histories[name]["val_loss"][-1])
assert max(histories, key=lambda name: histories[name]["val_loss"][-1]) == "sigmoid"   # slowest, as the text says
assert sorted(histories, key=lambda name: histories[name]["val_loss"][0])[-2:] == ["softplus", "sigmoid"]
with ag.no_grad():
    test_accuracy = (candidates[chosen](X_test).numpy().argmax(axis=1) == y_test).mean()
print(f"chosen on the validation set: {chosen}; its test accuracy {test_accuracy:.3f}")

plt.figure(figsize=(6, 4))
for name, history in histories.items():
    plt.plot(range(1, 11), history["val_loss"], label=name)
plt.xlabel("epoch")
plt.ylabel("validation loss")
plt.title("the digits network with each hidden unit")
plt.legend()
plt.show()

# %% [markdown]
# In accuracy every unit does well on this small problem, and the differences are a few validation images
# (270 of them: one image is 0.4%), of the size another seed would change. The loss curves show the one
# difference the sections above predict: the sigmoid network learns slowest, its unit's derivative being at
# most $\frac14$ (and softplus, whose derivative is the sigmoid, starts second slowest). Beyond that the ranking
# says little outside this network and this data, which is the notes' point: the unit is chosen by trying, on a
# validation set.

# %% [markdown]
# ## One hidden layer approximates a continuous function
#
# The universal approximation theorem: a network with a linear output unit and one hidden layer of a squashing
# unit approximates any continuous function on a closed and bounded set, *"provided that the network is given
# enough hidden units"*. It says nothing of how many, nor that training finds them. Fitting
# $f(x) = \sin 3x + 0.3x$ on $[-2, 2]$ with one tanh layer of growing width:

# %%
x_fit = np.linspace(-2, 2, 200)[:, None]
f_fit = np.sin(3 * x_fit) + 0.3 * x_fit
approximations, fit_errors = {}, {}
for width in (1, 3, 10, 30):
    net = nn.MLP([1, width, 1], activation="tanh", rng=5, dtype=np.float64)
    optimizer = nn.optim.Adam(net.parameters(), lr=0.02)
    for step in range(2000):
        optimizer.zero_grad()
        loss = nn.MSELoss()(net(x_fit), f_fit)
        loss.backward()
        optimizer.step()
    approximations[width], fit_errors[width] = net(x_fit).numpy(), loss.item()
    print(f"{width:3d} hidden units: mean squared error {fit_errors[width]:.2e}")
assert fit_errors[1] > fit_errors[3] > fit_errors[10] and fit_errors[30] < 1e-3

plt.figure(figsize=(6, 4))
plt.plot(x_fit, f_fit, "k--", label="f(x) = sin 3x + 0.3x")
for width, approximation in approximations.items():
    plt.plot(x_fit, approximation, label=f"{width} tanh unit{'s' if width > 1 else ''}")
plt.xlabel("x"); plt.ylabel("network output")
plt.title("one hidden tanh layer of growing width")
plt.legend()
plt.show()
