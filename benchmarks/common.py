"""Timing helpers shared by the benchmarks: interleaved rounds, medians, optional competitors."""
import gc
import importlib
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
    candidates: {name: zero-argument function}."""
    times = {name: [] for name in candidates}
    for _ in range(rounds):
        for name, fn in candidates.items():
            gc.collect()
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: min(ts) for name, ts in times.items()}


def report(title, per_unit, unit, baseline=None, target=None):
    """Print one table: time per unit for each candidate and its ratio to the baseline."""
    print(f"\n{title}")
    base = per_unit.get(baseline) if baseline else None
    for name, t in per_unit.items():
        ratio = f"  {t / base:5.2f}x {baseline}" if base else ""
        print(f"  {name:28s} {t * 1e6:10.2f} µs/{unit}{ratio}")
    if target:
        print(f"  target: {target}")
