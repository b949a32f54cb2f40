"""Unified social credit codes (USCC) and their corruptions."""

from __future__ import annotations

import numpy as np
from stdnum.cn import uscc

from samples.gen.common import Ints, Obj, obj

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ORG_MODULUS = 100_000_000


def organisation_codes(rng: np.random.Generator, ids: Ints) -> Obj:
    """Nine-character organisation codes (GB 11714 check character), unique per id.

    An affine map modulo 10**8 with a multiplier coprime to 10 is a bijection, so
    distinct ids give distinct codes that still look random.
    """
    mult = int(rng.integers(10**6, 10**7)) * 10 + int(rng.choice([1, 3, 7, 9]))
    offset = int(rng.integers(0, _ORG_MODULUS))
    body = (ids.astype(np.int64) * mult + offset) % _ORG_MODULUS
    digits = (body[:, None] // 10 ** np.arange(7, -1, -1, dtype=np.int64)) % 10
    check = (11 - (digits @ _ORG_WEIGHTS) % 11) % 11
    tail = np.where(check == 10, "X", check.astype(str))
    return obj([f"{b:08d}{t}" for b, t in zip(body.tolist(), tail.tolist(), strict=True)])


_USCC_WEIGHTS = np.array(
    [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64
)
_VALUE = np.zeros(256, dtype=np.int64)
_VALUE[np.frombuffer(USCC_ALPHABET.encode("ascii"), dtype=np.uint8)] = np.arange(31)


def make_uscc(prefix: Obj, region: Obj, org: Obj) -> Obj:
    """Full 18-character codes: authority+type, region, organisation code, check digit.

    The check digit is computed for all rows at once (same weights as
    ``stdnum.cn.uscc.calc_check_digit``) and spot-checked against stdnum.
    """
    bodies = (prefix + region + org).tolist()
    if not bodies:
        return obj([])
    raw = np.frombuffer("".join(bodies).encode("ascii"), dtype=np.uint8).reshape(-1, 17)
    total = _VALUE[raw] @ _USCC_WEIGHTS
    check = np.frombuffer(USCC_ALPHABET.encode("ascii"), dtype=np.uint8)[(31 - total % 31) % 31]
    codes = [b + c for b, c in zip(bodies, check.tobytes().decode("ascii"), strict=True)]
    for code in codes[:50]:
        if code[-1] != uscc.calc_check_digit(code[:-1]):
            raise RuntimeError(f"check digit disagrees with stdnum: {code}")
    return obj(codes)


def wrong_check_digit(code: str, u: float) -> str:
    """The same code with a different, wrong final character."""
    right = USCC_ALPHABET.index(code[-1])
    shift = 1 + int(u * (len(USCC_ALPHABET) - 1))
    return code[:-1] + USCC_ALPHABET[(right + shift) % len(USCC_ALPHABET)]
