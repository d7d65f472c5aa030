"""Each public package's __all__ names every public name once, and each name it lists exists: `from nn import *`
gives what the README lists, and merged name lists cannot silently hold a name twice."""
import collections
import importlib

import pytest

PACKAGES = ["autograd_core", "autograd_core.distributions", "autograd_core.ops.linalg", "autograd_core.testing", "nn",
            "nn.functional", "nn.init", "nn.optim", "nn.optim.optimizer", "nn.optim.lr_scheduler", "nn.utils",
            "nn.utils.prune", "nn.utils.rnn", "nn.utils.data", "nn.optim.swa_utils", "autograd_core.sparse",
            "nn.parameter", "nn.modules", "nn.modules.utils", "autograd_core.func", "nn.func", "autograd_core.special",
            "autograd_core.signal_windows"]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_lists_each_name_once_and_each_exists(name):
    module = importlib.import_module(name)
    names = getattr(module, "__all__", None)
    if names is None:
        pytest.skip(f"{name} has no __all__")
    twice = [n for n, count in collections.Counter(names).items() if count > 1]
    assert not twice, f"{name}.__all__ lists {twice} more than once"
    missing = [n for n in names if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ lists {missing}, which {name} does not define"
