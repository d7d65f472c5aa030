# %% [markdown]
# # 3. An MLP on the handwritten digits
#
# The full recipe of the notes' *Usual Practice* slide on a real (small) dataset, in this order: an MLP
# with ReLU hidden units and a softmax output with cross-entropy, trained with Adam and watched on a
# validation set; a look at what the hidden units learned, in good and bad training (the notes'
# *Feature Visualization* and weight-initialisation slides); then the regularisers: early stopping,
# dropout, and a penalty on the weights.
#
# The data: 1,797 images of 8x8 pixels (the UCI digits bundled with the package), pixel values
# 0..16 scaled to $[0, 1]$, split once with a fixed seed into 70% training, 15% validation and
# 15% test.

# %%
import numpy as np
import matplotlib.pyplot as plt
from IPython.display import display
import autograd_core as ag
import nn
import nn.datasets

X, y = nn.datasets.load_digits()
X = X / np.float32(16.0)
(X_train, y_train), (X_val, y_val), (X_test, y_test) = nn.train_val_test_split(X, y, val=0.15, test=0.15, rng=0)
print("train", X_train.shape, " validation", X_val.shape, " test", X_test.shape)

fig, axes = plt.subplots(2, 10, figsize=(10, 2.4))
for ax, image, label in zip(axes.ravel(), X_train[:20], y_train[:20]):
    ax.imshow(image.reshape(8, 8), cmap="gray_r"); ax.set_title(int(label)); ax.axis("off")
plt.show()

# %% [markdown]
# ## Training with nn.fit
#
# An MLP $64 \to 128 \to 10$: $\boldsymbol h = \max\{0, W^{(1)}\boldsymbol x + \boldsymbol b^{(1)}\}$,
# logits $\boldsymbol a = W^{(2)}\boldsymbol h + \boldsymbol b^{(2)}$, and
# $L = -\log \operatorname{softmax}(\boldsymbol a)_y$ (`nn.CrossEntropyLoss`). Each minibatch step is
# Algorithm 6.3 (forward), Algorithm 6.4 (backward, here the engine's general back-propagation)
# and an Adam update. `nn.fit` records the loss and accuracy per epoch.

# %%
def accuracy(model, X, y):
    model.eval()
    with ag.no_grad():
        predicted = model(ag.tensor(X)).numpy().argmax(axis=1)
    model.train()
    return float((predicted == y).mean())

model = nn.MLP([64, 128, 10], activation="relu", rng=0)
optimizer = nn.optim.Adam(model.parameters(), lr=2e-3)
history = nn.fit(model, nn.CrossEntropyLoss(), optimizer, (X_train, y_train), val=(X_val, y_val),
                 epochs=30, batch_size=32, progress=False, rng=0)
test_accuracy = accuracy(model, X_test, y_test)
print(f"test accuracy {100 * test_accuracy:.2f}% after {history.epochs} epochs")
assert test_accuracy >= 0.97
display(history.plot())

# %% [markdown]
# Training loss keeps falling while the validation loss flattens: beyond that point the network is
# fitting the particular training images more than the digits.
#
# ## Confusion matrix
#
# Row $i$, column $j$: how many test images of digit $i$ the network called $j$.

# %%
model.eval()
with ag.no_grad():
    predicted = model(ag.tensor(X_test)).numpy().argmax(axis=1)
model.train()
confusion = np.zeros((10, 10), dtype=int)
np.add.at(confusion, (y_test, predicted), 1)
assert confusion.sum() == len(y_test) and np.trace(confusion) == round(test_accuracy * len(y_test))

fig, ax = plt.subplots(figsize=(5.5, 5))
ax.imshow(confusion, cmap="Blues")
for i in range(10):
    for j in range(10):
        if confusion[i, j]:
            ax.text(j, i, confusion[i, j], ha="center", va="center",
                    color="white" if confusion[i, j] > confusion.max() / 2 else "black")
ax.set_xticks(range(10)); ax.set_yticks(range(10))
ax.set_xlabel("predicted digit"); ax.set_ylabel("true digit"); ax.set_title("test set confusion matrix")
plt.show()
off = confusion - np.diag(np.diag(confusion))
i, j = np.unravel_index(off.argmax(), off.shape)
print(f"{off.sum()} mistakes; the most frequent: {off[i, j]} x a {i} taken for a {j}")

# %% [markdown]
# ## What the hidden units do
#
# The notes' *Feature Visualization* slide: plot hidden activations as a samples x units matrix.
# In **good training** "hidden units are sparse across samples": each unit responds to some inputs
# and not others, and different units respond differently. In **bad training** "many hidden units
# ignore the input and/or exhibit strong correlations."
#
# We train a smaller network, $64 \to 64 \to 10$, three ways:
#
# * **well**: small random initial weights, Adam with learning rate $2 \cdot 10^{-3}$;
# * **with a learning rate 150 times larger** ($0.3$): the first large steps push most ReLUs into the
#   region where they output 0 for every input, where their gradient is 0 too, so they never recover
#   (the notes: ReLUs "cannot learn via gradient-based methods if their activation is zero");
# * **from a symmetric initialisation**, every weight of a layer equal (the notes' weight-initialisation
#   slides): all hidden units compute the same function, receive the same gradient, and "will be
#   identical throughout training iterations", a network with effectively one hidden unit.
#
# The symmetric network computes in float64. In float32 the BLAS may round the 64 identical columns of
# a matrix product differently in the last bit, and the symmetric state is unstable: gradient descent
# amplifies those rounding differences until the units drift apart, which hides
# the notes' point behind an artefact of floating point.

# %%
def hidden_activations(model, X):
    with ag.no_grad():
        return model.layers[1](model.layers[0](ag.tensor(X))).numpy()   # h = max(0, W x + b)

def unit_statistics(H):
    ignores = H.std(axis=0) < 1e-6                  # the same output for every input
    live = H[:, ~ignores]
    corr = np.corrcoef(live.T)
    return {"ignore the input": ignores.mean(),
            "mean |corr|": np.abs(corr[~np.eye(len(corr), dtype=bool)]).mean()}

order = np.argsort(y_test, kind="stable")           # test samples grouped by digit
networks = {}
for name, lr, symmetric in (("well trained", 2e-3, False), ("learning rate 0.3", 0.3, False),
                            ("symmetric initialisation", 2e-3, True)):
    net = nn.MLP([64, 64, 10], activation="relu", rng=0, dtype=np.float64 if symmetric else np.float32)
    if symmetric:
        for layer in (net.layers[0], net.layers[2]):
            nn.init.constant_(layer.weight, 0.05)
            nn.init.zeros_(layer.bias)
    nn.fit(net, nn.CrossEntropyLoss(), nn.optim.Adam(net.parameters(), lr=lr), (X_train, y_train),
           epochs=20, progress=False, rng=0)
    H = hidden_activations(net, X_test)[order]
    networks[name] = {"H": H, "accuracy": accuracy(net, X_test, y_test), **unit_statistics(H)}

fig, axes = plt.subplots(1, 3, figsize=(14, 4.6), layout="constrained")
starts = [np.searchsorted(y_test[order], d) for d in range(11)]
for ax, (name, r) in zip(axes, networks.items()):
    units = np.argsort(-r["H"].mean(axis=0), kind="stable")   # most active units first
    im = ax.imshow(r["H"][:, units], aspect="auto", cmap="magma", interpolation="nearest")
    ax.set_title(f"{name}\ntest accuracy {100 * r['accuracy']:.1f}%")
    ax.set_xlabel("hidden unit (most active first)")
    ax.set_yticks([(a + b) / 2 for a, b in zip(starts[:-1], starts[1:])], labels=range(10))
    ax.set_ylabel("test samples, grouped by digit")
    fig.colorbar(im, ax=ax, shrink=0.8, label="activation h = max(0, a)")
plt.show()

print(f"{'':26s}{'test accuracy':>15s}{'units that ignore the input':>30s}{'mean |correlation| of the rest':>33s}")
for name, r in networks.items():
    print(f"{name:26s}{100 * r['accuracy']:14.1f}%{100 * r['ignore the input']:29.0f}%{r['mean |corr|']:33.2f}")

good, dead, sym = (networks[k] for k in ("well trained", "learning rate 0.3", "symmetric initialisation"))
assert good["accuracy"] > 0.95 and max(dead["accuracy"], sym["accuracy"]) < 0.6
assert good["ignore the input"] < 0.2 and dead["ignore the input"] > 0.8   # "almost every column is black"
assert sym["mean |corr|"] > 0.999 and good["mean |corr|"] < 0.5

# %% [markdown]
# * **Well trained**: the activations change from one digit's block of rows to the next: each unit
#   is strong for some digits and weak or silent for others, and different units prefer different
#   digits. Few units ignore the input and the correlation between units is moderate.
# * **Learning rate 0.3**: almost every column is black: those units ignore the input entirely and
#   the network must tell ten digits apart with the few that are left.
# * **Symmetric initialisation**: every column is the same picture, correlation 1 between all units:
#   64 copies of one feature.
#
# The correlation matrix of the well-trained units is a mix of weak and moderate, positive and
# negative correlations (no two units are copies of each other); the symmetric network's is 1
# everywhere:

# %%
fig, axes = plt.subplots(1, 2, figsize=(9.5, 4), layout="constrained")
for ax, name in zip(axes, ("well trained", "symmetric initialisation")):
    H = networks[name]["H"]
    im = ax.imshow(np.corrcoef(H[:, H.std(axis=0) > 1e-6].T), cmap="RdBu_r", vmin=-1, vmax=1)
    ax.set_title(f"correlation between hidden units\n{name}"); ax.set_xlabel("unit"); ax.set_ylabel("unit")
fig.colorbar(im, ax=axes, shrink=0.9, label="correlation over the test samples")
plt.show()

# %% [markdown]
# ## Early stopping and dropout
#
# To see overfitting clearly we give a wide network ($64 \to 256 \to 10$) only 200 training images
# and a learning rate of $10^{-2}$. Two of the notes' three regularisers (the third, a penalty on the
# weights, closes this notebook):
#
# * **early stopping**: "stop training when validation set error increases (with some look ahead)":
#   `nn.fit(..., patience=10)` stops once the validation loss has not improved for 10 epochs and
#   restores the weights of the best epoch;
# * **dropout**: during training, set each hidden activation to 0 with probability $p = 0.5$ (and scale
#   the rest by $1/(1-p)$), so the network cannot rely on any one unit; at test time use the full
#   network (`model.eval()`).

# %%
X_small, y_small = X_train[:200], y_train[:200]
loss_fn = nn.CrossEntropyLoss()

def test_loss(model):
    model.eval()
    with ag.no_grad():
        value = float(loss_fn(model(ag.tensor(X_test)), ag.tensor(y_test)))
    model.train()
    return value

runs = {}
for name, dropout, patience in (("no regularisation", 0.0, None), ("early stopping", 0.0, 10),
                                ("dropout 0.5", 0.5, None)):
    net = nn.MLP([64, 256, 10], dropout=dropout, rng=1)
    h = nn.fit(net, loss_fn, nn.optim.Adam(net.parameters(), lr=1e-2), (X_small, y_small), val=(X_val, y_val),
               epochs=60, patience=patience, progress=False, rng=0)
    runs[name] = {"history": h, "test loss": test_loss(net), "test accuracy": accuracy(net, X_test, y_test)}

fig, axes = plt.subplots(1, 3, figsize=(14, 3.8), layout="constrained", sharey=True)
for ax, (name, r) in zip(axes, runs.items()):
    h = r["history"]
    epochs = np.arange(1, h.epochs + 1)
    ax.plot(epochs, h["train_loss"], label="training loss")
    ax.plot(epochs, h["val_loss"], label="validation loss")
    ax.axvline(h.best_epoch, color="grey", ls=":", label=f"best epoch ({h.best_epoch})")
    ax.set_title(f"{name}: {h.epochs} epochs"); ax.set_xlabel("epoch"); ax.set_xlim(0, 60)
    ax.set_ylim(0, 1.0); ax.grid(alpha=0.3); ax.legend()
axes[0].set_ylabel("cross-entropy loss")
plt.show()

for name, r in runs.items():
    h = r["history"]
    print(f"{name:18s} epochs run {h.epochs:3d}   min validation loss {min(h['val_loss']):.3f}   "
          f"test loss {r['test loss']:.3f}   test accuracy {100 * r['test accuracy']:.1f}%")

plain, early, drop = runs["no regularisation"], runs["early stopping"], runs["dropout 0.5"]
assert early["history"].epochs < 40
n = early["history"].epochs   # the same weights and batches: early stopping is the plain run, cut short
assert np.allclose(early["history"]["val_loss"], plain["history"]["val_loss"][:n], rtol=1e-6)
assert min(early["history"]["val_loss"]) < plain["history"]["val_loss"][-1]   # restored best < overfitted end
assert min(drop["history"]["val_loss"]) < min(plain["history"]["val_loss"])

# %% [markdown]
# Without regularisation the training loss goes to zero while the validation loss, after its minimum
# early on, creeps back up: the network grows ever more confident on images it has memorised. The
# early-stopping run starts from the same weights and sees the same batches, so it *is* that run, cut
# short: its curves are the first epochs of the left panel, and it keeps the weights of their minimum,
# at a fraction of the training time. Dropout keeps the
# training loss higher and noisier (each step trains a random sub-network) and reaches the lowest
# validation loss of the three; because its curve is noisy, in practice it is combined with early
# stopping (the notes' usual practice: "SGD with Adam or Momentum, early stopping and Dropout").
# On the test set the differences are small in this experiment, a few images either way, and early
# stopping even ends slightly behind the unregularised network: its best epoch is the minimum of one
# noisy validation curve (200 training images, one split). The validation curves, not one final
# number, show what each regulariser does.


# %% [markdown]
# ## The third regulariser: a penalty on the weights
#
# The notes' regularised objective adds a penalty $\Omega(\theta)$ on the parameters to the cost,
# $\tilde J(\theta) = J(\theta) + \alpha\,\Omega(\theta)$ (the $\lambda\Omega(\theta)$ of Algorithms 6.3 and 6.4),
# so each step of SGD uses $\boldsymbol g \leftarrow \nabla_\theta J + \alpha \nabla_\theta \Omega(\theta)$.
# With $\Omega(\theta) = \tfrac12 \|\theta\|^2$, $\nabla_\theta \Omega = \theta$: that term is what the
# optimizers' `weight_decay=alpha` adds to every gradient, so the penalty need not be written in the loss.
# For SGD the step is
# $\theta \leftarrow \theta - \eta(\nabla_\theta J + \alpha\theta) = (1 - \eta\alpha)\,\theta - \eta \nabla_\theta J$:
# each step first shrinks every weight by the factor $1 - \eta\alpha$, hence the name.
#
# Five steps each way from the same initial weights, on the same minibatches, in float64 so that only
# rounding can tell them apart. Adam's `weight_decay` also adds $\alpha\theta$ to the gradient, before Adam
# rescales it; AdamW's, decoupled from the gradient, shrinks the weights directly and is another method.

# %%
alpha = 1e-2

def after_five_steps(make_optimizer, penalty):
    """The parameters after five steps: with the penalty alpha ||theta||^2 / 2 in the loss, or without it."""
    net = nn.MLP([64, 32, 10], rng=0, dtype=np.float64)
    optimizer = make_optimizer(net.parameters())
    for step in range(5):
        xb, yb = X_train[32 * step:32 * (step + 1)], y_train[32 * step:32 * (step + 1)]
        optimizer.zero_grad()
        loss = loss_fn(net(xb), yb)
        if penalty:
            loss = loss + alpha * 0.5 * sum((p * p).sum() for p in net.parameters())
        loss.backward()
        optimizer.step()
    return [p.data for p in net.parameters()]

def largest_difference(a, b):
    return max(np.abs(p - q).max() for p, q in zip(a, b))

def sgd(params, **options):
    return nn.optim.SGD(params, lr=0.1, **options)

def adam(params, **options):
    return nn.optim.Adam(params, lr=1e-3, **options)

def adamw(params, **options):
    return nn.optim.AdamW(params, lr=1e-3, **options)

difference = {}
for name, with_decay, without in (("SGD", sgd, sgd), ("Adam", adam, adam), ("AdamW", adamw, adam)):
    decayed = after_five_steps(lambda params: with_decay(params, weight_decay=alpha), penalty=False)
    penalised = after_five_steps(without, penalty=True)
    difference[name] = largest_difference(decayed, penalised)
    print(f"{name}(weight_decay={alpha}) on J against {'SGD' if without is sgd else 'Adam'} on "
          f"J + alpha ||theta||^2 / 2: largest difference {difference[name]:.1e}")
assert difference["SGD"] < 1e-14 and difference["Adam"] < 1e-14 and difference["AdamW"] > 1e-6
