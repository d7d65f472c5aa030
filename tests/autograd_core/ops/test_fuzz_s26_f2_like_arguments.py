"""full_like, empty_like and np.zeros_like/np.ones_like on Tensors check order and device as NumPy's (an order that
is not 'C', 'F', 'A' or 'K' and a device other than 'cpu' were taken silently); valid ones change nothing."""
import numpy as np
import pytest

import autograd_core as ag

CALLS = {
    "full_like": (lambda x, **k: np.full_like(x, 2.0, **k), lambda x, **k: ag.full_like(x, 2.0, **k)),
    "empty_like": (np.empty_like, ag.empty_like),
    "zeros_like": (np.zeros_like, np.zeros_like),
    "ones_like": (np.ones_like, np.ones_like),
}


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("kwargs, error", [({"order": "Z"}, ValueError), ({"order": 1}, TypeError),
                                           ({"device": "cuda"}, ValueError), ({"device": "CPU"}, ValueError)])
def test_invalid_order_and_device_are_refused(name, kwargs, error):
    numpy_call, call = CALLS[name]
    with pytest.raises(error):
        numpy_call(np.ones(2), **kwargs)
    with pytest.raises(error, match=f"^{name}: {next(iter(kwargs))} must"):
        call(ag.ones(2), **kwargs)


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("kwargs", [{"order": "C"}, {"order": "f"}, {"order": None}, {"order": "K", "device": "cpu"},
                                    {"device": None}])
def test_valid_order_and_device_change_nothing(name, kwargs):
    numpy_call, call = CALLS[name]
    expected = numpy_call(np.ones((2, 3), np.float32), **kwargs)
    got = call(ag.ones((2, 3), dtype=np.float32), **kwargs)
    assert isinstance(got, ag.Tensor) and got.shape == expected.shape and got.dtype == expected.dtype
    if name != "empty_like":
        np.testing.assert_array_equal(got.data, expected)
