"""Strings of the leaderboard page (pages/1_Leaderboard.py)."""

STRINGS: dict[str, tuple[str, str]] = {
    "lb.title": ("跟投排行榜", "Copy-trading leaderboard"),
    "lb.intro": ("公开组合按扣除运气后的风险调整收益排名：默认按紧缩夏普比率（DSR），即在筛选了这么多组合之后，"
                 "真实夏普仍高于“纯靠运气的最好成绩”的概率。",
                 "Public portfolios ranked by luck-corrected, risk-adjusted return: by default the deflated Sharpe "
                 "ratio (DSR), the probability that the true Sharpe still beats the best score luck alone would "
                 "produce among this many portfolios."),
    "lb.window": ("统计区间", "Window"),
    "lb.window.1M": ("近1月（21个交易日）", "1M (21 sessions)"),
    "lb.window.3M": ("近3月（63个交易日）", "3M (63 sessions)"),
    "lb.window.6M": ("近6月（126个交易日）", "6M (126 sessions)"),
    "lb.window.1Y": ("近1年（252个交易日）", "1Y (252 sessions)"),
    "lb.window.all": ("全部历史", "All history"),
    "lb.sort": ("排序依据", "Sort by"),
    "lb.sort.dsr": ("紧缩夏普比率（扣除运气）", "Deflated Sharpe ratio (luck-corrected)"),
    "lb.sort.psr": ("概率夏普比率", "Probabilistic Sharpe ratio"),
    "lb.sort.sharpe": ("夏普比率（年化）", "Sharpe ratio (annualised)"),
    "lb.sort.total_return": ("区间收益", "Total return over the window"),
    "lb.sort.max_drawdown": ("最大回撤（越小越好）", "Maximum drawdown (smaller is better)"),
    "lb.sort.volatility": ("年化波动率（越低越好）", "Annual volatility (lower is better)"),
    "lb.sort.calmar": ("卡玛比率（年化收益/最大回撤，需满一年）", "Calmar ratio (CAGR / max drawdown, needs 1 year)"),
    "lb.sort_note": ("当前排序：{label}。只有默认排序（紧缩夏普）扣除了运气；其他排序仅供参考。",
                     "Sorted by: {label}. Only the default (deflated Sharpe) corrects for luck; other sorts are "
                     "for reference."),
    "lb.filters": ("筛选", "Filters"),
    "lb.all": ("全部", "All"),
    "lb.risk_class": ("风险等级（SRRI 1–7）", "Risk class (SRRI 1–7)"),
    "lb.style": ("风格", "Style"),
    "lb.min_track": ("最短业绩记录（交易日）", "Minimum track record (sessions)"),
    "lb.include_closed": ("显示已关闭的组合", "Show closed portfolios"),
    "lb.include_closed_help": ("已关闭组合始终计入筛选总数（避免幸存者偏差）；这里只决定是否在表中列出。",
                               "Closed portfolios always count in the number screened (no survivorship bias); "
                               "this only decides whether they are listed."),
    "lb.filter_note": ("筛选只隐藏行，不改变名次与运气门槛。", "Filters only hide rows; ranks and the luck hurdle do not change."),
    "lb.screened": ("筛选组合数 N", "Portfolios screened (N)"),
    "lb.screened_help": ("截至排名日已创建、区间内有夏普比率的公开组合，含已关闭和未达标的。",
                         "Public portfolios created by the ranking date with a Sharpe ratio in the window, closed "
                         "and ineligible ones included."),
    "lb.eligible": ("达标上榜", "Eligible"),
    "lb.shown": ("当前显示", "Shown"),
    "lb.luck_sharpe": ("运气可达的最高夏普", "Best Sharpe by luck alone"),
    "lb.luck_help": ("N 个毫无能力的组合中最好的那个仅凭运气预计能达到的成绩，以标准误计："
                     "Z* = √V_z·((1−γ)·Φ⁻¹(1−1/N) + γ·Φ⁻¹(1−1/(N·e)))，γ≈0.5772，V_z 为 N 个组合标准化夏普 "
                     "z = SR̂/σ̂(SR̂) 的方差。每个组合的运气线为 Z*·σ̂(SR̂)·√252（记录越长越低）；"
                     "此处显示的是一条满区间、无能力记录的运气线 Z*/√(n−1)·√252。",
                     "The score the best of N skill-less portfolios is expected to reach by chance, in standard "
                     "errors: Z* = √V_z·((1−γ)·Φ⁻¹(1−1/N) + γ·Φ⁻¹(1−1/(N·e))), γ ≈ 0.5772, V_z the variance of "
                     "the N standardised Sharpes z = SR̂/σ̂(SR̂). Each portfolio's luck line is Z*·σ̂(SR̂)·√252 "
                     "(lower for a longer record); shown here is the line of a skill-less full-window record, "
                     "Z*/√(n−1)·√252."),
    "lb.chart_title": ("各名次的年化超额夏普与各自的“运气线”", "Annualised excess Sharpe by rank, with each one's luck line"),
    "lb.chart_luck": ("运气可达的最高夏普", "best Sharpe by luck alone"),
    "lb.chart_x": ("名次", "Rank"),
    "lb.chart_y": ("夏普比率（年化）", "Sharpe ratio (annualised)"),
    "lb.chart_note": ("柱：超额收益（扣除无风险利率）的年化夏普。虚线点：每个组合的运气线 Z*·σ̂(SR̂)·√252，即筛选了 {n} "
                      "个组合后纯靠运气预计能达到的最高成绩（Z* = {z:.2f} 个标准误）换算到该组合自己的夏普单位。"
                      "柱高于自己的点，正是 DSR > 0.5；低于它的成绩无法与运气区分。",
                      "Bars: annualised Sharpe of the excess return over the risk-free rate. Dashed points: each "
                      "portfolio's luck line Z*·σ̂(SR̂)·√252, the best score luck alone would be expected to "
                      "produce after screening {n} portfolios (Z* = {z:.2f} standard errors) in that portfolio's "
                      "own Sharpe units. A bar above its point is exactly DSR > 0.5; scores below it cannot be told "
                      "apart from luck."),
    "lb.empty": ("没有符合条件的组合。", "No portfolio matches."),
    "lb.as_of": ("排名日 {as_of}（只用该日及之前的数据）· 无风险利率 {rf} 年化 · 规则版本 {version}",
                 "Ranking date {as_of} (data up to that day only) · risk-free rate {rf} a year · rules {version}"),
    "lb.popularity": ("关注数、跟投数仅作展示，**不参与排名**（跟风热度与未来业绩无关，甚至相反）。",
                      "Followers and copiers are shown, **never used to rank** (popularity does not predict, and "
                      "may even precede worse, performance)."),
    "lb.open": ("打开组合", "Open portfolio"),
    "lb.pick": ("选择组合查看详情", "Choose a portfolio to open"),
    "lb.rules": ("排名规则与公式", "Ranking rules and formulas"),
    "lb.gates": ("入榜条件", "Eligibility gates"),
    "lb.gate.track": ("业绩记录至少 {n} 个交易日（截至排名日）", "At least {n} sessions of track record up to the ranking date"),
    "lb.gate.window": ("净值覆盖整个统计区间（“全部历史”除外）", "A NAV over the whole window (except 'all history')"),
    "lb.gate.active": ("最近 {n} 天内调仓或确认持仓（已关闭组合除外）",
                       "Rebalanced or confirmed within {n} days (closed portfolios exempt)"),
    "lb.gate.public": ("仅含排名日当天公开的组合；私密与仅链接可见的组合从不进入排行。之后改为私密或被删除，"
                       "不改变按更早日期的排行（以排名日当天的公开状态、关闭、删除与关注数为准）",
                       "Portfolios public on the ranking date only; private and unlisted ones never enter. Making "
                       "one private or deleting it later does not change rankings as of earlier dates (visibility, "
                       "closing, deletion and followers are read as of the ranking date)"),
    # the published rules (socialfund.core.ranking_rules.LeaderboardRules) in words; filled in by
    # services.leaderboard.rules_description (sort_label is the default sort's lb.sort.<key>)
    "lb.rules.description": (
        "排行榜规则 {version}。仅含公开组合。入榜条件：截至排名日至少 {min_sessions} 个交易日的"
        "业绩记录；覆盖整个统计区间（1M/3M/6M/1Y = 21/63/126/252 个交易日，“all” 为各组合全部历史）；"
        "最近 {max_days_since_rebalance} 天内调仓或确认持仓（已关闭组合免此条件，并始终计入筛选总数，"
        "避免幸存者偏差）。筛选总数 = 区间内至少有 min({min_sessions}, 区间长度) 个日收益的公开组合。"
        "默认排序：{sort_label}，即真实夏普比率超过“同等数量组合"
        "仅凭运气可达到的最高夏普”的概率。运气门槛取自可比的试验：每个组合的夏普先除以它自己的标准误"
        "（PSR 的分母，用它自己的收益个数、偏度与峰度），再对这些标准化夏普取 N 个中的期望最大值，"
        "因此记录短、噪声大的组合不会抬高所有组合的门槛。收益为时间加权的每日净值收益；夏普、PSR、DSR 与运气线"
        "都按超过无风险利率（年化 {risk_free_rate:.2%}）的超额收益计算，夏普按每年 {periods_per_year} "
        "个交易日年化。关注数与跟投数仅作展示，不参与排名。只使用排名日及之前的数据。",
        "Leaderboard rules {version}. Only public portfolios. Eligible: at least "
        "{min_sessions} sessions of track record up to the ranking date; a NAV over the whole "
        "window (1M/3M/6M/1Y = 21/63/126/252 sessions; 'all' = each portfolio's full history); "
        "rebalanced or confirmed within {max_days_since_rebalance} days (closed portfolios are "
        "exempt and are kept in the screened count, so there is no survivorship bias). Screened = "
        "public portfolios with at least min({min_sessions}, window) daily returns in the window. "
        "Default order: {sort_label}, i.e. the probability that the true Sharpe beats "
        "the best Sharpe the screened number of portfolios would reach by luck. The luck hurdle comes from "
        "comparable trials: each portfolio's Sharpe is first divided by its own standard error (the PSR "
        "denominator with its own number of returns, skewness and kurtosis), and the expected maximum of N is "
        "taken over these standardised Sharpes, so short, noisy records do not raise every portfolio's hurdle. "
        "Returns are time-weighted daily NAV returns; the Sharpe, PSR, DSR and luck line are all on the excess "
        "return over a {risk_free_rate:.2%} annual risk-free rate, the Sharpe annualised with {periods_per_year} "
        "sessions a year. Followers and copiers are shown, never used to rank. "
        "Only data up to the ranking date is used."),
    "lb.formulas": ("公式", "Formulas"),
    "lb.formula.text": (
        "- 收益：时间加权每日净值收益 r，下单后下一交易日收盘成交，美股按上海收盘前已知的最近一个美股收盘价估值（无汇率换算）。\n"
        "- 夏普（年化）= SR̂ · √252，SR̂ = mean(r − r_f) / std(r − r_f) 为每日超额夏普，r_f 为年化无风险利率 {rf} 折算到每日"
        "（(1+rf)^(1/252) − 1）。夏普、PSR、DSR 与运气线用的是同一个 SR̂，故夏普 > 0 恰好当 PSR > 0.5。\n"
        "- 标准误 σ̂(SR̂) = √((1 − γ₃·SR̂ + (γ₄−1)/4·SR̂²) / (n−1))，n 为区间内日收益个数，γ₃ 偏度，γ₄ 峰度（非超额）。\n"
        "- PSR = Φ(SR̂ / σ̂(SR̂))：真实超额夏普大于 0 的概率。\n"
        "- 运气门槛：z_i = SR̂_i / σ̂(SR̂_i)，V_z 为 N 个筛选组合 z 的方差，Z* = √V_z·((1−γ)·Φ⁻¹(1−1/N) + γ·Φ⁻¹(1−1/(N·e)))。"
        "原因：各组合记录长短不一，直接取夏普的方差会被短记录的估计噪声（约 1/(n−1)）抬高；标准化后无能力的组合 z 都约为 N(0,1)。\n"
        "- DSR = Φ(z_i − Z*) = PSR 以该组合自己的运气线 Z*·σ̂(SR̂_i) 为门槛；图中运气线 = Z*·σ̂(SR̂_i)·√252。\n"
        "- 最大回撤 = min(净值/历史最高 − 1)；年化波动率 = std(r)·√252；卡玛 = 年化收益 / |最大回撤|（需满 365 天）。\n"
        "- 风险等级 SRRI：周收益年化波动率 <0.5% →1，0.5–2% →2，2–5% →3，5–10% →4，10–15% →5，15–25% →6，≥25% →7。",
        "- Returns: time-weighted daily NAV returns r; an order fills at the next session's close; US holdings are "
        "valued at the last US close known before the Shanghai close (no FX conversion).\n"
        "- Sharpe (annualised) = SR̂ · √252, SR̂ = mean(r − r_f) / std(r − r_f) the daily excess Sharpe, r_f the annual "
        "risk-free rate {rf} per session ((1+rf)^(1/252) − 1). The Sharpe, PSR, DSR and luck line use this one SR̂, so "
        "Sharpe > 0 exactly when PSR > 0.5.\n"
        "- Standard error σ̂(SR̂) = √((1 − γ₃·SR̂ + (γ₄−1)/4·SR̂²) / (n−1)), n the daily returns in the window, γ₃ "
        "skewness, γ₄ kurtosis (not excess).\n"
        "- PSR = Φ(SR̂ / σ̂(SR̂)): the probability that the true excess Sharpe is above 0.\n"
        "- Luck hurdle: z_i = SR̂_i / σ̂(SR̂_i), V_z the variance of z over the N screened portfolios, "
        "Z* = √V_z·((1−γ)·Φ⁻¹(1−1/N) + γ·Φ⁻¹(1−1/(N·e))). Why: records differ in length, and the variance of raw "
        "Sharpes would be inflated by the estimation noise of short records (about 1/(n−1)); standardised, a "
        "skill-less portfolio's z is about N(0,1) whatever its length.\n"
        "- DSR = Φ(z_i − Z*) = the PSR against the portfolio's own luck line Z*·σ̂(SR̂_i); on the chart the luck line "
        "is Z*·σ̂(SR̂_i)·√252.\n"
        "- Max drawdown = min(NAV / running peak − 1); annual volatility = std(r)·√252; Calmar = CAGR / |max "
        "drawdown| (needs 365 days).\n"
        "- Risk class SRRI: annualised volatility of weekly returns <0.5% →1, 0.5–2% →2, 2–5% →3, 5–10% →4, "
        "10–15% →5, 15–25% →6, ≥25% →7."),
    "lb.definitions": ("与 empyrical 不同的定义", "Definitions that differ from empyrical's"),
    "lb.definitions.text": (
        "- 波动率为 0（或没有下行）时，夏普、索提诺等比率为 NaN（不显示），empyrical 给出 ±inf。\n"
        "- 年化收益（CAGR）与卡玛比率只在至少 365 个自然日的历史上计算，不足一年为 NaN；empyrical 任何长度都年化。\n"
        "- CAGR 按自然日计：(1 + 总收益)^(365.25 / 天数) − 1，天数从第一个收益所在期的开始算起；月度、季度、年度序列每期恰为 "
        "1/12、1/4、1 年。empyrical 按期数 / 每年期数计。\n"
        "- 信息比率年化：mean(r − b) / std(r − b)·√252；empyrical 的 excess_sharpe 不年化。\n"
        "- 全为空的序列的最大回撤为 NaN；empyrical 给出 0。",
        "- Zero volatility (or no downside): the Sharpe, Sortino and similar ratios are NaN (not shown); empyrical "
        "gives ±inf.\n"
        "- CAGR and the Calmar ratio only from at least 365 calendar days of history, NaN below; empyrical "
        "annualises any length.\n"
        "- CAGR on calendar days: (1 + total return)^(365.25 / days) − 1, the days counted from the start of the "
        "first return's period; on monthly, quarterly and yearly series each period is exactly 1/12, 1/4 or 1 "
        "year. empyrical counts periods / periods per year.\n"
        "- Information ratio annualised: mean(r − b) / std(r − b)·√252; empyrical's excess_sharpe is not "
        "annualised.\n"
        "- Maximum drawdown of an all-missing series is NaN; empyrical gives 0."),
    "lb.col.rank": ("名次", "Rank"),
    "lb.col.name": ("组合", "Portfolio"),
    "lb.col.owner": ("主理人", "Owner"),
    "lb.col.style": ("风格", "Style"),
    "lb.col.dsr": ("紧缩夏普 DSR", "Deflated Sharpe"),
    "lb.col.psr": ("概率夏普 PSR", "Probabilistic Sharpe (PSR)"),
    "lb.col.sharpe": ("夏普（年化）", "Sharpe (ann.)"),
    "lb.col.luck_sharpe": ("运气线（夏普）", "Luck line"),
    "lb.col.total_return": ("区间收益", "Return"),
    "lb.col.max_drawdown": ("最大回撤", "Max drawdown"),
    "lb.col.volatility": ("年化波动率", "Volatility (ann.)"),
    "lb.col.calmar": ("卡玛比率", "Calmar"),
    "lb.col.risk_class": ("风险等级", "Risk class"),
    "lb.col.sessions": ("区间交易日", "Sessions"),
    "lb.col.followers": ("关注数", "Followers"),
    "lb.col.copiers": ("跟投人数", "Copiers"),
    "lb.col.closed": ("已关闭", "Closed"),
    "lb.col.status": ("状态", "Status"),
    "lb.deleted_on": ("已被所有者于 {day} 删除（保留在记录中）", "deleted by its owner on {day} (kept in the record)"),
    "lb.deleted_note": ("被所有者删除的公开组合不会从记录中消失：它算作在删除当天关闭，始终计入筛选总数；"
                        "按删除之前的日期查看时，排行榜与当时完全相同。",
                        "A public portfolio deleted by its owner does not vanish from the record: it counts as "
                        "closed on its deletion day and stays among the screened; as of any date before the "
                        "deletion the leaderboard is exactly what it was then."),
    "lb.help.dsr": ("真实夏普超过“运气可达最高夏普”的概率（0–1），统计区间内的每日收益。默认排序。",
                    "Probability (0–1) that the true Sharpe beats the best Sharpe by luck; daily returns in the "
                    "window. Default sort."),
    "lb.help.psr": ("真实超额夏普大于 0 的概率（0–1），统计区间内超过无风险利率的每日收益，考虑偏度与峰度；"
                    "夏普 > 0 恰好当 PSR > 0.5。",
                    "Probability (0–1) that the true excess Sharpe is above 0; daily returns over the risk-free "
                    "rate in the window, skew and kurtosis included; Sharpe > 0 exactly when PSR > 0.5."),
    "lb.help.luck_sharpe": ("该组合的运气线 Z*·σ̂(SR̂)·√252：N 个无能力组合中最好的预计成绩，换算到该组合的年化夏普；"
                            "夏普高于它恰好当 DSR > 0.5。",
                            "This portfolio's luck line Z*·σ̂(SR̂)·√252: the best score of N skill-less portfolios, "
                            "in its own annualised Sharpe units; its Sharpe is above it exactly when DSR > 0.5."),
    "lb.help.sharpe": ("mean(r − r_f)/std(r − r_f)·√252，每日超额收益，年化，无风险利率 {rf}（与 PSR、DSR 同一口径）。",
                       "mean(r − r_f)/std(r − r_f)·√252 on daily excess returns, annualised, risk-free {rf} a year "
                       "(the same Sharpe as PSR and DSR use)."),
    "lb.help.total_return": ("Π(1+r)−1，统计区间内的时间加权收益（%）。", "Π(1+r)−1, time-weighted return over the window (%)."),
    "lb.help.max_drawdown": ("区间内净值从高点回落的最大幅度（%，≤0）。", "Largest fall from a running peak in the window (%, ≤ 0)."),
    "lb.help.volatility": ("std(r)·√252，每日收益年化（%）。", "std(r)·√252 of daily returns, annualised (%)."),
    "lb.help.calmar": ("年化收益 / |最大回撤|；不足 365 天不计算。", "CAGR / |max drawdown|; not computed under 365 days."),
    "lb.help.risk_class": ("欧盟 SRRI：周收益年化波动率分 1–7 级（区间内数据）。",
                           "EU SRRI: class 1–7 from the annualised volatility of weekly returns in the window."),
    "lb.help.sessions": ("区间内的每日收益个数。", "Daily returns in the window."),
    "lb.help.popularity": ("仅展示，不参与排名。", "Shown only, never used to rank."),
}
