"""nn.utils.parametrize: registering, stacking, right_inverse, cached(), removing, state dicts (vs torch)."""
import copy
import pickle

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core.testing import gradcheck, gradgradcheck
from nn.utils import parametrize as P


def _torch():
    return pytest.importorskip("torch")


class Symmetric(nn.Module):
    def forward(self, x):
        return ag.triu(x) + ag.swapaxes(ag.triu(x, 1), -1, -2)


class Exp(nn.Module):
    def forward(self, x):
        return ag.exp(x)

    def right_inverse(self, y):
        return ag.log(y)


class Scale(nn.Module):
    """A parametrization with a Parameter of its own."""

    def __init__(self):
        super().__init__()
        self.s = nn.Parameter(np.array(2.0))

    def forward(self, x):
        return x * self.s


class Split(nn.Module):
    """Two originals: weight = a + b; right_inverse halves the value."""

    def forward(self, a, b):
        return a + b

    def right_inverse(self, w):
        return w * 0.5, w * 0.5


class Counting(nn.Module):
    def __init__(self):
        super().__init__()
        self.calls = 0

    def forward(self, x):
        self.calls += 1
        return x * 1.0


def _linear(n_in=3, n_out=3, seed=0):
    return nn.Linear(n_in, n_out, dtype=np.float64, rng=seed)


def test_register_moves_the_parameter_and_keeps_torch_keys():
    layer = _linear()
    weight = layer.weight
    assert P.register_parametrization(layer, "weight", Symmetric()) is layer
    assert type(layer).__name__ == "ParametrizedLinear" and isinstance(layer, nn.Linear)
    assert P.type_before_parametrizations(layer) is nn.Linear
    assert P.is_parametrized(layer) and P.is_parametrized(layer, "weight") and not P.is_parametrized(layer, "bias")
    assert list(layer.state_dict()) == ["bias", "parametrizations.weight.original"]
    assert layer.parametrizations.weight.original is weight  # the same Parameter object
    assert [name for name, _ in layer.named_parameters()] == ["bias", "parametrizations.weight.original"]
    w = layer.weight.data
    np.testing.assert_array_equal(w, w.T)
    np.testing.assert_array_equal(w, np.triu(weight.data) + np.triu(weight.data, 1).T)
    assert type(_linear()).__name__ == "Linear"  # the class is the module's own


def test_gradient_reaches_the_original_numpy_reference():
    layer = _linear()
    P.register_parametrization(layer, "weight", Symmetric())
    x = np.random.default_rng(1).standard_normal((4, 3))
    layer(x).sum().backward()
    g = np.ones((4, 3)).T @ x  # dL/dW for L = sum(x W^T)
    expected = np.triu(g) + np.tril(g, -1).T  # W = triu(O) + triu(O, 1)^T
    np.testing.assert_allclose(layer.parametrizations.weight.original.grad.data, expected)


def test_right_inverse_and_assignment():
    layer = _linear()
    before = layer.weight.data.copy()
    nn.init.uniform_(layer.weight, 0.5, 1.5)
    value = layer.weight.data.copy()
    P.register_parametrization(layer, "weight", Exp())
    np.testing.assert_allclose(layer.weight.data, value)
    np.testing.assert_allclose(layer.parametrizations.weight.original.data, np.log(value))
    layer.weight = ag.tensor(np.full((3, 3), 2.0))
    np.testing.assert_allclose(layer.parametrizations.weight.original.data, np.log(2.0))
    np.testing.assert_allclose(layer.weight.data, 2.0)
    assert before.shape == layer.weight.shape


def test_assignment_without_right_inverse_is_refused():
    layer = P.register_parametrization(_linear(), "weight", Symmetric())
    with pytest.raises(RuntimeError, match="Symmetric does not implement right_inverse"):
        layer.weight = ag.tensor(np.eye(3))


def test_stacked_parametrizations_apply_in_order():
    layer = _linear()
    original = layer.weight.data.copy()
    P.register_parametrization(layer, "weight", Symmetric())
    P.register_parametrization(layer, "weight", Scale())
    assert len(layer.parametrizations.weight) == 2
    assert list(layer.state_dict()) == ["bias", "parametrizations.weight.original", "parametrizations.weight.1.s"]
    np.testing.assert_allclose(layer.weight.data, 2 * (np.triu(original) + np.triu(original, 1).T))
    layer(np.ones((1, 3))).sum().backward()
    assert layer.parametrizations.weight[1].s.grad is not None


def test_three_stacked_apply_first_registered_first():
    layer = _linear()
    original = layer.weight.data.copy()
    P.register_parametrization(layer, "weight", Symmetric())
    P.register_parametrization(layer, "weight", Scale())
    P.register_parametrization(layer, "weight", Exp())
    symmetric = np.triu(original) + np.triu(original, 1).T
    np.testing.assert_allclose(layer.weight.data, np.exp(2 * symmetric))
    with pytest.raises(RuntimeError, match="Scale does not implement right_inverse"):  # (Exp's ran first)
        layer.weight = ag.tensor(np.full((3, 3), np.e ** 4))
    np.testing.assert_allclose(layer.weight.data, np.exp(2 * symmetric))


def test_two_originals_from_a_tuple_right_inverse():
    layer = _linear()
    value = layer.weight.data.copy()
    P.register_parametrization(layer, "weight", Split())
    plist = layer.parametrizations.weight
    assert not plist.is_tensor and plist.ntensors == 2
    assert list(layer.state_dict()) == ["bias", "parametrizations.weight.original0",
                                        "parametrizations.weight.original1"]
    np.testing.assert_allclose(plist.original0.data, value / 2)
    np.testing.assert_allclose(layer.weight.data, value)
    layer.weight = ag.tensor(np.ones((3, 3)))
    np.testing.assert_allclose(plist.original1.data, 0.5)
    with pytest.raises(ValueError, match="sequence of tensors"):
        P.remove_parametrizations(layer, "weight", leave_parametrized=False)
    P.remove_parametrizations(layer, "weight")
    assert isinstance(layer.weight, nn.Parameter) and list(layer.state_dict()) == ["bias", "weight"]
    np.testing.assert_allclose(layer.weight.data, 1.0)


def test_remove_keeps_value_or_original_and_restores_class():
    layer = _linear()
    original = layer.weight
    P.register_parametrization(layer, "weight", Symmetric())
    value = layer.weight.data.copy()
    P.remove_parametrizations(layer, "weight")
    assert type(layer) is nn.Linear and layer.weight is original and not hasattr(layer, "parametrizations")
    np.testing.assert_array_equal(layer.weight.data, value)
    assert list(layer.state_dict()) == ["weight", "bias"] or list(layer.state_dict()) == ["bias", "weight"]
    raw = original.data.copy()
    P.register_parametrization(layer, "weight", Symmetric())
    P.remove_parametrizations(layer, "weight", leave_parametrized=False)
    np.testing.assert_array_equal(layer.weight.data, raw)
    with pytest.raises(ValueError, match="does not have a parametrization on 'weight'"):
        P.remove_parametrizations(layer, "weight")


def test_two_names_and_buffers():
    bn = nn.BatchNorm1d(3)
    P.register_parametrization(bn, "running_var", Exp())
    P.register_parametrization(bn, "weight", Exp())
    assert "parametrizations.running_var.original" in bn.state_dict()
    assert not any("running_var" in name for name, _ in bn.named_parameters())
    P.remove_parametrizations(bn, "weight")
    assert type(bn).__name__ == "ParametrizedBatchNorm1d"
    P.remove_parametrizations(bn, "running_var")
    assert type(bn) is nn.BatchNorm1d and "running_var" in dict(bn.named_buffers())


def test_cached_reuses_the_value_and_forward_reads_once():
    layer = _linear()
    counting = Counting()
    P.register_parametrization(layer, "weight", counting)
    counting.calls = 0
    layer.weight, layer.weight
    assert counting.calls == 2
    with P.cached():
        with P.cached():
            assert layer.weight is layer.weight
        assert layer.weight is layer.weight
    assert counting.calls == 3
    assert layer.weight is not layer.weight
    counting.calls = 0
    layer(np.ones((2, 3)))  # Linear reads weight twice (dtype, value): computed once
    assert counting.calls == 1


def test_errors():
    layer = _linear()
    with pytest.raises(ValueError, match="does not have a parameter, a buffer, or a parametrized element with name "
                                         "'nope'"):
        P.register_parametrization(layer, "nope", Symmetric())

    class Shrink(nn.Module):
        def forward(self, x):
            return x[:2]

    class Cast(nn.Module):
        def forward(self, x):
            return x.astype(np.float32)

    with pytest.raises(ValueError, match=r"may not change the shape.*\(3, 3\).*\(2, 3\)"):
        P.register_parametrization(layer, "weight", Shrink())
    with pytest.raises(ValueError, match="may not change the dtype.*float64.*float32"):
        P.register_parametrization(layer, "weight", Cast())
    assert type(layer) is nn.Linear and isinstance(layer.weight, nn.Parameter)  # nothing half done
    P.register_parametrization(layer, "weight", Shrink(), unsafe=True)
    assert layer.weight.shape == (2, 3)
    P.register_parametrization(_linear(), "weight", Cast(), unsafe=True)
    P.register_parametrization(layer, "bias", Counting())
    with pytest.raises(ValueError, match="may not change the shape"):
        P.register_parametrization(layer, "bias", Shrink())
    with pytest.raises(TypeError, match="must be an nn.Module"):
        P.register_parametrization(layer, "bias", lambda x: x)
    with pytest.raises(RuntimeError, match="only supported through state_dict"):
        pickle.dumps(layer)


@pytest.mark.parametrize("inverse, kind, got", [(lambda x: x.astype(np.float32), "dtype", "float32"),
                                                 (lambda x: x[:-1], "shape", r"\(2, 3\)")])
def test_a_second_parametrizations_faulty_right_inverse_is_named_as_torchs(inverse, kind, got):
    # its forward keeps the value right: the message blames right_inverse, as PyTorch's "must have the same dtype"
    class FaultyInverse(nn.Module):
        def forward(self, x):
            return x

        def right_inverse(self, x):
            return inverse(x)

    layer = P.register_parametrization(_linear(), "weight", Symmetric())
    with pytest.raises(ValueError, match=f"right_inverse outputs one tensor, it must have the same {kind} as the "
                                         f"parametrized tensor .*, got {got}"):
        P.register_parametrization(layer, "weight", FaultyInverse())
    assert len(layer.parametrizations.weight) == 1  # nothing half done
    torch = _torch()

    class TorchFaultyInverse(torch.nn.Module):
        def forward(self, x):
            return x

        def right_inverse(self, x):
            return x.float() if kind == "dtype" else x[:-1]

    theirs = torch.nn.utils.parametrize.register_parametrization(torch.nn.Linear(3, 3).double(), "weight",
                                                                 torch.nn.Identity())
    with pytest.raises(ValueError, match=f"must have the same {kind}"):
        torch.nn.utils.parametrize.register_parametrization(theirs, "weight", TorchFaultyInverse())


def test_deepcopy_and_training_mode():
    layer = P.register_parametrization(_linear(), "weight", Symmetric())
    twin = copy.deepcopy(layer)
    np.testing.assert_array_equal(twin.weight.data, layer.weight.data)
    twin.parametrizations.weight.original.data[...] = 0
    assert np.abs(layer.weight.data).sum() > 0
    layer.eval()
    assert not layer.parametrizations.weight[0].training
    plain = _linear().eval()
    sym = Symmetric()
    P.register_parametrization(plain, "weight", sym)
    assert not sym.training  # follows the module's mode when registered, as PyTorch


def test_sgd_training_matches_torch():
    torch = _torch()

    class TorchSym(torch.nn.Module):
        def forward(self, x):
            return x.triu() + x.triu(1).mT

    class TorchScale(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.s = torch.nn.Parameter(torch.tensor(2.0, dtype=torch.float64))

        def forward(self, x):
            return x * self.s

    ours = nn.Sequential(_linear(3, 3), nn.Tanh(), _linear(3, 2, seed=1))
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Tanh(), torch.nn.Linear(3, 2)).double()
    for module, parts in ((ours[0], (Symmetric(), Scale())), (theirs[0], (TorchSym(), TorchScale()))):
        for part in parts:
            (P if module is ours[0] else torch.nn.utils.parametrize).register_parametrization(module, "weight", part)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})
    opt, topt = nn.optim.SGD(ours.parameters(), lr=0.1), torch.optim.SGD(theirs.parameters(), lr=0.1)
    rng = np.random.default_rng(2)
    for _ in range(4):
        x, y = rng.standard_normal((8, 3)), rng.standard_normal((8, 2))
        loss = ((ours(x) - y) ** 2).mean()
        tloss = ((theirs(torch.tensor(x)) - torch.tensor(y)) ** 2).mean()
        opt.zero_grad(), topt.zero_grad()
        loss.backward(), tloss.backward()
        opt.step(), topt.step()
        np.testing.assert_allclose(loss.data, tloss.item(), rtol=1e-12)
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[key], value.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours[0].weight.data, theirs[0].weight.detach().numpy(), rtol=1e-10)


def test_gradcheck_of_the_parametrized_forward():
    layer = _linear()
    P.register_parametrization(layer, "weight", Symmetric())
    P.register_parametrization(layer, "weight", Exp())
    chain = layer.parametrizations.weight
    w = np.random.default_rng(3).standard_normal((3, 3)) * 0.3
    assert gradcheck(lambda o: chain[1](chain[0](o)), w)
    assert gradgradcheck(lambda o: chain[1](chain[0](o)), w)
    x = np.random.default_rng(4).standard_normal((2, 3))
    assert gradcheck(lambda o: ag.linear(x, chain[1](chain[0](o)), layer.bias.data), w)


def test_transfer_parametrizations_and_params():
    source = _linear()
    P.register_parametrization(source, "weight", Symmetric())
    P.register_parametrization(source, "weight", Scale())
    target = _linear(seed=5)
    assert P.transfer_parametrizations_and_params(_linear(), target) is target  # nothing to transfer
    P.transfer_parametrizations_and_params(source, target)
    assert list(target.state_dict()) == list(source.state_dict())
    np.testing.assert_array_equal(target.parametrizations.weight.original.data,
                                  source.parametrizations.weight.original.data)
    np.testing.assert_allclose(target.weight.data, source.weight.data)
    split = P.register_parametrization(_linear(), "weight", Split())
    other = P.transfer_parametrizations_and_params(split, _linear(seed=6), "weight")
    np.testing.assert_array_equal(other.parametrizations.weight.original1.data,
                                  split.parametrizations.weight.original1.data)


# ---- unsafe= and leave_parametrized= refuse text: a flag is True or False --------------------------------------------
# (NumPy's bools too; anything else is a TypeError naming the argument, where "no" was read as True: unsafe="no"
# skipped the shape and dtype checks, leave_parametrized="no" left the parametrized value; PyTorch reads its truth.)
class _Rows(nn.Module):
    def forward(self, x):
        return x[:1]  # changes the shape: refused unless unsafe=True


def test_register_parametrization_unsafe_refuses_text():
    layer = nn.Linear(3, 3)
    with pytest.raises(TypeError, match="unsafe"):
        P.register_parametrization(layer, "weight", _Rows(), unsafe="no")
    assert not P.is_parametrized(layer)
    with pytest.raises(ValueError, match="shape"):
        P.register_parametrization(layer, "weight", _Rows(), unsafe=False)
    P.register_parametrization(layer, "weight", _Rows(), unsafe=True)
    assert layer.weight.shape == (1, 3)


def test_remove_parametrizations_leave_parametrized_refuses_text():
    layer = P.register_parametrization(nn.Linear(2, 2), "weight", nn.Tanh())
    with pytest.raises(TypeError, match="leave_parametrized"):
        P.remove_parametrizations(layer, "weight", leave_parametrized="no")
    assert P.is_parametrized(layer, "weight")  # nothing removed
    original = layer.parametrizations.weight.original.data.copy()
    P.remove_parametrizations(layer, "weight", leave_parametrized=False)
    np.testing.assert_array_equal(layer.weight.data, original)
