"""Every docstring example in autograd_core and nn runs and prints what it shows.

Examples run with empty globals, so each must import what it uses (copied into a fresh
interpreter it works as shown). Besides what doctest.testmod finds (the module's own
functions, classes and methods), the docstrings of the Primitive instances a module
creates (ag.exp, ag.add, ...) are run, each once: in the module assigning it, not in one
that imports it.
"""
import ast
import doctest
import importlib
import inspect
import pkgutil

import pytest

import autograd_core
import nn
from conftest import einops_or_skip
from autograd_core.primitive import Primitive

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
NEEDS_EINOPS = {"autograd_core.einops_backend", "nn.einops_layers"}  # the dev extra installs it


def _modules():
    for package in (autograd_core, nn):
        yield package.__name__
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            yield info.name


def _created_primitives(module):
    """(name, Primitive) for each module-level `name = Primitive(...)`-style assignment in module."""
    tree = ast.parse(inspect.getsource(module))
    assigned = {target.id for node in tree.body if isinstance(node, ast.Assign)
                for target in node.targets if isinstance(target, ast.Name)}
    return [(name, value) for name, value in vars(module).items()
            if name in assigned and isinstance(value, Primitive)]


def _doctests(module):
    finder = doctest.DocTestFinder()
    tests = finder.find(module, module.__name__, globs={})  # what testmod finds, without the module's globals
    for name, primitive in _created_primitives(module):
        tests += finder.find(primitive, f"{module.__name__}.{name}", module=module, globs={})
    return [test for test in tests if test.examples]


@pytest.mark.parametrize("name", sorted(set(_modules())))
def test_docstring_examples(name):
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report = []
    if name in NEEDS_EINOPS:
        einops_or_skip()
    tests = _doctests(importlib.import_module(name))
    failed = sum(runner.run(test, out=report.append).failed for test in tests)
    assert failed == 0, f"{failed} docstring example(s) failed in {name}:\n" + "".join(report)
