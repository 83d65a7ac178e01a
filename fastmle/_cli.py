"""The ``fastmle`` command: ``fastmle fit``, ``fastmle bench``, ``fastmle config``, ``fastmle --version``."""
import argparse
import sys

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (exit status 2).

    argparse's default prints the whole usage block first; in scripts and CI
    logs the one line saying what is wrong is what matters, and ``--help``
    is a keystroke away.
    """

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _build_parser():
    from . import __version__
    from ._bench import add_arguments
    from ._cli_fit import add_arguments as add_fit_arguments

    parser = _Parser(prog="fastmle", description="fastmle: fast maximum likelihood fits.")
    parser.add_argument("--version", action="version", version=f"fastmle {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="{fit,bench,config}", parser_class=_Parser)
    fit = sub.add_parser(
        "fit", help="fit a distribution (or rank every candidate) to a column of a data file",
        description="Read one column of a CSV, text, .npy or Parquet file, fit a distribution by "
                    "maximum likelihood and print the summary; with --dist auto (the default) fit "
                    "every candidate and print them ranked by AIC or BIC.")
    add_fit_arguments(fit)
    bench = sub.add_parser(
        "bench", help="time fastmle against scipy on every distribution",
        description="Time scipy's and fastmle's fits on the same data, fit by fit, and compare "
                    "their optima (Δnll). Progress goes to stderr, the table to stdout.")
    add_arguments(bench)
    sub.add_parser("config", help="show how fastmle was built and how many threads fits use",
                   description="Show how fastmle was built and how many threads fits use.")
    return parser


def main(argv=None):
    """Entry point of the ``fastmle`` console script.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name (default ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status: 0 on success, 1 on an error while running, 2 on a usage
        error, 130 when interrupted. Errors are reported as one line on stderr.
    """
    from ._bench import BenchOptionError
    from ._cli_fit import FitInputError

    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "fit":
            from ._cli_fit import main_fit
            return main_fit(args)
        if args.command == "bench":
            from ._bench import main_bench
            return main_bench(args)
        if args.command == "config":
            from ._config import show_config
            show_config()
            return 0
        parser.error("a command is required: fit, bench or config")
    except KeyboardInterrupt:
        print("\nfastmle: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (``fastmle fit ... | head``): not an error of
        # ours; stdout is pointed at devnull so the interpreter's final flush
        # does not raise again
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except FitInputError as exc:          # a file, column or option fastmle fit cannot use
        print(f"fastmle {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except BenchOptionError as exc:       # bad option values found after parsing
        print(f"fastmle {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:   # anything else: one line, not a traceback
        print(f"fastmle {args.command}: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
