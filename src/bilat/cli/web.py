"""``bilat serve`` (the web app) and ``bilat users`` (its accounts)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bilat.cli._common import (
    HomeOption,
    JsonOption,
    LakeOption,
    console,
    open_lake,
    print_json,
    print_table,
)
from bilat.errors import InputError

if TYPE_CHECKING:
    from bilat.web import Accounts

__all__ = ["register"]

users_app = typer.Typer(
    help="Accounts of the web app (viewer, editor, admin).", no_args_is_help=True
)

RoleOption = Annotated[
    str, typer.Option("--role", help="viewer (read), editor (agenda changes) or admin.")
]
UsersDbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Accounts database URL (default: $BILAT_HOME/web.db).", show_default=False
    ),
]


def _accounts(db: str | None) -> Accounts:
    from bilat.web import Accounts, Settings

    return Accounts.open(Settings(users_url=db).users_database())


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        text = sys.stdin.readline().rstrip("\r\n")
        if not text:
            raise InputError("no password on standard input; pipe one line, e.g. `echo ... |`")
        return text
    first = typer.prompt("Password", hide_input=True)
    second = typer.prompt("Repeat password", hide_input=True)
    if first != second:
        raise InputError("the two passwords differ; nothing was created")
    return str(first)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Sign-in name.")],
    role: RoleOption = "viewer",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    db: UsersDbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create an account; the password is prompted for (or read with --password-stdin)."""
    from bilat.web.accounts import validate_role

    validate_role(role)
    password = _read_password(password_stdin)
    user = _accounts(db).add(name, password, role=role)
    if as_json:
        print_json(user)
    else:
        console.print(f"added user {user.name} ({user.role})")


@users_app.command("list")
def users_list(db: UsersDbOption = None, as_json: JsonOption = False) -> None:
    """List accounts and their roles."""
    users = _accounts(db).list()
    if as_json:
        print_json(users)
    else:
        print_table(
            [{"name": u.name, "role": u.role, "created": str(u.created_at)[:19]} for u in users],
            columns=["name", "role", "created"],
        )


@users_app.command("set-role")
def users_set_role(
    name: Annotated[str, typer.Argument(help="Sign-in name.")],
    role: Annotated[str, typer.Argument(help="viewer, editor or admin.")],
    db: UsersDbOption = None,
) -> None:
    """Change an account's role."""
    user = _accounts(db).set_role(name, role)
    console.print(f"{user.name} is now {user.role}")


@users_app.command("remove")
def users_remove(
    name: Annotated[str, typer.Argument(help="Sign-in name.")], db: UsersDbOption = None
) -> None:
    """Delete an account."""
    _accounts(db).remove(name)
    console.print(f"removed user {name}")


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    lake: LakeOption = None,
    home: HomeOption = None,
    case: Annotated[
        Path | None,
        typer.Option(
            "--case",
            help="Case folder or a shipped case's name (default: the founding case).",
            show_default=False,
        ),
    ] = None,
    agenda_db: Annotated[
        str | None,
        typer.Option("--agenda-db", help="Agenda database URL.", show_default=False),
    ] = None,
    create: Annotated[
        bool,
        typer.Option(
            "--create", help="Start an empty lake at --lake when there is none (then upload)."
        ),
    ] = False,
) -> None:
    """Start the web app (dashboard and JSON API) with uvicorn."""
    import uvicorn

    from bilat.cases import resolve_case
    from bilat.web import Settings, create_app

    if case is not None:
        case = resolve_case(case)  # a folder, or a shipped case's name (blr-kaz-2022)
    if case is not None and not (case / "case.yaml").is_file():
        raise InputError(f"{case} is not a case folder: case.yaml is missing")
    the_lake = open_lake(lake, create=create, home=home)
    settings = Settings(lake_path=the_lake.root, case_dir=case, agenda_url=agenda_db)
    app = create_app(settings, lake=the_lake)
    console.print(f"bilat web app on http://{host}:{port}/ (API docs at /api/docs)")
    uvicorn.run(app, host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``users`` to the ``bilat`` command."""
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")
