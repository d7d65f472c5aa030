"""The benchmarks compare like with like: each program the digits benchmark times trains the same network to the same
weights as the step it stands for, so that a ratio measures only how the work is done (a compiled step that read a stale
setting would be timed doing other arithmetic)."""
import pathlib
import sys

import numpy as np
import pytest

BENCHMARKS = pathlib.Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import bench_captured
        import bench_nn
        yield bench_nn, bench_captured
    finally:
        sys.path.remove(str(BENCHMARKS))


def _epoch_weights(make_step, bench_nn):
    """The weights after one digits epoch of batch 32 (the last batch shorter), from a seeded initialisation."""
    X, y = bench_nn._digits()
    step = make_step(np.random.default_rng(0))
    for start in range(0, len(X), 32):
        step(X[start:start + 32], y[start:start + 32], 0.01)
    return step.weights


def test_train_step_trains_bit_for_bit_as_nn(bench):
    bench_nn, _ = bench
    eager = _epoch_weights(lambda rng: bench_nn._nn_mlp((64, 64, 10), rng), bench_nn)
    compiled = _epoch_weights(lambda rng: bench_nn._nn_train_step((64, 64, 10), rng), bench_nn)
    assert len(eager) == len(compiled) == 4
    initial = [p.data for p in bench_nn.nn.MLP([64, 64, 10], rng=np.random.default_rng(0)).parameters()]
    assert min(np.abs(a - b).max() for a, b in zip(eager, initial)) > 1e-3  # (the epoch trained)
    for a, b in zip(eager, compiled):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("straight_line", [False, True], ids=["a call per op", "generated code"])
def test_captured_program_trains_as_the_hand_step(bench, straight_line):
    bench_nn, bench_captured = bench
    hand = _epoch_weights(lambda rng: bench_nn._numpy_mlp((64, 64, 10), rng), bench_nn)
    captured = _epoch_weights(lambda rng: bench_captured._captured((64, 64, 10), rng, straight_line), bench_nn)
    moved = [np.abs(h - initial).max() for h, initial in
             zip(hand, [a for layer in bench_nn._numpy_params((64, 64, 10), np.random.default_rng(0)) for a in layer])]
    assert min(moved) > 1e-3  # the epoch trained: equality below is not that of two untouched initialisations
    for a, b in zip(hand, captured):  # the same arithmetic fused otherwise: float32 rounding apart
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-5)
