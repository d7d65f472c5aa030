"""`agrad`: the command line. `agrad train` trains an MLP; `agrad graph EXPR` draws an expression's graph."""
import argparse
import os
import sys


class CliError(Exception):
    """A user mistake on the command line: printed as one line, exit status 2, no traceback."""


def main(argv=None):
    from . import graph, train

    parser = argparse.ArgumentParser(prog="agrad", description="Train MLPs and draw computational graphs.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, module in (("train", train), ("graph", graph)):
        sub = commands.add_parser(name, help=module.__doc__.splitlines()[0], description=module.__doc__)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser.parse_args(graph.expression_not_option(argv) if argv[:1] == ["graph"] else argv)
    try:
        return args.run(args) or 0
    except CliError as err:
        print(f"agrad {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"agrad {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader left early (agrad ... | head): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit flush cannot fail again
        return 141


if __name__ == "__main__":
    sys.exit(main())
