"""Suspicious content: exact counts per kind, visible examples, mojibake."""

from __future__ import annotations

import pytest

from migrate.profile.arrow import text_tally
from migrate.profile.suspicious import looks_garbled, suspicious_content, visible


def _found(values: list[str]) -> dict[str, tuple[int, tuple[str, ...]]]:
    found = suspicious_content(text_tally(values))
    return {s.kind: (s.count, s.examples) for s in found}


def test_each_kind_is_counted_with_visible_examples() -> None:
    found = _found(
        [
            "ok",
            "bell\x07",
            "bell\x07",
            "zero\u200bwidth",
            "ＡＢＣ",
            " lead",
            "trail ",
            "two  spaces",
            "line\nbreak",
            "Pаris",
        ]  # the а in Pаris is Cyrillic
    )
    assert found["control"] == (3, ("bell\\u0007", "zero\\u200bwidth"))  # counted per row
    assert found["fullwidth"][0] == 1
    assert found["edge_space"] == (2, ("␣lead", "trail␣"))
    assert found["double_space"][0] == 1
    assert found["line_break"] == (1, ("line\\nbreak",))
    assert found["mixed_script"][0] == 1


def test_clean_ascii_values_have_nothing_suspicious() -> None:
    assert _found(["alpha", "beta-2", "x@y.cn"]) == {}


def test_mojibake_counts_rows() -> None:
    garbled = "北京".encode().decode("cp1252")  # 'åŒ—äº¬'
    found = _found([garbled, garbled + "分公司", "北京", "Müller"])
    assert found["mojibake"][0] == 2


@pytest.mark.parametrize(
    ("text", "garbled"),
    [
        ("åŒ—äº¬", True),  # UTF-8 read as cp1252
        ("±±¾©", True),  # GBK read as Latin-1
        ("鍖椾含", True),  # UTF-8 read as GBK
        ("名称锟斤拷", True),  # bytes lost on the way
        ("北京市朝阳区", False),
        ("Müller", False),
        ("ação", False),
        ("Café crème", False),
    ],
)
def test_looks_garbled(text: str, garbled: bool) -> None:
    assert looks_garbled(text) is garbled


def test_visible_escapes_invisible_characters() -> None:
    assert visible("\ta\u200bb ") == "\\ta\\u200bb␣"


def test_mojibake_above_the_limit_is_estimated_from_a_sample(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from migrate.profile import suspicious

    monkeypatch.setattr(suspicious, "MOJIBAKE_LIMIT", 50)
    garbled = "北京".encode().decode("cp1252")
    values = [f"{garbled}{i}" if i % 4 == 0 else f"北京{i}" for i in range(400)]
    found = suspicious.mojibake(text_tally(values))
    assert found is not None and found.sampled
    assert 50 <= found.count <= 150  # 100 garbled rows, estimated from 50 of 400
