"""draw_graph's and summarize's precision (and summarize's max_items) are checked: True, -1 or 2.5 failed inside
str.format ("Format specifier missing precision"), naming neither the function nor the setting, and only when a
number was drawn; "3" was taken as 3. Found by fuzzing the drawings' arguments (session 27, P1)."""
import numpy as np
import pytest

pytest.importorskip("graphviz")

import autograd_core as ag  # noqa: E402
from autograd_core.viz import draw_graph, summarize  # noqa: E402


@pytest.mark.parametrize("precision, error", [
    (True, TypeError), (2.5, TypeError), ("3", TypeError), (None, TypeError),
    (-1, ValueError), (0, ValueError), (10**10, ValueError),
])
def test_a_precision_that_is_no_count_of_digits_is_refused_naming_the_function(precision, error):
    y = ag.tensor(2.5, requires_grad=True, name="x") * 3.0
    for show_data in (True, False):  # refused whether or not a number would be drawn
        with pytest.raises(error, match=r"draw_graph: precision \(significant digits\) must be an integer from 1 "
                                        r"to 1000, got"):
            draw_graph(y, show_data=show_data, precision=precision)
    with pytest.raises(error, match=r"^summarize: precision"):
        summarize(np.arange(10.0), precision=precision)


@pytest.mark.parametrize("max_items, error", [("3", TypeError), (1.5, TypeError), (True, TypeError), (-1, ValueError)])
def test_summarize_refuses_a_max_items_that_is_no_count(max_items, error):
    with pytest.raises(error, match=r"^summarize: max_items must be an integer >= 0, got"):
        summarize(np.arange(10.0), max_items=max_items)


def test_valid_precisions_and_max_items_still_draw():
    x = ag.tensor(2.0 / 3.0, requires_grad=True, name="x")
    assert "0.7" in draw_graph(x * 1.0, show_data=True, precision=1).source
    assert "0.6666666667" in draw_graph(x * 1.0, show_data=True, precision=np.int64(10)).source
    assert summarize(np.arange(3.0), max_items=0) == ["[0, 1, 2, \u2026]", "range [0, 2]"]
    assert summarize(np.arange(3.0), max_items=np.int8(3)) == ["[0, 1, 2]"]
