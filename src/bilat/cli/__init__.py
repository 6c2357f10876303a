"""The command line: ``bilat``. Thin: each command parses, calls one library function, prints.

Exit codes: 0 done, 1 failed, 2 bad input or usage. Errors print a message a person can act
on; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import importlib
import sys
from typing import Annotated

import typer
from typer.exceptions import TyperException

from bilat.cli._common import err_console, print_json
from bilat.document import error_document
from bilat.errors import BilatError, InputError

__all__ = ["app", "main"]

app = typer.Typer(
    name="bilat",
    help="Evidence for a bilateral economic relationship: trade, potential, commitments, air rights.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

_state = {"debug": False, "json_errors": False}


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """bilat: the evidence behind a bilateral commission, in one place."""
    _state["debug"] = debug


# Each part registers its own commands; the order is the order of `bilat --help`.
_PARTS = (
    "bilat.cli.ingest",
    "bilat.cli.lake",
    "bilat.cli.trade",
    "bilat.cli.potential",
    "bilat.cli.complexity",
    "bilat.cli.air",
    "bilat.cli.agenda",
    "bilat.cli.agenda_formats",
    "bilat.cli.agenda_edit",
    "bilat.cli.agenda_grades",
    "bilat.cli.agenda_indicators",
    "bilat.cli.claims",
    "bilat.cli.brief",
    "bilat.cli.fetch",
    "bilat.cli.mirror",
    "bilat.cli.web",
    "bilat.cli.demo",
)

for _mod in _PARTS:
    importlib.import_module(_mod).register(app)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code instead of raising (used by the console script)."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    want_json = "--json" in args
    try:
        app(args=args, prog_name="bilat", standalone_mode=False)
    except BilatError as exc:
        if debug:
            raise
        if want_json:
            print_json(error_document(exc))
        err_console.print(f"[bold red]error:[/] {exc.message}", soft_wrap=True)
        return exc.exit_code
    except typer.Exit as exc:
        return int(getattr(exc, "exit_code", 0) or 0)
    except typer.Abort:
        err_console.print("aborted")
        return 1
    except TyperException as exc:  # usage errors: bad option, missing argument
        if want_json:
            print_json(error_document(_usage_error(exc)))
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            err_console.print(f"error: {exc}")
        return int(getattr(exc, "exit_code", 2))
    except KeyboardInterrupt:
        err_console.print("interrupted")
        return 130
    return 0


def _usage_error(exc: Exception) -> InputError:
    """A usage error (bad option value, missing argument) as the one error shape's error."""
    fmt = getattr(exc, "format_message", None)
    message = str(fmt() if callable(fmt) else exc)
    param = getattr(exc, "param", None)
    details: dict[str, object] = {}
    if param is not None and getattr(param, "opts", None):
        details["option"] = param.opts[0]
    return InputError(message, details=details)


def _entry() -> None:  # pragma: no cover - console script shim
    sys.exit(main())
