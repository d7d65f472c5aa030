# One-command set-up: `make demo` and `make test` create .venv, install the package
# with what it needs (Graphviz's `dot` included), then run the demo or the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EXTRAS := dev,viz,train,notebooks

.PHONY: setup demo test bench graphviz clean

setup: graphviz $(STAMP)

# --clear: a .venv left by an earlier Python (or a failed install) is rebuilt, not reused.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "Python 3.11 or newer is needed; '$(PYTHON)' is older or missing. Run: make $(MAKECMDGOALS) PYTHON=/path/to/python3.11"; \
	  exit 1; }
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	touch $@

# Graphviz's `dot` is a system program: install it with apt-get when we can.
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Graphviz (dot) with apt-get..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	  elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	  else \
	    echo "Graphviz's 'dot' program is missing. Install it, then re-run make:"; \
	    echo "  Debian/Ubuntu: sudo apt-get install graphviz   macOS: brew install graphviz"; \
	    exit 1; \
	  fi; }
	@command -v dot >/dev/null 2>&1 || { echo "Graphviz install failed: 'dot' still not on PATH"; exit 1; }

demo: setup
	$(BIN)/agrad train

test: setup
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

bench: setup
	$(BIN)/python -m pip install --quiet -e '.[bench]' || echo "PyTorch not installed: benchmarks compare with NumPy only"
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info
