"""Time conventions: the store keeps naive UTC; China-market logic works in Asia/Shanghai."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    """Now as naive UTC, the store's convention."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def to_utc_naive(value: datetime, *, naive_zone: ZoneInfo = SHANGHAI) -> datetime:
    """Normalise to naive UTC. A naive input is taken to be in ``naive_zone`` (Asia/Shanghai)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=naive_zone)
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def from_utc_naive(value: datetime, zone: ZoneInfo = SHANGHAI) -> datetime:
    """Naive UTC from the store → aware time in ``zone``."""
    return value.replace(tzinfo=timezone.utc).astimezone(zone)
