"""Chinese-text ops: Traditional to Simplified, company-name match keys and pinyin keys.

``company_name_key`` writes a *match key* into another field; the legal name stays as it is.
The key is: full-width folded, Simplified, lower-case, bracketed parts dropped (``(北京)``,
``（上海）``, ``[HK]``), trailing legal forms dropped (股份有限公司, 有限责任公司, 有限公司,
集团, 公司, Co., Ltd., Limited, Corp., Inc., GmbH, LLC, PLC, Group ...; never the 公司 of
分公司), then only letters and digits kept. Chinese stays as Simplified characters (it is
not romanised), so ``北京恆通精密機械有限責任公司`` -> ``北京恒通精密机械`` and
``Beijing Hengtong Precision Machinery Co., Ltd.`` -> ``beijinghengtongprecisionmachinery``.
With ``strip_region_prefix`` a leading province or major-city name goes too. A name that is
nothing but a legal form keeps all its letters (``有限公司`` -> ``有限公司``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache

import opencc
import pandas as pd
from pypinyin import lazy_pinyin
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT, RE_HANS
from pypinyin.seg.simpleseg import seg as pinyin_seg
from pypinyin.style._utils import replace_symbol_to_no_symbol

from migrate.ops._common import STR_DTYPE, apply_unique, by_unique, halfwidth, to_text
from migrate.ops.registry import OpParams, OpResult, register_op

_CN_SUFFIXES = [  # longest first in the pattern; never the 公司 of a branch (分公司)
    "股份有限公司",
    "有限责任公司",
    "股份合作公司",
    "集团有限公司",
    "集团股份公司",
    "有限合伙",
    "普通合伙",
    "股份公司",
    "有限公司",
    "集团公司",
    "总公司",
    "集团",
    "公司",
]
_EN_SUFFIXES = [
    "corporation",
    "incorporated",
    "limited",
    "company",
    "group",
    "corp",
    "gmbh",
    "ltd",
    "inc",
    "llc",
    "plc",
    "llp",
    "pte",
    "pty",
    "co",
    "ag",
    "bv",
    "nv",
    "sa",
    "srl",
    "spa",
    "kg",
]
_SEPARATORS = r"[\s,.&/-]*"
# Suffixes are stripped from the end, so the pattern runs on the reversed text, anchored at
# its start: one attempt per value instead of one per character. Reversed, "(?<!分)公司"
# becomes "司公(?!分)" and English words must not touch letters/digits on either side.
_REVERSED_SUFFIX = re.compile(
    rf"^(?:{_SEPARATORS}(?:{{}}))+{_SEPARATORS}".format(
        "|".join(
            [rf"{re.escape(s[::-1])}(?!分)" for s in sorted(_CN_SUFFIXES, key=len, reverse=True)]
            + [
                rf"(?<![a-z0-9])\.?{s[::-1]}(?![a-z0-9])"
                for s in sorted(_EN_SUFFIXES, key=len, reverse=True)
            ]
        )
    )
)
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|<[^<>]*>")
# Python's [\W_]+ in Arrow's regex engine (vectorised): anything but a letter or a digit.
# The two differ only on characters newer than Python's Unicode tables, which Arrow keeps.
_NOT_WORD = r"[^\p{L}\p{N}]+"

_REGIONS = {
    "北京": "beijing",
    "天津": "tianjin",
    "上海": "shanghai",
    "重庆": "chongqing",
    "河北": "hebei",
    "山西": "shanxi",
    "辽宁": "liaoning",
    "吉林": "jilin",
    "黑龙江": "heilongjiang",
    "江苏": "jiangsu",
    "浙江": "zhejiang",
    "安徽": "anhui",
    "福建": "fujian",
    "江西": "jiangxi",
    "山东": "shandong",
    "河南": "henan",
    "湖北": "hubei",
    "湖南": "hunan",
    "广东": "guangdong",
    "海南": "hainan",
    "四川": "sichuan",
    "贵州": "guizhou",
    "云南": "yunnan",
    "陕西": "shaanxi",
    "甘肃": "gansu",
    "青海": "qinghai",
    "台湾": "taiwan",
    "内蒙古": "inner mongolia",
    "广西": "guangxi",
    "西藏": "tibet",
    "宁夏": "ningxia",
    "新疆": "xinjiang",
    "香港": "hong kong",
    "澳门": "macau",
    "广州": "guangzhou",
    "深圳": "shenzhen",
    "成都": "chengdu",
    "杭州": "hangzhou",
    "武汉": "wuhan",
    "西安": "xian",
    "哈尔滨": "harbin",
    "长春": "changchun",
    "沈阳": "shenyang",
    "大连": "dalian",
    "济南": "jinan",
    "青岛": "qingdao",
    "南京": "nanjing",
    "宁波": "ningbo",
    "厦门": "xiamen",
    "苏州": "suzhou",
}
_CN_REGION_PREFIX = re.compile(
    r"^(?:中国)?(?:{})(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)?(?=.{{4}})".format(
        "|".join(sorted(_REGIONS, key=len, reverse=True))
    )
)
_EN_REGION_PREFIX = re.compile(
    r"^(?:china\s+)?(?:{})(?:\s+(?:city|province))?\s+(?=\S)".format(
        "|".join(re.escape(n) for n in sorted(set(_REGIONS.values()), key=len, reverse=True))
    )
)


@cache
def _t2s() -> opencc.OpenCC:
    """One shared OpenCC Traditional-to-Simplified converter."""
    return opencc.OpenCC("t2s")


_BATCH_CHARS = 1 << 20


def _convert_batch(uniques: pd.Series) -> pd.Series:
    """OpenCC over many values in few calls: values joined by newlines, split after.

    No dictionary entry contains a newline, so conversion never reaches across two
    values; values that contain a newline themselves are converted one by one.
    """
    convert = _t2s().convert
    values = uniques.tolist()
    out: list[str | None] = [None] * len(values)
    batch: list[int] = []
    size = 0
    for i, value in enumerate(values):
        if value is None or value != value:  # missing
            continue
        if "\n" in value:
            out[i] = convert(value)
            continue
        batch.append(i)
        size += len(value) + 1
        if size >= _BATCH_CHARS:
            _convert_into(out, values, batch, convert)
            batch, size = [], 0
    _convert_into(out, values, batch, convert)
    return pd.Series(out, index=uniques.index, dtype=STR_DTYPE)


def _convert_into(
    out: list[str | None], values: list[str], batch: list[int], convert: Callable[[str], str]
) -> None:
    if not batch:
        return
    parts = convert("\n".join(values[i] for i in batch)).split("\n")
    if len(parts) != len(batch):  # pragma: no cover - OpenCC kept every newline so far
        parts = [convert(values[i]) for i in batch]
    for i, part in zip(batch, parts, strict=True):
        out[i] = part


def simplified(text: pd.Series) -> pd.Series:
    """Convert a text column from Traditional to Simplified Chinese, once per unique value."""
    return by_unique(text, lambda uniques: OpResult(_convert_batch(uniques))).values


@register_op("to_simplified")
def to_simplified(values: pd.Series, params: OpParams, frame: pd.DataFrame) -> OpResult:
    """Convert Traditional Chinese characters to Simplified (OpenCC t2s)."""
    return OpResult(simplified(to_text(values)))


class CompanyKeyParams(OpParams):
    """strip_region_prefix: also drop a leading province/major-city name (北京…, Beijing …)."""

    strip_region_prefix: bool = False


def _drop_brackets(names: pd.Series) -> pd.Series:
    """Replace bracketed parts such as (北京) or [HK] with a space (one level of nesting)."""
    rows = names.str.contains(r"[(\[<]", regex=True, na=False).astype(bool)
    if not rows.any():
        return names
    inner = names.where(rows).str.replace(_BRACKETED, " ", regex=True)
    return names.mask(rows, inner.str.replace(_BRACKETED, " ", regex=True))


def _drop_legal_suffixes(names: pd.Series) -> pd.Series:
    """Strip trailing legal-form words (有限公司, Co., Ltd. ...), longest first."""
    stripped = names.str[::-1].str.replace(_REVERSED_SUFFIX, "", regex=True)
    return stripped.str[::-1].str.strip()


def _company_keys(names: pd.Series, strip_region_prefix: bool) -> pd.Series:
    """Compute match keys for distinct, non-null company names."""
    folded = simplified(halfwidth(names, punctuation=True)).str.lower().str.strip()
    core = _drop_legal_suffixes(_drop_brackets(folded))
    if strip_region_prefix:
        core = core.str.replace(_CN_REGION_PREFIX, "", regex=True)
        core = core.str.replace(_EN_REGION_PREFIX, "", regex=True)
    key = core.str.replace(_NOT_WORD, "", regex=True)
    empty = key == ""
    if not empty.any():
        return key
    # nothing but a legal form or brackets: use the whole name instead
    return key.mask(empty, folded.where(empty).str.replace(_NOT_WORD, "", regex=True))


@register_op("company_name_key", params=CompanyKeyParams)
def company_name_key(values: pd.Series, params: CompanyKeyParams, frame: pd.DataFrame) -> OpResult:
    """Build a company-name match key: folded, Simplified, no region brackets/legal suffix."""
    return by_unique(
        to_text(values),
        lambda names: OpResult(_company_keys(names, params.strip_region_prefix)),
    )


@cache
def _pinyin_tables() -> tuple[dict[int, str], str]:
    """(Han character -> its tone-less pinyin, regex class of context-dependent characters).

    A character is context-dependent when some word of pypinyin's phrase dictionary
    reads it otherwise than alone (重 in 重庆). Text without such characters reads
    the same character by character, so it needs no word segmentation.
    """
    table = {
        code: "".join(lazy_pinyin(chr(code))) for code in PINYIN_DICT if RE_HANS.match(chr(code))
    }
    context: set[str] = set()
    for phrase, readings in PHRASES_DICT.items():
        if len(readings) != len(phrase):
            context.update(phrase)
            continue
        for char, reading in zip(phrase, readings, strict=True):
            if replace_symbol_to_no_symbol(reading[0]) != table.get(ord(char)):
                context.add(char)
    return table, "[" + "".join(sorted(context)) + "]"


@lru_cache(maxsize=1 << 17)
def _word_pinyin(word: str) -> str:
    """Tone-less pinyin of one segmented word (words repeat across names: cached)."""
    return "".join(lazy_pinyin(word))


def _pinyin(value: str) -> tuple[str, None]:
    """Tone-less pinyin of one value, word by word as pypinyin segments it."""
    return "".join(_word_pinyin(word) for word in pinyin_seg(value)), None


def pinyin_text(text: pd.Series) -> pd.Series:
    """Tone-less pinyin of every value, as ``lazy_pinyin`` gives it; other text passes through.

    Values without context-dependent characters are translated character by
    character; only the others are segmented into words.
    """
    table, context = _pinyin_tables()
    by_words = text.str.contains(context, regex=True, na=False).astype(bool)
    spelled = text.str.translate(table)
    if by_words.any():
        words = apply_unique(text.where(by_words), _pinyin).values
        spelled = spelled.mask(by_words, words)
    return spelled


@register_op("pinyin_key")
def pinyin_key(values: pd.Series, params: OpParams, frame: pd.DataFrame) -> OpResult:
    """Build a pinyin match key (张伟, 張偉 and "Zhang Wei" all give zhangwei)."""
    text = simplified(halfwidth(to_text(values), punctuation=True))
    spelled = by_unique(text, lambda uniques: OpResult(pinyin_text(uniques))).values
    return OpResult(spelled.str.lower().str.replace(_NOT_WORD, "", regex=True))
