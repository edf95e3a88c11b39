"""Strings of the honest forms (``app/form_rules.py``), the pickers and the "why this rank"
words (``socialfund/view/rank_words.py``) of issue 14."""

STRINGS: dict[str, tuple[str, str]] = {
    # ---------------------------------------------------------------- form rules
    "form.err.missing": ("请填写此项。", "Required."),
    "form.err.whole": ("须为整数。", "Must be a whole number."),
    "form.err.range": ("须在 {lo} 到 {hi} 之间。", "Must be between {lo} and {hi}."),
    "form.err.min": ("须不小于 {lo}。", "Must be at least {lo}."),
    "form.err.above": ("须大于 {lo}。", "Must be more than {lo}."),
    "form.err.max": ("须不大于 {hi}。", "Must be at most {hi}."),
    "form.err.date_range": ("日期须在 {lo} 到 {hi} 之间。", "The date must be between {lo} and {hi}."),
    "form.fix_first": ("请先改正上面标出的 {n} 处输入，才能运行。", "Fix the {n} input(s) marked above to run."),
    "form.stale": ("输入已更改，下面不再显示上次的结果 —— 请重新运行。",
                   "Inputs changed, so the last result is no longer shown — run again."),
    "form.date_why.copy": ("（领投者首次成交日到最后数据日的前一天）",
                           "(from the leader's first fill to the day before the last data day)"),
    # ---------------------------------------------------------------- paper copy warnings
    "pf.c.warn_skipped": ("{n} 个目标持仓低于最低持仓金额 {floor}，没有买入而留作现金：这是跟投收益与领投者不同的原因之一。",
                          "{n} target position(s) were below the minimum position of {floor} and stayed in cash: "
                          "one reason the copy differs from the leader."),
    "pf.c.warn_all_cash": ("跟投金额 {amount} 下每个持仓都低于最低持仓 {floor}：跟投始终是现金，收益为 0，"
                           "不能和领投者的收益比较。请提高金额或降低最低持仓。",
                           "With {amount} every position is below the {floor} minimum position: the copy stayed "
                           "in cash and earned nothing, so it cannot be compared with the leader. Raise the amount "
                           "or lower the minimum position."),
    "pf.c.warn_pending": ("首次成交落在数据之后：开始日期 {start} 之后再延迟 {delay} 个交易日，超过了最后数据日 {as_of}。"
                          "跟投尚未成交，下面的数字只是现金。请选更早的开始日期或更短的延迟。",
                          "The first fill falls after the data: {delay} session(s) after the start {start} is past "
                          "the last data day {as_of}. The copy has not filled, the figures below are cash only. "
                          "Choose an earlier start or a shorter delay."),
    "pf.c.run_first": ("设置好上面的输入后点击“开始模拟”。", "Set the inputs above and press Run simulation."),
    # ---------------------------------------------------------------- snapshot form
    "mp.snap_nothing": ("没有生成快照：请先改正上面标出的输入。", "No snapshot created: fix the inputs marked above."),
    # ---------------------------------------------------------------- instrument search
    "mp.search_pick": ("匹配结果", "Matches"),
    "mp.search_added": ("已加入 {label}。", "Added {label}."),
    "mp.search_already": ("{label} 已在持仓表中。", "{label} is already in the table."),
    "mp.search_enter": ("唯一匹配：{label} —— 按回车或点击“加入持仓”。",
                        "One match: {label} — press Enter or Add to holdings."),
    "mp.search_many": ("{n} 个匹配，请在下面选择一个。", "{n} matches: choose one below."),
    # ---------------------------------------------------------------- leaderboard row actions
    "lb.select_hint": ("点击表格中的一行，查看为什么是这个排名，并可打开、关注或模拟跟投该组合。",
                       "Select a row of the table for why it has this rank, and to open, follow or paper-copy it."),
    "lb.row_title": ("#{rank} {name}（id {id}）", "#{rank} {name} (id {id})"),
    "lb.row_open": ("打开组合", "Open portfolio"),
    "lb.row_copy": ("模拟跟投", "Paper copy"),
    "lb.row_follow": ("关注", "Follow"),
    "lb.row_unfollow": ("取消关注", "Unfollow"),
    "lb.row_followed": ("已关注 {name}，可在“我的组合 → 关注”中查看其调仓动态。",
                        "Following {name}: its rebalances appear under My portfolios → Follows."),
    "lb.row_unfollowed": ("已取消关注 {name}。", "Stopped following {name}."),
    "lb.row_follow_signin": ("登录后可关注。", "Sign in to follow."),
    "lb.follows_link": ("我的组合 → 关注", "My portfolios → Follows"),
    "lb.why_col": ("为什么是这个排名", "Why this rank"),
    "lb.none_clear": ("{n} 个被筛选的组合中没有一个的夏普高于运气线（纯靠运气可达的水平）：第 1 名也说明不了本事，"
                      "只是在运气分布里靠前。",
                      "In this window none of the {n} screened portfolios has a Sharpe above what luck alone "
                      "reaches (the luck line): #1 does not show its manager has skill, only that it sits high "
                      "in the luck distribution."),
    "lb.some_clear": ("{k} / {n} 个组合的夏普高于它们的运气线。", "{k} of {n} portfolios have a Sharpe above their luck line."),
    # ---------------------------------------------------------------- why this rank (view/rank_words.py)
    "rank.words": ("夏普 {sharpe}，{relation} {n} 个组合中纯靠运气可达的 {luck} → 紧缩夏普 {dsr}：{verdict}",
                   "Sharpe {sharpe}, {relation} the {luck} that luck alone reaches among {n} portfolios → "
                   "deflated Sharpe {dsr}: {verdict}"),
    "rank.below": ("低于", "below"),
    "rank.above": ("高于", "above"),
    "rank.verdict.luck": ("不能排除运气", "luck cannot be ruled out"),
    "rank.verdict.weak": ("高于运气线，但证据不足（紧缩夏普低于 0.95）",
                          "above the luck line, but the evidence is weak (deflated Sharpe under 0.95)"),
    "rank.verdict.skill": ("运气难以解释（紧缩夏普 ≥ 0.95）", "unlikely to be luck (deflated Sharpe ≥ 0.95)"),
    "rank.na": ("样本不足，无法计算夏普与运气线", "too few returns for a Sharpe and its luck line"),
    "rank.portfolio": ("为什么是这个排名（{window}，按紧缩夏普第 {rank} 名）：{words}",
                       "Why this rank ({window}, #{rank} by deflated Sharpe): {words}"),
    "rank.portfolio_unranked": ("不在{window}排行榜上：排行榜只列出满足四项规则（公开、足够长的记录、覆盖整个区间、近期有调仓）的组合。",
                                "Not on the {window} leaderboard: it lists only portfolios that meet the four rules "
                                "(public, long enough record, covers the window, recently active)."),
    # ---------------------------------------------------------------- links for messages that mention an action
    "link.leaderboard": ("去排行榜", "Go to the leaderboard"),
    "link.portfolio": ("打开组合 {name}", "Open {name}"),
    "pf.not_found_only": ("没有显示其他组合：请从排行榜或“我的组合”打开一个存在的组合。",
                          "No other portfolio is shown instead: open an existing one from the leaderboard or "
                          "My portfolios."),
}
