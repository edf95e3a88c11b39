"""The frozen content of a portfolio snapshot: ``SnapshotPayload``, a typed, versioned value
that the snapshot service builds, the store keeps as JSON and the share page and the PNG
card show.

The JSON form (``to_dict`` / ``from_dict``), schema version 1::

    {"schema": 1,
     "portfolio": {"id", "name", "description", "owner"},
     "version": {"number", "placed_at" (ISO 8601 with offset), "note"},
     "weights_bp": {code: basis points},          # sum 10,000
     "names": {code: [name_zh, name_en]},
     "metrics": {name: fraction or null},         # core.metrics.summary; {} without a NAV
     "risk_free": annual fraction,
     "period": {"start", "end" (ISO dates), "sessions"} or null,
     "nav": [[ISO date, NAV], ...],               # NAV = 1 at the first fill
     "is_demo_data": bool, "created_at": ISO 8601 (naive UTC), "weights_only": bool,
     "amount_cny": "decimal text", "amounts_cny": {code: "decimal text"}}   # only with amounts

``from_dict`` reads every payload stored so far (all are version 1) and refuses a newer
version it does not know; ``to_dict`` of what it read gives back the same dict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from socialfund.core.errors import ValidationError

#: The JSON layout ``to_dict`` writes (the ``"schema"`` key).
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class SnapshotPeriod:
    """The first and last NAV session of a snapshot and the number of sessions."""

    start: date
    end: date
    sessions: int


@dataclass(frozen=True)
class SnapshotPayload:
    """One portfolio version frozen with its metrics at the moment the snapshot was taken.

    ``metrics``: ``core.metrics.summary`` names → fractions (None where undefined; empty
    without at least two daily returns). ``nav``: (session date, NAV) pairs, downsampled.
    ``amount_cny`` / ``amounts_cny`` (CNY per holding = amount × target weight) are kept
    only when the snapshot is not ``weights_only``. Mappings are not to be changed."""

    portfolio_id: int
    portfolio_name: str
    description: str
    owner_name: str
    version: int
    placed_at: datetime
    note: str
    weights_bp: Mapping[str, int]
    names: Mapping[str, tuple[str, str]]
    metrics: Mapping[str, float | None]
    risk_free: float
    period: SnapshotPeriod | None
    nav: tuple[tuple[date, float], ...]
    is_demo_data: bool
    created_at: datetime
    weights_only: bool
    amount_cny: Decimal | None = None
    amounts_cny: Mapping[str, Decimal] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form (see the module docstring)."""
        out: dict[str, Any] = {
            "schema": self.schema_version,
            "portfolio": {"id": self.portfolio_id, "name": self.portfolio_name, "description": self.description,
                          "owner": self.owner_name},
            "version": {"number": self.version, "placed_at": self.placed_at.isoformat(), "note": self.note},
            "weights_bp": dict(self.weights_bp),
            "names": {code: list(pair) for code, pair in self.names.items()},
            "metrics": dict(self.metrics),
            "risk_free": self.risk_free,
            "period": (None if self.period is None else
                       {"start": self.period.start.isoformat(), "end": self.period.end.isoformat(),
                        "sessions": self.period.sessions}),
            "nav": [[day.isoformat(), value] for day, value in self.nav],
            "is_demo_data": self.is_demo_data,
            "created_at": self.created_at.isoformat(),
            "weights_only": self.weights_only,
        }
        if self.amount_cny is not None:
            out["amount_cny"] = str(self.amount_cny)
            out["amounts_cny"] = {code: str(value) for code, value in self.amounts_cny.items()}
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SnapshotPayload:
        """Read a stored payload; ``ValidationError`` when it is malformed or of a newer schema."""
        version = data.get("schema")
        if version != SCHEMA_VERSION:
            raise ValidationError(f"snapshot payload has schema {version!r}; this version reads schema "
                                  f"{SCHEMA_VERSION} only")
        try:
            portfolio, held = data["portfolio"], data["version"]
            period = data["period"]
            amount = data.get("amount_cny")
            return cls(
                portfolio_id=int(portfolio["id"]), portfolio_name=str(portfolio["name"]),
                description=str(portfolio["description"]), owner_name=str(portfolio["owner"]),
                version=int(held["number"]), placed_at=datetime.fromisoformat(held["placed_at"]),
                note=str(held["note"]),
                weights_bp={str(code): int(bp) for code, bp in data["weights_bp"].items()},
                names={str(code): (str(pair[0]), str(pair[1])) for code, pair in data["names"].items()},
                metrics={str(k): None if v is None else float(v) for k, v in data["metrics"].items()},
                risk_free=float(data["risk_free"]),
                period=None if period is None else SnapshotPeriod(
                    date.fromisoformat(period["start"]), date.fromisoformat(period["end"]), int(period["sessions"])),
                nav=tuple((date.fromisoformat(day), float(value)) for day, value in data["nav"]),
                is_demo_data=bool(data["is_demo_data"]), created_at=datetime.fromisoformat(data["created_at"]),
                weights_only=bool(data["weights_only"]),
                amount_cny=None if amount is None else Decimal(str(amount)),
                amounts_cny={str(code): Decimal(str(v)) for code, v in (data.get("amounts_cny") or {}).items()},
                schema_version=SCHEMA_VERSION,
            )
        except (KeyError, TypeError, ValueError, IndexError, ArithmeticError) as exc:
            raise ValidationError(f"snapshot payload is malformed ({type(exc).__name__}: {exc})") from None
