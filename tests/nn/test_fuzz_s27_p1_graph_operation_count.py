"""agrad graph's limit of 50 operations counted every operator, unary minus and call, also those of numbers alone,
which compute a constant and draw no node: the -1 of clip(x, -1, 1), the 2*3 of x*(2*3). So an expression whose
graph held 50 operations was refused as having 51 or more. Found by comparing the count with the graphs the
expressions make (session 27, P1)."""
import ast
import random

from autograd_core.backprop import topological_order
from autograd_core.expression import FUNCTIONS, parse
from nn.cli import main
from nn.cli.graph import count_operations


def graph_operations(source):
    out, _ = parse(source).evaluate()
    return sum(node._op is not None for node in topological_order(out))


def test_operations_of_numbers_alone_are_not_counted():
    for source, expected in (("x * -2", 1), ("x*(2*3)", 1), ("clip(x, -1, 1)", 1), ("leaky_relu(x, -0.1)", 1),
                             ("exp(2)*x", 1), ("-2 + x", 1), ("-(-(-x))", 3), ("2**3**x", 2), ("+x", 0)):
        assert count_operations(ast.parse(source, mode="eval")) == expected == graph_operations(source), source


def test_the_count_is_the_number_of_operations_in_the_graph_for_random_expressions():
    rng = random.Random(27)

    def expression(depth):
        r = rng.random()
        if depth == 0 or r < 0.3:
            return rng.choice(["x", "y", "2", "0.5", "-1"])
        if r < 0.6:
            return f"({expression(depth - 1)} {rng.choice('+-*/%')} {expression(depth - 1)})"
        if r < 0.7:
            return rng.choice("-+") + expression(depth - 1)
        name = rng.choice(list(FUNCTIONS))
        _, n_tensors, optional = FUNCTIONS[name]
        numbers = ["-0.5", "2.0"][:rng.randint(0, len(optional))]
        return f"{name}({', '.join([expression(depth - 1) for _ in range(n_tensors)] + numbers)})"

    for _ in range(300):
        source = expression(rng.randint(1, 4))
        assert count_operations(parse(source).tree) == graph_operations(source), source


def test_fifty_operations_with_negative_bounds_are_drawn(tmp_path, monkeypatch, capsys):
    import autograd_core.viz

    drawn = []
    monkeypatch.setattr(autograd_core.viz, "render_graph",
                        lambda picture, path, format="png", **kw: drawn.append(picture) or path)
    source = "tanh(" * 49 + "clip(x, -1, 1)" + ")" * 49  # 50 operations; the -1 made it 51
    assert graph_operations(source) == 50
    assert main(["graph", source, "--out", str(tmp_path / "g.png")]) == 0 and len(drawn) == 1
    assert main(["graph", "-1*" + source, "--out", str(tmp_path / "g.png")]) == 2
    assert "51 operations" in capsys.readouterr().err and len(drawn) == 1
