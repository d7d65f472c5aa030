"""Instructions per digits training step, counted by valgrind's callgrind: the same every run.

Wall-clock ratios on a small shared machine drift by tens of percent between runs, which hides
changes of a few percent; instruction counts do not drift. They are not time (an interpreter
loop runs fewer instructions per cycle than NumPy's kernels, so the time ratio is larger), but a
change that removes instructions from the step is a change that makes it faster.

Each candidate runs in its own process under `valgrind --tool=callgrind --instr-atstart=no`;
the process switches counting on (with callgrind_control) only around its steps.
"""
import os
import re
from concurrent.futures import ThreadPoolExecutor
import shutil
import subprocess
import sys

_CANDIDATES = ("numpy by hand", "nn (Linear, CE, SGD)", "nn, TrainStep (compiled)", "numpy, lower bound",
               "numpy, captured: a call per op", "numpy, captured: generated code")


def _child(name, steps):
    """Run in the process valgrind starts: set up, warm up, count `steps` steps, stop counting."""
    import numpy as np

    import bench_captured
    import bench_nn

    X, y = bench_nn._digits()
    make = {"numpy by hand": bench_nn._numpy_mlp, "nn (Linear, CE, SGD)": bench_nn._nn_mlp,
            "nn, TrainStep (compiled)": bench_nn._nn_train_step,
            "numpy, lower bound": bench_nn._numpy_lower_bound,
            "numpy, captured: a call per op": lambda sizes, rng: bench_captured._captured(sizes, rng, False),
            "numpy, captured: generated code": lambda sizes, rng: bench_captured._captured(sizes, rng, True)}[name]
    step = make((64, 64, 10), np.random.default_rng(0))
    Xb, yb = X[:32], y[:32]
    for _ in range(20):
        step(Xb, yb, 0.01)
    switch = ["callgrind_control", "--instr=on", str(os.getpid())]
    subprocess.run(switch, stdout=subprocess.DEVNULL, check=True)
    for _ in range(steps):
        step(Xb, yb, 0.01)
    subprocess.run(switch[:1] + ["--instr=off"] + switch[2:], stdout=subprocess.DEVNULL, check=True)


def _count(name, steps):
    """Instructions counted while `steps` steps of candidate name ran (plus the switching's own)."""
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=/dev/null",
         sys.executable, os.path.abspath(__file__), "--child", name, str(steps)],
        capture_output=True, text=True, check=True)
    return int(re.search(r"Collected : (\d+)", result.stderr).group(1))


def digits_step_instructions(steps=100):
    """Instructions per step of the digits benchmark's candidates (64-64-10, batch 32, SGD), and ratios."""
    if not (shutil.which("valgrind") and shutil.which("callgrind_control")):
        print("\ninstructions: valgrind is not installed (apt-get install valgrind); skipped")
        return None
    with ThreadPoolExecutor(os.cpu_count()) as pool:  # one valgrind process per candidate, side by side
        switching = pool.submit(_count, _CANDIDATES[0], 0)
        counts = {name: pool.submit(_count, name, steps) for name in _CANDIDATES}
        per_step = {name: (count.result() - switching.result()) / steps for name, count in counts.items()}
    print("\nDigits 64-64-10 MLP, one step of batch 32: instructions (callgrind, the same every run)")
    for name, count in per_step.items():
        print(f"  {name:32s} {count / 1000:10.1f} k/step   {count / per_step[_CANDIDATES[0]]:5.2f}x numpy by hand")
    return per_step


BENCHMARKS = {"instructions": digits_step_instructions}

if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2], int(sys.argv[3]))
    else:
        digits_step_instructions()
