"""Timing helpers shared by the benchmarks: interleaved rounds, medians, optional competitors."""
import gc
import importlib
import os
import subprocess
import sys
import textwrap
import time


def optional(module):
    """The module if it is installed, else None (PyTorch and micrograd are optional)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def interleaved(candidates, rounds=5):
    """Fastest seconds per call of each candidate over alternating rounds. Interleaving spreads
    slow phases of the machine over all candidates; the minimum drops the rounds that other
    processes slowed down (noise only ever adds time, as timeit's documentation notes).
    candidates: {name: zero-argument function}; one that returns a float (see in_own_process)
    reports the seconds it measured itself."""
    times = {name: [] for name in candidates}
    for _ in range(rounds):
        for name, fn in candidates.items():
            gc.collect()
            start = time.perf_counter()
            measured = fn()
            elapsed = time.perf_counter() - start
            times[name].append(measured if isinstance(measured, float) else elapsed)
    return {name: min(ts) for name, ts in times.items()}


_CHILD = """\
import gc, time
{setup}
def run():
{body}
times = []
for _ in range({repeat}):
    gc.collect()
    start = time.perf_counter()
    run()
    times.append(time.perf_counter() - start)
print(min(times))
"""


def in_own_process(setup, body, repeat=3):
    """A candidate for `interleaved` that times `body` in a fresh Python process which has run only
    `setup` (its imports), and returns the fastest of `repeat` runs there.

    For workloads that keep many Python objects alive, such as a long graph of Python nodes: they
    set off the garbage collector's full scans, whose cost grows with every object in the process,
    and PyTorch's import alone brings about 160,000 that a program using another library has not.
    """
    code = _CHILD.format(setup=setup, body=textwrap.indent(body, "    "), repeat=repeat)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))

    def run():
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        if done.returncode:
            raise RuntimeError(f"benchmark child process failed:\n{done.stderr}")
        return float(done.stdout)
    return run


def report(title, per_unit, unit, baseline=None, target=None):
    """Print one table: time per unit for each candidate and its ratio to the baseline."""
    print(f"\n{title}")
    base = per_unit.get(baseline) if baseline else None
    for name, t in per_unit.items():
        ratio = f"  {t / base:5.2f}x {baseline}" if base else ""
        print(f"  {name:28s} {t * 1e6:10.2f} µs/{unit}{ratio}")
    if target:
        print(f"  target: {target}")
