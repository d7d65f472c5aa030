"""Build the teaching notebooks from the sources below, execute them, and save them with their outputs.

    .venv/bin/python notebooks/build_notebooks.py            # all of them
    .venv/bin/python notebooks/build_notebooks.py 01 05      # those whose name starts so

Each source is in "percent" form: `# %% [markdown]` starts a markdown cell, `# %%` a code cell.
The notebooks are executed top to bottom with a real Jupyter kernel (python3), in this folder,
so the committed .ipynb files show every table and picture; tests/test_notebooks.py runs them again.
"""
import os
import sys

import nbformat
from nbclient import NotebookClient

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = os.path.join(HERE, "sources")


def parse(text):
    """Percent-format text -> a list of nbformat cells."""
    cells, kind, lines = [], None, []

    def flush():
        body = "\n".join(lines).strip("\n")
        if kind == "markdown":
            body = "\n".join(line[2:] if line.startswith("# ") else line.lstrip("#") for line in body.splitlines())
            cells.append(nbformat.v4.new_markdown_cell(body))
        elif kind == "code" and body:
            cells.append(nbformat.v4.new_code_cell(body))

    for line in text.splitlines():
        if line.startswith("# %%"):
            flush()
            kind, lines = ("markdown" if "[markdown]" in line else "code"), []
        else:
            lines.append(line)
    flush()
    return cells


def build(name, timeout=300):
    with open(os.path.join(SOURCES, name + ".py"), encoding="utf-8") as f:
        cells = parse(f.read())
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": HERE}}).execute()
    for i, cell in enumerate(nb.cells):  # stable ids keep diffs small between rebuilds
        cell["id"] = f"{name[:2]}-{i:02d}"
        cell.get("metadata", {}).pop("execution", None)
    path = os.path.join(HERE, name + ".ipynb")
    nbformat.write(nb, path)
    return path


def main(prefixes):
    names = sorted(n[:-3] for n in os.listdir(SOURCES) if n.endswith(".py"))
    chosen = [n for n in names if not prefixes or any(n.startswith(p) for p in prefixes)]
    for name in chosen:
        print("built", build(name))


if __name__ == "__main__":
    main(sys.argv[1:])
