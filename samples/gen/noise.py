"""Harmless formatting noise that cleansing should undo (spaces, full-width forms)."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from samples.gen.common import Obj, fullwidth, fullwidth_digits

_FIRST_DIGIT = re.compile(r"(\d)")


def _pad(text: str) -> str:
    """Leading, trailing or both kinds of stray spaces."""
    kind = len(text) % 3
    return f" {text}" if kind == 0 else f"{text}  " if kind == 1 else f" {text} "


def _double_space(text: str) -> str:
    """A doubled space in Latin text, a stray space in Chinese text."""
    if " " in text:
        return text.replace(" ", "  ", 1)
    return f"{text[:2]} {text[2:]}"


def _space_before_number(text: str) -> str:
    return _FIRST_DIGIT.sub(r" \1", text, count=1)


def _apply(values: Obj, mask: np.ndarray, func: Callable[[str], str]) -> None:
    for i in np.flatnonzero(mask).tolist():
        if values[i]:
            values[i] = func(values[i])


def add_noise(
    cols: dict[str, Obj], rng: np.random.Generator, name: str, street: str, person: str
) -> None:
    """Sprinkle noise over the name, street and contact-person columns in place."""
    n = len(cols[name])
    _apply(cols[name], rng.random(n) < 0.02, _pad)
    _apply(cols[name], rng.random(n) < 0.02, fullwidth)
    _apply(cols[name], rng.random(n) < 0.02, _double_space)
    _apply(cols[street], rng.random(n) < 0.04, fullwidth_digits)
    _apply(cols[street], rng.random(n) < 0.02, _space_before_number)
    _apply(cols[street], rng.random(n) < 0.01, _pad)
    _apply(cols[person], rng.random(n) < 0.01, lambda s: s + " ")
