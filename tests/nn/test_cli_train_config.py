"""agrad train's configuration, data and model, checked without training: options and their per-dataset
defaults, what a checkpoint's configuration may hold and what a resumed run keeps, the datasets' loading and
standardisation, the model and optimizer built. (Runs of agrad train are in test_cli_train.py.)"""
import argparse
import json

import numpy as np
import pytest

import nn
import nn.cli.train as train_cli
from nn.cli import CliError, main, shorten
from nn.cli.train import integer_option, load_dataset
from test_cli_train import NEEDS_DOT, train_in_process


def resolved(*args):
    """(checkpoint, configuration, epochs) that `agrad train ARGS` would run with; nothing is trained."""
    parser = argparse.ArgumentParser()
    train_cli.add_arguments(parser)
    return train_cli.resolve_config(parser.parse_args([*map(str, args)]))


def test_defaults_are_the_digits_with_adam_and_relu():
    checkpoint, config, epochs = resolved()
    assert checkpoint is None and epochs == 40
    assert config == {"dataset": "digits", "hidden": [128], "activation": "relu", "optimizer": "adam", "seed": 0,
                      "lr": 2e-3, "batch_size": 32, "patience": 10}
    assert resolved("--optimizer", "sgd")[1]["lr"] == pytest.approx(2e-2)  # 10x the dataset's rate for SGD
    assert resolved("--patience", 0)[1]["patience"] == 0  # turns early stopping off


def test_a_resumed_run_keeps_the_checkpoint_settings_unless_given(tmp_path):
    config = {"dataset": "xor", "hidden": [8], "activation": "tanh", "optimizer": "sgd", "seed": 3,
              "lr": 0.05, "batch_size": 2, "patience": 4}
    model, optimizer = train_cli.build(config, 2, 2)
    path = tmp_path / "checkpoint.npz"
    train_cli.save_checkpoint(path, model, optimizer, config, 7, {"train_loss": [1.0]}, np.array([0, 1]))
    _, resumed, epochs = resolved("--resume", path, "--hidden", "8", "--activation", "tanh")  # the same: accepted
    assert resumed == config and epochs == 300  # xor's default number of epochs to add
    _, resumed, _ = resolved("--resume", path, "--lr", 0.1, "--batch-size", 4, "--patience", 0)
    assert (resumed["lr"], resumed["batch_size"], resumed["patience"]) == (0.1, 4, 0)


@pytest.fixture
def saved_checkpoint(tmp_path):
    """What save_checkpoint writes for a small xor run, as nn.load reads it back: a dict to spoil."""
    config = {"dataset": "xor", "hidden": [2], "activation": "relu", "optimizer": "adam", "seed": 0,
              "lr": 0.03, "batch_size": 4, "patience": None}
    model, optimizer = train_cli.build(config, 2, 2)
    train_cli.save_checkpoint(tmp_path / "good.npz", model, optimizer, config, 3, {"train_loss": [1.0, 0.9, 0.8]},
                              np.array([0, 1]))
    return nn.load(tmp_path / "good.npz")


def config_with(ckpt, **settings):
    """ckpt["config"] with `settings` changed; a setting of None is removed."""
    config = {**json.loads(ckpt["config"]), **settings}
    return json.dumps({name: value for name, value in config.items() if value is not None})


@pytest.mark.parametrize("spoil, problem", [
    (lambda c: {"config": "[]"}, "its 'config' is '[]'; expected the JSON text of a dict of settings"),
    (lambda c: {"config": "{}"}, "its config has no 'dataset'; expected digits, xor, moons or csv:PATH"),
    (lambda c: {"config": config_with(c, optimizer=None)},
     "its config has no 'optimizer'; expected one of sgd, adam, adamw, rmsprop, adagrad, adamax, nadam, radam"),
    (lambda c: {"config": config_with(c, optimizer="bogus")},
     "its config's 'optimizer' is 'bogus'; expected one of sgd, adam, adamw, rmsprop, adagrad, adamax, nadam, radam"),
    (lambda c: {"config": config_with(c, dataset=3)}, "its config's 'dataset' is 3; expected digits, xor, moons"),
    (lambda c: {"config": config_with(c, hidden=["a"])},
     "its config's 'hidden' is ['a']; expected a list of layer widths, each an integer from 1 to 100,000"),
    (lambda c: {"config": config_with(c, lr="0.1")}, "its config's 'lr' is '0.1'; expected a positive number"),
    (lambda c: {"config": config_with(c, batch_size="4")},
     "its config's 'batch_size' is '4'; expected a positive integer"),
    (lambda c: {"config": config_with(c, activation="bogus")},
     "its config's 'activation' is 'bogus'; expected one of relu, tanh, sigmoid, leaky_relu, elu, softplus, gelu, silu, "
     "mish, selu"),
    (lambda c: {"config": config_with(c, seed=-5)}, "its config's 'seed' is -5; expected an integer >= 0"),
    (lambda c: {"epoch": "abc"}, "its 'epoch' is 'abc'; expected the number of epochs run, an integer >= 0"),
    (lambda c: {"epoch": -5}, "its 'epoch' is -5; expected the number of epochs run"),
    (lambda c: {"epoch": np.array([1, 2])}, "its 'epoch' is Tensor([1, 2]); expected the number of epochs run"),
    (lambda c: {"history": "x"}, "its 'history' is 'x'; expected a dict of per-epoch values"),
    (lambda c: {"history": {"train_loss": "abc"}},
     "its history's 'train_loss' is 'abc'; expected a list of numbers, one per epoch"),
], ids=["config a list", "config empty", "no optimizer", "unknown optimizer", "dataset an int", "hidden of words",
        "lr a string", "batch_size a string", "unknown activation", "negative seed", "epoch a word",
        "negative epoch", "epoch an array", "history a string", "history of a string"])
def test_a_spoilt_checkpoint_is_one_line_naming_the_entry_its_value_and_what_is_valid(
        spoil, problem, saved_checkpoint, tmp_path, capsys):
    nn.save({**saved_checkpoint, **spoil(saved_checkpoint)}, tmp_path / "bad.npz")
    status, out, err = train_in_process(capsys, "--resume", tmp_path / "bad.npz", "--epochs", 1,
                                        "--out", tmp_path / "run")
    assert status == 2 and out == ""
    prefix = f"agrad train: error: --resume {tmp_path / 'bad.npz'}: not a checkpoint of agrad train: "
    assert err.startswith(prefix + problem) and err.count("\n") == 1, err
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("entry", ["config", "epoch", "model"])
def test_a_checkpoint_without_an_entry_is_refused_naming_it(entry, saved_checkpoint, tmp_path, capsys):
    del saved_checkpoint[entry]
    nn.save(saved_checkpoint, tmp_path / "bad.npz")
    status, _, err = train_in_process(capsys, "--resume", tmp_path / "bad.npz", "--epochs", 1)
    assert status == 2
    assert err == f"agrad train: error: --resume {tmp_path / 'bad.npz'}: not a checkpoint of agrad train: " \
                  f"it has no {entry!r}\n"


def test_a_directory_given_as_the_checkpoint_is_named_as_one(tmp_path, capsys):
    status, _, err = train_in_process(capsys, "--resume", tmp_path, "--epochs", 1)
    assert status == 2
    assert err == f"agrad train: error: --resume {tmp_path} is a directory; give the checkpoint file in it, " \
                  f"e.g. {tmp_path / 'checkpoint.npz'}\n"


def test_a_width_of_exactly_the_maximum_is_accepted():
    assert train_cli.parse_hidden(f"{train_cli.MAX_WIDTH},1") == [train_cli.MAX_WIDTH, 1]
    with pytest.raises(CliError, match="at most 100,000 units"):
        train_cli.parse_hidden(str(train_cli.MAX_WIDTH + 1))


def test_digits_are_scaled_and_split_70_15_15():
    (X_train, y_train), val, test, _, classes = train_cli.load_dataset("digits", 0)
    assert X_train.max() == 1.0 and X_train.min() == 0.0
    assert (len(y_train), len(val[1]), len(test[1])) == (1257, 270, 270)
    assert classes.tolist() == list(range(10))


def test_csv_features_are_standardised_with_the_training_statistics(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("".join(f"{i},5,{i % 3}\n" for i in range(40)))  # the second feature is constant
    train, val, test, _, classes = train_cli.load_dataset(f"csv:{path}", 0)
    assert all(np.isfinite(X).all() and X.dtype == np.float32 for X, _ in (train, val, test))
    np.testing.assert_allclose(train[0].mean(axis=0), 0, atol=1e-6)
    np.testing.assert_allclose(train[0].std(axis=0), [1, 0], atol=1e-6)
    assert classes.tolist() == [0, 1, 2]


def test_csv_features_of_a_huge_spread_are_standardised_not_zeroed(tmp_path):
    # A float32 variance of 1e20-sized values overflows: the statistics are taken in float64.
    path = tmp_path / "spread.csv"
    path.write_text("".join(f"{(1 if i % 2 else -1) * (1 + i / 40):.3f}e20,{i % 2}\n" for i in range(40)))
    train, val, test, _, _ = train_cli.load_dataset(f"csv:{path}", 0)
    X, y = train
    assert np.isfinite(X).all() and X.dtype == np.float32
    np.testing.assert_allclose(X.std(), 1, rtol=1e-5)
    assert ((X[:, 0] > 0) == (y == 1)).all()  # the feature still separates the classes


def test_the_model_and_optimizer_follow_the_configuration():
    config = {"seed": 0, "hidden": [8], "activation": "tanh", "optimizer": "sgd", "lr": 0.3}
    model, optimizer = train_cli.build(config, 2, 3)
    assert [type(m).__name__ for m in model.modules()][-3:] == ["Linear", "Tanh", "Linear"]
    assert isinstance(optimizer, nn.optim.SGD) and optimizer.param_groups[0]["momentum"] == 0.9
    again, _ = train_cli.build(config, 2, 3)  # --seed decides the initial weights
    for (name, a), b in zip(model.state_dict().items(), again.state_dict().values()):
        np.testing.assert_array_equal(a, b, err_msg=name)


@pytest.mark.parametrize("setting", [{"lr": 0}, {"batch_size": 0}])
def test_a_checkpoint_config_with_a_zero_lr_or_batch_size_is_refused(setting, tmp_path):
    config = {"dataset": "xor", "hidden": [2], "activation": "relu", "optimizer": "adam", "seed": 0,
              "lr": 0.03, "batch_size": 4, "patience": None}
    model, optimizer = train_cli.build(config, 2, 2)
    train_cli.save_checkpoint(tmp_path / "c.npz", model, optimizer, config, 3, {"train_loss": [1.0, 0.9, 0.8]},
                              np.array([0, 1]))
    ckpt = nn.load(tmp_path / "c.npz")
    ckpt["config"] = json.dumps({**config, **setting})
    with pytest.raises(ValueError):
        train_cli.checkpoint_config(ckpt)


def test_shorten_keeps_text_of_exactly_the_limit():
    assert shorten("x" * 80) == repr("x" * 80)


def test_a_long_usage_error_is_cut_to_300_characters(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--" + "x" * 1000])
    err = capsys.readouterr().err
    assert len(err) < 450 and "characters)" in err


STORED_CONFIG = {"dataset": "xor", "hidden": [8], "activation": "tanh", "optimizer": "sgd", "seed": 3,
        "lr": 0.1, "batch_size": 4, "patience": None}


def stored_checkpoint(**changes):
    return {"model": {}, "optimizer": {}, "epoch": np.int64(5), "config": json.dumps({**STORED_CONFIG, **changes})}


@pytest.mark.parametrize("setting, value", [("hidden", [0]), ("hidden", [True]), ("seed", -1), ("lr", float("inf"))])
def test_a_stored_setting_out_of_range_is_refused(setting, value):
    # a hand-edited config must be refused naming the entry, not crash later in nn.MLP or NumPy
    assert train_cli.checkpoint_config(stored_checkpoint()) == STORED_CONFIG
    with pytest.raises(ValueError, match=repr(setting)):
        train_cli.checkpoint_config(stored_checkpoint(**{setting: value}))


def test_a_resumed_run_refuses_another_seed(tmp_path):
    # the seed is the checkpoint's: --seed with another value is a mistake, not silently ignored
    path = tmp_path / "checkpoint.npz"
    nn.save(stored_checkpoint(), str(path))
    assert resolved("--resume", path, "--seed", 3)[1]["seed"] == 3
    with pytest.raises(CliError, match="--seed"):
        resolved("--resume", path, "--seed", 4)


def test_adagrad_default_learning_rate_is_ten_times_the_datasets():
    assert resolved("--optimizer", "adagrad")[1]["lr"] == pytest.approx(2e-2)


def test_a_stored_patience_of_zero_is_valid():
    # --patience 0 (no early stopping) is saved as 0: that checkpoint must resume
    assert train_cli.checkpoint_config(stored_checkpoint(patience=0))["patience"] == 0


@pytest.mark.parametrize("epoch", [np.float64(5.0), np.int64(-1), np.int64(10**18)])
def test_a_stored_epoch_must_be_a_whole_count(epoch):
    # epoch is the number of epochs run: an integer >= 0 of at most 18 digits
    ckpt = {**stored_checkpoint(), "epoch": epoch}
    with pytest.raises(ValueError, match="'epoch'"):
        train_cli.checkpoint_config(ckpt)


@pytest.mark.parametrize("values", [["a", "b"], np.zeros((2, 2))])
def test_a_stored_history_must_be_numbers_one_per_epoch(values):
    ckpt = {**stored_checkpoint(), "history": {"train_loss": values}}
    with pytest.raises(ValueError, match="history"):
        train_cli.checkpoint_config(ckpt)


def test_moons_are_1000_noisy_points():
    # "moons: 1,000 points, noise 0.2": the sizes add up to 1,000 and the points are off the arcs
    train, val, test, about, classes = load_dataset("moons", 0)
    assert len(train[1]) + len(val[1]) + len(test[1]) == 1000
    assert about.startswith("moons: 1,000 points, noise 0.2")
    X, y = (np.concatenate(a) for a in zip(train, val, test))
    radius = np.hypot(X[y == 0, 0], X[y == 0, 1])  # the upper moon lies on the unit circle before the noise
    assert 0.1 < radius.std() < 0.4


def test_the_description_counts_the_classes():
    # the first summary line ends with the number of classes
    assert load_dataset("moons", 0)[3].endswith(", 2 classes")


@pytest.mark.parametrize("dataset, hidden, lr, epochs, batch_size, patience", [
    ("moons", [32, 32], 1e-2, 100, 32, 20),
    ("xor", [8], 3e-2, 300, 4, None),
    ("csv:points.csv", [64], 3e-3, 50, 32, 10),
])
def test_each_dataset_has_its_own_defaults(dataset, hidden, lr, epochs, batch_size, patience):
    _, config, run_epochs = resolved("--dataset", dataset)
    assert (config["hidden"], config["lr"], run_epochs, config["batch_size"], config["patience"]) == \
        (hidden, pytest.approx(lr), epochs, batch_size, patience)


def test_integer_option_accepts_an_explicit_plus_sign():
    # "+5" is a valid integer spelling; it must not be refused
    assert integer_option("+5") == 5


def test_integer_option_refuses_19_digits():
    # at most 18 digits: the epoch count must fit the int64 a checkpoint stores
    assert integer_option("9" * 18) == 10**18 - 1
    with pytest.raises(argparse.ArgumentTypeError):
        integer_option("1" * 19)


@NEEDS_DOT
def test_a_checkpoint_with_list_histories_and_without_the_optional_settings_resumes(saved_checkpoint, tmp_path,
                                                                                     capsys):
    saved_checkpoint["config"] = config_with(saved_checkpoint, lr=None, batch_size=None, patience=None)
    saved_checkpoint["history"] = {"train_loss": [1.0, 0.9, 0.8]}  # lists, as nn.save keeps them
    nn.save(saved_checkpoint, tmp_path / "old.npz")
    status, out, err = train_in_process(capsys, "--resume", tmp_path / "old.npz", "--epochs", 1, "--no-progress",
                                        "--out", tmp_path / "run")
    assert status == 0, err
    assert "adam lr=0.03, batch 4, epochs 4..4" in out  # xor's defaults


@pytest.mark.parametrize("optimizer, scale", [("adam", 1), ("adamw", 1), ("rmsprop", 1), ("sgd", 10), ("adagrad", 10),
                                              ("adamax", 1), ("nadam", 1), ("radam", 1)])
def test_default_learning_rate_per_optimizer_is_the_one_help_documents(optimizer, scale):
    # --help: "(--lr is for adam, adamw, rmsprop, adamax, nadam, radam; sgd and adagrad take 10x it)"
    assert resolved("--optimizer", optimizer)[1]["lr"] == pytest.approx(2e-3 * scale)
