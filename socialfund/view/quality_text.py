"""Data-quality results (``socialfund.market.quality``) in words, zh or en: for the app's
panel and for ``market check``."""

from __future__ import annotations

from collections.abc import Mapping

from socialfund.market.quality import Issue, QualityReport
from socialfund.view.i18n import t


def issue_text(issue: Issue, lang: str = "zh", label: str | None = None) -> str:
    """One issue as a sentence; ``label`` names the series (default: its code)."""
    fmt = {k: v for k, v in issue.params.items()}
    for key in ("change", "total_return"):
        if key in fmt:
            fmt[key] = f"{fmt[key]:+.1%}"
    if "suspicion" in fmt:
        fmt["suspicion"] = t(f"quality.suspicion.{fmt['suspicion']}", lang)
    return t(f"quality.issue.{issue.kind}", lang, code=label or issue.code, **fmt)


def report_lines(report: QualityReport, lang: str = "zh", labels: Mapping[str, str] | None = None) -> list[str]:
    """Every issue of every series as a sentence, warnings first, then the explained dividends."""
    issues = report.issues()
    ordered = [i for i in issues if i.is_warning] + [i for i in issues if not i.is_warning]
    return [issue_text(i, lang, (labels or {}).get(i.code)) for i in ordered]


def summary_line(report: QualityReport, lang: str = "zh") -> str:
    """"all N series OK" or "F of N series have notices", with the as-of date."""
    as_of = report.as_of.isoformat() if report.as_of else "—"
    n = len(report.series)
    if not report.flagged:
        return t("quality.ok", lang, n=n, as_of=as_of)
    return t("quality.flagged", lang, flagged=len(report.flagged), n=n, as_of=as_of)
