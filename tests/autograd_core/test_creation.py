"""Creation helpers (autograd_core/creation.py): zeros, ones, full, eye, arange and the *_like forms; the random ones
(randn, rand, their *_like forms, randperm) and generator=, PyTorch's name for rng=, on every random creation
function."""
import inspect

import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("make", [ag.zeros, ag.ones])
def test_creation_helpers_refuse_grad_on_integers(make):
    with pytest.raises(TypeError, match="only floating-point.*got dtype int64"):
        make(3, dtype=np.int64, requires_grad=True)
    t = make((2, 3), dtype=np.float32, requires_grad=True)
    assert t.shape == (2, 3) and t.dtype == np.float32 and t.requires_grad and t.is_leaf


@pytest.mark.parametrize("make", [lambda **kw: ag.full((2,), 3, **kw), lambda **kw: ag.eye(2, **kw),
                                  lambda **kw: ag.arange(2, **kw), lambda **kw: ag.zeros_like(ag.ones(2), **kw)])
@pytest.mark.parametrize("dtype", [np.int64, np.bool_])
def test_every_creation_helper_refuses_grad_on_integers_and_booleans(make, dtype):
    with pytest.raises(TypeError, match=rf"only floating-point.*got dtype {np.dtype(dtype)}"):
        make(dtype=dtype, requires_grad=True)


def test_creation_helpers_values():
    np.testing.assert_array_equal(ag.full((2,), 7.0).data, [7.0, 7.0])
    np.testing.assert_array_equal(ag.eye(2).data, np.eye(2))
    np.testing.assert_array_equal(ag.arange(1.0, 4.0).data, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(ag.zeros_like(ag.ones(3, dtype=np.float32)).data, np.zeros(3))
    assert ag.ones_like(ag.ones(3, dtype=np.float32)).dtype == np.float32


@pytest.mark.parametrize("made, expected", [
    (lambda: ag.full((2,), 7), np.full((2,), 7)),  # the fill value's dtype, as NumPy
    (lambda: ag.eye(2, 3), np.eye(2, 3)),
    (lambda: ag.arange(5, step=2), np.arange(5, step=2)),
    (lambda: ag.arange(0.0, 1.0, 0.25), np.arange(0.0, 1.0, 0.25)),
    (lambda: ag.ones_like(ag.zeros(2), dtype=np.float32), np.ones(2, dtype=np.float32)),
    (lambda: ag.zeros_like(np.ones((2, 1)), dtype=np.int32), np.zeros((2, 1), dtype=np.int32)),
    (lambda: ag.eye(3, k=1), np.eye(3, k=1)),
    (lambda: ag.eye(N=3, M=2), np.eye(N=3, M=2)),
    (lambda: ag.arange(stop=3), np.arange(stop=3)),
], ids=["full", "eye", "arange-step", "arange-start-stop-step", "ones_like", "zeros_like", "eye-k", "eye-N-M",
    "arange-stop"])
def test_creation_helpers_follow_numpys_arguments(made, expected):
    t = made()
    assert t.dtype == expected.dtype and t.shape == expected.shape
    np.testing.assert_array_equal(t.data, expected)


def test_creation_helpers_with_requires_grad_are_leaves_that_receive_gradients():
    for t in (ag.full((2,), 3.0, requires_grad=True), ag.eye(2, requires_grad=True),
              ag.arange(0.0, 3.0, requires_grad=True), ag.zeros_like(np.ones(2), requires_grad=True),
              ag.ones_like(ag.ones(2), requires_grad=True)):
        assert t.is_leaf and t.requires_grad
        (t * t).sum().backward()
        np.testing.assert_array_equal(t.grad.data, 2 * t.data)


def test_tensor_alias_matches_the_class():
    t = ag.tensor([1.0, 2.0], requires_grad=True, dtype=np.float32, name="w")
    assert type(t) is ag.Tensor and t.dtype == np.float32 and t.requires_grad and t.name == "w"


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.zeros(-1), ValueError, r"^zeros: negative dimensions are not allowed"),
    (lambda: ag.ones(2, 3), TypeError, r"^ones: the second argument is the dtype"),
    (lambda: ag.eye(2.5), TypeError, r"^eye: "),
    (lambda: ag.arange(0, 5, 0), ValueError, r"^arange: step must not be 0"),
    (lambda: ag.full((2,), np.ones(3)), ValueError, r"^full: could not broadcast"),
])
def test_numpys_refusals_are_named_after_the_helper(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_arange_without_stop_is_refused_as_numpy():
    with pytest.raises(TypeError):
        np.arange()
    with pytest.raises(TypeError, match="arange"):
        ag.arange()


@pytest.mark.parametrize("call", [lambda m: m.arange(start=3), lambda m: m.arange(None, 3), lambda m: m.arange(5, start=1)],
                         ids=["start alone", "None start", "start twice"])
def test_arange_refuses_what_np_arange_refuses(call):
    with pytest.raises(TypeError):
        call(np)  # the reference
    with pytest.raises(TypeError, match=r"^arange: "):
        call(ag)


@pytest.mark.parametrize("args, kwargs", [((3,), {}), ((1, 5), {}), ((3,), {"step": 2}), ((1,), {"stop": 5}),
                                          ((), {"start": 1, "stop": 3}), ((0.0, 1.0, 0.25), {})])
def test_arange_binds_its_arguments_as_np_arange(args, kwargs):
    np.testing.assert_array_equal(ag.arange(*args, **kwargs).data, np.arange(*args, **kwargs))


def test_arange_takes_dtype_as_fourth_positional_argument():
    t = ag.arange(0, 5, 1, np.float32)
    expected = np.arange(0, 5, 1, np.float32)
    assert t.dtype == expected.dtype
    np.testing.assert_array_equal(t.data, expected)


def test_arange_refuses_step_given_by_position_and_name():
    with pytest.raises(TypeError):
        np.arange(1, 5, 2, step=3)
    with pytest.raises(TypeError, match="step"):
        ag.arange(1, 5, 2, step=3)


@pytest.mark.parametrize("shape, fill, dtype", [((3,), 1.5, None), ((4, 2), [1.5, -2.0], None),
                                               ((2,), 1.5, np.float32)])
def test_full_keeps_a_fill_value_that_requires_grad_in_the_graph(shape, fill, dtype):
    # README offers ag.full for np.full(shape, t), which takes t's value only: each element is the fill value,
    # so its gradient is the sum of theirs.
    w = ag.tensor(fill, requires_grad=True)
    filled = ag.full(shape, w, dtype=dtype)
    expected = np.full(shape, w.data, dtype=dtype)
    assert filled.requires_grad and filled.dtype == expected.dtype
    np.testing.assert_array_equal(filled.data, expected)
    upstream = np.arange(1.0, 1.0 + expected.size).reshape(shape)
    (filled * upstream).sum().backward()
    np.testing.assert_allclose(w.grad.data, upstream.reshape((-1,) + w.shape).sum(axis=0))
    filled.data[...] = 0  # a fresh array, as np.full's
    assert w.data.all()


def test_full_refuses_a_graph_fill_value_that_does_not_fill_the_shape_or_a_leaf_request():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"full: a fill value of shape \(2,\) cannot fill shape \(2, 3\)"):
        ag.full((2, 3), w)
    with pytest.raises(ValueError, match=r"full: requires_grad=True asks for a leaf"):
        ag.full((2,), w, requires_grad=True)


@pytest.mark.parametrize("make, draw", [(ag.randn, lambda g, s: g.standard_normal(s)),
                                        (ag.rand, lambda g, s: g.random(s))],
                         ids=["randn", "rand"])
def test_random_helpers_draw_from_the_given_generator_in_the_given_dtype(make, draw):
    for shape in ((2, 3), ((2, 3),), ([4],), ()):
        expected = draw(np.random.default_rng(7), shape[0] if len(shape) == 1 else shape)
        for rng in (7, np.random.default_rng(7)):
            np.testing.assert_array_equal(make(*shape, rng=rng).data, expected)
    single = make(3, dtype=np.float32, requires_grad=True, rng=0)
    assert single.dtype == np.float32 and single.requires_grad and single.is_leaf
    assert make(1000).data.std() > 0  # unseeded: fresh samples


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.randn(2, rng="x"), TypeError, r"randn: rng must be None, a non-negative int seed or a numpy"),
    (lambda: ag.randn(2, rng=True), TypeError, r"randn: rng must be None"),
    (lambda: ag.rand(2, rng=-1), ValueError, r"rand: rng must be None, a non-negative int seed"),
    (lambda: ag.rand(2.5), TypeError, r"rand: the shape must be ints, given as rand\(2, 3\) or rand\(\(2, 3\)\)"),
    (lambda: ag.randn(2, dtype=np.int64), TypeError, r"randn: dtype must be a float dtype"),
    (lambda: ag.rand(-1), ValueError, r"rand: negative dimensions"),
])
def test_random_helpers_refuse_bad_arguments_by_name(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("shape, fill", [((3,), [[1.5, -2.0, 0.5]]), ((), [1.5]), ((2, 3), [[[1.0, 2.0, 3.0]]])])
def test_full_takes_a_graph_fill_value_with_leading_unit_axes_as_np_full(shape, fill):
    # np.full (and ag.full with a constant fill) take a fill value with extra leading axes of length 1; a fill value
    # that requires grad must fill the same shape, each element's gradient summed into it.
    expected = np.full(shape, fill)
    assert ag.full(shape, ag.tensor(fill)).shape == expected.shape
    w = ag.tensor(fill, requires_grad=True)
    filled = ag.full(shape, w)
    assert filled.shape == expected.shape
    np.testing.assert_array_equal(filled.data, expected)
    upstream = np.arange(1.0, 1.0 + expected.size).reshape(shape)
    (filled * upstream).sum().backward()
    # Which fill element each output element is, by np.full itself; its gradient sums the upstream there.
    source = np.full(shape, np.arange(np.size(fill)).reshape(np.shape(fill)))
    summed = np.bincount(source.reshape(-1), weights=upstream.reshape(-1), minlength=np.size(fill))
    np.testing.assert_allclose(w.grad.data, summed.reshape(np.shape(fill)))


# ag.arange refuses an array as start, stop or step by name (NumPy's "truth value of an array ... is ambiguous"
# came out of its step == 0 check, naming nothing), and ag.full with a fill value that requires grad names itself
# for a dtype NumPy does not know (the message named astype).

@pytest.mark.parametrize("call, name", [
    (lambda: ag.arange(0, 3, np.array([1, 2])), "step"),
    (lambda: ag.arange(0, 3, ag.tensor([1.0, 2.0])), "step"),
    (lambda: ag.arange(np.array([1, 2])), "stop"),
    (lambda: ag.arange(np.zeros((1, 1)), 3), "start"),
])
def test_arange_bounds_must_be_numbers(call, name):
    with pytest.raises(TypeError, match=rf"arange: {name} must be a number, got shape"):
        call()


def test_arange_takes_0d_arrays_and_tensors():
    assert ag.arange(ag.tensor(3)).data.tolist() == [0, 1, 2]
    assert ag.arange(1, np.float32(3), ag.tensor(0.5)).data.tolist() == [1.0, 1.5, 2.0, 2.5]
    assert ag.arange(np.array(2.5)).data.tolist() == [0.0, 1.0, 2.0]


def test_full_with_a_recorded_fill_names_an_unknown_dtype():
    w = ag.tensor(1.0, requires_grad=True)
    with pytest.raises(TypeError, match="^full: data type 'foo' not understood"):
        ag.full(2, w, dtype="foo")
    y = ag.full(2, w, dtype="float32")
    assert y.dtype == np.float32 and y.requires_grad


# ag.full and ag.full_like with a list of Tensors that require grad as fill_value: refused, not cut from the graph.

@pytest.mark.parametrize("make", [
    lambda w: ag.full((2,), [w[0], w[1]]),
    lambda w: ag.full((3, 2), (w[0], 1.0)),
    lambda w: ag.full_like(w, [w[1], w[0]]),
])
def test_list_holding_graph_refused(make):
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="full: fill_value is a (list|tuple) holding Tensors that require grad"):
        make(w)


def test_lists_of_numbers_and_constants_still_fill():
    assert ag.full((2, 2), [1.0, 2.0]).data.tolist() == [[1.0, 2.0], [1.0, 2.0]]
    assert ag.full((2,), [ag.tensor(1.0), 3.0]).data.tolist() == [1.0, 3.0]
    w = ag.tensor(2.0, requires_grad=True)
    ag.full((3,), w).sum().backward()
    assert float(w.grad.data) == 3.0
    with ag.no_grad():
        assert ag.full((2,), [w, w]).data.tolist() == [2.0, 2.0]  # nothing recorded: a constant, as asked


# ag.full and ag.full_like (and np.full_like on a Tensor) with a fill value that is a constant Tensor and a dtype
# given (full_like always gives one): NumPy's np.full handed the Tensor to np.copyto, which the engine refuses.

@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int64, np.float64])
def test_a_constant_tensor_fills_as_its_value(dtype):
    out = ag.full((2, 3), ag.tensor(2.5), dtype=dtype)
    assert out.dtype == dtype and not out.requires_grad
    np.testing.assert_array_equal(out.data, np.full((2, 3), 2.5, dtype=dtype))


def test_full_like_takes_a_constant_tensor_fill_value():
    x = np.arange(3, dtype=np.uint8)
    for out in (ag.full_like(x, ag.tensor(np.uint8(3))), ag.full_like(ag.tensor(x), ag.tensor([1.5, 2.5, 3.5])),
                np.full_like(ag.tensor(x), ag.tensor(7.0), dtype=np.float32)):
        assert isinstance(out, ag.Tensor)
    np.testing.assert_array_equal(ag.full_like(x, ag.tensor(np.uint8(3)), dtype=np.float32).data,
                                  np.full_like(x, 3, dtype=np.float32))
    leaf = ag.full_like(x, ag.tensor(2.0), dtype=np.float64, requires_grad=True)
    assert leaf.requires_grad and leaf.dtype == np.float64


def test_a_fill_value_that_requires_grad_stays_in_the_graph():
    w = ag.tensor(2.0, requires_grad=True)
    out = ag.full_like(np.zeros(3), w, dtype=np.float32)
    assert out.requires_grad and out.dtype == np.float32
    out.sum().backward()
    assert float(w.grad) == 3.0


# ag.rand in float16 and float32 stays in [0, 1), as its docstring and torch.rand say: float64 samples just below 1
# must not round up to 1 in the cast. And a dtype NumPy does not know is refused naming rand.

def test_float16_samples_stay_below_one():
    x = ag.rand(100_000, dtype=np.float16, rng=0).data  # about 24 of these round to 1.0 in a plain cast
    assert x.dtype == np.float16 and x.min() >= 0 and x.max() < 1
    assert x.max() == np.nextafter(np.float16(1), np.float16(0))


def test_streams_unchanged_elsewhere():
    expected = np.random.default_rng(3).random((4, 5))
    np.testing.assert_array_equal(ag.rand(4, 5, rng=3).data, expected)
    np.testing.assert_array_equal(ag.rand(4, 5, dtype=np.float32, rng=3).data, expected.astype(np.float32))


def test_unknown_dtype_named():
    with pytest.raises(TypeError, match="rand: dtype 'foo' is not a NumPy dtype"):
        ag.rand(2, dtype="foo", rng=0)
    with pytest.raises(TypeError, match="randn: dtype 'foo' is not a NumPy dtype"):
        ag.randn(2, dtype="foo", rng=0)


# device=, as PyTorch's and NumPy 2's creation functions take it (the tutorials write torch.zeros(..., device=device)):
# the CPU, the one device here, is taken; another is refused naming the helper.

CREATORS = {"tensor": lambda **kw: ag.tensor([1.0, 2.0], **kw), "zeros": lambda **kw: ag.zeros(2, **kw),
            "ones": lambda **kw: ag.ones(2, **kw), "full": lambda **kw: ag.full(2, 3.0, **kw),
            "zeros_like": lambda **kw: ag.zeros_like(ag.ones(2), **kw),
            "ones_like": lambda **kw: ag.ones_like(ag.ones(2), **kw), "eye": lambda **kw: ag.eye(2, **kw),
            "arange": lambda **kw: ag.arange(2, **kw), "randn": lambda **kw: ag.randn(2, rng=0, **kw),
            "rand": lambda **kw: ag.rand(2, rng=0, **kw), "randperm": lambda **kw: ag.randperm(5, rng=0, **kw)}


@pytest.mark.parametrize("name", CREATORS)
@pytest.mark.parametrize("device", [None, "cpu", "cpu:0"])
def test_creation_helpers_take_the_cpu_device(name, device):
    made = CREATORS[name](device=device)
    np.testing.assert_array_equal(made.data, CREATORS[name]().data)


@pytest.mark.parametrize("name", CREATORS)
def test_creation_helpers_refuse_another_device(name):
    # one error for every device= here: NumPy's ValueError and PyTorch's RuntimeError at once
    for error in (ValueError, RuntimeError):
        with pytest.raises(error, match=rf"^{name}: device 'cuda' is not available: .* use 'cpu'"):
            CREATORS[name](device="cuda")


@pytest.mark.parametrize("device", [None, "cpu", "cpu:0"])
def test_set_default_device_takes_the_cpu_and_changes_nothing(device):
    """The 'Learning PyTorch with Examples' tutorial calls torch.set_default_device(device) before creating its
    Tensors: for the CPU it is taken, and what the helpers make is as before, on the CPU."""
    before = ag.randn(3, rng=0)
    assert ag.set_default_device(device) is None
    after = ag.randn(3, rng=0)
    np.testing.assert_array_equal(after.data, before.data)
    assert after.dtype == np.float64 and after.device == "cpu" == ag.get_default_device()


def test_set_default_device_refuses_another_device_naming_it():
    with pytest.raises(RuntimeError, match=r"^set_default_device: device 'cuda:0' is not available: .* use 'cpu'"):
        ag.set_default_device("cuda:0")


def test_default_device_is_named_as_pytorchs_cpu():
    torch = pytest.importorskip("torch")
    assert ag.get_default_device() == str(torch.device("cpu"))
    ag.set_default_device(torch.device("cpu"))  # a torch.device of the CPU is taken, as device= takes it


def test_the_tutorials_scalar_parameter_is_made_on_the_cpu():
    a = ag.randn((), device="cpu", dtype=ag.float, requires_grad=True)
    assert a.shape == () and a.dtype == np.float32 and a.requires_grad and a.is_leaf


def test_star_import_leaves_pythons_float_and_bool_alone():
    """ag.float and ag.bool (PyTorch's torch.float, torch.bool) are NumPy's float32 and bool, but
    `from autograd_core import *` must not shadow the builtins float and bool with them."""
    namespace = {}
    exec("from autograd_core import *", namespace)
    assert "float" not in namespace and "bool" not in namespace and namespace["float32"] is np.float32
    assert ag.float is np.float32 and ag.bool is np.bool_ and ag.double is np.float64 and ag.long is np.int64
    assert "int" not in namespace


def test_torch_int_is_int32_as_the_method_int():
    # found by porting PyTorch's test_tensor_creation_ops (torch.tensor([1, 1], dtype=torch.int)): ag.int was missing
    torch = pytest.importorskip("torch")
    assert ag.int is np.int32 and torch.int is torch.int32
    assert ag.tensor([1, 1], dtype=ag.int).dtype == ag.tensor([1.5]).int().dtype == np.int32


# randperm, as torch.randperm: a permutation of 0, ..., n - 1, here NumPy's Generator.permutation.

@pytest.mark.parametrize("n", [0, 1, 7, 100])
def test_randperm_is_numpys_permutation_of_range_n(n):
    for rng in (5, np.random.default_rng(5)):
        p = ag.randperm(n, rng=rng)
        assert p.dtype == np.int64 and p.shape == (n,) and not p.requires_grad
        np.testing.assert_array_equal(p.data, np.random.default_rng(5).permutation(n))
    assert sorted(ag.randperm(n).tolist()) == list(range(n))  # unseeded: still a permutation


def test_randperm_takes_dtypes_and_requires_grad_as_torch():
    assert ag.randperm(4, dtype=np.float32, rng=0).dtype == np.float32
    leaf = ag.randperm(4, dtype=np.float64, requires_grad=True, rng=0)
    assert leaf.requires_grad and leaf.is_leaf
    assert sorted(ag.randperm(128, dtype=np.int8, rng=0).tolist()) == list(range(128))
    assert sorted(ag.randperm(2049, dtype=np.float16, rng=0).tolist()) == list(range(2049))  # exact up to 2048
    assert ag.randperm(ag.tensor(3), rng=0).shape == (3,)  # a 0-d integer Tensor, as torch takes one
    torch = pytest.importorskip("torch")
    for n, dtype, torch_dtype in ((0, np.int64, torch.int64), (5, np.float32, torch.float32),
                                  (256, np.uint8, torch.uint8), (2049, np.float16, torch.float16)):
        expected = torch.randperm(n, dtype=torch_dtype)
        made = ag.randperm(n, dtype=dtype)
        assert made.shape == tuple(expected.shape) and str(made.dtype) == str(expected.dtype).split(".")[1]


RANDPERM_REFUSALS = [
    (dict(n=-1), ValueError, r"randperm: n must be >= 0 .*got -1"),
    (dict(n=2.0), TypeError, r"randperm: n must be an int, got 2.0"),
    (dict(n=True), TypeError, r"randperm: n must be an int, got True"),
    (dict(n=129, dtype=np.int8), ValueError, r"randperm: n=129 is too large for dtype int8, which holds every "
                                             r"integer up to 127 \(so n up to 128\)"),
    (dict(n=257, dtype=np.uint8), ValueError, r"n=257 is too large for dtype uint8"),
    (dict(n=2050, dtype=np.float16), ValueError, r"n=2050 is too large for dtype float16, which holds every integer up "
                                                 r"to 2048"),
    (dict(n=5, requires_grad=True), TypeError, r"randperm: .*only floating-point Tensors can require gradients, got "
                                               r"dtype int64"),
    (dict(n=5, dtype=np.bool_), TypeError, r"randperm: dtype must be an integer or float dtype, got bool"),
    (dict(n=5, dtype="foo"), TypeError, r"randperm: dtype 'foo' is not a NumPy dtype"),
]


@pytest.mark.parametrize("kwargs, error, message", RANDPERM_REFUSALS, ids=[str(k) for k, _, _ in RANDPERM_REFUSALS])
def test_randperm_refuses_what_torch_refuses_naming_itself(kwargs, error, message):
    with pytest.raises(error, match=message):
        ag.randperm(**kwargs)
    torch = pytest.importorskip("torch")
    torch_kwargs = dict(kwargs)
    if "dtype" in kwargs:
        if kwargs["dtype"] == "foo":
            return  # (no torch dtype to give)
        torch_kwargs["dtype"] = getattr(torch, np.dtype(kwargs["dtype"]).name)
    with pytest.raises((RuntimeError, TypeError, NotImplementedError)):
        torch.randperm(**torch_kwargs)


# generator=, PyTorch's name for rng= (torch.randn(2, generator=g)): the same values, a NumPy Generator or a seed.

RANDOM_CREATORS = {
    "randn": lambda **kw: ag.randn(2, 3, **kw), "rand": lambda **kw: ag.rand(4, dtype=np.float32, **kw),
    "randint": lambda **kw: ag.randint(3, 10, (2, 4), **kw), "randperm": lambda **kw: ag.randperm(9, **kw),
    "multinomial": lambda **kw: ag.multinomial(ag.tensor([[1.0, 2.0, 3.0], [3.0, 0.0, 1.0]]), 2, **kw),
    "rand_like": lambda **kw: ag.rand_like(ag.zeros((2, 3)), **kw),
    "randn_like": lambda **kw: ag.randn_like(ag.zeros((2, 3)), **kw),
}


@pytest.mark.parametrize("name", RANDOM_CREATORS)
def test_generator_is_rngs_pytorch_name_with_the_same_values(name):
    make = RANDOM_CREATORS[name]
    np.testing.assert_array_equal(make(generator=3).data, make(rng=3).data)
    np.testing.assert_array_equal(make(generator=np.random.default_rng(3)).data, make(rng=3).data)
    g = np.random.default_rng(11)
    first, second = make(generator=g), make(generator=g)  # one Generator, drawn from in turn
    h = np.random.default_rng(11)
    np.testing.assert_array_equal(first.data, make(rng=h).data)
    np.testing.assert_array_equal(second.data, make(rng=h).data)


@pytest.mark.parametrize("name", RANDOM_CREATORS)
def test_rng_and_generator_together_are_refused_naming_both(name):
    with pytest.raises(TypeError, match=rf"^{name}: got both rng=1 and generator=2; give one of them \(generator= "
                                        rf"is PyTorch's name for rng=\)"):
        RANDOM_CREATORS[name](rng=1, generator=2)
    with pytest.raises(TypeError, match=rf"^{name}: generator must be None, a non-negative int seed or a "
                                        rf"numpy.random.Generator, got 'x'"):
        RANDOM_CREATORS[name](generator="x")


@pytest.mark.parametrize("name", RANDOM_CREATORS)
def test_a_torch_generator_is_refused_saying_what_to_pass(name):
    torch = pytest.importorskip("torch")
    for argument in ("generator", "rng"):
        with pytest.raises(TypeError, match=rf"^{name}: {argument} must be .* got a torch.Generator, .*pass "
                                            rf"np.random.default_rng\(seed\) or the seed itself"):
            RANDOM_CREATORS[name](**{argument: torch.Generator().manual_seed(0)})


def test_generator_is_keyword_only_and_none_by_default_as_torchs():
    """torch.rand, randn, randint, randperm and multinomial take generator= by keyword only; so do these."""
    for name in RANDOM_CREATORS:
        parameter = inspect.signature(getattr(ag, name)).parameters["generator"]
        assert parameter.kind is parameter.KEYWORD_ONLY and parameter.default is None, name


# PyTorch's size= keyword on randn and rand (torch.randn(size=(), requires_grad=True) in d2l's autograd chapter,
# torch.rand(size=(2, 4)) in its parameter chapter), and NumPy's zeros(shape, dtype) named when given torch's
# zeros(2, 3).
@pytest.mark.parametrize("make, draw", [(ag.randn, lambda g, s: g.standard_normal(s)),
                                        (ag.rand, lambda g, s: g.random(s))], ids=["randn", "rand"])
def test_random_creators_take_size_by_keyword(make, draw):
    for size, shape in [((2, 4), (2, 4)), ([3], (3,)), ((), ()), (5, (5,))]:
        t = make(size=size, rng=0)
        assert t.shape == shape
        np.testing.assert_array_equal(t.data, draw(np.random.default_rng(0), shape))
    leaf = make(size=(), requires_grad=True)
    assert leaf.is_leaf and leaf.requires_grad and leaf.shape == ()
    with pytest.raises(TypeError, match=rf"{make.__name__}: the shape is given twice"):
        make(2, size=(2,))
    torch = pytest.importorskip("torch")
    assert getattr(torch, make.__name__)(size=(2, 4)).shape == make(size=(2, 4)).shape


@pytest.mark.parametrize("make", [ag.zeros, ag.ones, ag.empty])
def test_zeros_and_ones_with_torchs_sizes_name_numpys_form(make):
    with pytest.raises(TypeError, match=rf"{make.__name__}: the second argument is the dtype .* write "
                                        rf"{make.__name__}\(\(2, 3\)\)"):
        make(2, 3)
    # three sizes (seq2seq's initHidden: torch.zeros(1, 1, hidden_size)): the third, taken as requires_grad, is named
    with pytest.raises(TypeError, match=rf"for shape \(1, 1, 32\) write {make.__name__}\(\(1, 1, 32\)\)"):
        make(1, 1, 32)
    # with dtype= too (time_sequence_prediction's torch.zeros(input.size(0), 51, dtype=torch.double)), or four sizes,
    # Python's own errors blamed a dtype given twice, or the number of arguments
    with pytest.raises(TypeError, match=rf"^{make.__name__}: .* got 51; for shape \(3, 51\) write "
                                        rf"{make.__name__}\(\(3, 51\)\)$"):
        make(3, 51, dtype=ag.double)
    with pytest.raises(TypeError, match=rf"for shape \(1, 2, 3, 4\) write {make.__name__}\(\(1, 2, 3, 4\)\)$"):
        make(1, 2, 3, 4)
    with pytest.raises(TypeError, match=rf"for shape \(2, 3\) write {make.__name__}\(\(2, 3\)\)$"):
        make(np.int64(2), np.int64(3), requires_grad=True)
    # NumPy's positional forms are unchanged
    made = make(3, np.float32, True)
    assert made.shape == (3,) and made.dtype == np.float32 and made.requires_grad and made.is_leaf
    with pytest.raises(TypeError, match=rf"{make.__name__}: data type 'foo' not understood"):
        make(2, "foo")


def test_empty_is_numpys_with_zeros_for_entries():
    t = ag.empty((2, 3), dtype=np.float32)
    assert isinstance(t, ag.Tensor) and t.shape == np.empty((2, 3)).shape and t.dtype == np.float32
    np.testing.assert_array_equal(t.numpy(), np.zeros((2, 3), np.float32))  # (not the memory's stale values)
    assert ag.empty(3).dtype == np.float64 and ag.empty(0).shape == (0,)
    leaf = ag.empty(2, requires_grad=True)
    assert leaf.is_leaf and leaf.requires_grad
    with pytest.raises(TypeError, match=r"^empty: .*only floating-point Tensors can require gradients, "
                                        r"got dtype int64"):
        ag.empty(2, dtype=np.int64, requires_grad=True)
    torch = pytest.importorskip("torch")
    assert tuple(torch.empty((2, 3)).shape) == ag.empty((2, 3)).shape


# ---- manual_seed: the generator behind rng=None --------------------------------------------------------------------

def test_manual_seed_makes_the_draws_of_rng_none_repeat_and_are_numpys_for_that_seed():
    ag.manual_seed(7)
    first = (ag.randn(4).data, ag.rand(2, 2).data, ag.randperm(6).data)
    ag.manual_seed(7)
    again = (ag.randn(4).data, ag.rand(2, 2).data, ag.randperm(6).data)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(first[0], np.random.default_rng(7).standard_normal(4))


def test_manual_seed_reaches_nn_layers_init_and_data_loaders_made_before_it():
    import nn
    dropout = nn.Dropout(0.5)  # holds the default generator: re-seeded in place, it follows
    loader = nn.data.DataLoader(nn.data.TensorDataset(np.arange(8.0)), batch_size=8, shuffle=True)

    def draws():
        weight = nn.Linear(3, 2).weight.numpy().copy()
        return weight, dropout(np.ones(20)).numpy(), next(iter(loader))[0]
    ag.manual_seed(1)
    first = draws()
    ag.manual_seed(1)
    for a, b in zip(first, draws()):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[2], np.arange(8.0))  # (shuffled: the comparison above is of random orders)


def test_manual_seed_reaches_deep_copies_of_what_holds_the_default_generator():
    # copy.deepcopy(model) keeps drawing from the one default generator, as PyTorch's copies draw from its global one
    import copy
    holder = {"rng": ag.manual_seed(3)}
    twin = copy.deepcopy(holder)
    assert twin["rng"] is holder["rng"] and copy.copy(holder["rng"]) is holder["rng"]
    ag.manual_seed(5)
    np.testing.assert_array_equal(twin["rng"].standard_normal(3), np.random.default_rng(5).standard_normal(3))


def test_initial_seed_is_the_seed_manual_seed_gave_as_pytorchs():
    ag.manual_seed(2021)
    assert ag.initial_seed() == 2021 and ag.manual_seed(7).initial_seed() == 7 == ag.initial_seed()
    ag.randn(3)  # drawing does not change it
    assert ag.initial_seed() == 7
    ag.manual_seed(-1)
    assert ag.initial_seed() == 2 ** 64 - 1  # modulo 2**64, as the generator was seeded
    worker_seed = ag.initial_seed() % 2 ** 32  # NMA's seed_worker
    assert worker_seed == 2 ** 32 - 1
    torch = pytest.importorskip("torch")
    torch.manual_seed(7)
    ag.manual_seed(7)
    assert ag.initial_seed() == torch.initial_seed()


def test_initial_seed_before_any_manual_seed_is_the_seed_of_the_draws():
    import subprocess
    import sys
    code = ("import numpy as np, autograd_core as ag; s = ag.initial_seed(); x = ag.randn(3).data; "
            "print(isinstance(s, int) and 0 <= s < 2**64 and bool((x == np.random.default_rng(s).standard_normal(3))"
            ".all()))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"


def test_without_a_new_seed_rng_none_keeps_drawing_new_numbers():
    ag.manual_seed(0)
    assert not np.array_equal(ag.randn(5).data, ag.randn(5).data)


def test_manual_seed_takes_ints_as_pytorch_and_refuses_the_rest():
    negative = ag.manual_seed(-1).bit_generator.state["state"]["state"]
    assert negative == np.random.PCG64(2 ** 64 - 1).state["state"]["state"]  # modulo 2**64, as torch.manual_seed
    assert ag.manual_seed(ag.tensor(3)) is ag.manual_seed(np.int64(3))  # one generator, re-seeded in place
    for bad in (1.5, True, "0", None):
        with pytest.raises(TypeError, match="manual_seed: seed must be an int"):
            ag.manual_seed(bad)


def test_manual_seed_reads_a_seed_as_torch_manual_seed_does():
    torch = pytest.importorskip("torch")
    for seed in (-1, -5, 0, 3, 2 ** 63):
        ours = ag.manual_seed(seed).bit_generator.state["state"]["state"]
        assert ours == np.random.PCG64(torch.manual_seed(seed).initial_seed()).state["state"]["state"], seed
