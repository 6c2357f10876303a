"""What every reader hands to the lake: one :class:`SourceFile` per ingestible file.

The contract between a reader and the lake is all here:

- a reader returns frozen :class:`SourceFile` objects, opened lazily;
- ``SourceFile.read(strict=...)`` streams validated Arrow record batches in the canonical
  schema of ``kind`` and, once exhausted, *returns* a frozen :class:`ReadResult` (the
  checksum, what the reader left out, the bad values) as the generator's return value;
- the reader checks that no key repeats within the file (duplicated keys are the reader's
  to find: only it knows the lines), and raises a :class:`~bilat.errors.ValidationError`
  before it returns;
- the lake writes the batches, and decides from the result whether to commit.

Nothing is mutated on either side: a second ``read()`` reads the file afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import IO, Any

import pyarrow as pa

from bilat.sources.problems import Problem, Problems

__all__ = ["ReadLog", "ReadResult", "ReaderOption", "ReaderSpec", "Reading", "SourceFile"]


@dataclass(frozen=True, slots=True)
class ReadResult:
    """What one complete read of a file found.

    Attributes
    ----------
    sha256
        Checksum of the bytes read (decompressed: the content, not the container).
    size
        Length of those bytes when the reader counted them, else ``None``.
    problems
        The bad values, left out of the batches (the lake raises the first one unless
        ``skip_bad_rows``).
    notes
        What the reader left out on purpose (breakdown rows, other flows), one line each.
    hs_rev
        The HS revision of the rows read (it may be known only after reading: Comtrade).
    """

    sha256: str
    size: int | None
    problems: tuple[Problem, ...]
    notes: tuple[str, ...]
    hs_rev: str


#: One pass over a file: yields batches, returns the :class:`ReadResult`.
Reading = Generator[pa.RecordBatch, None, ReadResult]


@dataclass
class ReadLog:
    """What one pass of a reader collects as it goes: private to that pass.

    A reader makes one per ``read()`` call and turns it into the frozen :class:`ReadResult`
    with :meth:`result`; nothing outside the reader sees it.
    """

    path: str
    strict: bool
    problems: Problems = field(init=False)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.problems = Problems(self.path)

    @property
    def stop(self) -> bool:
        """True once a bad value was found and the read is strict: reading further is waste."""
        return bool(self.problems) and self.strict

    def result(self, sha256: str, *, size: int | None, hs_rev: str) -> ReadResult:
        return ReadResult(
            sha256=sha256,
            size=size,
            problems=tuple(self.problems.items),
            notes=tuple(self.notes),
            hs_rev=hs_rev,
        )


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One file (or one member of a zip) ready to ingest.

    Attributes
    ----------
    kind
        ``"flows"`` or ``"declarations"``.
    source
        ``"baci"``, ``"comtrade"``, ``"synthetic"`` or ``"csv:<name>"``.
    path
        Display path; a zip member is ``archive.zip::member.csv``.
    release
        Release tag when the source has releases (BACI ``V202401``), else ``None``.
    hs_rev
        HS revision of the products (``HS17``), ``HS`` when the source does not say (the
        :class:`ReadResult` may know better once read).
    reader
        ``reader(strict)`` starts one pass over the file (see :meth:`read`).
    open_raw
        Opens the bytes ``ReadResult.sha256`` covers (decompressed), without parsing them,
        when the reader can: the lake hashes them first to recognise a file it already holds
        before writing anything. ``None``: the lake knows the checksum only after reading.
    raw_size
        The length of those bytes when known without reading them (a file's size, a zip
        member's), else ``None``.
    """

    kind: str
    source: str
    path: str
    release: str | None
    hs_rev: str
    reader: Callable[[bool], Reading]
    open_raw: Callable[[], IO[bytes]] | None = None
    raw_size: int | None = None

    def read(self, *, strict: bool = True) -> Reading:
        """Stream the file's validated batches; the generator returns the :class:`ReadResult`.

        ``strict``: stop at the first bad value (the lake will refuse the file anyway);
        otherwise read on, leaving every bad row out and listing it in the result.
        """
        return self.reader(strict)


@dataclass(frozen=True, slots=True)
class ReaderOption:
    """One keyword a reader takes besides the path.

    Attributes
    ----------
    name
        The reader's keyword (``hs_rev``); the command line spells it ``--hs-rev``.
    help
        One line for the command line's help and the docs.
    type
        ``str``, ``float`` or ``dict`` (a map written ``KEY=VALUE,...`` as text).
    default
        The value when not given (``None``: the reader decides).
    required
        True when the reader cannot do without it.
    parse
        Turns the option's text form (command line, web form) into the value the reader
        takes; ``None`` when the text is the value (or ``type`` converts it).
    """

    name: str
    help: str
    type: type = str
    default: Any = None
    required: bool = False
    parse: Callable[[str], Any] | None = None


@dataclass(frozen=True, slots=True)
class ReaderSpec:
    """A data source as the registry knows it (:mod:`bilat.sources.registry`).

    Attributes
    ----------
    name
        The source kind users name (``bilat ingest NAME``, ``Lake.ingest(NAME, path)``).
    kind
        What it produces: ``flows`` or ``declarations``.
    description
        One line: what the source is and what is stored.
    files
        One line: the files it reads (help of the path argument, docs table).
    read
        ``read(path, **options)``: a :class:`SourceFile` or a list of them (a release zip).
    options
        The keywords ``read`` takes besides the path.
    """

    name: str
    kind: str
    description: str
    files: str
    read: Callable[..., SourceFile | list[SourceFile]]
    options: tuple[ReaderOption, ...] = ()

    @property
    def needs_options(self) -> bool:
        """True when some option has no default (the web upload offers only sources without)."""
        return any(o.required for o in self.options)
