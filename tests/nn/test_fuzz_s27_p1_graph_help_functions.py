"""agrad graph --help listed 16 of the 35 functions an expression may call (tan, arcsin, ..., erf, erfc were
accepted but not named). Found by comparing --help with the parser's table (session 27, P1)."""
import re

import pytest

from autograd_core.expression import FUNCTIONS
from nn.cli import main


def test_help_names_every_function_an_expression_may_call(capsys):
    with pytest.raises(SystemExit):
        main(["graph", "--help"])
    text = capsys.readouterr().out
    named = set(re.findall(r"\b([a-z][a-z0-9_]*)\b(?=\(|,|\.|\s)", text))
    assert sorted(set(FUNCTIONS) - named) == []
