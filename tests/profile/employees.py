"""A legacy HR extract of another shape than the demo's, with known defects, for the tests.

Chinese column headers, employee numbers ``E00001``, mobile numbers in four
formats, hire dates in three, salaries with thousands separators, department
codes with case variants, remarks with full-width text, control characters and
mojibake, and a known number of near-duplicate records (a copy of an employee
under a new number, its phone written another way). Deterministic for a seed.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

COLUMNS = ["工号", "姓名", "部门", "手机", "邮箱", "入职日期", "月薪", "备注"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
PINYIN = [
    "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou",
    "xu", "sun", "ma", "zhu", "hu", "guo", "he", "gao", "lin", "luo",
]  # fmt: skip
DEPARTMENTS = ["HR", "FIN", "IT", "OPS", "hr"]
PHONE_FORMATS = ("{a}{b}{c}", "{a} {b} {c}", "{a}-{b}-{c}", "+86 {a} {b} {c}")
MOJIBAKE = "åŒ—äº¬"  # 北京 in UTF-8, read as cp1252


@dataclass
class Truth:
    """What the generator put in: counts a profile must find."""

    rows: int = 0
    empty_email: int = 0
    fullwidth_remarks: int = 0
    control_remarks: int = 0
    mojibake_remarks: int = 0
    near_duplicate_records: int = 0
    phone_formats: set[str] = field(default_factory=set)


def employees(rows: int, seed: int = 7, duplicates: float = 0.1) -> tuple[pd.DataFrame, Truth]:
    """``rows`` originals plus ``duplicates`` of them copied; every value as text (None empty)."""
    rng = random.Random(seed)
    truth = Truth()
    records = [_employee(rng, number, truth) for number in range(1, rows + 1)]
    copies = rng.sample(range(rows), round(rows * duplicates))
    for offset, index in enumerate(copies, start=rows + 1):
        copy = dict(records[index])
        copy["工号"] = f"E{offset:05d}"
        copy["手机"] = _phone(rng, _digits(copy["手机"]) if copy["手机"] else None)
        records.append(copy)
    truth.near_duplicate_records = 2 * len(copies)
    truth.rows = len(records)
    truth.empty_email = sum(r["邮箱"] is None for r in records)
    _count_remarks(records, truth)
    return pd.DataFrame(records, columns=COLUMNS), truth


def _employee(rng: random.Random, number: int, truth: Truth) -> dict[str, str | None]:
    surname = rng.randrange(len(SURNAMES))
    name = SURNAMES[surname] + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    phone = _phone(rng, None)
    truth.phone_formats.add(_shape(phone))
    year, month, day = rng.randint(2000, 2023), rng.randint(1, 12), rng.randint(1, 28)
    date = rng.choice(
        (f"{year}-{month:02d}-{day:02d}", f"{year}/{month}/{day}", f"{year}{month:02d}{day:02d}")
    )
    salary = rng.randint(4000, 60000) + rng.choice((0, 0.5))
    return {
        "工号": f"E{number:05d}",
        "姓名": name + (" " if rng.random() < 0.05 else ""),
        "部门": rng.choice(DEPARTMENTS),
        "手机": phone,
        "邮箱": None if rng.random() < 0.1 else f"{PINYIN[surname]}.{number}@example.cn",
        "入职日期": date,
        "月薪": f"{salary:,.2f}" if rng.random() < 0.5 else f"{salary:.2f}",
        "备注": _remark(rng),
    }


def _phone(rng: random.Random, digits: str | None) -> str:
    digits = digits or "1" + str(rng.choice((3, 5, 8))) + "".join(rng.choices("0123456789", k=9))
    layout = rng.choice(PHONE_FORMATS)
    return layout.format(a=digits[:3], b=digits[3:7], c=digits[7:])


def _digits(phone: str) -> str:
    only = "".join(ch for ch in phone if ch.isdigit())
    return only[-11:]


def _shape(phone: str) -> str:
    return "".join("9" if ch.isdigit() else ch for ch in phone)


def _remark(rng: random.Random) -> str | None:
    roll = rng.random()
    if roll < 0.05:
        return "ＶＩＰ客户"
    if roll < 0.08:
        return "调岗\x07待定"
    if roll < 0.10:
        return f"{MOJIBAKE}分公司"
    if roll < 0.30:
        return "试用期"
    return None


def _count_remarks(records: list[dict[str, str | None]], truth: Truth) -> None:
    remarks = [r["备注"] or "" for r in records]
    truth.fullwidth_remarks = sum("ＶＩＰ" in r for r in remarks)
    truth.control_remarks = sum("\x07" in r for r in remarks)
    truth.mojibake_remarks = sum(MOJIBAKE in r for r in remarks)


def write_csv(frame: pd.DataFrame, path: Path, encoding: str = "gb18030") -> Path:
    """The extract as a CSV file in a legacy encoding, CRLF line ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, encoding=encoding, lineterminator="\r\n")
    return path


def write_sqlite(frame: pd.DataFrame, path: Path, table: str) -> Path:
    """The extract as a table of TEXT columns in a SQLite file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as connection:
        frame.to_sql(table, connection, index=False, if_exists="replace")
    return path
