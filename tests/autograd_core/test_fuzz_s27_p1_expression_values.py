"""Expression.evaluate's values: a list of names or a number failed inside dict() ("dictionary update sequence
element #0 has length 1; 2 is required", "'int' object is not iterable"), and a falsy one (0, False) was taken
as no values. Found by fuzzing the expression module (session 27, P1)."""
import numpy as np
import pytest

from autograd_core.expression import evaluate, parse


@pytest.mark.parametrize("values", [["x"], 3, 0, False, np.ones(2), ("x", 2.0)], ids=repr)
def test_values_that_are_no_mapping_are_refused_saying_what_is_valid(values):
    with pytest.raises(TypeError, match=r"^evaluate: values must be a mapping name -> number or array \(e\.g\. "
                                        r"\{'x': 2\.0\}\), got "):
        parse("x * y").evaluate(values)
    with pytest.raises(TypeError, match="^evaluate: values must be a mapping"):
        evaluate("x * y", values)


def test_mappings_pairs_and_none_still_give_the_values():
    e = parse("x * y")
    assert float(e.evaluate({"x": 2.0, "y": 3.0})[0]) == 6.0
    assert float(e.evaluate([("x", 2.0)])[0]) == 2.0  # what dict() takes, as before
    assert float(e.evaluate(None, default=4.0)[0]) == 16.0
    assert float(e.evaluate({})[0]) == 1.0
