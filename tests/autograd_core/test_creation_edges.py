"""Creation helpers' PyTorch names (autograd_core/creation.py), the edges of test_creation.py: ag.Generator,
ag.empty, the legacy LongTensor/FloatTensor/DoubleTensor (and the other legacy types, as constructors and in
isinstance), rand_like/randn_like and use_deterministic_algorithms."""
import copy
import re

import numpy as np
import pytest

import autograd_core as ag
from test_creation import RANDOM_CREATORS


# ---- Generator: PyTorch's torch.Generator, a NumPy Generator with manual_seed -----------------------------------

@pytest.mark.parametrize("name", RANDOM_CREATORS)
def test_a_seeded_generator_draws_what_numpys_generator_of_that_seed_draws(name):
    # makemore's g = torch.Generator().manual_seed(2147483647), passed as generator=g (or rng=g)
    g = ag.Generator().manual_seed(2147483647)
    for argument in ("generator", "rng"):
        ours = RANDOM_CREATORS[name](**{argument: g.manual_seed(2147483647)})
        theirs = RANDOM_CREATORS[name](**{argument: np.random.default_rng(2147483647)})
        np.testing.assert_array_equal(ours.data, theirs.data)
        assert ours.dtype == theirs.dtype


def test_generator_manual_seed_reseeds_in_place_and_returns_the_generator():
    g = ag.Generator()
    assert g.manual_seed(5) is g and isinstance(g, np.random.Generator)
    first = ag.randn(3, generator=g).data
    assert not np.array_equal(ag.randn(3, generator=g).data, first)  # one stream: the draws go on
    g.manual_seed(5)
    np.testing.assert_array_equal(ag.randn(3, generator=g).data, first)
    assert g.initial_seed() == 5
    assert ag.Generator(device="cpu").manual_seed(-1).initial_seed() == 2 ** 64 - 1  # modulo 2**64, as PyTorch's
    assert ag.Generator().manual_seed(ag.tensor(3)).initial_seed() == 3


def test_get_and_set_rng_state_replay_the_default_generators_draws():
    ag.manual_seed(7)
    state = ag.get_rng_state()
    first = ag.randn(4).data
    np.testing.assert_array_equal(first, np.random.default_rng(7).standard_normal(4))  # NumPy's stream for seed 7
    ag.randn(2)  # the stream goes on; the state given back was copied, so it did not move along
    ag.set_rng_state(state)
    np.testing.assert_array_equal(ag.randn(4).data, first)
    assert ag.initial_seed() == 7 and ag.random.get_rng_state()["bit_generator"] == "PCG64"
    with pytest.raises(TypeError, match=r"set_rng_state: expected the state ag.get_rng_state\(\) gave .*got ndarray"):
        ag.set_rng_state(np.zeros(5, np.uint8))
    torch = pytest.importorskip("torch")  # the same idiom in PyTorch
    saved = torch.get_rng_state()
    theirs = torch.randn(4)
    torch.set_rng_state(saved)
    assert torch.equal(torch.randn(4), theirs)


def test_an_unseeded_generator_starts_from_pytorchs_default_seed():
    a, b = ag.Generator(), ag.Generator()
    assert a.initial_seed() == 67280421310721  # torch.Generator().initial_seed()
    np.testing.assert_array_equal(a.random(4), b.random(4))
    np.testing.assert_array_equal(ag.Generator().random(4), np.random.default_rng(67280421310721).random(4))
    new = a.seed()
    assert a.initial_seed() == new and 0 <= new < 2 ** 64


def test_generator_seeds_as_torch_generator_does():
    torch = pytest.importorskip("torch")
    assert ag.Generator().initial_seed() == torch.Generator().initial_seed()
    for seed in (-1, -5, 0, 2147483647, 2 ** 63):
        assert ag.Generator().manual_seed(seed).initial_seed() == torch.Generator().manual_seed(seed).initial_seed()


def test_a_generator_serves_nn_init_and_data_loaders():
    import nn
    loader = nn.data.DataLoader(nn.data.TensorDataset(np.arange(8.0)), batch_size=8, shuffle=True,
                                generator=ag.Generator().manual_seed(3))
    theirs = nn.data.DataLoader(nn.data.TensorDataset(np.arange(8.0)), batch_size=8, shuffle=True,
                                generator=np.random.default_rng(3))
    np.testing.assert_array_equal(next(iter(loader))[0], next(iter(theirs))[0])
    weight = nn.init.normal_(ag.zeros((2, 3)), generator=ag.Generator().manual_seed(4))
    np.testing.assert_array_equal(weight.data, np.random.default_rng(4).normal(0.0, 1.0, (2, 3)))


def test_generator_refuses_bad_seeds_and_devices():
    for bad in (1.5, True, "0", None):
        with pytest.raises(TypeError, match=r"^Generator.manual_seed: seed must be an int, got "):
            ag.Generator().manual_seed(bad)
    with pytest.raises(RuntimeError, match=r"^Generator: device 'cuda' is not available: .* use 'cpu'"):
        ag.Generator(device="cuda")


def test_a_copied_or_pickled_generator_stays_one_and_goes_on_where_it_was():
    import copy
    import pickle
    g = ag.Generator().manual_seed(9)
    g.random(3)
    for other in (copy.deepcopy(g), copy.copy(g), pickle.loads(pickle.dumps(g))):
        assert type(other) is ag.Generator and other.initial_seed() == 9 and other is not g
        np.testing.assert_array_equal(other.random(4), copy.deepcopy(g).random(4))
    assert copy.deepcopy(g).manual_seed(1) is not g and g.initial_seed() == 9


def test_empty_takes_zeros_arguments_and_holds_zeros():
    # seq2seq_translation's decoder input: torch.empty(batch_size, 1, dtype=torch.long).fill_(SOS_token)
    t = ag.empty((2, 1), dtype=ag.long).fill_(0)
    assert t.shape == (2, 1) and t.dtype == np.int64 and t.tolist() == [[0], [0]]
    assert ag.empty(3).tolist() == [0.0, 0.0, 0.0] and ag.empty(3).dtype == np.empty(3).dtype
    assert ag.empty((2,), requires_grad=True).is_leaf
    with pytest.raises(TypeError, match=r"empty: the second argument is the dtype.*empty\(\(2, 1\)\)"):
        ag.empty(2, 1)


LEGACY_TYPES = [("LongTensor", np.int64), ("FloatTensor", np.float32), ("DoubleTensor", np.float64),
                ("HalfTensor", np.float16), ("IntTensor", np.int32), ("ShortTensor", np.int16), ("CharTensor", np.int8),
                ("ByteTensor", np.uint8), ("BoolTensor", np.bool_)]


@pytest.mark.parametrize("name, dtype", LEGACY_TYPES)
def test_legacy_constructors_make_tensors_of_their_dtype(name, dtype):
    make = getattr(ag, name)
    t = make([1, 0, 2])  # char_rnn_generation's targetTensor, seq2seq's TensorDataset(torch.LongTensor(ids), ...)
    assert t.dtype == dtype and t.tolist() == np.array([1, 0, 2]).astype(dtype).tolist() and not t.requires_grad
    assert make(np.array([[3, 4]], dtype=np.int32)).dtype == dtype
    sized = make(2, 3)  # sizes: zeros here (PyTorch's are uninitialised)
    assert sized.shape == (2, 3) and sized.dtype == dtype and not sized.data.any()
    assert make().shape == (0,)
    with pytest.raises(TypeError, match=rf"{name}: takes one sequence or array of values, or sizes as ints, got 2"):
        make([1], [2])


def test_legacy_types_in_isinstance_test_the_dtype_as_torchs():
    # torchattacks' to_type: isinstance(inputs, torch.FloatTensor), isinstance(inputs, torch.ByteTensor)
    for name, dtype in LEGACY_TYPES:
        assert isinstance(ag.zeros(2, dtype=dtype), getattr(ag, name))
        assert isinstance(ag.zeros(2, dtype=dtype, requires_grad=dtype in (np.float32, np.float64)), getattr(ag, name))
        others = [other for other, other_dtype in LEGACY_TYPES if other_dtype != dtype]
        assert not any(isinstance(ag.zeros(2, dtype=dtype), getattr(ag, other)) for other in others)
        assert not isinstance(np.zeros(2, dtype=dtype), getattr(ag, name))  # an ndarray is no Tensor
    assert isinstance(ag.zeros(2), (ag.LongTensor, ag.DoubleTensor)) and "float64" in repr(ag.DoubleTensor)
    torch = pytest.importorskip("torch")
    for name, dtype in LEGACY_TYPES:
        for value_dtype in (torch.float32, torch.float64, torch.uint8, torch.int64):
            theirs = torch.zeros(2, dtype=value_dtype)
            assert isinstance(ag.tensor(theirs.numpy()), getattr(ag, name)) == isinstance(theirs, getattr(torch, name))


def test_legacy_constructors_match_torch():
    torch = pytest.importorskip("torch")
    for name, _ in LEGACY_TYPES:
        ours, theirs = getattr(ag, name)([1, 2]), getattr(torch, name)([1, 2])
        assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "") and ours.tolist() == theirs.tolist()
        assert getattr(ag, name)(2, 3).shape == tuple(getattr(torch, name)(2, 3).shape)
    assert ag.LongTensor().shape == tuple(torch.LongTensor().shape)



@pytest.mark.parametrize("name, dtype", LEGACY_TYPES)
def test_legacy_constructors_take_a_size_as_sizes_not_as_data(name, dtype):
    # pytorch-CycleGAN's old GANLoss: self.Tensor(input.size()).fill_(1.0), a target of input's shape
    make = getattr(ag, name)
    for shape in [(2, 1, 3), (2, 0, 3), ()]:
        made = make(ag.Size(shape))
        assert made.shape == shape and made.dtype == dtype and not made.data.any() and not made.requires_grad
    assert make(ag.ones((4, 5)).size()).shape == (4, 5)
    assert make((2, 3)).tolist() == np.array([2, 3]).astype(dtype).tolist()  # a plain tuple stays data, as in PyTorch
    torch = pytest.importorskip("torch")
    for shape in [(2, 1, 3), (2, 0, 3), ()]:
        theirs = getattr(torch, name)(torch.Size(shape))
        assert tuple(theirs.shape) == make(ag.Size(shape)).shape and str(theirs.dtype) == f"torch.{np.dtype(dtype)}"
    assert getattr(torch, name)((2, 3)).tolist() == make((2, 3)).tolist()

# rand_like and randn_like, PyTorch's: the tensors tutorial's torch.rand_like(x_data, dtype=torch.float) on an integer
# x_data, and torch.rand_like(y1) for a buffer of y1's shape and dtype.
@pytest.mark.parametrize("make, draw", [(ag.rand_like, lambda g, s: g.random(s)),
                                        (ag.randn_like, lambda g, s: g.standard_normal(s))], ids=["rand", "randn"])
def test_random_like_helpers_take_xs_shape_and_dtype_drawing_from_rng(make, draw):
    x = ag.zeros((2, 3), dtype=np.float32)
    t = make(x, rng=5)
    assert t.shape == (2, 3) and t.dtype == np.float32 and not t.requires_grad
    np.testing.assert_array_equal(t.data, draw(np.random.default_rng(5), (2, 3)).astype(np.float32))
    from_int = make(ag.tensor([[1, 2], [3, 4]]), dtype=ag.float, requires_grad=True, rng=0)
    assert from_int.shape == (2, 2) and from_int.dtype == np.float32 and from_int.requires_grad and from_int.is_leaf
    assert make(np.zeros(4)).dtype == np.float64  # an ndarray's shape and dtype too


def test_rand_like_samples_are_in_zero_one_and_match_torchs_shape_and_dtype():
    x = ag.tensor([[1, 2], [3, 4]])
    samples = ag.rand_like(ag.zeros((1000,)), rng=0).data
    assert samples.min() >= 0 and samples.max() < 1
    torch = pytest.importorskip("torch")
    theirs = torch.rand_like(torch.tensor([[1, 2], [3, 4]]), dtype=torch.float)
    ours = ag.rand_like(x, dtype=ag.float)
    assert ours.shape == tuple(theirs.shape) and str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")


@pytest.mark.parametrize("name", ["rand_like", "randn_like"])
def test_random_like_helpers_refuse_an_integer_dtype_and_a_shape_naming_themselves(name):
    make = getattr(ag, name)
    with pytest.raises(TypeError, match=rf"^{name}: x has dtype int64, and the samples are floats; give a float "
                                        rf"dtype, e.g. {name}\(x, dtype=ag.float\)"):
        make(ag.tensor([1, 2]))
    with pytest.raises(TypeError, match=rf"^{name}: dtype must be a float dtype"):
        make(ag.zeros(2), dtype=np.int64)
    with pytest.raises(TypeError, match=rf"^{name}: x must be a Tensor .*got tuple; for a new shape use "
                                        rf"{name[:-5]}\(\*shape\)"):
        make((2, 3))
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):  # PyTorch refuses integer samples too
        getattr(torch, name)(torch.tensor([1, 2]))


def test_use_deterministic_algorithms_keeps_pytorchs_flags():
    # the DCGAN tutorial opens with torch.use_deterministic_algorithms(True); NumPy on the CPU is deterministic
    assert ag.are_deterministic_algorithms_enabled() is False
    try:
        assert ag.use_deterministic_algorithms(True, warn_only=True) is None
        assert ag.are_deterministic_algorithms_enabled() is True
        assert ag.is_deterministic_algorithms_warn_only_enabled() is True
        with pytest.raises(TypeError, match=r"^use_deterministic_algorithms: mode must be True or False, got 'on'"):
            ag.use_deterministic_algorithms("on")
    finally:
        ag.use_deterministic_algorithms(False)
    assert ag.are_deterministic_algorithms_enabled() is False
    assert ag.is_deterministic_algorithms_warn_only_enabled() is False
    torch = pytest.importorskip("torch")
    assert torch.are_deterministic_algorithms_enabled() is False  # PyTorch's default, as here


# ---- PyTorch's argument names: size=, end=, input= (the Zero to Mastery course's torch.zeros(size=(3, 4)),
# torch.arange(start=0, end=10, step=1), torch.zeros_like(input=x)) ----------------------------------------------

@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
def test_the_shape_may_be_given_as_pytorchs_size_keyword(name):
    made = getattr(ag, name)(size=(3, 4), dtype=np.float32)
    assert made.shape == (3, 4) and made.dtype == np.float32
    np.testing.assert_array_equal(made.data, getattr(ag, name)((3, 4), np.float32).data)
    assert getattr(ag, name)(size=[2]).shape == (2,)
    with pytest.raises(TypeError, match=f"{name}: got both shape=\\(2,\\) and size=\\(3,\\)"):
        getattr(ag, name)((2,), size=(3,))
    torch = pytest.importorskip("torch")
    assert tuple(getattr(torch, name)(size=(3, 4)).shape) == made.shape


def test_full_takes_pytorchs_size_keyword():
    made = ag.full(size=(2, 3), fill_value=7.0)
    np.testing.assert_array_equal(made.data, np.full((2, 3), 7.0))
    with pytest.raises(TypeError, match="full: got both shape"):
        ag.full((2,), 1.0, size=(2,))
    with pytest.raises(TypeError, match="full: missing the argument fill_value"):
        ag.full(size=(2,))
    with pytest.raises(TypeError, match="full: missing the argument shape"):
        ag.full(fill_value=1.0)
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(made.data, torch.full(size=(2, 3), fill_value=7.0).numpy())


def test_arange_takes_pytorchs_end_for_stop():
    np.testing.assert_array_equal(ag.arange(start=0, end=1000, step=77).data, np.arange(0, 1000, 77))
    np.testing.assert_array_equal(ag.arange(end=3).data, np.arange(3))
    np.testing.assert_array_equal(ag.arange(3, end=5).data, np.arange(3, 5))
    with pytest.raises(TypeError, match="arange: got both stop=3 and end=4"):
        ag.arange(stop=3, end=4)
    with pytest.raises(TypeError, match="arange: stop given by name and by position"):
        ag.arange(0, 3, end=4)
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(ag.arange(start=0, end=1000, step=77).data,
                                  torch.arange(start=0, end=1000, step=77).numpy())
    np.testing.assert_array_equal(ag.arange(3, end=5).data, torch.arange(3, end=5).numpy())


@pytest.mark.parametrize("name", ["zeros_like", "ones_like"])
def test_like_helpers_take_pytorchs_input_keyword(name):
    x = ag.arange(1, 11)
    made = getattr(ag, name)(input=x)
    np.testing.assert_array_equal(made.data, getattr(np, name)(x.data))
    assert made.dtype == np.int64
    with pytest.raises(TypeError, match=f"{name}: got both x="):
        getattr(ag, name)(x, input=x)
    with pytest.raises(TypeError, match=f"{name}: missing the argument x"):
        getattr(ag, name)()
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(made.data, getattr(torch, name)(input=torch.arange(1, 11)).numpy())


def test_random_manual_seed_is_manual_seed_and_stays_out_of_star_imports():
    ag.random.manual_seed(seed=42)
    first = ag.rand(3, 4)
    ag.manual_seed(42)
    np.testing.assert_array_equal(first.data, ag.rand(3, 4).data)
    np.testing.assert_array_equal(first.data, np.random.default_rng(42).random((3, 4)))
    namespace = {}
    exec("import random\nfrom autograd_core import *", namespace)
    assert namespace["random"].__name__ == "random"  # Python's module, not ag.random


@pytest.mark.parametrize("args", [(0, 10), (1, 4, 0.5), (0, 1, 0.1), (5, 1, -2), (3, 3)])
def test_range_is_pytorchs_deprecated_range_with_its_end_included(args):
    # 00_pytorch_fundamentals runs torch.range(0, 10) to show its deprecation warning
    with pytest.warns(UserWarning, match="ag.range is deprecated, as torch.range is"):
        made = ag.range(*args)
    start, end, step = (*args, 1)[:3]
    expected = start + step * np.arange(int(np.floor((end - start) / step)) + 1)
    np.testing.assert_array_equal(made.data, expected)
    assert made.dtype == np.float64 and made.data[-1] == end
    torch = pytest.importorskip("torch")
    with pytest.warns(UserWarning):
        np.testing.assert_array_equal(made.data, torch.range(*args, dtype=torch.float64).numpy())


def test_range_refuses_a_step_away_from_end_and_stays_out_of_star_imports():
    with pytest.raises(ValueError, match="range: step=1 must be nonzero and go from start=3 toward end=0"):
        ag.range(3, 0)
    with pytest.raises(TypeError, match="range: missing the argument end"):
        ag.range(3)
    namespace = {}
    exec("from autograd_core import *", namespace)
    assert "range" not in namespace  # Python's range stays the builtin


def test_zeros_like_and_ones_like_take_pytorchs_memory_format():
    p = ag.tensor([[1.0, 2.0]], requires_grad=True)
    zeros = ag.zeros_like(p, memory_format=ag.preserve_format)  # (torch.optim-style state: SophiaG's exp_avg)
    assert zeros.shape == (1, 2) and zeros.dtype == np.float64 and not zeros.requires_grad and not zeros.data.any()
    np.testing.assert_array_equal(ag.ones_like(p, memory_format=ag.contiguous_format).data, [[1.0, 1.0]])
    assert repr(ag.preserve_format) == "torch.preserve_format"
    assert copy.deepcopy(ag.preserve_format) is ag.preserve_format
    with pytest.raises(TypeError, match="zeros_like: memory_format must be ag.preserve_format or ag.contiguous_format"):
        ag.zeros_like(p, memory_format="channels_last")
    torch = pytest.importorskip("torch")
    assert repr(torch.preserve_format) == repr(ag.preserve_format)


# ---- tril_indices and triu_indices: PyTorch's 2 x N coordinates of a triangle -------------------------------------
TRIANGLES = [(5, 4, -1), (3, 6, 2), (4, 4, 1), (4, 4, 0), (0, 3, 0), (3, 3, -5), (3, 3, 5), (6, 2, -2)]


@pytest.mark.parametrize("row, col, offset", TRIANGLES)
def test_triangle_indices_are_numpys_stacked_and_torchs(row, col, offset):
    for name, numpy_indices in (("tril_indices", np.tril_indices), ("triu_indices", np.triu_indices)):
        ours = getattr(ag, name)(row, col, offset)
        assert ours.dtype == np.int64 and ours.shape[0] == 2
        np.testing.assert_array_equal(ours.data, np.stack(numpy_indices(row, offset, col)).reshape(2, -1))
        try:
            import torch
        except ImportError:
            continue
        np.testing.assert_array_equal(ours.data, getattr(torch, name)(row, col, offset).numpy())


def test_tril_indices_pick_dlrms_pairwise_interactions():
    # dlrm's li, lj lists (approach 2) and torch.tril_indices(ni, nj, offset=-1) (approach 1) pick the same entries
    ni = 4
    li, lj = ag.tril_indices(ni, ni, offset=-1)
    assert li.tolist() == [i for i in range(ni) for j in range(i)]
    assert lj.tolist() == [j for i in range(ni) for j in range(i)]
    z = ag.tensor(np.arange(2 * ni * ni, dtype=float).reshape(2, ni, ni), requires_grad=True)
    z[:, li, lj].sum().backward()
    np.testing.assert_array_equal(z.grad.data, np.broadcast_to(np.tril(np.ones((ni, ni)), -1), (2, ni, ni)))
    assert ag.triu_indices(3, 3, dtype=ag.int32).dtype == np.int32


@pytest.mark.parametrize("call, error, words", [
    (lambda: ag.tril_indices(-1, 3), (ValueError, RuntimeError), r"tril_indices: row and col must be >= 0, got row=-1"),
    (lambda: ag.triu_indices(3, 2.0), TypeError, r"triu_indices: col must be an int, got 2.0"),
    (lambda: ag.tril_indices(3, 3, dtype=ag.float32), TypeError, r"tril_indices: dtype must be int64 or int32"),
    (lambda: ag.tril_indices(3, 3, device="cuda"), (ValueError, RuntimeError), "tril_indices"),
])
def test_triangle_indices_refusals(call, error, words):
    with pytest.raises(error, match=words):
        call()


# ---- what no Tensor can be made of: a ValueError (NumPy's) and a RuntimeError (PyTorch's) at once ------------------
@pytest.mark.parametrize("make, words", [
    (lambda m: m.eye(-1, 1), "eye"), (lambda m: m.zeros((2, -1)), "zeros"), (lambda m: m.empty((-3,)), "empty"),
    (lambda m: m.arange(0, float("inf")), "arange: unsupported range"),
    (lambda m: m.arange(float("nan")), "arange: unsupported range"),
    (lambda m: m.arange(float("-inf"), 10), "arange: unsupported range"), (lambda m: m.arange(0, 3, 0), "arange"),
    (lambda m: m.linspace(0, 1, -1), "linspace"), (lambda m: m.logspace(0, 1, -1), "logspace"),
    (lambda m: m.tril_indices(-1, 1), "tril_indices"), (lambda m: m.triu_indices(1, -1), "triu_indices"),
    (lambda m: m.randperm(2 ** 8 + 1, dtype=m.uint8), "randperm"),
])
def test_creation_errors_are_runtime_errors_as_torchs(make, words):
    # found by porting PyTorch's test_tensor_creation_ops (test_arange, test_eye, test_linspace, test_randperm):
    # they raised NumPy's ValueError alone, which PyTorch's `except RuntimeError` does not catch
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        make(torch)
    with pytest.raises(ag.creation.CreationError, match=words) as caught:
        make(ag)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, RuntimeError)


# ---- full and full_like refuse a fill value their dtype cannot hold, as fill_ and torch.full do --------------------
@pytest.mark.parametrize("value, dtype", [(float("nan"), "int64"), (float("inf"), "int32"), (-float("inf"), "int8"),
                                          (-1.5, "uint8"), (300.0, "int8"), (1e20, "int64"), (1e300, "float32")])
def test_full_refuses_a_value_its_dtype_cannot_hold_as_torch(value, dtype):
    # found by porting PyTorch's test_tensor_creation_ops (test_full_inference, test_full_like_inference): NumPy's
    # cast filled an int64 Tensor with -9223372036854775808 for NaN, silently
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="overflow"):
        torch.full((2,), value, dtype=getattr(torch, dtype))
    words = re.escape(f"full: the value {value!r} cannot be converted to dtype {dtype}")
    with pytest.raises(OverflowError, match=words):
        ag.full((2,), value, dtype=np.dtype(dtype))
    with pytest.raises(OverflowError, match="cannot be converted"):
        ag.full_like(ag.zeros(2, dtype=np.dtype(dtype)), value)


def test_full_keeps_what_its_dtype_holds_as_torch():
    torch = pytest.importorskip("torch")
    for value, dtype in ((255.5, "uint8"), (-2.7, "int8"), (7, "float16"), (True, "int64"), (float("nan"), "float32"),
                         (float("inf"), "float16"), (3.5, "bool")):
        ours = ag.full((2,), value, dtype=np.dtype(dtype))
        np.testing.assert_array_equal(ours.data, torch.full((2,), value, dtype=getattr(torch, dtype)).numpy())
    np.testing.assert_array_equal(ag.full_like(ag.tensor([1, 2]), 7.5).data, [7, 7])  # (cut toward 0, as torch)


# Found by porting PyTorch's test_type_promotion.py (test_create_bool_tensors): torch.scalar_tensor was missing.
def test_scalar_tensor_makes_a_0d_float_tensor_of_a_number_as_torch():
    torch = pytest.importorskip("torch")
    for s in (False, True, 3, 2.5, np.float32(1.5), ag.tensor(4)):
        ours = ag.scalar_tensor(s)
        theirs = torch.scalar_tensor(s.item() if isinstance(s, ag.Tensor) else s)
        assert ours.shape == () and ours.dtype == np.float64 and ours.item() == theirs.item()  # (float64: NumPy's)
    assert ag.scalar_tensor(3, dtype=ag.int32).dtype == np.int32 and ag.scalar_tensor(1.0, requires_grad=True).is_leaf
    assert ag.scalar_tensor(False).item() == ag.tensor(0.0).item() and ag.scalar_tensor(True, dtype=bool).item()
    with pytest.raises(TypeError, match=r"scalar_tensor: expects a number, got \[1, 2\]"):
        ag.scalar_tensor([1, 2])
    with pytest.raises(RuntimeError, match="scalar_tensor: device 'cuda' is not available"):
        ag.scalar_tensor(1.0, device="cuda")


def test_scalar_tensor_refuses_none_a_tensor_that_requires_grad_and_other_objects_as_torch():
    # (found in review: None gave Tensor(nan), a Tensor requiring grad was detached through .item(), complex and
    # other objects gave a bare "float() argument must be..." not naming scalar_tensor)
    torch = pytest.importorskip("torch")
    for bad, theirs in ((None, None), (ag.tensor(2.0, requires_grad=True), torch.tensor(2.0, requires_grad=True)),
                        (object(), object())):
        with pytest.raises(TypeError, match="must be Number"):
            torch.scalar_tensor(theirs)
        with pytest.raises(TypeError, match=r"scalar_tensor: expects a number.*must be Number"):
            ag.scalar_tensor(bad)
    with pytest.raises(RuntimeError):
        torch.scalar_tensor(1 + 2j)
    with pytest.raises(RuntimeError, match=r"scalar_tensor: expects a real number, got \(1\+2j\)"):
        ag.scalar_tensor(1 + 2j)
    assert ag.scalar_tensor(2 ** 70).item() == float(2 ** 70)  # (an int beyond int64 is a number too)
