"""core.snapshot.SnapshotPayload: payloads stored before it existed still read, exactly;
what the snapshot service builds keeps the stored JSON layout; bad payloads fail clearly."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timezone
from decimal import Decimal

import pandas as pd
import pytest

from socialfund.core.errors import ValidationError
from socialfund.core.models import PortfolioVersion
from socialfund.core.snapshot import SCHEMA_VERSION, SnapshotPayload, SnapshotPeriod
from socialfund.services.portfolio_crud import PortfolioInfo
from socialfund.services.snapshots import build_snapshot_payload

# A payload_json as stored by the code before SnapshotPayload (dict-built; NAV trimmed to 4 points).
OLD_PAYLOAD = {
    "amount_cny": "100000",
    "amounts_cny": {"510300.SS": "60000.00", "CASH": "40000.00"},
    "created_at": "2026-11-24T04:05:06",
    "is_demo_data": False,
    "metrics": {"cagr": None, "calmar": None, "max_drawdown": -0.0533488647642294, "sharpe": -0.7868184659995979,
                "sortino": -1.0403449969377954, "total_return": -0.019631307926833985,
                "volatility": 0.10455030535046655},
    "names": {"510300.SS": ["华泰柏瑞沪深300ETF", "Huatai-PineBridge CSI 300 ETF"]},
    "nav": [["2026-09-02", 1.0], ["2026-09-03", 1.005057], ["2026-09-04", 1.004627], ["2026-11-20", 0.980369]],
    "period": {"end": "2026-11-20", "sessions": 58, "start": "2026-09-02"},
    "portfolio": {"description": "说明", "id": 301, "name": "稳健 · 组合", "owner": "晒单小能手"},
    "risk_free": 0.0,
    "schema": 1,
    "version": {"note": "开仓", "number": 1, "placed_at": "2026-09-01T10:00:00+08:00"},
    "weights_bp": {"510300.SS": 6000, "CASH": 4000},
    "weights_only": False,
}


def _weights_only(old: dict) -> dict:
    """The same snapshot as stored when weights only and without NAV history."""
    out = copy.deepcopy(old)
    del out["amount_cny"], out["amounts_cny"]
    out.update(weights_only=True, metrics={}, period=None, nav=[])
    return out


def test_a_payload_stored_by_the_old_code_reads_into_typed_fields() -> None:
    p = SnapshotPayload.from_dict(json.loads(json.dumps(OLD_PAYLOAD)))
    assert p.schema_version == SCHEMA_VERSION == 1
    assert (p.portfolio_id, p.portfolio_name, p.description, p.owner_name) == (301, "稳健 · 组合", "说明", "晒单小能手")
    assert p.version == 1 and p.note == "开仓"
    assert p.placed_at == datetime(2026, 9, 1, 2, tzinfo=timezone.utc)
    assert p.created_at == datetime(2026, 11, 24, 4, 5, 6)
    assert dict(p.weights_bp) == {"510300.SS": 6000, "CASH": 4000}
    assert p.names["510300.SS"] == ("华泰柏瑞沪深300ETF", "Huatai-PineBridge CSI 300 ETF")
    assert p.metrics["cagr"] is None and p.metrics["volatility"] == pytest.approx(0.10455030535046655)
    assert p.period == SnapshotPeriod(date(2026, 9, 2), date(2026, 11, 20), 58)
    assert p.nav[0] == (date(2026, 9, 2), 1.0) and p.nav[-1] == (date(2026, 11, 20), 0.980369)
    assert p.amount_cny == Decimal("100000") and p.amounts_cny == {"510300.SS": Decimal("60000.00"),
                                                                   "CASH": Decimal("40000.00")}
    assert p.is_demo_data is False and p.weights_only is False


@pytest.mark.parametrize("old", [OLD_PAYLOAD, _weights_only(OLD_PAYLOAD)], ids=["with-amounts", "weights-only"])
def test_reading_then_writing_an_old_payload_gives_back_the_same_json(old: dict) -> None:
    p = SnapshotPayload.from_dict(old)
    assert p.to_dict() == old
    assert json.dumps(p.to_dict(), ensure_ascii=False, sort_keys=True) == json.dumps(old, ensure_ascii=False,
                                                                                     sort_keys=True)
    if old["weights_only"]:
        assert p.amount_cny is None and not p.amounts_cny and p.period is None and p.nav == ()


def test_a_newer_or_missing_schema_and_malformed_payloads_are_refused_clearly() -> None:
    for schema in (2, None):
        bad = {**OLD_PAYLOAD, "schema": schema}
        with pytest.raises(ValidationError, match="schema"):
            SnapshotPayload.from_dict(bad)
    for broken in ({k: v for k, v in OLD_PAYLOAD.items() if k != "version"},
                   {**OLD_PAYLOAD, "nav": [["not a date", 1.0]]},
                   {**OLD_PAYLOAD, "amount_cny": "lots"}):
        with pytest.raises(ValidationError, match="malformed"):
            SnapshotPayload.from_dict(broken)


def _keys(d: dict) -> dict:
    return {k: sorted(v) if isinstance(v, dict) and k in ("portfolio", "version", "period") else None
            for k, v in d.items()}


def test_the_service_builds_payloads_in_the_stored_layout() -> None:
    placed = pd.Timestamp("2026-09-01T10:00:00+08:00")
    info = PortfolioInfo(
        id=301, owner_id=7, owner_name="晒单小能手", name="稳健 · 组合", description="说明", visibility="public",
        is_demo=False, created_at=datetime(2026, 9, 1, 2), closed_at=None, deleted_at=None, confirmed_at=None,
        versions=(PortfolioVersion(1, placed, {"510300.SS": 6000, "CASH": 4000}, "开仓"),), version_ids=(11,))
    names = {"510300.SS": ("华泰柏瑞沪深300ETF", "Huatai-PineBridge CSI 300 ETF")}
    now = datetime(2026, 11, 24, 4, 5, 6)
    with_amounts = build_snapshot_payload(info, None, names=names, is_demo_data=False, weights_only=False,
                                          amount_cny=Decimal("100000"), risk_free=0.0, now=now)
    assert _keys(with_amounts.to_dict()) == {**_keys(OLD_PAYLOAD), "period": None}
    expected = {**OLD_PAYLOAD, "metrics": {}, "period": None, "nav": []}
    assert with_amounts.to_dict() == expected
    hidden = build_snapshot_payload(info, None, names=names, is_demo_data=False, weights_only=True,
                                    amount_cny=Decimal("100000"), risk_free=0.0, now=now)
    assert hidden.to_dict() == _weights_only(OLD_PAYLOAD)
    assert "amount" not in json.dumps(hidden.to_dict())
