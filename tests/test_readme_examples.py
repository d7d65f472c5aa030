"""README's Python examples run as written, and print what their comments say they print.

A line `print(...)  # <text>` promises that <text> is what it prints; each block runs in a fresh
namespace, in a temporary directory (the nn example writes curves.png there).
"""
import contextlib
import io
import pathlib
import re

import pytest

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def _promised_outputs(block):
    """The texts that comments on print lines promise, in order."""
    return [match.group(1).strip() for line in block.splitlines()
            if (match := re.match(r"\s*print\(.*\)\s*#\s*(.+)$", line))]


def test_readme_has_python_examples():
    assert len(BLOCKS) >= 2, "README's first example and its nn example"


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_example_runs_and_prints_what_it_shows(block, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(block, str(README), "exec"), {"__name__": "__readme__"})
    lines = printed.getvalue().splitlines()
    promised = _promised_outputs(block)
    # each promised text is a printed line, in the order of the prints that promise them
    position = 0
    for text in promised:
        found = [i for i, line in enumerate(lines) if i >= position and line.strip() == text]
        assert found, f"README promises {text!r}; printed {lines}"
        position = found[0] + 1
    if "history.plot(" in block:
        assert (tmp_path / "curves.png").stat().st_size > 0
