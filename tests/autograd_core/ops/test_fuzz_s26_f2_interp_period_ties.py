"""interp with a period and tied sample points: the points are sorted as np.interp sorts them (NumPy's default
argsort, not a stable one), so the values at and beside the tie are NumPy's."""
import numpy as np

import autograd_core as ag


def test_tied_points_with_a_period_give_numpys_values():
    x = np.array([-0.6, -3.1, 6.5, 5.8, -2.8, -1.3, 2.0])
    xp = np.array([-2.3, -1.3, -1.3, -0.1, 2.0])
    fp = np.array([-1.9, -0.3, 1.2, -2.2, -1.5])
    expected = np.interp(x, xp, fp, period=5.5)
    np.testing.assert_allclose(ag.interp(ag.tensor(x), xp, fp, period=5.5).data, expected, rtol=1e-13)
    np.testing.assert_allclose(np.interp(x, ag.tensor(xp), ag.tensor(fp), period=5.5).data, expected, rtol=1e-13)
