# %% [markdown]
# # 5. Testing gradients: gradcheck, property tests, and a wrong backward caught
#
# The notes present finite differences as the *slow* way to get a gradient:
# $\frac{\partial J}{\partial w_j} \approx \frac{J(\boldsymbol{w} + \epsilon \boldsymbol{e}_j) - J(\boldsymbol{w})}{\epsilon}$,
# one extra forward pass per weight ("for 1M weights, have to do 1M forward passes").
# Too slow for training, but exactly right for *testing* back-propagation on small inputs.
# `autograd_core.testing.gradcheck` uses the more accurate central difference
# $\frac{f(x + \epsilon) - f(x - \epsilon)}{2\epsilon}$ (error $O(\epsilon^2)$ instead of $O(\epsilon)$)
# in float64, and compares it with the engine's gradients.

# %%
import numpy as np
import matplotlib.pyplot as plt
import autograd_core as ag
from autograd_core.testing import gradcheck, numerical_grad, GradcheckError

# %% [markdown]
# ## gradcheck on a small network's loss
#
# One hidden tanh layer, softmax cross-entropy on top: every input of `f` (here $X$, $W^{(1)}$,
# $\boldsymbol{b}^{(1)}$, $W^{(2)}$) gets its gradient compared entry by entry.

# %%
rng = np.random.default_rng(0)
X = rng.normal(size=(5, 3))
W1, b1, W2 = rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(4, 3))
labels = np.array([0, 2, 1, 1, 0])

def mlp_loss(X, W1, b1, W2):
    logits = ag.tanh(X @ W1 + b1) @ W2
    return -ag.log_softmax(logits, axis=1)[np.arange(5), labels].mean()

print("gradcheck passes:", gradcheck(mlp_loss, X, W1, b1, W2))

# %% [markdown]
# How close are they? The central difference's error shrinks like $\epsilon^2$ until floating-point
# rounding (about $10^{-16}/\epsilon$) takes over, which is why $\epsilon \approx 10^{-6}$ is the default.

# %%
engine = np.asarray(ag.grad(mlp_loss, argnums=1)(X, W1, b1, W2))
epsilons = np.logspace(-12, -1, 23)
errors = [np.abs(numerical_grad(mlp_loss, X, W1, b1, W2, eps=e)[1] - engine).max() for e in epsilons]
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.loglog(epsilons, errors, "o-")
ax.set_xlabel("eps"); ax.set_ylabel("max |central difference - engine|")
ax.set_title("dLoss/dW1: truncation error (right) vs rounding error (left)")
plt.show()
best = epsilons[int(np.argmin(errors))]
print(f"smallest error {min(errors):.1e} at eps = {best:.0e}")
assert 1e-8 <= best <= 1e-3 and min(errors) < 1e-8

# %% [markdown]
# ## A user-defined primitive, and a property test for it
#
# `ag.Function` lets us add a primitive with a hand-written backward, here
# $\operatorname{logcosh}(x) = \log\cosh x$, a smooth version of $|x|$ (like the Huber loss) whose
# derivative is $\tanh x$. Computed naively, $\cosh x$ overflows for $|x| > 710$, so the forward uses
# the stable form $|x| + \log(1 + e^{-2|x|}) - \log 2$. A primitive should return its input's dtype, as the
# engine's own do: `np.log(2.0)` is a float64 scalar, which would turn a float32 result into float64, so the
# constant is computed in `x`'s dtype.

# %%
class LogCosh(ag.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        a = np.abs(x)
        return a + np.log1p(np.exp(-2 * a)) - np.log(2, dtype=x.dtype)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * np.tanh(x)

x = ag.tensor([-800.0, -1.0, 0.0, 2.0, 800.0], requires_grad=True)
y = LogCosh.apply(x)
y.sum().backward()
print("logcosh:", y.numpy())
print("grad   :", x.grad.numpy())
assert np.all(np.isfinite(y.numpy()))
assert np.allclose(y.numpy()[1:4], np.log(np.cosh([-1.0, 0.0, 2.0])))

x32 = ag.tensor([-1.0, 0.5, 3.0], dtype=np.float32, requires_grad=True)
y32 = LogCosh.apply(x32)
y32.sum().backward()
print("float32 in:", y32.dtype, "out,", x32.grad.dtype, "gradient")
assert y32.dtype == x32.grad.dtype == np.float32

# %% [markdown]
# One input checked is one example. A **property test** states what must hold for *every* input,
# and Hypothesis searches for a counterexample: tensors of random shapes and values, from
# `autograd_core.testing.strategies`. Two properties: the engine's gradient of a function that
# uses `LogCosh` (not just `LogCosh` alone, so `grad_output` is not all ones) matches central
# differences, and logcosh is even.

# %%
from hypothesis import Phase, given, settings, strategies as st
from autograd_core.testing import strategies as ags

floats = st.floats(-5, 5, allow_nan=False)

@settings(max_examples=60, deadline=None, derandomize=True)   # the same examples at every run
@given(ags.tensors(shape=st.tuples(st.integers(1, 4), st.integers(1, 4)), dtype=np.float64, elements=floats))
def test_logcosh(x):
    checked.append(x.shape)
    x = np.asarray(x)
    assert gradcheck(lambda t: (LogCosh.apply(t) * ag.sin(t)).sum(), x)
    assert np.allclose(LogCosh.apply(ag.tensor(-x)).numpy(), LogCosh.apply(ag.tensor(x)).numpy())

checked = []
test_logcosh()
print(f"{len(checked)} random tensors, of {len(set(checked))} different shapes: all properties hold")

# %% [markdown]
# ## What a wrong backward looks like
#
# Now the kind of mistake that is easy to make: swish, $x\,\sigma(x)$, whose derivative by the product
# rule is $\sigma(x) + x\,\sigma(x)(1 - \sigma(x))$. The buggy version forgets the second term.
# At $x = 0$ both give $\tfrac12$, so a test at that single point passes:

# %%
def sigmoid(x):
    return 1 / (1 + np.exp(-x))

class BuggySwish(ag.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * sigmoid(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * sigmoid(x)          # BUG: product rule half-applied

print("gradcheck at x = 0:", gradcheck(lambda t: BuggySwish.apply(t).sum(), np.zeros(3)))

# %% [markdown]
# Anywhere else, gradcheck raises `GradcheckError` naming the input, the worst entry, and both values:

# %%
try:
    gradcheck(lambda t: BuggySwish.apply(t).sum(), np.array([0.0, 1.5, -0.5]))
    raise AssertionError("the bug was not caught")
except GradcheckError as err:
    message = str(err)
print(message)
assert "index" in message.lower() or "(1" in message

# %% [markdown]
# And the property test finds a failing input by itself, then *shrinks* it to a simple one,
# which is usually the fastest way to understand a bug:

# %%
no_explain = [Phase.explicit, Phase.generate, Phase.shrink]   # report just the shrunk example

@settings(max_examples=100, deadline=None, database=None, phases=no_explain, derandomize=True)
@given(ags.tensors(shape=st.tuples(st.integers(1, 3)), dtype=np.float64, elements=floats))
def test_buggy_swish(x):
    assert gradcheck(lambda t: BuggySwish.apply(t).sum(), np.asarray(x), raise_exception=False)

try:
    test_buggy_swish()
    raise AssertionError("Hypothesis did not find the bug")
except AssertionError as err:
    assert "did not find" not in str(err)
    notes = getattr(err, "__notes__", [])
    print("Hypothesis found a counterexample and shrank it to:")
    print(notes[0] if notes else err)
    assert notes and "x=" in notes[0]

# %% [markdown]
# The fix is the full product rule; the same property test then passes.

# %%
class Swish(BuggySwish):
    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        s = sigmoid(x)
        return grad_output * (s + x * s * (1 - s))

@settings(max_examples=60, deadline=None, derandomize=True)
@given(ags.tensors(shape=st.tuples(st.integers(1, 3)), dtype=np.float64, elements=floats))
def test_swish(x):
    checked.append(x.shape)
    assert gradcheck(lambda t: Swish.apply(t).sum(), np.asarray(x))

checked = []
test_swish()
print(f"Swish: gradcheck holds on {len(checked)} random tensors")

# %% [markdown]
# A second classic slip: forgetting to multiply by `grad_output`. When the primitive's output is
# summed directly, `grad_output` is all ones and the slip is invisible; only a test that puts
# something *after* the primitive (as `test_logcosh` did with `* sin(t)`) catches it.

# %%
class ForgetsGradOutput(ag.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.tanh(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return 1 - np.tanh(x) ** 2                 # BUG: no "* grad_output"

x0 = np.array([0.3, -1.2, 2.0])
alone = gradcheck(lambda t: ForgetsGradOutput.apply(t).sum(), x0, raise_exception=False)
composed = gradcheck(lambda t: (3 * ForgetsGradOutput.apply(t) ** 2).sum(), x0, raise_exception=False)
print("summed directly:", alone, "   inside a larger function:", composed)
assert alone and not composed
