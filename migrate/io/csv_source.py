"""Delimited text files, parsed with the ``csv`` module so every field stays text.

Line numbers in errors are physical lines of the file, the header being line 1
(for a quoted field spanning lines, the line where the record ends).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from migrate.errors import SourceError
from migrate.io.encoding import failure_error, first_failure, resolve_encoding
from migrate.io.spec import SourceSpec, existing_file, file_label
from migrate.io.text import clean_header, text_frame

_DELIMITER_NAMES = {"\\t": "\t", "tab": "\t"}


def label(spec: SourceSpec, base_dir: Path) -> str:
    return file_label(spec, base_dir)


def columns(spec: SourceSpec, base_dir: Path) -> list[str]:
    """Pre-flight: the file exists, decodes in full, and has a clean header."""
    path = existing_file(spec, base_dir)
    source = label(spec, base_dir)
    encoding = resolve_encoding(path, spec.encoding, source)
    failure = first_failure(path, encoding)
    if failure is not None:
        raise failure_error(source, encoding, failure)
    with _records(path, encoding, _delimiter(spec, source), source) as records:
        return _header(records, source)


def frames(spec: SourceSpec, base_dir: Path, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """The file in frames of at least one and at most ``chunk_rows`` rows."""
    path = existing_file(spec, base_dir)
    source = label(spec, base_dir)
    encoding = resolve_encoding(path, spec.encoding, source)
    try:
        with _records(path, encoding, _delimiter(spec, source), source) as records:
            yield from _chunks(records, chunk_rows, source)
    except UnicodeDecodeError:
        failure = first_failure(path, encoding)
        if failure is None:  # pragma: no cover - the decoder failed, so must the scan
            raise
        raise failure_error(source, encoding, failure) from None


def _delimiter(spec: SourceSpec, source: str) -> str:
    delimiter = _DELIMITER_NAMES.get(spec.delimiter.lower(), spec.delimiter)
    if len(delimiter) != 1 or delimiter in '\r\n"':
        raise SourceError(source, f"invalid delimiter {spec.delimiter!r}: need one character")
    return delimiter


class _records:
    """Context manager yielding ``(line, fields)`` for every non-blank record."""

    def __init__(self, path: Path, encoding: str, delimiter: str, source: str) -> None:
        self._stream = path.open(encoding=encoding, errors="strict", newline="")
        self._reader = csv.reader(self._stream, delimiter=delimiter, strict=True)
        self._source = source

    def __enter__(self) -> Iterator[tuple[int, list[str]]]:
        return self._iterate()

    def __exit__(self, *exc_info: object) -> None:
        self._stream.close()

    def _iterate(self) -> Iterator[tuple[int, list[str]]]:
        while True:
            try:
                fields = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:
                line = self._reader.line_num
                raise SourceError(self._source, f"line {line}: {exc}", row=line) from None
            if fields:
                yield self._reader.line_num, fields


def _header(records: Iterator[tuple[int, list[str]]], source: str) -> list[str]:
    first = next(records, None)
    if first is None:
        raise SourceError(source, "file is empty: no header line")
    return clean_header(first[1], source)


def _chunks(
    records: Iterator[tuple[int, list[str]]], chunk_rows: int, source: str
) -> Iterator[pd.DataFrame]:
    header = _header(records, source)
    width = len(header)
    rows: list[list[str]] = []
    yielded = False
    for line, fields in records:
        if len(fields) != width:
            raise SourceError(
                source, f"line {line} has {len(fields)} fields, the header has {width}", row=line
            )
        rows.append(fields)
        if len(rows) >= chunk_rows:
            yield text_frame(rows, header)
            rows, yielded = [], True
    if rows or not yielded:
        yield text_frame(rows, header)
