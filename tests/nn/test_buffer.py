"""nn.Buffer (nn/module.py): assigning one to a Module attribute registers a buffer with its persistence, as
torch.nn.Buffer (PyTorch >= 2.5): in named_buffers and (if persistent) the state dict, never among the parameters;
re-assigning one changes its persistence; over a parameter, a child module or a plain attribute it is refused as
PyTorch refuses it; and against torch, the same state-dict keys for the same assignments. register_buffer of an
array keeps its memory (pytorch-ntm registers a Tensor's .data and keeps the Tensor). Buffers registered with
register_buffer: in the state dict but not among the parameters; a name deleted, rebound to a parameter or a module,
shared by two modules, or no string, each as PyTorch's."""
import copy

import numpy as np
import pytest

import autograd_core as ag
import nn


class Counter(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 2, rng=0)
        self.steps = nn.Buffer(np.zeros(1))
        self.scratch = nn.Buffer(np.ones(2), persistent=False)


def test_assigning_a_buffer_registers_it_with_its_persistence():
    m = Counter()
    assert [name for name, _ in m.named_buffers()] == ["steps", "scratch"]
    assert list(m.state_dict()) == ["steps", "linear.weight", "linear.bias"]  # its own first, as PyTorch's
    assert [name for name, _ in m.named_parameters()] == ["linear.weight", "linear.bias"]
    assert isinstance(m.steps, ag.Tensor) and m.steps.tolist() == [0.0] and not m.steps.requires_grad
    m.steps = ag.tensor([3.0])  # a plain Tensor over a buffer: still that buffer
    assert m.state_dict()["steps"].tolist() == [3.0]
    m.scratch = nn.Buffer(np.zeros(2))  # persistent now
    assert list(m.state_dict())[:2] == ["steps", "scratch"]
    m.steps = nn.Buffer(np.zeros(1), persistent=False)
    assert "steps" not in m.state_dict()
    clone = copy.deepcopy(m)
    assert [name for name, _ in clone.named_buffers()] == ["steps", "scratch"] and "steps" not in clone.state_dict()


def test_a_subclass_register_buffer_without_persistent_takes_a_persistent_buffer_as_pytorchs():
    # PyTorch's __setattr__ passes persistent only when the override takes it; here only when it is False
    def make(base, buffer):
        class Legacy(base.Module):
            def register_buffer(self, name, value):  # an old override without persistent
                self.registered = name
                return super().register_buffer(name, value)

        m = Legacy()
        m.steps = buffer(np.zeros(1))
        return m

    m = make(nn, nn.Buffer)
    assert m.registered == "steps" and list(m.state_dict()) == ["steps"]
    with pytest.raises(TypeError):
        make(nn, lambda v: nn.Buffer(v, persistent=False))
    torch = pytest.importorskip("torch")
    theirs = make(torch.nn, lambda v: torch.nn.Buffer(torch.tensor(v)))
    assert theirs.registered == "steps" and list(theirs.state_dict()) == ["steps"]


def test_buffer_values_and_defaults():
    b = nn.Buffer()
    assert b.shape == (0,) and b.persistent is True
    x = ag.tensor([1.0, 2.0], requires_grad=True) * 2
    kept = nn.Buffer(x)
    assert kept.requires_grad and kept.is_leaf and kept.tolist() == [2.0, 4.0]  # detached, requires_grad kept
    m = nn.Module()
    m.b = nn.Buffer([1, 2])
    assert m.b.dtype.kind == "i" and "b" in m.state_dict()
    m.load_state_dict({"b": np.array([5, 6])})
    assert m.b.tolist() == [5, 6]


def test_buffer_refused_where_pytorch_refuses_it():
    m = Counter()
    with pytest.raises(TypeError, match="cannot assign 'Buffer' as parameter 'weight'"):
        m.linear.weight = nn.Buffer(np.ones((2, 2)))
    with pytest.raises(TypeError, match="cannot assign 'Buffer' as child module 'linear'"):
        m.linear = nn.Buffer(np.ones(2))
    m.plain = 3
    with pytest.raises(KeyError, match="'plain' is already an attribute of Counter"):
        m.plain = nn.Buffer(np.ones(2))

    class Early(nn.Module):
        def __init__(self):
            self.b = nn.Buffer(np.ones(1))

    with pytest.raises(AttributeError, match="cannot register buffer 'b' before Module.__init__"):
        Early()


def test_buffer_state_dict_keys_match_torch():
    torch = pytest.importorskip("torch")
    ours, theirs = nn.Module(), torch.nn.Module()
    ours.a, theirs.a = nn.Buffer(np.zeros(1)), torch.nn.Buffer(torch.zeros(1))
    ours.b, theirs.b = nn.Buffer(np.zeros(1), persistent=False), torch.nn.Buffer(torch.zeros(1), persistent=False)
    ours.c, theirs.c = ag.tensor([1.0]), torch.tensor([1.0])  # a plain Tensor: no buffer
    ours.a, theirs.a = nn.Buffer(np.ones(1), persistent=False), torch.nn.Buffer(torch.ones(1), persistent=False)
    ours.b, theirs.b = nn.Buffer(np.ones(1)), torch.nn.Buffer(torch.ones(1))
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["b"]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]


# ---- persistent= refuses text: a flag is True or False ---------------------------------------------------------------
# (NumPy's bools too; anything else is a TypeError naming the argument, where "no" was read as True and kept the
# buffer in the state dict, as PyTorch reads any value by its truth.)
def test_buffer_persistent_refuses_text():
    with pytest.raises(TypeError, match="persistent"):
        nn.Buffer(np.zeros(2), persistent="no")
    module = nn.Module()
    module.b = nn.Buffer(np.zeros(2), persistent=False)
    assert list(module.state_dict()) == []


def read_bias(lib, bias):
    """pytorch-ntm's NTM: the initial read vector registered as a buffer by its .data, the Tensor kept in a list."""
    class ReadBias(lib.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("read0_bias", bias.data)
            self.init_r = [bias]
    return ReadBias()


def test_register_buffer_of_a_tensors_data_shares_it_so_a_loaded_state_reaches_the_tensor():
    bias = ag.tensor([[0.1, -0.2, 0.3]])
    module = read_bias(nn, bias)
    module.load_state_dict({"read0_bias": np.array([[1.0, 2.0, 3.0]])})
    np.testing.assert_array_equal(module.init_r[0].data, [[1.0, 2.0, 3.0]])  # (a copy kept the old values)
    assert module.init_r[0] is bias
    array = np.zeros(2)
    module.register_buffer("steps", array)  # a NumPy array too, as ag.from_numpy keeps it
    array[0] = 5.0
    np.testing.assert_array_equal(module.steps.data, [5.0, 0.0])


def test_register_buffer_copies_a_read_only_array_or_a_list_so_the_buffer_stays_writable():
    module = nn.Module()
    read_only = np.broadcast_to(np.zeros(1), (3,))
    module.register_buffer("spread", read_only)
    module.register_buffer("listed", [1.0, 2.0])
    module.load_state_dict({"spread": np.array([1.0, 2.0, 3.0]), "listed": np.array([4.0, 5.0])})
    np.testing.assert_array_equal(module.spread.data, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(read_only, [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(module.listed.data, [4.0, 5.0])


def test_register_buffer_of_a_tensors_data_matches_pytorch():
    torch = pytest.importorskip("torch")
    values, loaded = np.array([[0.1, -0.2, 0.3]]), np.array([[1.0, 2.0, 3.0]])
    ours, theirs = read_bias(nn, ag.tensor(values)), read_bias(torch.nn, torch.tensor(values))
    ours.load_state_dict({"read0_bias": loaded})
    theirs.load_state_dict({"read0_bias": torch.tensor(loaded)})
    np.testing.assert_array_equal(ours.init_r[0].data, theirs.init_r[0].numpy())


def _running_norms(torch):
    """The same module in both libraries: a Linear, a running mean (persistent), a step count (not persistent)."""
    class Ours(nn.Module):
        def __init__(self):
            super().__init__()
            self.inner = nn.Linear(2, 2, rng=0)
            self.register_buffer("running_mean", np.zeros(2))
            self.register_buffer("steps", np.zeros(()), persistent=False)

    class Theirs(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.inner = torch.nn.Linear(2, 2)
            self.register_buffer("running_mean", torch.zeros(2, dtype=torch.float64))
            self.register_buffer("steps", torch.zeros((), dtype=torch.float64), persistent=False)

    return Ours(), Theirs()


def test_buffers_are_in_the_state_dict_but_not_the_parameters_as_pytorch():
    torch = pytest.importorskip("torch")
    ours, theirs = _running_norms(torch)
    outer, touter = nn.Sequential(ours), torch.nn.Sequential(theirs)
    assert list(outer.state_dict()) == list(touter.state_dict())  # ['0.inner.weight', '0.inner.bias', ...]
    assert [n for n, _ in outer.named_parameters()] == [n for n, _ in touter.named_parameters()]
    assert [n for n, _ in outer.named_buffers()] == [n for n, _ in touter.named_buffers()]
    with ag.no_grad():
        ours.running_mean = 0.9 * ours.running_mean + 0.1 * ag.tensor([1.0, 3.0])  # a new Tensor: still a buffer
    twin = nn.Sequential(_running_norms(torch)[0])
    twin.load_state_dict(outer.state_dict())
    np.testing.assert_allclose(twin[0].running_mean.data, [0.1, 0.3])
    with pytest.raises(TypeError, match="cannot assign 'ndarray' as buffer 'running_mean'"):
        ours.running_mean = np.zeros(2)  # as PyTorch: a Tensor or None
    with pytest.raises(KeyError, match="register_buffer: 'inner' is already an attribute"):
        ours.register_buffer("inner", np.zeros(1))


def _buffer_pair(torch):
    """The same module in both libraries: a Parameter w and a persistent buffer b."""
    class Ours(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(np.ones(2))
            self.register_buffer("b", np.zeros(2))

    class Theirs(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter(torch.ones(2, dtype=torch.float64))
            self.register_buffer("b", torch.zeros(2, dtype=torch.float64))

    return Ours(), Theirs()


def test_a_deleted_buffer_is_no_buffer_once_the_attribute_is_assigned_again():
    torch = pytest.importorskip("torch")
    ours, theirs = _buffer_pair(torch)
    del ours.b, theirs.b
    ours.b, theirs.b = ag.tensor([5.0, 5.0]), torch.tensor([5.0, 5.0])  # a plain attribute now, in PyTorch
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["w"]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()] == []


def test_a_deleted_buffers_name_takes_any_value_as_pytorch():
    torch = pytest.importorskip("torch")
    ours, theirs = _buffer_pair(torch)
    del ours.b, theirs.b
    theirs.b = 3
    ours.b = 3  # a TypeError "cannot assign 'int' as buffer" here
    assert ours.b == theirs.b == 3


def test_a_tensor_shared_by_two_modules_is_one_buffer_as_pytorch():
    torch = pytest.importorskip("torch")
    shared, tshared = ag.tensor([1.0]), torch.tensor([1.0])
    ours, theirs = nn.Module(), torch.nn.Module()
    ours.a, ours.c, theirs.a, theirs.c = nn.Module(), nn.Module(), torch.nn.Module(), torch.nn.Module()
    for m in (ours.a, ours.c):
        m.register_buffer("x", shared)
    for m in (theirs.a, theirs.c):
        m.register_buffer("x", tshared)
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()] == ["a.x"]
    assert len(list(ours.buffers())) == len(list(theirs.buffers())) == 1


def test_register_buffer_refuses_the_name_of_a_method_as_pytorch():
    torch = pytest.importorskip("torch")
    ours, theirs = _buffer_pair(torch)
    with pytest.raises(KeyError):
        theirs.register_buffer("forward", torch.zeros(1))
    with pytest.raises(KeyError):  # ours registers it and shadows Module.forward
        ours.register_buffer("forward", np.zeros(1))


def test_register_buffer_with_a_name_that_is_no_string_is_a_type_error_as_pytorch():
    torch = pytest.importorskip("torch")
    ours, theirs = _buffer_pair(torch)
    with pytest.raises(TypeError):
        theirs.register_buffer(1, torch.zeros(1))
    with pytest.raises(TypeError):
        ours.register_buffer(1, np.zeros(1))


def test_a_parameter_assigned_over_a_buffer_is_a_parameter_only_as_pytorch():
    torch = pytest.importorskip("torch")
    ours, theirs = _buffer_pair(torch)
    ours.b, theirs.b = nn.Parameter(np.ones(2)), torch.nn.Parameter(torch.ones(2))
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()] == ["w", "b"]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()] == []


def test_a_module_assigned_over_a_buffer_is_a_child_as_pytorch():
    torch = pytest.importorskip("torch")
    ours, theirs = _buffer_pair(torch)
    theirs.b = torch.nn.Linear(1, 1)
    ours.b = nn.Linear(1, 1)  # a TypeError "cannot assign 'Linear' as buffer" here
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["w", "b.weight", "b.bias"]


def test_a_parameter_registered_as_a_buffer_is_no_parameter_as_pytorch():
    torch = pytest.importorskip("torch")
    ours, theirs = nn.Module(), torch.nn.Module()
    ours.register_buffer("p", nn.Parameter(np.ones(2)))
    theirs.register_buffer("p", torch.nn.Parameter(torch.ones(2)))
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()] == ["p"]
    assert list(ours.parameters()) == list(theirs.parameters()) == []  # ours: an optimizer would update it


def test_buffers_take_recurse_as_pytorch():
    torch = pytest.importorskip("torch")
    ours, theirs = nn.Sequential(_buffer_pair(torch)[0]), torch.nn.Sequential(_buffer_pair(torch)[1])
    assert list(ours.buffers(recurse=False)) == list(theirs.buffers(recurse=False)) == []
    assert [n for n, _ in ours[0].named_buffers(recurse=False)] == ["b"]
    assert [n for n, _ in ours.named_buffers(recurse=True)] == [n for n, _ in theirs.named_buffers()]
