"""Data-quality notices (``socialfund.market.quality``): the panel on every page that shows
prices, and the words of ``market check``."""

STRINGS: dict[str, tuple[str, str]] = {
    "quality.ok": ("数据质量：全部 {n} 条价格序列正常（截至 {as_of}）",
                   "Data quality: all {n} price series OK (as of {as_of})"),
    "quality.flagged": ("数据质量：{flagged} / {n} 条价格序列有提示（截至 {as_of}）",
                        "Data quality: {flagged} of {n} price series have notices (as of {as_of})"),
    "quality.provider": ("数据来源提示", "Data source notices"),
    "quality.more": ("…另有 {n} 条提示，见下方详情。", "…and {n} more notices, see the details below."),
    "quality.details": ("数据质量详情", "Data quality details"),
    "quality.method": ("检查方法：每条序列按其交易所日历（A 股 XSHG，美股 XNYS）检查；滞后 = 最后价格之后到截至日的交易日数；"
                       "缺口 = 首末价格之间没有价格的交易日；非交易日的行被剔除并计数；跳变 = 与上一个有效价格相比涨跌超过 "
                       "+50% / −33%（疑似拆分或 100 倍单位错误）；有分红数据时，单位净值在除息日的下跌按每份派现解释。",
                       "How it is checked: each series on its exchange's calendar (XSHG for China, XNYS for the US); "
                       "stale = sessions after its last price up to the as-of date; gaps = sessions between its first "
                       "and last price without one; rows on non-sessions are dropped and counted; jumps = a move of "
                       "more than +50% / −33% against the previous valid price (split or 100× unit error suspected); "
                       "where dividend data exists, a unit-NAV drop on the ex-date is explained by the cash per unit."),
    "quality.col.first": ("首个价格", "First price"),
    "quality.col.last": ("最后价格", "Last price"),
    "quality.col.stale": ("滞后（交易日）", "Stale (sessions)"),
    "quality.col.gaps": ("缺口（交易日）", "Gaps (sessions)"),
    "quality.col.non_sessions": ("剔除的非交易日行", "Non-session rows dropped"),
    "quality.col.jumps": ("跳变", "Jumps"),
    "quality.col.dividends": ("已解释的分红", "Dividends explained"),
    "quality.issue.no_prices": ("{code}：没有价格数据", "{code}: no prices"),
    "quality.issue.calendar": ("{code}：未知的交易所日历 {calendar}，按工作日计算交易日",
                               "{code}: unknown exchange calendar {calendar}; weekdays taken as sessions"),
    "quality.issue.stale": ("{code}：最后价格在 {last}，截至 {as_of} 已滞后 {sessions} 个 {calendar} 交易日",
                            "{code}: last price on {last}, {sessions} {calendar} sessions stale as of {as_of}"),
    "quality.issue.gaps": ("{code}：{count} 个 {calendar} 交易日没有价格（第一个 {first}，最长连续 {longest} 个）",
                           "{code}: {count} {calendar} sessions without a price (first {first}, longest run {longest})"),
    "quality.issue.non_sessions": ("{code}：{count} 行日期不是 {calendar} 交易日，已剔除（第一个 {first}）",
                                   "{code}: {count} row(s) dated on days {calendar} was closed, dropped (first {first})"),
    "quality.issue.jump": ("{code}：{date} 相对 {previous_date} 的有效价格变动 {change}，{suspicion}",
                           "{code}: {change} on {date} against the valid price of {previous_date}: {suspicion}"),
    "quality.issue.dividend": ("{code}：{date} 单位净值下跌 {change}，是每份 {cash} 元的现金分红（加回分红后 {total_return}）",
                               "{code}: the unit-NAV drop of {change} on {date} is a cash dividend of {cash} per unit "
                               "(total return {total_return})"),
    "quality.suspicion.unit_100x": ("疑似 100 倍单位错误", "100× unit error suspected"),
    "quality.suspicion.split": ("疑似未复权的拆分或合并", "unadjusted split suspected"),
    "quality.suspicion.data_error": ("疑似数据错误", "data error suspected"),
}
