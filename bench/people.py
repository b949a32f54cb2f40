"""A deterministic person-like data set with known duplicates, for the matching benchmark.

Each true person gets one to four records (about 0.74 true duplicate pairs per record).
The first record of a person is clean; the others carry the errors real registers have:
typos in names, initials, swapped first name and surname, a birth date with a wrong
digit or day and month swapped, a person who moved city, a changed e-mail provider, a
phone number with a wrong digit, and missing values.

Names are made from syllables, with Zipf-like frequencies, so common names collide the
way they do in a real population (many records share a surname, some share the full
name and even the birth year).

    frame = people(100_000, seed=7)   # columns: unique_id, cluster, first_name, surname,
                                      # dob, city, email, phone
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COLUMNS = ["unique_id", "cluster", "first_name", "surname", "dob", "city", "email", "phone"]
SIZE_SHARES = {1: 0.47, 2: 0.25, 3: 0.17, 4: 0.11}
_ONSETS = [
    "b",
    "c",
    "d",
    "f",
    "g",
    "h",
    "j",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "w",
    "z",
    "br",
    "ch",
    "dr",
    "fr",
    "gr",
    "kl",
    "pr",
    "sh",
    "st",
    "th",
    "tr",
]
_VOWELS = ["a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ea", "ie", "ou"]
_CODAS = ["", "", "", "n", "r", "l", "s", "m", "th", "nd", "rt", "ck", "x"]
_CITY_ENDS = ["ton", "ford", "field", "burg", "ville", "port", "mouth", "by", "stead", "ham"]
_DOMAINS = ["mailbox.test", "post.test", "inbox.test", "webmail.test", "net.test", "home.test"]
_LETTERS = np.array(list("abcdefghijklmnopqrstuvwxyz"))
_DAY0 = np.datetime64("1935-01-01")
_DAYS = int((np.datetime64("2006-12-31") - _DAY0).astype(int))


def _words(rng: np.random.Generator, count: int, syllables: tuple[int, int]) -> np.ndarray:
    """``count`` distinct pronounceable words of the given syllable range."""
    found: dict[str, None] = {}
    while len(found) < count:
        parts = rng.integers(syllables[0], syllables[1] + 1)
        word = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(parts)
        )
        found.setdefault(word.capitalize(), None)
    return np.array(list(found), dtype=object)


def _zipf_pick(rng: np.random.Generator, vocabulary: np.ndarray, n: int, s: float) -> np.ndarray:
    """``n`` draws from ``vocabulary`` with weights 1 / rank**s."""
    weights = 1.0 / np.arange(1, len(vocabulary) + 1) ** s
    picked = vocabulary[rng.choice(len(vocabulary), n, p=weights / weights.sum())]
    return picked.astype(object)


def _sizes(rng: np.random.Generator, n: int) -> np.ndarray:
    """Records per person, adding up to exactly ``n``."""
    sizes = rng.choice(list(SIZE_SHARES), int(n / 1.8) + 10, p=list(SIZE_SHARES.values()))
    ends = np.cumsum(sizes)
    keep = int(np.searchsorted(ends, n)) + 1
    sizes = sizes[:keep].copy()
    sizes[-1] -= int(ends[keep - 1] - n)
    return sizes[sizes > 0]


def _persons(rng: np.random.Generator, count: int) -> dict[str, np.ndarray]:
    """One clean record per true person."""
    scale = max(count, 2_000)
    first = _zipf_pick(rng, _words(rng, max(scale // 150, 300), (1, 2)), count, 0.8)
    last = _zipf_pick(rng, _words(rng, max(scale // 15, 2_000), (2, 3)), count, 0.7)
    towns = np.array([w + rng.choice(_CITY_ENDS) for w in _words(rng, 400, (1, 2))])
    dob = _DAY0 + rng.integers(0, _DAYS, count).astype("timedelta64[D]")
    domain = rng.choice(_DOMAINS, count)
    given, family = np.char.lower(first.astype(str)), np.char.lower(last.astype(str))
    style = rng.integers(0, 3, count)
    user = np.where(
        style == 0,
        np.char.add(np.char.add(given, "."), family),
        np.where(style == 1, np.char.add(np.char.add(family, "."), given), family),
    )
    tag = np.char.mod("%x", np.arange(count) * 7 + 11)  # e-mail addresses are one person's
    email = np.char.add(np.char.add(np.char.add(user, tag), "@"), domain)
    phone = (7_000_000_000 + rng.integers(0, 999_999_999, count)).astype(str)
    return {
        "first_name": first,
        "surname": last,
        "dob": np.datetime_as_string(dob, unit="D").astype(object),
        "city": _zipf_pick(rng, towns, count, 0.8),
        "email": email.astype(object),
        "phone": phone.astype(object),
    }


def _typo(rng: np.random.Generator, word: str) -> str:
    """One substitution, deletion, insertion or transposition (never the first letter)."""
    if len(word) < 3:
        return word + str(rng.choice(_LETTERS))
    at = int(rng.integers(1, len(word)))
    kind = int(rng.integers(0, 4))
    letter = str(rng.choice(_LETTERS))
    if kind == 0:
        return word[:at] + letter + word[at + 1 :]
    if kind == 1:
        return word[:at] + word[at + 1 :]
    if kind == 2:
        return word[:at] + letter + word[at:]
    at = min(at, len(word) - 2)
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def _date_error(rng: np.random.Generator, dob: str) -> str:
    """A wrong digit in the day or year, or day and month swapped where that is a date."""
    year, month, day = dob.split("-")
    if rng.random() < 0.35 and int(day) <= 12 and day != month:
        return f"{year}-{day}-{month}"
    if rng.random() < 0.5:
        return f"{year[:3]}{rng.integers(0, 10)}-{month}-{day}"
    return f"{year}-{month}-{min(int(day[0] + str(rng.integers(0, 10))), 28):02d}"


def _digit_error(rng: np.random.Generator, phone: str) -> str:
    at = int(rng.integers(1, len(phone)))
    return phone[:at] + str(rng.integers(0, 10)) + phone[at + 1 :]


def _corrupt(rng: np.random.Generator, cols: dict[str, np.ndarray], rows: np.ndarray) -> None:
    """Apply the duplicate errors to ``rows`` of ``cols`` in place."""

    def some(p: float) -> list[int]:
        return rows[rng.random(len(rows)) < p].tolist()

    for i in some(0.14):
        cols["first_name"][i] = _typo(rng, cols["first_name"][i])
    for i in some(0.12):
        cols["surname"][i] = _typo(rng, cols["surname"][i])
    for i in some(0.04):
        cols["first_name"][i] = cols["first_name"][i][0]
    for i in some(0.03):
        cols["first_name"][i], cols["surname"][i] = cols["surname"][i], cols["first_name"][i]
    for i in some(0.10):
        cols["dob"][i] = _date_error(rng, cols["dob"][i])
    for i in some(0.06):
        cols["city"][i] = cols["city"][int(rng.integers(0, len(cols["city"])))]
    for i in some(0.06):
        user, _ = cols["email"][i].split("@")
        cols["email"][i] = f"{user}@{rng.choice(_DOMAINS)}"
    for i in some(0.05):
        cols["email"][i] = _typo(rng, cols["email"][i])
    for i in some(0.05):
        cols["phone"][i] = _digit_error(rng, cols["phone"][i])
    blanks = {"first_name": 0.03, "surname": 0.02, "dob": 0.05, "city": 0.12, "email": 0.2}
    for name, share in {**blanks, "phone": 0.25}.items():
        for i in some(share):
            cols[name][i] = None


def people(n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` person records with their true ``cluster``, shuffled, ``unique_id`` 0..n-1."""
    rng = np.random.default_rng(seed)
    sizes = _sizes(rng, n)
    base = _persons(rng, len(sizes))
    cluster = np.repeat(np.arange(len(sizes)), sizes)
    cols = {name: values[cluster].copy() for name, values in base.items()}
    first_of = np.r_[0, np.cumsum(sizes)[:-1]]
    copies = np.setdiff1d(np.arange(n), first_of)
    _corrupt(rng, cols, copies)
    order = rng.permutation(n)
    frame = pd.DataFrame({"cluster": cluster[order]})
    for name, values in cols.items():
        frame[name] = pd.array(values[order], dtype="str")
    frame.insert(0, "unique_id", np.arange(n))
    return frame[COLUMNS]


def true_pairs_per_record(frame: pd.DataFrame) -> float:
    """Duplicate pairs per record implied by ``cluster``."""
    sizes = frame.groupby("cluster").size().to_numpy()
    return float((sizes * (sizes - 1) // 2).sum() / max(len(frame), 1))
