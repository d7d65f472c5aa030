"""A large array's summary with a NaN in it: the range was min and max, so a single NaN among a million numbers
made it "range [nan, nan]", hiding the range of the others; now the numbers' range is shown with how many NaN
there are, and an array of NaN alone says so. Found by fuzzing drawings of non-finite values (session 27, P1)."""
import html

import numpy as np
import pytest

pytest.importorskip("graphviz")

import autograd_core as ag  # noqa: E402
from autograd_core.viz import draw_graph, summarize  # noqa: E402


def test_the_range_of_an_array_holding_nan_is_the_range_of_its_numbers_with_the_count_of_nan():
    a = np.arange(100.0)
    a[[0, 50]] = np.nan
    assert summarize(a) == ["[nan, 1, 2, \u2026]", "range [1, 99], 2 of 100 NaN"]
    assert summarize(np.array([np.nan, -np.inf, 1, 2, 3, 4, 5], np.float16)) == [
        "[nan, -inf, 1, \u2026]", "range [-inf, 5], 1 of 7 NaN"]
    assert summarize(np.full((3, 4), np.nan, np.float32)) == ["[nan, nan, nan, \u2026]", "all 12 NaN"]
    assert summarize(np.array([np.nan, 1.0])) == ["[nan, 1]"]  # few values: all shown, as before
    assert summarize(np.arange(10.0)) == ["[0, 1, 2, \u2026]", "range [0, 9]"]  # no NaN: as before


def test_a_drawn_million_element_tensor_with_one_nan_shows_its_range():
    data = np.linspace(-2.0, 3.0, 10**6)
    data[123_456] = np.nan
    x = ag.tensor(data, requires_grad=True, name="x")
    source = html.unescape(draw_graph((x * 2.0).sum(), show_data=True).source)
    assert "range [-2, 3], 1 of 1000000 NaN" in source and "range [-4, 6], 1 of 1000000 NaN" in source
