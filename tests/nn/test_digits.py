"""nn.datasets (digits, XOR, moons, CSV) and the digits benchmark: a 64-64-10 ReLU MLP with Adam
reaches >= 97% test accuracy on a seeded 80/20 split within 30 epochs of batch 32."""
import gzip
import os
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
    for bad in (-1, float("nan")):
        with pytest.raises(ValueError, match="noise must be >= 0"):
            make_moons(noise=bad)
    with pytest.raises(ValueError, match="n_samples must be an int >= 2, got 1"):
        make_moons(1)


def test_moons_noise_is_gaussian_of_the_given_standard_deviation():
    X, y = make_moons(4000, noise=0.1, rng=0)
    centres = np.where(y[:, None] == 0, [0.0, 0.0], [1.0, 0.5])
    radial = np.hypot(*(X - centres).T) - 1  # the noise's component across each half circle
    assert 0.09 < radial.std() < 0.11 and abs(radial.mean()) < 0.01


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
    # a first line with a number is data, unless header=True: it may be a header mixing names and numbers
    ("1,x,0\n3,4,1\n", r"line 1: 'x' is not a number \(column 2\); if this line is a header, none of its fields "
                        r"may be a number$"),  # (no Python argument named: agrad shows this message too)
    ("1,2,\n3,4,\n", r"line 1: '' is not a number \(column 3, the label\); the last field is empty"),
    ("a,b,c\n1,2,\n3,4,\n", r"line 2: '' is not a number \(column 3, the label\); the last field is empty: does "
                             r"each line end with a comma\?"),
    ("1,2,0\n1e309,2,1\n", re.escape("line 2: 1e309 is not a finite number (column 1)")),  # as written
    ('x1,"x2\n(cm)",label\n1,2,0\n1,oops,1\n', r"line 4: 'oops' is not a number"),  # a header of two lines
    ('1,2,0\n"3,4,1\n' + "5,6,7\n" * 3, r"lines 2-5 \(a quoted field spans them: is a quote left open\?\): 1 "
                                            r"columns, expected 3"),  # a stray quote
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
    # other separators: the first line is not a header, and the second is not one value
    ("a;b;label\n1.5;0.10;1\n", "line 1: values must be separated by commas; this line has none but has ';'"),
    ("1.5\t0.10\t1\n", "line 1: values must be separated by commas; this line has none but has tabs"),
])
def test_csv_errors_name_the_line(text, message, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        load_csv(path)


def test_header_may_be_said_and_a_gz_file_may_end_its_lines_with_cr(tmp_path):
    path = tmp_path / "numbered.csv"
    path.write_text("0,1,2\n0.5,1,1\n2,3,0\n")  # pandas' header for unnamed columns
    assert load_csv(path)[0].shape == (3, 2) and load_csv(path, header=True)[0].tolist() == [[0.5, 1.0], [2.0, 3.0]]
    assert load_csv(path, header=np.True_)[0].shape == (2, 2)
    named = tmp_path / "named.csv"
    named.write_text("a,b,c\n1,2,0\n")
    with pytest.raises(ValueError, match=r"line 1: 'a' is not a number"):
        load_csv(named, header=False)
    for wrong in ("yes", 0, 1):  # (pandas' header=0 means "line 1 is the header": not False)
        with pytest.raises(ValueError, match=rf"header must be None \(guess\), True or False, got {wrong!r}"):
            load_csv(named, header=wrong)
    old_mac = tmp_path / "old_mac.csv.gz"
    old_mac.write_bytes(gzip.compress(b"x1,x2,label\r0.5,1,1\r2,3,0\r"))
    assert load_csv(old_mac)[1].tolist() == [1, 0]


def test_a_utf8_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffx1,x2,label\n0.5,1,1\n2,3,0\n".encode("utf-8"))  # Excel's "CSV UTF-8"
    X, y = load_csv(path)
    assert X.tolist() == [[0.5, 1.0], [2.0, 3.0]] and y.tolist() == [1, 0]
    for name, compress in (("plain.csv", bytes), ("excel.csv.gz", gzip.compress)):  # no header: the mark precedes data
        path = tmp_path / name
        path.write_bytes(compress("\ufeff1,2,0\n".encode("utf-8")))
        assert load_csv(path)[0].tolist() == [[1.0, 2.0]], name


def test_whole_labels_beyond_int64_are_not_wrapped(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("1,2,0\n3,4,1e20\n")
    _, y = load_csv(path)
    assert y.dtype == np.float32 and y.tolist() == [0.0, np.float32(1e20)]  # not int64's -7.7e18 (wrapped)


def test_only_a_regular_file_is_read(tmp_path):
    with pytest.raises(ValueError, match=re.escape(f"cannot read {tmp_path}: it is a directory; give a CSV file")):
        load_csv(tmp_path)
    if os.path.exists("/dev/null"):  # a device: /dev/zero would be read forever
        with pytest.raises(ValueError, match=re.escape("cannot read /dev/null: it is not a regular file (a device")):
            load_csv("/dev/null")


@pytest.mark.parametrize("name, content", [
    ("missing.csv", None),
    ("latin1.csv", "x,label\ncaf\u00e9,1\n".encode("latin-1")),  # not UTF-8
    ("truncated.csv.gz", gzip.compress(b"1,2,0\n" * 100, mtime=0)[:30]),  # (mtime: the same bytes on every worker)
], ids=["missing", "latin-1", "truncated gzip"])
def test_an_unreadable_file_is_a_value_error_naming_it(name, content, tmp_path):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ValueError, match=re.escape(f"load_csv: cannot read {path}")):
        load_csv(path)


def test_csv_integer_labels_above_2_to_the_53_keep_every_digit(tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text("".join(f"{i % 5}.5,{i},{2**53 + i % 3}\n" for i in range(30)))
    X, y = load_csv(path)
    expected = np.loadtxt(path, delimiter=",", usecols=2, dtype=np.int64)
    assert y.dtype == np.int64 and y.tolist() == expected.tolist()


def test_the_largest_int64_label_is_an_integer_label(tmp_path):
    path = tmp_path / "max.csv"
    path.write_text("".join(f"{i % 5}.5,{i},{np.iinfo(np.int64).max if i % 2 else 0}\n" for i in range(30)))
    X, y = load_csv(path)  # the docstring: int64 "when every label is a whole number that int64 holds"
    expected = np.loadtxt(path, delimiter=",", usecols=2, dtype=np.int64)
    assert y.dtype == np.int64 and y.tolist() == expected.tolist()
