"""Who may see and change a portfolio: the one permission policy, enforced here, in the
library, whatever page or command calls it (see the README's "Reliability and security": Permissions).

Every service that reads private data or changes anything takes an ``Actor``: the acting
user's id, or ``None`` for an anonymous visitor (someone holding a share link is anonymous
everywhere but on that link). The rules:

* **View.** Public and unlisted portfolios: anyone with the id. Private: the owner only.
  Deleted: nobody (their history stays in the store for the leaderboard's
  survivorship-free record). Someone who may not see a portfolio gets exactly the answer
  a missing id gets: ``NotFoundError("portfolio N not found")``.
* **Edit / rebalance / confirm / close / delete / share.** The owner only
  (``PermissionDenied`` for a visible portfolio of someone else). Demo portfolios
  (``is_demo``) are read-only for everybody.
* **Lists, feeds, search, leaderboard.** Public, not deleted — plus the actor's own
  portfolios in the actor's own lists. Unlisted and private never appear elsewhere.
* **Copy (paper).** A signed-in actor may copy a portfolio they can view unless it is
  private and not theirs; through a share link only when the portfolio is not private.
* **Export.** Whoever may view it (the owner, or anyone for a public/unlisted portfolio:
  the same weights the page shows). Never through a share link.

Besides the checks, the validation every service applies to what users type: names,
descriptions and notes (``clean_text``) and visibilities (``check_visibility``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TypeAlias, TypeGuard

from sqlalchemy import Connection, RowMapping, select

from socialfund.core.errors import NotFoundError, PermissionDenied, ValidationError
from socialfund.store import Store, schema

#: The acting user's id, or ``None`` for an anonymous visitor.
Actor: TypeAlias = int | None

VISIBILITIES = ("public", "unlisted", "private")
#: Longest portfolio or snapshot name, description and note (characters, after NFC).
MAX_NAME = 128
MAX_DESCRIPTION = 2_000
MAX_NOTE = 2_000


# --------------------------------------------------------------------------- validation

def clean_text(value: str, what: str, limit: int, *, required: bool) -> str:
    """``value`` NFC-normalised and stripped; ``ValidationError`` when empty (if required)
    or longer than ``limit`` characters. ``what`` names it in the message."""
    text = unicodedata.normalize("NFC", str(value or "")).strip()
    if required and not text:
        raise ValidationError(f"{what} is empty", key="error.text_empty", args={"what": what})
    if len(text) > limit:
        raise ValidationError(f"{what} is longer than {limit} characters", key="error.text_too_long",
                              args={"what": what, "limit": limit, "n": len(text)})
    return text


def check_visibility(value: str, allowed: Sequence[str] = VISIBILITIES) -> str:
    """``value`` when it is one of ``allowed``, else ``ValidationError``."""
    if value not in allowed:
        raise ValidationError(f"visibility must be one of {', '.join(allowed)}, got {value!r}")
    return value


# --------------------------------------------------------------------------- policy

def not_found(portfolio_id: object) -> NotFoundError:
    """One message for "missing", "deleted" and "private to someone else": nothing leaks."""
    return NotFoundError(f"portfolio {portfolio_id} not found")


def portfolio_row(conn: Connection, portfolio_id: int) -> RowMapping | None:
    """The portfolio's row with its ``owner_name``, whatever its visibility (None if missing).
    An id that is not an integer is refused like a missing one."""
    try:
        pid = int(portfolio_id)
    except (TypeError, ValueError):
        raise not_found(portfolio_id) from None
    p, u = schema.portfolios, schema.users
    return conn.execute(select(p, u.c.display_name.label("owner_name")).join(u, u.c.id == p.c.owner_id)
                        .where(p.c.id == pid)).mappings().first()


def is_visible(row: RowMapping | None, actor: Actor) -> TypeGuard[RowMapping]:
    """May ``actor`` view this portfolio row? (Not deleted; private ones to their owner only.)"""
    if row is None or row["deleted_at"] is not None:
        return False
    return bool(row["visibility"] != "private" or (actor is not None and row["owner_id"] == actor))


def viewable_row(conn: Connection, actor: Actor, portfolio_id: int) -> RowMapping:
    """The row if ``actor`` may view it, else ``not_found`` (the answer a missing id gets)."""
    row = portfolio_row(conn, portfolio_id)
    if not is_visible(row, actor):
        raise not_found(portfolio_id)
    return row


def owned_row(conn: Connection, actor: Actor, portfolio_id: int, *, open_only: bool = False) -> RowMapping:
    """The row if ``actor`` may change it: visible, theirs, not demo data (and not closed when
    ``open_only``). ``NotFoundError`` when invisible, ``PermissionDenied`` when not theirs or
    demo, ``ValidationError`` when closed."""
    row = viewable_row(conn, actor, portfolio_id)
    if actor is None or row["owner_id"] != actor:
        raise PermissionDenied(f"only the owner can change portfolio {row['id']}")
    if row["is_demo"]:
        raise PermissionDenied(f"portfolio {row['id']} is demo data and read-only")
    if open_only and row["closed_at"] is not None:
        raise ValidationError(f"portfolio {row['id']} is closed: it can no longer be rebalanced or confirmed")
    return row


def can_view(store: Store, actor: Actor, portfolio_id: int) -> bool:
    with store.read() as conn:
        return is_visible(portfolio_row(conn, portfolio_id), actor)


def can_edit(store: Store, actor: Actor, portfolio_id: int) -> bool:
    with store.read() as conn:
        row = portfolio_row(conn, portfolio_id)
    return is_visible(row, actor) and actor is not None and row["owner_id"] == actor and not row["is_demo"]


def can_copy(store: Store, actor: Actor, portfolio_id: int) -> bool:
    with store.read() as conn:
        row = portfolio_row(conn, portfolio_id)
    return actor is not None and is_visible(row, actor)  # private & visible ⇒ the actor owns it
