"""nn.Dropout1d, Dropout2d, Dropout3d, AlphaDropout, FeatureAlphaDropout and F.dropout1d, dropout2d, dropout3d,
alpha_dropout, feature_alpha_dropout: the mask's structure (whole channels) and scale, statistical checks of the drop
rate and of alpha dropout's mean and variance with seeded generators, eval mode and p = 0 as the identity, p = 1,
the gradient (the mask, checked against central differences to second order with a fixed seed), PyTorch's
input-rank rules and warnings, in place, the errors; then, in the torch section (skipped without torch), the
values, shapes, warnings and reprs against PyTorch's."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck
from nn._dropout_functions import DropoutShapeError

ALPHA = 1.7580993408473766  # SELU's scale * alpha


def _alpha_constants(p):
    """(a, kept shift, dropped value): a kept x becomes a * x + kept shift, a dropped one the dropped value."""
    a = 1 / np.sqrt((ALPHA ** 2 * p + 1) * (1 - p))
    return a, ALPHA * a * p, ALPHA * a * (p - 1)


CHANNEL_DROPOUTS = [  # (function, module, input shape, the axes a channel spans)
    (F.dropout1d, nn.Dropout1d, (4, 6, 5), (2,)),
    (F.dropout1d, nn.Dropout1d, (6, 5), (1,)),  # unbatched (C, L)
    (F.dropout2d, nn.Dropout2d, (4, 6, 3, 2), (2, 3)),
    (F.dropout3d, nn.Dropout3d, (3, 6, 2, 2, 2), (2, 3, 4)),
    (F.dropout3d, nn.Dropout3d, (6, 2, 3, 2), (1, 2, 3)),  # unbatched (C, D, H, W)
]
IDS = ["1d", "1d_unbatched", "2d", "3d", "3d_unbatched"]


# ---- the mask: whole channels, scaled ----------------------------------------------------------------------------
@pytest.mark.parametrize("fn, module, shape, axes", CHANNEL_DROPOUTS, ids=IDS)
@settings(max_examples=10)
@given(p=st.sampled_from([0.1, 0.5, 0.8]), seed=st.integers(0, 2 ** 16))
def test_whole_channels_are_kept_scaled_or_dropped(fn, module, shape, axes, p, seed):
    x = np.random.default_rng(seed).uniform(1.0, 2.0, size=shape)  # no zeros: a zero in y is a dropped entry
    for y in (fn(x, p, rng=seed), module(p, rng=seed)(x)):
        ratio = y.data / x
        kept = ratio != 0
        assert (kept.all(axis=axes) | ~kept.any(axis=axes)).all(), "a channel was partly dropped"
        np.testing.assert_allclose(ratio[kept], 1 / (1 - p), rtol=1e-12)
        assert y.shape == shape and y.dtype == np.float64


@pytest.mark.parametrize("fn, module, shape, axes", CHANNEL_DROPOUTS, ids=IDS)
def test_the_same_seed_gives_the_same_mask_and_a_layer_draws_new_masks(fn, module, shape, axes):
    x = ag.ones(shape)
    np.testing.assert_array_equal(fn(x, 0.5, rng=3).data, fn(x, 0.5, rng=3).data)
    np.testing.assert_array_equal(module(0.5, rng=3)(x).data, fn(x, 0.5, rng=3).data)
    layer = module(0.5, rng=np.random.default_rng(0))
    masks = {layer(x).data.tobytes() for _ in range(5)}
    assert len(masks) > 1  # the layer's generator moves on


@pytest.mark.parametrize("fn, shape, axes", [(F.dropout1d, (100, 40, 3), (2,)), (F.dropout2d, (100, 40, 2, 2), (2, 3)),
                                             (F.dropout3d, (40, 100, 2, 1, 2), (2, 3, 4))])
@pytest.mark.parametrize("p", [0.2, 0.5, 0.9])
def test_the_drop_rate_is_p_and_the_mean_is_kept(fn, shape, axes, p):
    """4,000 channels, each dropped with probability p: the dropped fraction lies within 5 standard deviations of
    p, and the scaled output's mean within 5 of the input's (1)."""
    y = fn(ag.ones(shape), p, rng=0).data
    channels = shape[0] * shape[1]
    dropped = (y == 0).all(axis=axes).mean()
    sd = np.sqrt(p * (1 - p) / channels)
    assert abs(dropped - p) < 5 * sd
    assert abs(y.mean() - 1.0) < 5 * sd / (1 - p)


@pytest.mark.parametrize("fn, module, shape, axes", CHANNEL_DROPOUTS, ids=IDS)
def test_eval_mode_and_p_zero_are_the_identity_and_p_one_gives_zeros(fn, module, shape, axes):
    x = ag.tensor(np.random.default_rng(0).normal(size=shape))
    assert fn(x, 0.7, training=False) is x and fn(x, 0.0) is x
    assert module(0.7).eval()(x) is x
    layer = module(0.0)
    assert layer(x) is x
    array = np.ones(shape, dtype=np.float32)
    out = module(0.5).eval()(array)  # an array comes back wrapped, as nn.Dropout's
    assert isinstance(out, ag.Tensor) and out.dtype == np.float32 and (out.data == 1).all()
    zeros = module(1.0)(x)
    assert zeros.shape == shape and (zeros.data == 0).all()


@pytest.mark.parametrize("fn, module, shape, axes", CHANNEL_DROPOUTS, ids=IDS)
def test_the_gradient_is_the_scaled_mask(fn, module, shape, axes):
    x = ag.tensor(np.random.default_rng(0).uniform(1, 2, size=shape), requires_grad=True)
    y = module(0.4, rng=5)(x)
    y.backward(np.ones(shape))
    np.testing.assert_array_equal(x.grad.data, (y.data != 0) / 0.6)
    # with the mask fixed by its seed, the gradient and second derivative match central differences
    f = lambda t: ag.sin(fn(t, 0.4, rng=5))  # noqa: E731
    assert gradcheck(f, x.data, atol=1e-7, rtol=1e-6)
    assert gradgradcheck(f, x.data, atol=1e-7, rtol=1e-6)


def test_float32_stays_float32():
    x = ag.ones((2, 3, 4), dtype=np.float32, requires_grad=True)
    y = F.dropout1d(x, 0.3, rng=0)
    y.backward(np.ones((2, 3, 4), dtype=np.float32))
    assert y.dtype == np.float32 and x.grad.dtype == np.float32
    assert set(np.unique(y.data)) <= {np.float32(0), np.float32(1 / 0.7)}


def test_in_place_changes_a_constant_input():
    x = ag.ones((2, 3, 2, 2))
    assert F.dropout2d(x, 0.5, rng=0, inplace=True) is x
    assert set(np.unique(x.data)) <= {0.0, 2.0} and (x.data == 0).any()
    y = ag.ones((2, 3, 2))
    layer = nn.Dropout1d(0.5, rng=0, inplace=True)
    assert layer(y) is y and repr(layer) == "Dropout1d(p=0.5, inplace=True)"
    with pytest.raises(RuntimeError, match=r"dropout3d\(inplace=True\): a leaf that requires grad"):
        F.dropout3d(ag.ones((2, 2, 2, 2), requires_grad=True), 0.5, rng=0, inplace=True)


# ---- PyTorch's input-rank rules -----------------------------------------------------------------------------------
def test_dropout2d_reads_a_3d_input_as_n_c_l_with_a_warning():
    x = np.random.default_rng(0).uniform(1, 2, size=(8, 5, 4))
    with pytest.warns(UserWarning, match=r"dropout2d: Received a 3D input to dropout2d and assuming that channel-wise "
                                         r"1D dropout behavior is desired: the input of shape \(8, 5, 4\) is read as "
                                         r"\(N, C, L\)"):
        y = F.dropout2d(x, 0.5, rng=0)
    kept = y.data != 0
    assert (kept.all(axis=2) | ~kept.any(axis=2)).all() and not (kept.all(axis=(1, 2)) | ~kept.any(axis=(1, 2))).all()
    with pytest.warns(UserWarning, match="Dropout2d: Received a 3D input to dropout2d"):
        nn.Dropout2d(0.5, rng=0)(x)


@pytest.mark.parametrize("fn, shape", [(F.dropout2d, (4, 5)), (F.dropout2d, (2, 3, 2, 2, 2)),
                                       (F.dropout3d, (4, 5)), (F.dropout3d, (2, 3, 2, 2, 2, 2)), (F.dropout3d, (5,))])
def test_other_ranks_warn_as_pytorchs(fn, shape):
    name = fn.__name__
    with pytest.warns(UserWarning, match=rf"{name}: Received a {len(shape)}-D input to {name}, of shape "
                                         rf".*PyTorch deprecates"):
        y = fn(np.ones(shape), 0.5, rng=0)
    assert y.shape == shape


def test_dropout3d_reads_a_4d_input_as_unbatched_channels_on_axis_0():
    x = np.ones((40, 2, 2, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (C, D, H, W) is a rank dropout3d takes
        y = F.dropout3d(x, 0.5, rng=0).data
    kept = y != 0
    assert (kept.all(axis=(1, 2, 3)) | ~kept.any(axis=(1, 2, 3))).all() and 0 < kept.mean() < 1


@pytest.mark.parametrize("call, error, message", [
    (lambda: F.dropout1d(np.ones(5), 0.5), DropoutShapeError,
     r"dropout1d: Expected 2D or 3D input, but received a 1D input of shape \(5,\): \(C, L\) or \(N, C, L\)"),
    (lambda: nn.Dropout1d()(np.ones((2, 3, 4, 5))), RuntimeError, "Dropout1d: Expected 2D or 3D input, but received "
                                                                  "a 4D input"),
    (lambda: F.dropout1d(np.ones((2, 3, 4, 5)), 0.5, training=False), ValueError, "dropout1d: Expected 2D or 3D"),
    (lambda: F.dropout2d(np.ones(5), 0.5), DropoutShapeError,
     r"dropout2d: a channel dropout needs the channels on axis 1, got 1-D input of shape \(5,\)"),
    (lambda: F.dropout3d(np.float64(1.0), 0.5), RuntimeError,
     r"dropout3d: a channel dropout needs the channels on axis 0, got 0-D input"),
    (lambda: F.feature_alpha_dropout(np.ones(5), 0.5, training=True), ValueError,
     "feature_alpha_dropout: a channel dropout needs the channels on axis 1"),
    (lambda: F.dropout2d(np.ones((2, 3, 2, 2), dtype=int), 0.5), TypeError,
     r"dropout2d: input of dtype int64 \(shape \(2, 3, 2, 2\)\); dropout2d scales what it keeps"),
    (lambda: nn.Dropout2d(1.5), ValueError, r"Dropout2d: probability p must be in \[0, 1\], got 1.5"),
    (lambda: nn.AlphaDropout(-0.1), ValueError, r"AlphaDropout: probability p must be in \[0, 1\], got -0.1"),
    (lambda: nn.Dropout3d("0.5"), TypeError, r"Dropout3d: probability p must be in \[0, 1\], got '0.5' of type str"),
    (lambda: F.dropout3d(np.ones((2, 2, 2, 2, 2)), 2.0), ValueError,
     r"dropout3d: probability p must be in \[0, 1\], got 2.0"),
    (lambda: nn.Dropout1d(0.5, rng="seed"), TypeError, "Dropout1d: rng must be None, a non-negative int seed"),
    (lambda: nn.Dropout2d(0.5, inplace="yes"), TypeError, "Dropout2d: inplace"),
    (lambda: F.dropout1d(np.ones((2, 3)), 0.5, training="no"), TypeError, "dropout1d: training"),
    (lambda: F.alpha_dropout(np.ones(3), 0.5, training=True, rng=True), TypeError, "alpha_dropout: rng must be"),
    (lambda: F.dropout2d(np.ones((2, 2, 2)), 0.5, rng=0, inplace=True), TypeError,
     r"dropout2d\(inplace=True\): the input must be a Tensor"),
])
def test_bad_inputs_and_settings_are_refused_naming_the_operation(call, error, message):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (dropout2d's rank warnings)
        with pytest.raises(error, match=message):
            call()


def test_a_1d_input_to_dropout2d_out_of_training_is_returned_as_pytorchs():
    x = ag.ones(5)
    with pytest.warns(UserWarning):
        assert F.dropout2d(x, 0.5, training=False) is x
    with pytest.warns(UserWarning):
        assert (F.dropout2d(x, 1.0).data == 0).all()  # p = 1 needs no mask


@pytest.mark.parametrize("call, where", [
    (lambda x: F.dropout(x, 0.5, True, True), "dropout"), (lambda x: F.dropout2d(x, 0.5, True, True), "dropout2d"),
    (lambda x: F.alpha_dropout(x, 0.5, True, True), "alpha_dropout"),
    (lambda x: F.feature_alpha_dropout(x, 0.5, True, False), "feature_alpha_dropout"),
    (lambda x: nn.Dropout(0.5, True), "Dropout"), (lambda x: nn.Dropout2d(0.5, True), "Dropout2d"),
    (lambda x: nn.AlphaDropout(0.5, False), "AlphaDropout")])
def test_a_bool_where_pytorchs_inplace_stands_names_the_keyword(call, where):
    """PyTorch's F.dropout(x, p, training, inplace) and nn.Dropout(p, inplace): rng stands there here."""
    with pytest.raises(TypeError, match=rf"^{where}: rng must be None, .* got (True|False): rng is the argument where "
                                        rf"PyTorch's {where} takes inplace, which is a keyword here \(inplace="):
        call(ag.ones((2, 3, 2, 2)))


def test_the_keyword_runs_a_positional_inplace_as_pytorchs_does():
    x = ag.ones((2, 3, 2, 2))
    y = F.dropout(x, 0.5, True, inplace=True, rng=0)
    assert y is x and set(np.unique(x.data)) <= {0.0, 2.0}  # changed in place: dropped 0, kept 1 / (1 - p)
    assert nn.Dropout(0.5, inplace=True).inplace is True


# ---- alpha dropout ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_alpha_dropout_values_are_the_affine_map_of_kept_and_saturated_entries(p):
    a, shift, dropped_value = _alpha_constants(p)
    x = np.random.default_rng(0).normal(size=(50, 8))
    for y in (F.alpha_dropout(x, p, training=True, rng=1), nn.AlphaDropout(p, rng=1)(x)):
        kept = np.isclose(y.data, a * x + shift, rtol=1e-12, atol=1e-12)
        assert (kept | np.isclose(y.data, dropped_value, rtol=1e-12)).all()
        assert 0 < kept.mean() < 1
    y = F.feature_alpha_dropout(x.reshape(10, 5, 8), p, training=True, rng=1).data
    kept = np.isclose(y, a * x.reshape(10, 5, 8) + shift, rtol=1e-12, atol=1e-12)
    assert (kept.all(axis=2) | (~kept.any(axis=2) & np.isclose(y, dropped_value).all(axis=2))).all()


@pytest.mark.parametrize("p", [0.05, 0.3, 0.6])
def test_alpha_dropout_keeps_mean_zero_and_variance_one(p):
    """200,000 standard normal entries: their mean and variance after alpha dropout stay 0 and 1 (within a few
    standard errors), as it is built to keep them."""
    x = np.random.default_rng(0).normal(size=200_000)
    y = F.alpha_dropout(x, p, training=True, rng=1).data
    assert abs(y.mean()) < 0.01 and abs(y.var() - 1) < 0.015
    dropped = np.isclose(y, _alpha_constants(p)[2], rtol=1e-12)
    assert abs(dropped.mean() - p) < 5 * np.sqrt(p * (1 - p) / x.size)  # the drop rate
    z = nn.FeatureAlphaDropout(p, rng=2)(x.reshape(2000, 100, 1)).data
    assert abs(z.mean()) < 0.02 and abs(z.var() - 1) < 0.03


def test_alpha_dropout_defaults_eval_identity_p_one_and_gradient():
    x = ag.tensor(np.random.default_rng(0).normal(size=(3, 4, 2)), requires_grad=True)
    assert F.alpha_dropout(x) is x and F.feature_alpha_dropout(x) is x  # training=False by default, as PyTorch's
    assert nn.AlphaDropout(0.5).eval()(x) is x and F.alpha_dropout(x, 0.0, training=True) is x
    assert (F.alpha_dropout(x, 1.0, training=True).data == 0).all()  # PyTorch's zeros
    a, _, _ = _alpha_constants(0.3)
    y = nn.FeatureAlphaDropout(0.3, rng=4)(x)
    y.backward(np.ones(x.shape))
    kept = ~np.isclose(y.data, _alpha_constants(0.3)[2])
    np.testing.assert_allclose(x.grad.data, a * kept, rtol=1e-12)
    f = lambda t: ag.sin(F.alpha_dropout(t, 0.3, training=True, rng=4))  # noqa: E731
    assert gradcheck(f, x.data, atol=1e-7, rtol=1e-6) and gradgradcheck(f, x.data, atol=1e-7, rtol=1e-6)


def test_dropouts_in_a_convolutional_net_and_its_state_dict():
    model = nn.Sequential(nn.Conv2d(1, 4, 3, rng=0), nn.Dropout2d(0.5, rng=0), nn.ReLU(), nn.Flatten(),
                          nn.AlphaDropout(0.1, rng=0))
    assert list(model.state_dict()) == ["0.weight", "0.bias"]  # the dropouts hold no state
    x = np.ones((2, 1, 5, 5))
    assert model(x).shape == (2, 36)
    model.eval()
    np.testing.assert_array_equal(model(x).data, model(x).data)


# ---- against PyTorch ----------------------------------------------------------------------------------------------
@pytest.fixture
def torch():
    return pytest.importorskip("torch")


def test_a_positional_inplace_is_pytorchs_and_the_keyword_does_the_same(torch):
    tx = torch.ones(2, 3)
    assert torch.nn.functional.dropout(tx, 0.5, True, True) is tx  # the fourth argument is inplace there
    assert torch.nn.Dropout(0.5, True).inplace is True
    x = ag.ones((2, 3))
    assert F.dropout(x, 0.5, True, inplace=True) is x


def test_reprs_agree_with_torchs(torch):
    for name in ("Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"):
        assert repr(getattr(nn, name)()) == repr(getattr(torch.nn, name)())
        assert repr(getattr(nn, name)(0.2, inplace=True)) == repr(getattr(torch.nn, name)(0.2, inplace=True))


@pytest.mark.parametrize("p", [0.2, 0.5, 0.75])
def test_alpha_dropout_values_agree_with_torchs(torch, p):
    """On zeros, alpha dropout gives two values, a kept and a dropped one: the same as PyTorch's."""
    ours = np.unique(F.alpha_dropout(np.zeros(400), p, training=True, rng=0).data)
    theirs = np.unique(torch.nn.functional.alpha_dropout(torch.zeros(400, dtype=torch.float64), p, True).numpy())
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    x = np.random.default_rng(0).normal(size=400)
    t = torch.nn.functional.alpha_dropout(torch.tensor(x), p, True).numpy()
    y = F.alpha_dropout(x, p, training=True, rng=0).data
    a, shift, dropped_value = _alpha_constants(p)
    for out in (t, y):  # both: a * x + shift where kept, the dropped value elsewhere
        assert (np.isclose(out, a * x + shift, rtol=1e-12) | np.isclose(out, dropped_value, rtol=1e-12)).all()


@pytest.mark.parametrize("name, shape", [
    ("dropout1d", (3, 4, 5)), ("dropout1d", (4, 5)), ("dropout2d", (3, 4, 2, 2)), ("dropout2d", (3, 4, 5)),
    ("dropout2d", (4, 5)), ("dropout3d", (2, 3, 2, 2, 2)), ("dropout3d", (3, 2, 2, 2)), ("dropout3d", (4, 5)),
    ("dropout3d", (5,)), ("dropout2d", (2, 3, 1, 1, 2)), ("feature_alpha_dropout", (3, 4, 2))])
def test_mask_structure_warnings_and_scale_agree_with_torchs(torch, name, shape):
    """The axes a mask entry spans, the warnings, the kept scale and the shape are PyTorch's, for each rank."""
    x = np.random.default_rng(0).uniform(1, 2, size=(16,) + shape)  # 16 draws, the first axis

    def run(fn, arg):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            outs = [fn(arg(x[k])) for k in range(16)]
        return outs, len(caught)
    ours, our_warnings = run(lambda a: getattr(F, name)(a, 0.5, training=True, rng=None).data, lambda a: a)
    theirs, their_warnings = run(lambda a: getattr(torch.nn.functional, name)(a, 0.5, True).numpy(), torch.tensor)
    assert our_warnings == their_warnings

    def spans(outs):
        """For each axis, whether every mask entry is constant along it (in all 16 draws)."""
        kept = np.stack([o != x[0] * 0 for o in outs]) if name != "feature_alpha_dropout" else np.stack(
            [np.isclose(o, _alpha_constants(0.5)[2]) for o in outs])
        return [bool((kept.all(axis=k + 1) | ~kept.any(axis=k + 1)).all()) for k in range(len(shape))]
    assert spans(ours) == spans(theirs)
    for o, t in zip(ours, theirs):
        assert o.shape == t.shape == shape
    if name != "feature_alpha_dropout":
        for outs in (ours, theirs):
            ratios = np.concatenate([(o / x[k])[o != 0] for k, o in enumerate(outs)])
            np.testing.assert_allclose(ratios, 2.0, rtol=1e-12)


@pytest.mark.parametrize("name, shape", [("dropout1d", (5,)), ("dropout1d", (2, 3, 4, 5)), ("dropout2d", (5,)),
                                         ("dropout3d", ()), ("feature_alpha_dropout", (5,))])
def test_refused_ranks_agree_with_torchs(torch, name, shape):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError) as ours:
            getattr(F, name)(np.ones(shape), 0.5, training=True)
        assert isinstance(ours.value, RuntimeError)  # as PyTorch's (DropoutShapeError)
        with pytest.raises(RuntimeError):
            getattr(torch.nn.functional, name)(torch.ones(shape), 0.5, True)


@pytest.mark.parametrize("name, shape, phrase", [
    ("dropout1d", (1, 2, 2, 2), "Expected 2D or 3D input, but received a 4D input"),
    ("dropout1d", (2,), "Expected 2D or 3D input, but received a 1D input"),
    ("dropout2d", (1, 2, 2, 2, 2), "Received a 5-D input to dropout2d"),
    ("dropout2d", (1, 2), "Received a 2-D input to dropout2d"),
    ("dropout2d", (1, 2, 2), "Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior "
                             "is desired"),
    ("dropout3d", (1, 2, 2, 2, 2, 2), "Received a 6-D input to dropout3d"),
    ("dropout3d", (1, 2, 2), "Received a 3-D input to dropout3d")])
def test_rank_errors_and_warnings_carry_torchs_words(torch, name, shape, phrase):
    """PyTorch's test_dropout matches these phrases; the module's messages carry them too."""
    module = {"dropout1d": nn.Dropout1d, "dropout2d": nn.Dropout2d, "dropout3d": nn.Dropout3d}[name]
    calls = [(lambda: getattr(F, name)(np.ones(shape), 0.5, training=True)), (lambda: module(0.5)(np.ones(shape))),
             (lambda: getattr(torch.nn.functional, name)(torch.ones(shape), 0.5, True))]
    for call in calls:
        if name == "dropout1d":
            with pytest.raises(RuntimeError, match=phrase):
                call()
        else:
            with pytest.warns(UserWarning, match=phrase):
                call()
