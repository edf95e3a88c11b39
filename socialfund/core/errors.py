"""The project's exceptions. Every error a user can cause is a ``SocialFundError``
whose ``str()`` is one clear line naming what is wrong (and where)."""

from __future__ import annotations


class SocialFundError(Exception):
    """Base class: a problem we can explain to a user in one line."""


class ConfigError(SocialFundError):
    """Bad configuration: unknown provider, unreachable database URL, ..."""


class ValidationError(SocialFundError):
    """Rejected input. Carries the file name, 1-based line and column where they apply.

    ``ValidationError("plain message")`` still works (CLI and logs read ``str()``, in English).
    A message a user can hit in the dashboard also carries ``key`` (an i18n key under
    ``error.``) and ``args`` (its format arguments): the app translates it at the edge
    (``app.errors.message``), so the Chinese UI never shows the English library text."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 column: str | int | None = None, key: str | None = None,
                 args: dict[str, object] | None = None) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.args_ = dict(args or {})
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return (", ".join(where) + ": " if where else "") + self.message


class NotFoundError(SocialFundError):
    """A missing (or, to someone without access, invisible) object."""


class PermissionDenied(SocialFundError):
    """The acting user may not do this."""


class ProviderError(SocialFundError):
    """A market-data provider failed (network, empty result, bad symbol)."""
