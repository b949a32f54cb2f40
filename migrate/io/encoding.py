"""Finding a legacy text file's encoding and where it stops decoding.

``auto`` tries strict UTF-8 (a BOM allowed) over the whole file first. When
that fails, charset-normalizer looks at a sample of whole lines starting at
the first byte that is not UTF-8; a Chinese guess (GBK,
GB2312) is widened to GB18030, which decodes every byte sequence they do, and
GB18030 wins whenever it is as plausible as the best guess (short Chinese
samples often fit Big5, CP949 or EUC-JP just as well). Below
``SHORT_SAMPLE_BYTES`` non-ASCII bytes no detector can tell East Asian
double-byte codecs apart, so a sample that decodes as GB18030 is read as
GB18030; a Korean or Japanese source that short declares its ``encoding``.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
from charset_normalizer import CharsetMatch

from migrate.errors import SourceError

BLOCK_BYTES = 1 << 20
BOM_BYTES = 4
LINE_BACK_BYTES = 4 * 1024
WINDOW_BYTES = 256 * 1024

_GB_FAMILY = {"gb18030", "gbk", "gb2312"}
_EAST_ASIAN = {
    "big5",
    "big5hkscs",
    "cp949",
    "euc_kr",
    "johab",
    "shift_jis",
    "cp932",
    "euc_jp",
    "iso2022_jp",
    "cp950",
}
SHORT_SAMPLE_BYTES = 256
_TIE_TOLERANCE = 0.01

# Guesses widened to a superset codec.
_WIDER = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
}
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class DecodeFailure:
    """The first byte that does not decode: offset from the file start and line."""

    offset: int
    line: int
    reason: str


def codec_name(encoding: str, source: str) -> str:
    """The canonical codec name, or SourceError for an unknown encoding."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise SourceError(source, f"unknown encoding {encoding!r}") from None


def first_failure(path: Path, encoding: str) -> DecodeFailure | None:
    """Decode the whole file strictly; where it first fails, or ``None``."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    with path.open("rb") as stream:
        while True:
            block = stream.read(BLOCK_BYTES)
            start = offset - len(decoder.getstate()[0])
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                return _failure(path, start + exc.start, exc.reason)
            if not block:
                return None
            offset += len(block)


def _failure(path: Path, offset: int, reason: str) -> DecodeFailure:
    newlines = 0
    with path.open("rb") as stream:
        remaining = offset
        while remaining > 0:
            block = stream.read(min(BLOCK_BYTES, remaining))
            if not block:
                break
            newlines += block.count(b"\n")
            remaining -= len(block)
    return DecodeFailure(offset=offset, line=newlines + 1, reason=reason)


def failure_error(source: str, encoding: str, failure: DecodeFailure) -> SourceError:
    """The SourceError for a file that does not decode in ``encoding``."""
    return SourceError(
        source,
        f"does not decode as {encoding}: {failure.reason} at byte offset {failure.offset} "
        f"(line {failure.line})",
        row=failure.line,
    )


def resolve_encoding(path: Path, encoding: str, source: str) -> str:
    """The codec to read ``path`` with: ``encoding`` itself, or detected for ``auto``."""
    if encoding.lower() != "auto":
        return codec_name(encoding, source)
    return detect_encoding(path, source)


def detect_encoding(path: Path, source: str) -> str:
    """Strict UTF-8 first, then charset-normalizer on a sample; SourceError when none fits."""
    with path.open("rb") as stream:
        head = stream.read(BOM_BYTES)
    if head.startswith(_UTF16_BOMS):
        return "utf-16"
    utf8_failure = first_failure(path, "utf-8")
    if utf8_failure is None:
        return "utf-8-sig"
    sample = _sample(path, utf8_failure.offset)
    results = charset_normalizer.from_bytes(sample)
    best = results.best()
    if best is None:
        raise SourceError(
            source,
            "does not decode in any supported encoding: not UTF-8 "
            f"({utf8_failure.reason} at byte offset {utf8_failure.offset}, "
            f"line {utf8_failure.line}) and no other encoding fits",
            row=utf8_failure.line,
        )
    if any(_ties_with(match, best) for match in results if _is_simplified_chinese(match)):
        return "gb18030"
    if _too_short_to_tell(sample, best):
        return "gb18030"
    name = codecs.lookup(best.encoding).name
    return _WIDER.get(name, name)


def _too_short_to_tell(sample: bytes, best: CharsetMatch) -> bool:
    """An East Asian guess on too few bytes to trust, where GB18030 decodes the sample too."""
    if codecs.lookup(best.encoding).name not in _EAST_ASIAN:
        return False
    if sum(byte >= 0x80 for byte in sample) >= SHORT_SAMPLE_BYTES:
        return False
    try:
        sample.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


def _is_simplified_chinese(match: CharsetMatch) -> bool:
    return codecs.lookup(match.encoding).name in _GB_FAMILY


def _ties_with(match: CharsetMatch, best: CharsetMatch) -> bool:
    """As plausible as the best guess: short samples often tie between CJK codecs."""
    return (
        match.chaos <= best.chaos + _TIE_TOLERANCE
        and match.coherence >= best.coherence - _TIE_TOLERANCE
    )


def _sample(path: Path, failure_offset: int) -> bytes:
    """Whole lines from the one holding the first non-UTF-8 byte onwards.

    What comes before that byte is ASCII or UTF-8 and tells nothing about the
    legacy encoding. Cuts fall on newlines, which no supported multi-byte codec
    uses inside a character, so the sample decodes exactly as the file does.
    """
    start = max(failure_offset - LINE_BACK_BYTES, 0)
    with path.open("rb") as stream:
        stream.seek(start)
        window = stream.read(WINDOW_BYTES)
    relative = failure_offset - start
    newline = window.rfind(b"\n", 0, relative)
    line_start = newline + 1 if newline >= 0 or start == 0 else relative
    if len(window) == WINDOW_BYTES:
        end = window.rfind(b"\n")
        window = window[: end + 1] if end > line_start else window
    return window[line_start:]
