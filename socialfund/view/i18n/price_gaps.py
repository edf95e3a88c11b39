"""Strings about missing prices: portfolios left out of the ranking (leaderboard and
portfolio pages) and stale series in fund ideas (``core.sessions.MAX_CARRY_SESSIONS``)."""

STRINGS: dict[str, tuple[str, str]] = {
    "gap.no_prices": ("{code} 没有任何价格数据", "{code} has no prices at all"),
    "gap.not_quoted": ("{code} 在 {session} 及之前没有价格", "{code} has no price on or before {session}"),
    "gap.stale": ("{code} 自 {since} 起无价格（到 {session} 已超过 {n} 个交易日）",
                  "{code} has no price since {since} (more than {n} sessions before {session})"),
    "lb.excluded.title": ("未参与排名的组合：{n} 个（持仓缺少价格）", "Left out of the ranking: {n} (holdings without prices)"),
    "lb.excluded.note": ("持仓中有品种超过 {n} 个交易日没有价格（或从未有价格）的组合无法估值，不参与排名，也不计入筛选数 N；"
                         "缺价不超过 {n} 个交易日时按最近价格估值。其余组合照常排名。",
                         "A portfolio holding something without a price for more than {n} sessions (or never priced) "
                         "cannot be valued: it is not ranked and not counted in N. Gaps of up to {n} sessions are "
                         "valued at the last price. Every other portfolio is ranked as usual."),
    "lb.excluded.col.id": ("组合编号", "Portfolio id"),
    "lb.excluded.col.name": ("组合", "Portfolio"),
    "lb.excluded.col.reason": ("原因", "Reason"),
    "pf.excluded": ("此组合不参与排行榜：{reason}。净值和指标只计算到 {last}。",
                    "This portfolio is left out of the leaderboard: {reason}. NAV and figures run to {last} only."),
    "pf.excluded_no_nav": ("此组合不参与排行榜，也无法计算净值：{reason}。",
                           "This portfolio is left out of the leaderboard and has no NAV: {reason}."),
    "ideas.reason.no_price_since": ("自 {since} 起无价格（超过 {n} 个交易日）",
                                    "no price since {since} (more than {n} sessions)"),
}
