"""Library errors a user can hit, translated at the edge (``app.errors.message``): the key and
arguments a ``ValidationError`` carries (``socialfund.core.errors``) — issue 14, finding 5."""

STRINGS: dict[str, tuple[str, str]] = {
    # --- where: file, line, column ---------------------------------------------------------
    "error.where.file": ("文件 {file}", "file {file}"),
    "error.where.line": ("第 {line} 行", "line {line}"),
    "error.where.column": ("“{column}”列", "column {column}"),
    "error.where.sep": ("，", ", "),
    # --- names and texts ------------------------------------------------------------------------
    "error.text_empty": ("{what}不能为空", "{what} is empty"),
    "error.text_too_long": ("{what}太长：{n} 个字符，最多 {limit} 个", "{what} is too long: {n} characters, at most {limit}"),
    "error.what.portfolio name": ("组合名称", "portfolio name"),
    "error.what.description": ("描述", "description"),
    "error.what.note": ("备注", "note"),
    "error.what.snapshot title": ("快照标题", "snapshot title"),
    # --- weights and codes ----------------------------------------------------------------------
    "error.weights_sum": ("权重合计 {pct}%，应为 100%", "weights sum to {pct}%, not 100%"),
    "error.unknown_codes": ("未知代码：{codes}（不在可选品种中）", "unknown code(s): {codes} (not in the instrument universe)"),
    "error.no_holdings": ("没有持仓：至少给一个品种大于 0% 的权重", "no holdings: give at least one weight above 0%"),
    # --- files: dates and rows ------------------------------------------------------------------
    "error.date": ("日期无法读取：请写成 ISO 8601 格式 YYYY-MM-DD（如 2026-01-31），不要写“昨天”之类的相对时间",
                   "a date that cannot be read: write ISO 8601, YYYY-MM-DD (e.g. 2026-01-31), not a relative time"),
    "error.post_code": ("这一行的基金代码或名称无法对应到已知品种", "this row's fund code or name matches no known instrument"),
    "error.row": ("这一行无法读取", "this row cannot be read"),
    "error.validation": ("输入有误：{msg}", "Invalid input: {msg}"),
    "error.snap.expiry_past": ("有效期必须在未来", "the expiry must be in the future"),
    "error.snap.no_holdings": ("组合 {id} 没有持仓，无法生成快照", "portfolio {id} has no holdings to snapshot"),
    "error.snap.amount": ("金额须为 0（不显示金额）或更多人民币，收到 {got}",
                          "the amount must be 0 (no amounts) or more CNY, got {got}"),
    "error.snap.expiry_days": ("有效期须为 0（永久）到 {max} 天，收到 {got}",
                               "the expiry must be 0 (never) to {max} days, got {got}"),
    "error.copy.no_source": ("请填写组合编号或分享链接", "give a portfolio id or a share link"),
    "error.copy.no_versions": ("组合 {id} 没有可跟投的版本", "portfolio {id} has no versions to copy"),
    "error.pf.no_holdings": ("组合 {id} 还没有持仓", "portfolio {id} has no holdings yet"),
    "error.history.empty": ("历史记录里没有任何调仓", "the history has no rebalances"),
    "error.history.future": ("历史记录的最后一天 {day} 在未来", "the history ends on {day}, in the future"),
}
