"""nn.datasets.load_csv: an Excel byte order mark, and values it must refuse rather than learn from."""
import gzip

import numpy as np
import pytest

from nn.datasets import load_csv


def test_a_utf8_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffx1,x2,label\n0.5,1,1\n2,3,0\n".encode("utf-8"))  # Excel's "CSV UTF-8"
    X, y = load_csv(path)
    assert X.tolist() == [[0.5, 1.0], [2.0, 3.0]] and y.tolist() == [1, 0]
    gz = tmp_path / "excel.csv.gz"
    gz.write_bytes(gzip.compress("\ufeff1,2,0\n".encode("utf-8")))
    assert load_csv(gz)[0].tolist() == [[1.0, 2.0]]


@pytest.mark.parametrize("text, message", [
    ("a,b,label\n1,2,0\nnan,3,1\n", "line 3: nan is not a finite number (column 1)"),
    ("1,-inf,0\n", "line 1: -inf is not a finite number (column 2)"),
    ("1,2,0\n\n1,2,inf\n", "line 3: inf is not a finite number (column 3, the label)"),
    ("1,2,0\n1,2,cat\n", "line 2: 'cat' is not a number (column 3, the label); labels must be numbers"),
    ("1,2,0\n1e39,2,1\n", "line 2: 1e+39 is too large for float32, at most about 3.4e38 (column 1)"),
])
def test_values_that_cannot_be_learned_from_are_refused_by_line_and_column(text, message, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text(text)
    with pytest.raises(ValueError) as info:
        load_csv(path)
    assert message in str(info.value)


def test_whole_labels_beyond_int64_are_not_wrapped(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("1,2,0\n3,4,1e20\n")
    _, y = load_csv(path)
    assert y.dtype == np.float32 and y.tolist() == [0.0, np.float32(1e20)]  # not int64's -7.7e18 (wrapped)
