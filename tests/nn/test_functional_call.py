"""nn.utils.stateless.functional_call (and nn.func.functional_call): a module called with other parameters and
buffers, against the module with those values set, NumPy, and torch.func.functional_call."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from nn.utils import parametrizations, parametrize
from nn.utils.stateless import functional_call

RNG = np.random.default_rng(5)


def linear():
    return nn.Linear(3, 2, dtype=np.float64, rng=0)


def test_replaced_weights_give_the_values_and_gradients_and_the_originals_stay():
    layer = linear()
    weight, bias = layer.weight, layer.bias
    before = weight.data.copy()
    w = ag.tensor(RNG.normal(size=(2, 3)), requires_grad=True)
    x = RNG.normal(size=(4, 3))
    y = functional_call(layer, {"weight": w}, (x,))
    np.testing.assert_allclose(y.data, x @ w.data.T + bias.data, rtol=1e-14)
    y.sum().backward()
    np.testing.assert_allclose(w.grad.data, np.ones((4, 2)).T @ x)  # d sum(x W^T) / dW
    assert layer.weight is weight and layer.bias is bias and isinstance(layer.weight, nn.Parameter)
    assert weight.grad is None and bias.grad is not None  # the replaced parameter got nothing, the kept one did
    np.testing.assert_array_equal(weight.data, before)
    assert [name for name, _ in layer.named_parameters()] == ["weight", "bias"]


def test_gradients_through_transforms_and_nn_func_alias():
    layer, x = linear(), RNG.normal(size=(4, 3))
    loss = lambda w, b: (nn.func.functional_call(layer, {"weight": w, "bias": b}, x) ** 2).sum()
    gw, gb = ag.grad(loss, argnums=(0, 1))(layer.weight.data, layer.bias.data)
    layer.zero_grad()
    (layer(x) ** 2).sum().backward()
    np.testing.assert_allclose(gw.data, layer.weight.grad.data, rtol=1e-13)
    np.testing.assert_allclose(gb.data, layer.bias.grad.data, rtol=1e-13)
    assert nn.func.functional_call is functional_call


def test_originals_restored_when_forward_raises():
    layer = linear()
    weight = layer.weight
    with pytest.raises(ValueError):
        functional_call(layer, {"weight": ag.ones((5, 7)), "extra": ag.ones(1)}, (np.ones((1, 3)),))
    assert layer.weight is weight and not hasattr(layer, "extra")


def test_buffers_nested_names_kwargs_and_tuple_of_dicts():
    net = nn.Sequential(nn.Linear(2, 2, dtype=np.float64, rng=1), nn.BatchNorm1d(2, dtype=np.float64)).eval()
    mean, var = ag.tensor([1.0, -1.0]), ag.tensor([4.0, 9.0])
    x = RNG.normal(size=(3, 2))
    y = functional_call(net, ({"1.running_mean": mean}, {"1.running_var": var}), x)
    h = net[0](x).data
    bn = net[1]
    expected = (h - mean.data) / np.sqrt(var.data + bn.eps) * bn.weight.data + bn.bias.data
    np.testing.assert_allclose(y.data, expected, rtol=1e-12)
    np.testing.assert_array_equal(net[1].running_mean.data, 0)  # restored
    # kwargs reach forward; args that is not a tuple is the one argument
    fn = nn.Module()
    fn.forward = lambda a, scale=1.0: a * scale
    assert float(functional_call(fn, {}, ag.tensor(2.0), {"scale": 3.0})) == 6.0


def test_parameter_list_entries_and_none():
    holder = nn.Module()
    holder.scales = nn.ParameterList([np.ones(2), np.ones(2)])
    holder.forward = lambda x: x * holder.scales[0] + holder.scales[1]
    y = functional_call(holder, {"scales.1": ag.tensor([5.0, 6.0])}, np.zeros(2))
    np.testing.assert_array_equal(y.data, [5.0, 6.0])
    assert isinstance(holder.scales[1], nn.Parameter)
    plain = nn.Module()
    plain.pair = [nn.Parameter(np.ones(2)), nn.Parameter(np.ones(2))]  # a plain list of Parameters
    plain.forward = lambda x: x * plain.pair[0] + plain.pair[1]
    kept = plain.pair[1]
    with pytest.raises(ValueError):
        functional_call(plain, {"pair.1": ag.tensor([5.0, 6.0, 7.0])}, np.zeros(2))
    assert plain.pair[1] is kept  # restored after the error
    np.testing.assert_array_equal(functional_call(plain, {"pair.1": ag.tensor([5.0, 6.0])}, np.zeros(2)).data, [5, 6])
    assert plain.pair[1] is kept
    layer = linear()
    x = RNG.normal(size=(1, 3))
    np.testing.assert_allclose(functional_call(layer, {"bias": None}, x).data, x @ layer.weight.data.T)
    assert layer.bias is not None


def test_tied_weights():
    shared = linear()
    net = nn.Sequential(shared, nn.Tanh(), nn.Linear(2, 3, dtype=np.float64, rng=2), shared.__class__(3, 2,
                        dtype=np.float64, rng=3))
    net[3].weight = shared.weight  # tied: one Parameter under "0.weight" and "3.weight"
    x = RNG.normal(size=(2, 3))
    w = ag.tensor(RNG.normal(size=(2, 3)))
    tied = functional_call(net, {"0.weight": w}, x)
    untied = functional_call(net, {"0.weight": w}, x, tie_weights=False)
    both = functional_call(net, {"0.weight": w, "3.weight": w}, x)
    h = np.tanh(x @ w.data.T + shared.bias.data) @ net[2].weight.data.T + net[2].bias.data
    np.testing.assert_allclose(tied.data, h @ w.data.T + net[3].bias.data, rtol=1e-12)
    np.testing.assert_allclose(both.data, tied.data)
    h_untied = np.tanh(x @ w.data.T + shared.bias.data) @ net[2].weight.data.T + net[2].bias.data
    np.testing.assert_allclose(untied.data, h_untied @ shared.weight.data.T + net[3].bias.data, rtol=1e-12)
    with pytest.raises(ValueError, match=r"functional_call got multiple values for keys \['0.weight', '3.weight'\], "
                                         r"which are tied. Consider using tie_weights=False"):
        functional_call(net, {"0.weight": w, "3.weight": ag.tensor(w.data)}, x)


def test_errors():
    layer, x = linear(), np.ones((1, 3))
    with pytest.raises(RuntimeError, match="Error\\(s\\) in reparametrizing for Linear:\n\tUnexpected key\\(s\\): "
                                           "'foo'.\n\tMissing key\\(s\\): 'bias', 'weight'."):
        functional_call(layer, {"foo": ag.ones(2)}, x, strict=True)
    with pytest.raises(RuntimeError,
                       match="Error\\(s\\) in reparametrizing for Linear:\n\tMissing key\\(s\\): 'bias'.$"):
        functional_call(layer, {"weight": ag.ones((2, 3))}, x, strict=True)
    functional_call(layer, {"weight": ag.ones((2, 3)), "bias": ag.ones(2)}, x, strict=True)  # all given: fine
    with pytest.raises(ValueError, match=r"\['weight'\] appeared in multiple dictionaries"):
        functional_call(layer, ({"weight": ag.ones((2, 3))}, {"weight": ag.ones((2, 3))}), x)
    with pytest.raises(TypeError, match="the value for 'weight' is a float, not a Tensor"):
        functional_call(layer, {"weight": 3.0}, x)
    with pytest.raises(TypeError, match="'weight.x': 'weight' is a parameter or buffer of Linear, not a module"):
        functional_call(layer, {"weight.x": ag.ones(1)}, x)
    with pytest.raises(AttributeError, match="'nothere.x' names no parameter or buffer of Linear"):
        functional_call(layer, {"nothere.x": ag.ones(1)}, x)
    with pytest.raises(TypeError, match="module must be an nn.Module, got function"):
        functional_call(lambda x: x, {}, x)
    with pytest.raises(TypeError, match="must be a dict of dotted names"):
        functional_call(layer, [("weight", ag.ones((2, 3)))], x)


def test_unknown_key_without_strict_is_an_attribute_for_the_call():
    layer = linear()
    seen = {}
    layer.register_forward_hook(lambda m, args, out: seen.update(extra=getattr(m, "extra", None)))
    functional_call(layer, {"extra": ag.ones(1)}, np.ones((1, 3)))
    assert seen["extra"] is not None and not hasattr(layer, "extra")


def test_equal_to_torch():
    torch = pytest.importorskip("torch")
    ours = nn.Sequential(nn.Linear(3, 4, dtype=np.float64, rng=4), nn.Tanh(), nn.Linear(4, 2, dtype=np.float64,
                                                                                          rng=5))
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2)).double()
    theirs.load_state_dict({k: torch.tensor(np.asarray(v)) for k, v in ours.state_dict().items()})
    new = {"0.weight": RNG.normal(size=(4, 3)), "2.bias": RNG.normal(size=2)}
    x = RNG.normal(size=(5, 3))
    mine = {k: ag.tensor(v, requires_grad=True) for k, v in new.items()}
    torch_new = {k: torch.tensor(v, requires_grad=True) for k, v in new.items()}
    y = functional_call(ours, mine, (x,))
    t = torch.func.functional_call(theirs, torch_new, (torch.tensor(x),))
    np.testing.assert_allclose(y.data, t.detach().numpy(), rtol=1e-13)
    (y ** 2).sum().backward()
    (t ** 2).sum().backward()
    for k in new:
        np.testing.assert_allclose(mine[k].grad.data, torch_new[k].grad.numpy(), rtol=1e-12)


# ---- a lazy module that has not inferred its shapes ------------------------------------------------------------------
# Values for its uninitialized parameters are refused saying what to do, and the module stays lazy (PyTorch's call
# leaves it so too), rather than becoming a Linear holding UninitializedParameters that every later call refuses.
@pytest.mark.parametrize("given", [{"weight": np.ones((4, 3)), "bias": np.zeros(4)}, {"weight": np.ones((4, 3))}])
def test_values_for_uninitialized_parameters_are_refused_and_the_module_stays_lazy(given):
    layer = nn.LazyLinear(4, rng=0)
    x = np.linspace(-1, 1, 3)[None]
    with pytest.raises(RuntimeError, match=r"functional_call: LazyLinear has not inferred its shapes yet.*dry run"):
        functional_call(layer, {k: ag.tensor(v) for k, v in given.items()}, (x,))
    assert type(layer).__name__ == "LazyLinear" and layer.has_uninitialized_params()
    np.testing.assert_allclose(layer(x).data, nn.Linear(3, 4, rng=0)(x).data)  # its first forward, as usual
    y = functional_call(layer, {"weight": ag.tensor(np.ones((4, 3))), "bias": ag.tensor(np.zeros(4))}, (x,))
    np.testing.assert_allclose(y.data, np.zeros((1, 4)))  # once materialized, values stand in


def test_nested_lazy_module_and_empty_values():
    net = nn.Sequential(nn.LazyLinear(2, rng=0), nn.Tanh())
    with pytest.raises(RuntimeError, match="has not inferred its shapes yet"):
        functional_call(net, {"0.bias": ag.tensor(np.zeros(2))}, (np.ones((1, 3)),))
    assert functional_call(net, {}, (np.ones((1, 3)),)).shape == (1, 2)  # nothing given: it materializes
    assert type(net[0]).__name__ == "Linear"


# ---- a parametrized tensor given by its name ("weight"), as torch.func.functional_call accepts -----------------------
def test_functional_call_on_parametrized_name_uses_the_value_and_restores_the_module():
    layer = parametrizations.weight_norm(nn.Linear(3, 4, rng=0))
    g0 = layer.parametrizations.weight.original0.data.copy()
    v0 = layer.parametrizations.weight.original1.data.copy()
    before = layer.weight.data.copy()
    w = ag.tensor(np.arange(12.0).reshape(4, 3), requires_grad=True)
    x = np.ones((2, 3))
    y = functional_call(layer, {"weight": w}, (x,))
    np.testing.assert_allclose(y.data, x @ w.data.T + layer.bias.data)
    y.sum().backward()
    np.testing.assert_allclose(w.grad.data, np.full((4, 3), 2.0))
    # the originals are untouched and the module reads its own weight again
    np.testing.assert_array_equal(layer.parametrizations.weight.original0.data, g0)
    np.testing.assert_array_equal(layer.parametrizations.weight.original1.data, v0)
    np.testing.assert_array_equal(layer.weight.data, before)
    assert parametrize._given == {}


def test_functional_call_on_parametrized_name_restores_when_forward_raises():
    layer = parametrizations.weight_norm(nn.Linear(3, 4, rng=0))
    before = layer.weight.data.copy()
    try:
        functional_call(layer, {"weight": ag.tensor(np.ones((4, 3)))}, (np.ones((2, 5)),))
    except Exception:
        pass
    np.testing.assert_array_equal(layer.weight.data, before)
    assert parametrize._given == {}


def test_functional_call_hessian_through_parametrized_name():
    layer = parametrizations.weight_norm(nn.Linear(2, 1, bias=False, rng=0))
    x = np.array([[1.0, -2.0]])
    h = ag.hessian(lambda w: (functional_call(layer, {"weight": w}, (x,)) ** 2).sum())(np.ones((1, 2)))
    np.testing.assert_allclose(np.asarray(h.data).reshape(2, 2), 2 * x.T @ x)


def _affine(lib, tensor):
    """A Linear(1, 1) and a buffer, whose forward returns what parameters() and buffers() list during the call (the
    MockModule of PyTorch's test_stateless.py), in lib: torch.nn or nn."""
    class Affine(lib.Module):
        def __init__(self):
            super().__init__()
            self.l1, self.buffer = lib.Linear(1, 1), lib.Buffer(tensor([1.0]))

        def forward(self, x):
            return self.l1(x) + self.buffer, tuple(self.parameters()), tuple(self.buffers())
    return Affine()


@pytest.mark.parametrize("case", ["all", "some", "extra_tensor", "extra_parameter", "none"])
def test_parameters_inside_forward_are_the_given_tensors_as_torch(case):
    # found by porting PyTorch's test_stateless.py: parameters() inside forward left out every plain Tensor given
    # for a parameter (a weight penalty summed there missed them)
    torch = pytest.importorskip("torch")
    listed = []
    for lib, tensor, call in ((torch.nn, torch.tensor, torch.func.functional_call), (nn, ag.tensor, functional_call)):
        module = _affine(lib, tensor)
        weight, bias, buffer, extra = tensor([[2.0]]), tensor([5.0]), tensor([3.0]), lib.Parameter(tensor([1.0]))
        given = {"all": {"l1.weight": weight, "l1.bias": bias, "buffer": buffer},
                 "some": {"l1.weight": weight},
                 "extra_tensor": {"l1.weight": weight, "l1.extra": tensor([1.0])},
                 "extra_parameter": {"l1.weight": weight, "l1.bias": bias, "l1.extra": extra},
                 "none": {"l1.weight": weight, "l1.bias": None}}[case]
        out, params, buffers = call(module, given, tensor([[1.0]]))
        names = {id(module.l1.weight): "own weight", id(module.l1.bias): "own bias", id(module.buffer): "own buffer",
                 id(weight): "weight", id(bias): "bias", id(buffer): "buffer", id(extra): "extra"}
        listed.append(([names.get(id(p), "other") for p in params], [names.get(id(b), "other") for b in buffers]))
        assert len(tuple(module.parameters())) == 2 and isinstance(module.l1.weight, lib.Parameter)  # restored
    assert listed[1] == listed[0] and listed[1][0][0] == "weight"


def test_parameters_listed_in_nested_calls_and_restored():
    layer = linear()
    outer = nn.Sequential(layer)
    w, b = ag.ones((2, 3)), ag.zeros(2)
    during_inner, after_inner = [], []
    layer.register_forward_hook(lambda module, args, out: during_inner.append(list(outer.parameters())))

    def forward(x):
        functional_call(layer, {"bias": b}, (x,))  # (its forward hook records what is listed inside it)
        after_inner.append(list(outer.parameters()))
        return x

    outer.forward = forward
    functional_call(outer, {"0.weight": w}, (np.ones((1, 3)),))
    assert len(during_inner[0]) == 2 and during_inner[0][0] is w and during_inner[0][1] is b  # both calls' tensors
    assert len(after_inner[0]) == 2 and after_inner[0][0] is w and after_inner[0][1] is layer.bias  # the outer's kept
    assert list(outer.parameters()) == [layer.weight, layer.bias] and ".standing_in" not in vars(layer)


def test_tensors_given_for_parameters_in_plain_lists_and_dicts_listed_as_torch_parameter_list():
    # R1 review: a Tensor given for a Parameter held in a plain list or dict attribute (a ParameterList or
    # ParameterDict to PyTorch) was left out of parameters() during the call, where one held in a module was listed
    torch = pytest.importorskip("torch")
    tm = torch.nn.Module()
    tm.ps, tm.pd = torch.nn.ParameterList([torch.ones(1)]), torch.nn.ParameterDict({"a": torch.ones(1)})
    tm.forward = lambda x: [(n, p) for n, p in tm.named_parameters()]
    given = {"ps.0": torch.zeros(1), "pd.a": torch.zeros(1)}
    expected = [(n, p is given[n]) for n, p in torch.func.functional_call(tm, given, (0,))]
    assert expected == [("ps.0", True), ("pd.a", True)]
    m = nn.Module()
    m.ps, m.pd = [nn.Parameter(ag.ones(1))], {"a": nn.Parameter(ag.ones(1))}
    m.forward = lambda x: [(n, p) for n, p in m.named_parameters()]
    given = {"ps.0": ag.zeros(1), "pd.a": ag.zeros(1)}
    assert [(n, p is given[n]) for n, p in functional_call(m, given, (0,))] == expected
    assert all(isinstance(p, nn.Parameter) for p in (m.ps[0], m.pd["a"])) and len(list(m.parameters())) == 2
    m.forward = lambda x: [p for _, p in m.named_parameters()] if x else functional_call(m, {"pd.a": b}, (1,))
    a, b = ag.zeros(1), ag.zeros(1)  # nested calls: the inner lists both calls' Tensors
    listed = functional_call(m, {"ps.0": a}, (0,))
    assert len(listed) == 2 and listed[0] is a and listed[1] is b
    assert all(isinstance(p, nn.Parameter) for p in m.parameters()) and len(list(m.parameters())) == 2


def test_parameter_set_to_none_by_forward_leaves_no_unset_entry_after_the_call():
    # R1 review: forward's `self.w = None` over the given Tensor kept w marked as a parameter unset to None after the
    # original was restored; torch restores the Parameter and writes None back into the dict, as here
    from nn.module import _UNSET

    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(ag.ones(2))

        def forward(self, x):
            y = x * self.w
            self.w = None
            return y

    m = M()
    given = {"w": ag.tensor([2.0, 3.0])}
    np.testing.assert_array_equal(functional_call(m, given, (ag.ones(2),)).data, [2.0, 3.0])
    assert given == {"w": None} and isinstance(m.w, nn.Parameter) and [n for n, _ in m.named_parameters()] == ["w"]
    assert "w" not in vars(m).get(_UNSET, {})


def test_assignment_in_forward_written_back_to_the_given_dict_as_torch():
    # found by porting PyTorch's test_stateless.py (test_setattr): `self.foo = self.foo + 1` in forward is written
    # back into the caller's dict (not into the module, nor into the given Tensor); in place changes stay in place
    torch = pytest.importorskip("torch")
    results = []
    for lib, call, buffer_cls, module_cls in ((torch, torch.func.functional_call, torch.nn.Buffer, torch.nn.Module),
                                              (ag, functional_call, nn.Buffer, nn.Module)):
        class Foo(module_cls):
            def __init__(self, in_place):
                super().__init__()
                self.foo, self.in_place = buffer_cls(lib.tensor([0.0])), in_place

            def forward(self, x):
                if self.in_place:
                    self.foo.add_(1)
                else:
                    self.foo = self.foo + 1
                return x + self.foo

        for in_place in (False, True):
            mod, foo = Foo(in_place), lib.tensor([2.0])
            given = {"foo": foo}
            call(mod, given, lib.ones(1))
            results.append((float(mod.foo[0]), float(given["foo"][0]), float(foo[0]), given["foo"] is foo))
            merged = ({"foo": lib.tensor([2.0])}, {})
            call(mod, merged, lib.ones(1))  # a tuple of dicts: merged for the call, none written back
            results.append(float(merged[0]["foo"][0]))
    assert results[:4] == results[4:]
    assert results[0] == (0.0, 3.0, 2.0, False) and results[2] == (0.0, 3.0, 3.0, True)


def test_a_non_tensor_attribute_cannot_be_replaced():
    # found by porting PyTorch's test_stateless.py: {'foo': t} over a float attribute replaced it for the call
    layer = linear()
    layer.foo = 0.0
    with pytest.raises(TypeError, match=r"'foo': attribute `foo`: 0.0 is not an instance of Tensor \(it is a float"):
        functional_call(layer, {"weight": ag.ones((2, 3)), "foo": ag.tensor([1.0])}, np.ones((1, 3)))
    with pytest.raises(TypeError, match="attribute `0`: Linear"):
        functional_call(nn.Sequential(layer), {"0": ag.ones(1)}, np.ones((1, 3)))
    assert layer.foo == 0.0 and isinstance(layer.weight, nn.Parameter)


def test_tied_keys_named_sorted_in_the_error():
    # found by porting PyTorch's test_stateless.py: the keys were listed in the dict's order, PyTorch sorts them
    layer = linear()
    net = nn.Sequential(layer)
    net.tied = layer.bias
    with pytest.raises(ValueError, match=r"multiple values for keys \['0.bias', 'tied'\]"):
        functional_call(net, {"tied": ag.ones(2), "0.bias": ag.zeros(2)}, np.ones((1, 3)))


def test_module_holding_itself_with_tie_weights_false():
    # found by porting PyTorch's test_stateless.py (test_circular_references): the walk of all names refused the
    # cycle; the names given are followed down their paths instead, as PyTorch's
    net = nn.Sequential(linear())
    net[0].m = net
    w, b = ag.tensor(RNG.normal(size=(2, 3))), ag.zeros(2)
    x = RNG.normal(size=(1, 3))
    y = functional_call(net, {"0.m.0.weight": w, "0.bias": b}, (x,), tie_weights=False)
    np.testing.assert_allclose(y.data, x @ w.data.T)
    assert isinstance(net[0].weight, nn.Parameter) and isinstance(net[0].bias, nn.Parameter)
    with pytest.raises(AttributeError, match="'0.m.nothere.x' names no parameter or buffer of Sequential.*"
                                             "get_submodule.* finds them; the module holds itself"):
        functional_call(net, {"0.m.nothere.x": w}, (x,), tie_weights=False)
    with pytest.raises(ValueError, match="a cycle; a module .* with tie_weights=False and strict=False only the names"):
        functional_call(net, {"0.bias": b}, (x,))


def test_forward_assigning_a_parameter_name_keeps_the_order_and_refuses_a_plain_tensor_as_torch():
    # found by porting PyTorch's test_stateless.py: over a Tensor given for a parameter, `self.weight =
    # nn.Parameter(...)` in forward moved "weight" after "bias" for good, and `self.weight = self.weight * 2` was
    # taken (PyTorch: TypeError, a parameter's place takes a Parameter or None)
    torch = pytest.importorskip("torch")
    seen = []
    for lib, tensor, call in ((torch.nn, torch.tensor, torch.func.functional_call), (nn, ag.tensor, functional_call)):
        class Scale(lib.Module):
            def __init__(self, plain):
                super().__init__()
                self.weight, self.bias, self.plain = lib.Parameter(tensor([1.0])), lib.Parameter(tensor([2.0])), plain

            def forward(self, x):
                self.weight = self.weight * 2 if self.plain else lib.Parameter(tensor([9.0]))
                return x * self.weight + self.bias

        module, given = Scale(False), {"weight": tensor([3.0])}
        out = call(module, given, tensor([1.0]))
        seen.append((float(out.detach()[0]), [name for name, _ in module.named_parameters()],
                     float(given["weight"].detach()[0]),
                     isinstance(given["weight"], lib.Parameter), float(module.weight.detach()[0])))
        with pytest.raises(TypeError, match="cannot assign"):
            call(Scale(True), {"weight": tensor([3.0])}, tensor([1.0]))
    assert seen[1] == seen[0] == (11.0, ["weight", "bias"], 9.0, True, 1.0)
