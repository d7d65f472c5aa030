"""nn.datasets (digits, XOR, moons, CSV) and the digits benchmark: a 64-64-10 ReLU MLP with Adam
reaches >= 97% test accuracy on a seeded 80/20 split within 30 epochs of batch 32."""
import gzip
import re
import time

import numpy as np
import pytest

import autograd_core as ag
import nn
from nn.data import train_val_test_split
from nn.datasets import load_csv, load_digits, make_moons, make_xor


def test_digits_ship_with_the_package():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float32
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0 and X.max() == 16 and (X == np.round(X)).all()
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_digits_mlp_with_adam_reaches_97_percent_in_30_epochs():
    X, y = load_digits()
    X = X / np.float32(16)
    (X_train, y_train), _, (X_test, y_test) = train_val_test_split(X, y, val=0, test=0.2, rng=0)
    rng = np.random.default_rng(0)
    model = nn.MLP([64, 64, 10], rng=rng)
    start = time.perf_counter()
    history = nn.fit(model, nn.CrossEntropyLoss(), nn.optim.Adam(model.parameters(), lr=3e-3),
                     (X_train, y_train), val=(X_test, y_test), epochs=30, batch_size=32, progress=False, rng=rng)
    seconds = time.perf_counter() - start
    with ag.no_grad():
        model.eval()
        accuracy = float((model(X_test).data.argmax(axis=1) == y_test).mean())
    print(f"digits: test accuracy {accuracy:.4f} after 30 epochs in {seconds:.2f} s")
    assert accuracy >= 0.97
    assert history["val_accuracy"][-1] == pytest.approx(accuracy)
    assert history["train_loss"][-1] < history["train_loss"][0] / 5


def test_xor_is_the_four_points():
    X, y = make_xor()
    assert X.dtype == np.float32 and y.dtype == np.int64
    assert (y == (X[:, 0] != X[:, 1])).all()


def test_moons_are_two_half_circles_shuffled_and_seeded():
    X, y = make_moons(200, noise=0.0, rng=0)
    assert X.shape == (200, 2) and X.dtype == np.float32 and np.bincount(y).tolist() == [100, 100]
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, atol=1e-6)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0, atol=1e-6)
    assert y[:100].sum() not in (0, 100)  # shuffled
    noisy = make_moons(201, noise=0.1, rng=3)
    assert noisy[0].shape == (201, 2) and np.bincount(noisy[1]).tolist() == [100, 101]
    np.testing.assert_array_equal(make_moons(201, noise=0.1, rng=3)[0], noisy[0])
    with pytest.raises(ValueError, match="noise"):
        make_moons(noise=-1)


def test_csv_reads_features_and_labels_with_an_optional_header(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b,label\n1,2.5,0\n\n3,4,1\n")
    X, y = load_csv(path)
    assert X.tolist() == [[1.0, 2.5], [3.0, 4.0]] and X.dtype == np.float32
    assert y.tolist() == [0, 1] and y.dtype == np.int64
    gz = tmp_path / "reg.csv.gz"
    gz.write_bytes(gzip.compress(b"1,0.5\n2,1.5\n"))
    X, y = load_csv(gz)
    assert y.dtype == np.float32 and y.tolist() == [0.5, 1.5]


@pytest.mark.parametrize("text,message", [
    ("1,2,0\n3,x,1\n", r"line 2: 'x' is not a number"),
    ("1,2,0\n3,4\n", r"line 2: 2 columns, expected 3"),
    ("a,b,c\n1,2,3\n4,5,6,7\n", r"line 3: 4 columns, expected 3"),
    ("h1,h2\n", "no data rows"),
    ("", "no data rows"),
    ("1\n2\n", "last label column"),
    # values that cannot be learned from, named by line and column
    ("a,b,label\n1,2,0\nnan,3,1\n", re.escape("line 3: nan is not a finite number (column 1)")),
    ("1,-inf,0\n", re.escape("line 1: -inf is not a finite number (column 2)")),
    ("1,2,0\n\n1,2,inf\n", re.escape("line 3: inf is not a finite number (column 3, the label)")),
    ("1,2,0\n1,2,cat\n", re.escape("line 2: 'cat' is not a number (column 3, the label); labels must be numbers")),
    ("1,2,0\n1e39,2,1\n", re.escape("line 2: 1e+39 is too large for float32, at most about 3.4e38 (column 1)")),
])
def test_csv_errors_name_the_line(text, message, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        load_csv(path)


def test_a_utf8_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffx1,x2,label\n0.5,1,1\n2,3,0\n".encode("utf-8"))  # Excel's "CSV UTF-8"
    X, y = load_csv(path)
    assert X.tolist() == [[0.5, 1.0], [2.0, 3.0]] and y.tolist() == [1, 0]
    gz = tmp_path / "excel.csv.gz"
    gz.write_bytes(gzip.compress("\ufeff1,2,0\n".encode("utf-8")))
    assert load_csv(gz)[0].tolist() == [[1.0, 2.0]]


def test_whole_labels_beyond_int64_are_not_wrapped(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("1,2,0\n3,4,1e20\n")
    _, y = load_csv(path)
    assert y.dtype == np.float32 and y.tolist() == [0.0, np.float32(1e20)]  # not int64's -7.7e18 (wrapped)


def test_csv_missing_file_is_a_value_error_naming_it(tmp_path):
    with pytest.raises(ValueError, match="missing.csv"):
        load_csv(tmp_path / "missing.csv")
