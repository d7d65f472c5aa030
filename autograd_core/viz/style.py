"""Fixed choices of the drawings: formats, colours, symbols, which operations join which module."""
from ..atomic_file import GRAPH_FORMATS as FORMATS  # noqa: F401 (defined there: `agrad graph` reads them without viz)

INSTALL_HINT = (
    "install Graphviz: sudo apt-get install graphviz (Debian/Ubuntu), brew install graphviz (macOS), "
    "conda install graphviz, or run `make setup` in the project"
)
RANKDIRS = ("LR", "TB", "RL", "BT")

# Activations drawn inside the module whose output they transform (see the module docstring).
ACTIVATIONS = frozenset({"relu", "leaky_relu", "elu", "sigmoid", "tanh", "softplus"})
# Reshaping operations and casts: drawn inside the module whose operations use their results.
GLUE = frozenset({"transpose", "reshape", "astype", "broadcast_to", "expand_dims", "squeeze", "swapaxes"})
COMMUTATIVE = frozenset({"add", "multiply", "maximum", "minimum"})
# op name -> (symbol shown large, operand pattern shown small); others show their name.
SYMBOLS = {
    "add": ("+", "a + b"), "subtract": ("\u2212", "a \u2212 b"), "multiply": ("\u00d7", "a \u00d7 b"),
    "divide": ("\u00f7", "a / b"), "power": ("**", "a ** b"), "matmul": ("@", "a @ b"),
    "negative": ("\u2212", "\u2212a"), "linear": ("linear", "a @ b.T + c"),
}
ARG_NAMES = "abcdefghijklmnopqrstuvwxyz"

# Colours (Tailwind-like palette): calm fills, the output and gradients stand out.
FONT = "Helvetica"
STYLE = {
    "input": {"fillcolor": "#dbeafe", "color": "#3b82f6"},       # a leaf that requires grad
    "param": {"fillcolor": "#dcfce7", "color": "#16a34a"},       # an nn parameter
    "hidden": {"fillcolor": "#f8fafc", "color": "#94a3b8"},      # an intermediate result
    "output": {"fillcolor": "#fef3c7", "color": "#b45309", "penwidth": "2"},
    "backward": {"fillcolor": "#fee2e2", "color": "#dc2626"},    # a node of the recorded backward pass
}
GRAD_COLOR = "#b91c1c"
MUTED = "#64748b"
