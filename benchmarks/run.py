"""Run every benchmark and print times and ratios: `make bench` or `python benchmarks/run.py [names]`.

Ratios are measured side by side in one process, in interleaved rounds, against a
hand-written NumPy baseline and, when installed, PyTorch and micrograd. The scalar chain
times each library in a process of its own (see bench_engine.scalar_chain).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_engine  # noqa: E402

BENCHMARKS = {
    "scalar": bench_engine.scalar_chain,
    "small": bench_engine.small_array_chain,
    "mlp": bench_engine.mlp_step,
    "million": bench_engine.million_chain,
}

try:
    import bench_nn  # noqa: E402

    import bench_conv  # noqa: E402
    import bench_instructions  # noqa: E402

    BENCHMARKS.update(bench_nn.BENCHMARKS)
    BENCHMARKS.update(bench_conv.BENCHMARKS)
    BENCHMARKS.update(bench_instructions.BENCHMARKS)
except ImportError as err:  # the nn benchmarks need the nn package
    print(f"(nn benchmarks unavailable: {err})")


def main(names):
    for name in names or BENCHMARKS:
        if name not in BENCHMARKS:
            sys.exit(f"unknown benchmark {name!r}; choose from {', '.join(BENCHMARKS)}")
        BENCHMARKS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
