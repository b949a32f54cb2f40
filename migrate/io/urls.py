"""Database URLs: ``${VAR}`` expansion, default drivers and password masking.

Nothing here ever puts a password into a message: callers show URLs only
through :func:`mask_url` and pass driver messages through :func:`scrub`.
"""

from __future__ import annotations

import os
import re
from urllib.parse import quote, quote_plus

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")

# Bare dialect names get the drivers this project installs.
DEFAULT_DRIVERS = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "mysql": "mysql+pymysql",
    "mariadb": "mariadb+pymysql",
}


class MissingVariable(LookupError):
    """A ``${VAR}`` in a URL names an environment variable that is not set."""

    def __init__(self, variable: str) -> None:
        super().__init__(variable)
        self.variable = variable


def expand_env(url: str) -> str:
    """Replace every ``${VAR}`` by the environment variable's value."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise MissingVariable(name)
        return os.environ[name]

    return _VARIABLE.sub(value, url)


def parse_url(url: str) -> URL:
    """Parse an expanded URL and give bare dialect names their default driver.

    Raises ``ValueError`` with a message that never contains the URL.
    """
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise ValueError("not a valid SQLAlchemy database URL") from exc
    driver = DEFAULT_DRIVERS.get(parsed.drivername)
    return parsed.set(drivername=driver) if driver else parsed


def mask_url(url: str | URL) -> str:
    """The URL with its password replaced by ``***``, for messages."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except (ArgumentError, ValueError):
        return "<unparseable URL>"
    return parsed.render_as_string(hide_password=True)


def scrub(message: str, url: URL) -> str:
    """Remove the URL's password from a driver message, and trim SQLAlchemy's
    background-link suffix."""
    password = url.password
    if password:
        secret = str(password)
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            message = message.replace(form, "***")
    return message.split("\n(Background on this error")[0].strip()


def error_text(exc: SQLAlchemyError, url: URL) -> str:
    """A database error on one line: the driver's own message, password removed."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    return scrub(" ".join(str(cause).split()), url)
