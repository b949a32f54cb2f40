"""Writing YAML by hand-made templates: scalars quoted where YAML needs it, blocks indented.

The templates keep the comments a person needs next to each line; these
helpers make sure every value in them reads back as the same string (``yes``,
``0`` and ``a: b`` are quoted, Chinese text is kept as it is).
"""

from __future__ import annotations

from typing import Any

import yaml


def scalar(value: Any) -> str:
    """``value`` as one YAML flow scalar that reads back as itself."""
    text = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=10**6)
    return text.strip()[1:-1]


def flow_list(values: Any) -> str:
    """A list as a YAML flow sequence: ``[a, 'yes', Account ID]``."""
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def block(data: Any, indent: int = 0, commented: bool = False) -> str:
    """``data`` as block YAML (innermost collections in flow style), indented, maybe commented."""
    text = yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100
    )
    prefix = " " * indent + ("# " if commented else "")
    return "\n".join(prefix + line for line in text.rstrip("\n").splitlines())


def comment(text: str, indent: int = 0) -> str:
    """``text`` as YAML comment lines (one per line of the text)."""
    prefix = " " * indent + "# "
    return "\n".join(prefix + line for line in text.splitlines())
