"""Every notebook in notebooks/ runs top to bottom in a real Jupyter kernel without a cell error.

The notebooks check their own numbers with asserts, so a wrong gradient or a model that no
longer learns fails here as a cell error. Without nbclient or a "python3" kernel the tests
skip locally, but fail under CI=true: CI must run them.
"""
import os

import pytest

from conftest import jupyter_kernel_or_skip, missing_tool

NOTEBOOKS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "notebooks")
NAMES = sorted(n for n in os.listdir(NOTEBOOKS) if n.endswith(".ipynb"))
TIME_LIMIT = 60  # seconds of the kernel's CPU time per notebook
HANG_LIMIT = 600  # seconds of wall-clock time per cell: only a hang, as other tests share the cores
# The kernel's own CPU time (all threads), read by a cell appended to the run: unlike wall-clock time
# it does not grow when the other test worker or another process takes the cores.
CPU_TIME_CELL = "import time; print(time.process_time())"


def _nbformat():
    try:
        import nbformat
    except ImportError as err:
        missing_tool(f"nbformat not installed: {err}")
    return nbformat


def test_the_nine_notebooks_are_there():
    prefixes = sorted(name[:2] for name in NAMES)
    assert prefixes == ["01", "02", "03", "04", "05", "06", "07", "08", "09"], NAMES


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_is_built_from_its_source(name):
    """notebooks/sources/*.py are what build_notebooks.py builds from: an edit made only in the .ipynb would be lost
    at the next rebuild."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("build_notebooks", os.path.join(NOTEBOOKS, "build_notebooks.py"))
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    with open(os.path.join(NOTEBOOKS, "sources", name.replace(".ipynb", ".py")), encoding="utf-8") as f:
        cells = build.parse(f.read())
    committed = _nbformat().read(os.path.join(NOTEBOOKS, name), as_version=4).cells
    assert [(c.cell_type, c.source) for c in committed] == [(c.cell_type, c.source) for c in cells]


@pytest.mark.parametrize("name", NAMES)
def test_notebook_code_is_what_a_learner_should_copy(name):
    """The notebooks teach the public API: no private modules or names (`autograd_core._x`, `t._x`), and no
    writes through `.data` (an update is `with ag.no_grad(): w -= lr * w.grad`, as in PyTorch)."""
    import re
    with open(os.path.join(NOTEBOOKS, "sources", name.replace(".ipynb", ".py")), encoding="utf-8") as f:
        code = [line for line in f.read().splitlines() if not line.lstrip().startswith("#")]
    private = [line for line in code if re.search(r"\b(autograd_core|nn|ag)\._|\w\._[a-z]", line)]
    assert not private, f"{name} uses private names: {private}"
    writes = [line for line in code if re.search(r"\.data\s*(\[.*\])?\s*([-+*/]?=)(?!=)", line)]
    assert not writes, f"{name} writes through .data: {writes}"


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_shows_its_outputs_and_pictures(name):
    """A reader on the web sees the results without running anything: outputs, images, no errors."""
    nb = _nbformat().read(os.path.join(NOTEBOOKS, name), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    outputs = [o for c in code for o in c.get("outputs", [])]
    assert all(c.execution_count for c in code), f"{name} has cells that were never run"
    assert not [o for o in outputs if o.output_type == "error"], f"{name} was committed with an error output"
    pictures = [o for o in outputs if {"image/png", "image/svg+xml"} & set(o.get("data", {}))]
    assert pictures, f"{name} shows no picture"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_without_errors(name, tmp_path):
    jupyter_kernel_or_skip()
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path = os.path.join(NOTEBOOKS, name)
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:  # run from a clean slate
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.cells.append(nbformat.v4.new_code_cell(CPU_TIME_CELL))
    client = NotebookClient(nb, timeout=HANG_LIMIT, kernel_name="python3",
                            resources={"metadata": {"path": NOTEBOOKS}})
    try:
        client.execute()
    except CellExecutionError as err:
        pytest.fail(f"{name}: a cell failed:\n{str(err)[-3000:]}")
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{name}: {errors[0]['ename']}: {errors[0]['evalue']}"
    cpu_seconds = float(nb.cells[-1].outputs[0]["text"])
    assert cpu_seconds < TIME_LIMIT, f"{name} took {cpu_seconds:.0f} s of CPU time; each notebook must run in under a minute"
