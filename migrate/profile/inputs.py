"""Legacy sources named on the command line: a file path, or a database URL with tables.

A path's kind comes from its extension (:data:`SUFFIX_KINDS`); a SQLAlchemy URL
(``sqlite:///legacy.db``, ``postgresql://…``) needs at least one ``--table``
and gives one source per table. Each source gets a name made from the file's
stem or the table's name, unique among the sources given.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from migrate.errors import SourceError
from migrate.io.spec import SourceSpec

SUFFIX_KINDS: dict[str, str] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "excel",
    ".xlsm": "excel",
    ".xlsb": "excel",
    ".xls": "excel",
    ".ods": "excel",
    ".parquet": "parquet",
    ".pq": "parquet",
}
DEFAULT_DELIMITERS = {".tsv": "\t"}
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class SourceOptions:
    """How to read the sources given: encoding and delimiter of text files, sheet, tables."""

    encoding: str = "auto"
    delimiter: str | None = None
    sheet: str | int = 0
    tables: tuple[str, ...] = ()
    system: str = "LEGACY"


def is_url(argument: str) -> bool:
    """The argument is a database URL rather than a path."""
    return _URL.match(argument) is not None


def source_specs(arguments: Sequence[str], options: SourceOptions) -> list[SourceSpec]:
    """One SourceSpec per file, and per table of every URL, with unique names."""
    specs: list[SourceSpec] = []
    taken: set[str] = set()
    for argument in arguments:
        for spec in _sources(argument, options):
            specs.append(replace(spec, name=_unique(spec.name, taken)))
    return specs


def _sources(argument: str, options: SourceOptions) -> list[SourceSpec]:
    if is_url(argument):
        if not options.tables:
            raise SourceError(argument.split("://")[0], "a database URL needs --table")
        return [
            SourceSpec(name=table, system=options.system, kind="sql", url=argument, table=table)
            for table in options.tables
        ]
    return [_file_spec(Path(argument), options)]


def _file_spec(path: Path, options: SourceOptions) -> SourceSpec:
    suffix = path.suffix.lower()
    kind = SUFFIX_KINDS.get(suffix)
    if kind is None:
        known = ", ".join(sorted(SUFFIX_KINDS))
        raise SourceError(str(path), f"unknown file type {suffix or '(none)'!r} (valid: {known})")
    return SourceSpec(
        name=path.stem,
        system=options.system,
        kind=kind,
        path=str(path),
        encoding=options.encoding,
        delimiter=options.delimiter or DEFAULT_DELIMITERS.get(suffix, ","),
        sheet=options.sheet,
    )


def identifier(text: str, fallback: str = "column") -> str:
    """``text`` as a lower-case identifier: ASCII letters, digits and ``_``.

    Chinese characters become their pinyin (``客户名称`` -> ``ke_hu_ming_cheng``);
    a name that starts with a digit gets ``fallback`` in front.
    """
    from pypinyin import lazy_pinyin

    spelled = "_".join(lazy_pinyin(text))
    ascii_text = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    name = _NOT_WORD.sub("_", ascii_text.lower()).strip("_")
    if not name:
        return fallback
    return f"{fallback}_{name}" if name[0].isdigit() else name


def _unique(name: str, taken: set[str]) -> str:
    base = identifier(name, "source")
    unique, number = base, 2
    while unique in taken:
        unique, number = f"{base}_{number}", number + 1
    taken.add(unique)
    return unique
