"""Which target a batch went into, without keeping any credential.

A target is known by a short id (a hash of its URL with the password and any
secret-looking query values removed, SQLite paths made absolute) and by a
display form (the same URL without password and query) for people to read.
Neither contains a password, so both may be written to the project's state and
to reports.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

from migrate.io.target import parse_target_url

_SECRET_WORDS = ("pass", "pwd", "secret", "token", "key", "credential")
ID_LENGTH = 12


@dataclass(frozen=True)
class TargetIdentity:
    """A target database as the project's records name it."""

    id: str
    display: str
    dialect: str

    def to_dict(self) -> dict[str, str]:
        """Plain data."""
        return {"id": self.id, "display": self.display, "dialect": self.dialect}


def identify(url: URL) -> TargetIdentity:
    """The identity of the target at ``url`` (an expanded, parsed URL)."""
    database = url.database
    if url.get_backend_name() == "sqlite" and database and database != ":memory:":
        database = str(Path(database).resolve())
    query = {
        name: value
        for name, value in sorted(url.query.items())
        if not any(word in name.lower() for word in _SECRET_WORDS)
    }
    base = URL.create(
        url.drivername, username=url.username, host=url.host, port=url.port, database=database
    )
    display = base.render_as_string(hide_password=True)
    fingerprint = base.set(query=query).render_as_string(hide_password=True)
    digest = hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:ID_LENGTH]
    return TargetIdentity(id=digest, display=display, dialect=url.get_backend_name())


def target_identity(url: str) -> TargetIdentity:
    """The identity of the target at ``url`` (``${VAR}`` expanded), without connecting."""
    return identify(parse_target_url(url))
