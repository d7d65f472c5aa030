"""`agrad`: the command line. `agrad train` trains an MLP; `agrad graph EXPR` draws an expression's graph."""
import argparse
import importlib
import os
import shutil
import sys

from .._arguments import shorten  # (re-exported: the commands' messages use it)


class CliError(Exception):
    """A user mistake on the command line: printed as one line, exit status 2, no traceback."""


def printable(text):
    """text with what stdout's encoding cannot write escaped: a path may hold a lone surrogate (how
    Python decodes a byte of a file name that is not UTF-8), and printing it must not fail after the
    files are written.

    >>> from nn.cli import printable
    >>> printable("runs/r\\udcff")  # the byte 0xff, as Python decodes a file name
    'runs/r\\\\udcff'
    """
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    return text.encode(encoding, "backslashreplace").decode(encoding)


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line, as every agrad error is (argparse prints the usage
    text before it). --help is unchanged."""

    def error(self, message):
        message = " ".join(message.splitlines())  # an unrecognised argument may hold a newline
        if len(message) > 300:  # or be huge (argparse echoes it whole)
            message = f"{message[:300]}... ({len(message):,} characters)"
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def number_option(text):
    """argparse type of a float option: like float, but a bad value is echoed shortened.

    >>> from nn.cli import number_option
    >>> number_option("2e-3")
    0.002
    """
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {shorten(text)}") from None


def require(modules, extras):
    """Refuse to start unless the Python packages `modules` import and Graphviz's dot program is on
    PATH: found missing only after training, they would cost the run its summary and files.

    `extras` names the package extras that install the modules, e.g. "train,viz".
    """
    missing = [name for name in modules if not importable(name)]
    if missing:
        packages = " and ".join(missing)
        raise CliError(f"the Python package{'s' if len(missing) > 1 else ''} {packages} "
                       f"{'are' if len(missing) > 1 else 'is'} not installed; "
                       f"install with: pip install 'autograd_core[{extras}]'")
    if shutil.which("dot") is None:
        from autograd_core.viz import INSTALL_HINT  # importable here: the graphviz package is installed

        raise CliError(f"Graphviz's `dot` program was not found on PATH; {INSTALL_HINT}")


def importable(name):
    """Whether the module `name` can be imported."""
    try:
        importlib.import_module(name)
        return True
    except ImportError:
        return False


def main(argv=None):
    """Run `agrad ARGV` (default: sys.argv[1:]) and return the exit status: 0 done, 2 a user
    mistake (one line on stderr), 1 a file or the output could not be written, 130 interrupted, 141 the
    output pipe closed."""
    from . import graph, train

    parser = Parser(prog="agrad", description="Train MLPs and draw computational graphs.")  # subcommands too
    commands = parser.add_subparsers(dest="command", required=True)
    for name, module in (("train", train), ("graph", graph)):
        sub = commands.add_parser(name, help=module.__doc__.splitlines()[0], description=module.__doc__)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    if argv is None:  # the process is agrad's: what the terminal's encoding lacks is escaped, not a traceback
        for stream in (sys.stdout, sys.stderr):  # (a caller's own streams, main(argv) from Python, are its own)
            if hasattr(stream, "reconfigure"):
                stream.reconfigure(errors="backslashreplace")
    argv = sys.argv[1:] if argv is None else list(argv)
    for arg in argv:  # (main(argv) from Python: no shell passes either, and argparse would fail with a traceback)
        if not isinstance(arg, str):
            raise TypeError(f"agrad: each argument must be a str, as on a command line, got {type(arg).__name__} "
                            f"{repr(arg)[:80]}")
        if "\0" in arg:  # a path holding one failed in open() ("embedded null byte"), after the options were read
            parser.error(f"argument {shorten(arg)} holds a NUL character, which no command line can pass")
    if argv[:1] == ["graph"]:  # words after EXPR are most often an expression the shell split (x * y unquoted)
        args, extra = parser.parse_known_args(graph.expression_not_option(argv))
        if extra:
            split = not any(word.startswith("--") for word in extra)  # (a mistyped option is no split expression)
            parser.error(f"unrecognized arguments: {' '.join(extra)}" + (
                "; EXPR must be one argument: quote it, as in agrad graph 'x * y'" if split else ""))
    else:
        args = parser.parse_args(argv)
    try:
        status = args.run(args) or 0
        sys.stdout.flush()  # here, where a failure to write is caught: at exit it would be a traceback and 120
        return status
    except CliError as err:
        print(f"agrad {args.command}: error: {err}", file=sys.stderr)
        return 2
    except MemoryError as err:  # e.g. --hidden 90000,90000: NumPy's own message says how much was asked
        detail = str(err).splitlines()[0] if str(err) else "a NumPy array did not fit in memory"
        hint = "; try narrower --hidden layers or a smaller --batch-size" if args.command == "train" else ""
        print(f"agrad {args.command}: error: out of memory ({detail}){hint}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"agrad {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader left early (agrad ... | head): stop quietly, as Unix tools do
        _drop_stdout()
        return 141
    except OSError as err:  # a file or the output could not be written (agrad ... > /dev/full): one line
        print(f"agrad {args.command}: error: {err}", file=sys.stderr)
        try:
            sys.stdout.flush()  # what was printed before, when stdout still takes it
        except OSError:
            _drop_stdout()
        return 1


def _drop_stdout():
    """Point stdout at the null device, so that the flush at exit cannot fail again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
