"""Case folders shipped with bilat (``blr-kaz-2022``), and finding a case by path or name.

A case is a folder of YAML a secretariat keeps under version control: ``case.yaml``,
``agenda.yaml``, ``claims.yaml`` and ``air/*.yaml``. Commands that take a case accept a path
or the name of a shipped case.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from bilat.errors import InputError

__all__ = ["resolve_case", "shipped_cases"]


def shipped_cases() -> list[str]:
    """Names of the cases shipped inside the package."""
    root = Path(str(resources.files("bilat.cases")))
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("_"))


def resolve_case(case: str | Path) -> Path:
    """A case folder: ``case`` as a path when it exists, else a case shipped with bilat.

    Raises
    ------
    InputError
        Neither a folder nor a shipped case of that name (exit code 2: bad input).
    """
    p = Path(case)
    if p.exists():
        return p
    shipped = Path(str(resources.files("bilat.cases"))) / str(case)
    if shipped.is_dir():
        return shipped
    known = shipped_cases()
    raise InputError(
        f"no case folder {str(case)!r}: give the path of a case folder, or the name of a "
        f"shipped case ({', '.join(known)})",
        details={"value": str(case), "shipped": known},
    )
