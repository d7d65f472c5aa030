"""`python -m nn.cli ARGS` runs `agrad ARGS`, as the console script does."""
import sys

from . import main

if __name__ == "__main__":  # not on a mere import (the docstring tests import every module)
    sys.exit(main())
