"""Strings of the Fund ideas page (``pages/4_Fund_Ideas.py``) and of ``socialfund.ideas``."""

STRINGS: dict[str, tuple[str, str]] = {
    "ideas.title": ("基金灵感", "Fund ideas"),
    "ideas.intro": ("按行情、论坛情绪和社区“高手”持仓给基金排序，并用样本外数据检验这种排序过去是否真的有用。"
                    "每个分数都拆成各因子的贡献，方法公开。",
                    "Funds ranked by market data, forum sentiment and what the community's best portfolios hold, "
                    "with out-of-sample evidence of whether such a ranking has worked. Every score is broken down "
                    "into feature contributions; the method is public."),
    "ideas.not_advice": ("灵感不是建议：排名只是对历史数据的统计描述，不是买卖推荐。",
                         "Ideas are not advice: a ranking is a statistical summary of past data, not a "
                         "recommendation to buy or sell."),
    "ideas.method": ("方法", "Method"),
    "ideas.method.composite": ("透明加权（可调权重）", "Transparent composite (adjustable weights)"),
    "ideas.method.model": ("机器学习（滚动训练）", "Machine learning (walk-forward)"),
    "ideas.as_of": ("排名日期（开盘前）", "Ranking date (before the open)"),
    "ideas.as_of_help": ("只使用该交易日开盘前已知的数据：前一交易日及更早的收盘价、09:30 前发布的帖子、"
                         "前一交易日收盘前已成交的调仓。",
                         "Uses only what was known before that session's open: closes up to the previous "
                         "session, posts published before 09:30, rebalances filled by the previous close."),
    "ideas.as_of_caption": ("排名日 {session}（开盘前）· 数据截至 {data} 收盘", "Ranking for {session} (before the open) · "
                            "data up to the close of {data}"),
    "ideas.provisional": ("（下一交易日，节假日未知，暂定）", " (next session; holidays unknown, provisional)"),
    "ideas.preset": ("预设", "Preset"),
    "ideas.weights": ("因子权重", "Feature weights"),
    "ideas.weights_help": ("权重按绝对值之和归一；负权重表示反向（如逆向情绪）。",
                           "Weights are scaled so their absolute values sum to 1; a negative weight means "
                           "the opposite direction (e.g. contrarian sentiment)."),
    "ideas.preset.balanced": ("均衡", "Balanced"),
    "ideas.preset.momentum": ("动量", "Momentum"),
    "ideas.preset.contrarian_sentiment": ("逆向情绪", "Contrarian sentiment"),
    "ideas.preset.follow_the_best": ("跟随高手", "Follow the best"),
    "ideas.preset.custom": ("自定义", "Custom"),
    "ideas.preset_desc.balanced": ("行情、情绪、群体持仓各占一部分，偏好稳健上涨、舆情转暖、高手在加仓的基金。",
                                   "A bit of everything: steady uptrends, warming sentiment and funds the "
                                   "best portfolios are buying."),
    "ideas.preset_desc.momentum": ("只看价格：近 1、3、6 个月涨得好、回撤小、波动低的基金排前面。",
                                   "Prices only: funds that rose over 1, 3 and 6 months, with small drawdowns "
                                   "and low volatility, rank first."),
    "ideas.preset_desc.contrarian_sentiment": ("反着舆情走：论坛越冷清、越悲观的基金排前面（人弃我取）。",
                                               "Against the crowd's mood: the quieter and gloomier the forum, "
                                               "the higher the fund ranks."),
    "ideas.preset_desc.follow_the_best": ("跟随按紧缩夏普比率（扣除运气）加权的公开组合：持有越多、近期加仓越多越靠前。",
                                          "Follow public portfolios weighted by deflated (luck-corrected) Sharpe: "
                                          "the more of them hold and recently added a fund, the higher it ranks."),
    "ideas.method_desc.model": ("岭回归（scikit-learn）预测未来 20 个交易日收益的横截面排名；扩展窗口、每 20 个交易日"
                                "重训一次，训练标签与预测日之间隔开 21 个交易日，避免重叠。分数 = Σ 系数 × 标准分。",
                                "Ridge regression (scikit-learn) predicting the cross-sectional rank of the next "
                                "20-session return; expanding window, retrained every 20 sessions, with a 21-session "
                                "purge so no training label overlaps the prediction date. Score = Σ coefficient × z."),
    "ideas.tab.ranking": ("排名", "Ranking"),
    "ideas.tab.detail": ("单只基金", "Fund detail"),
    "ideas.tab.evidence": ("样本外证据", "Evidence"),
    "ideas.tab.method": ("方法说明", "Method"),
    "ideas.col.fund": ("基金", "Fund"),
    "ideas.col.code": ("代码", "Code"),
    "ideas.col.category": ("类别", "Category"),
    "ideas.col.score": ("分数", "Score"),
    "ideas.col.rank": ("排名", "Rank"),
    "ideas.col.rank_change": ("较 20 日前", "vs 20 sessions ago"),
    "ideas.col.trend": ("近 60 日走势", "Last 60 sessions"),
    "ideas.col.why": ("主要原因", "Main reasons"),
    "ideas.col.reason": ("无分数原因", "Why no score"),
    "ideas.unscored": ("暂无分数的基金", "Funds without a score"),
    "ideas.export": ("导出 CSV", "Export CSV"),
    "ideas.contrib_title": ("前 {n} 名的分数构成（各因子贡献，合计 = 分数）", "Score breakdown of the top {n} "
                            "(feature contributions; they sum to the score)"),
    "ideas.pick_fund": ("选择基金", "Choose a fund"),
    "ideas.detail.price": ("复权收盘价", "Adjusted close"),
    "ideas.detail.sentiment": ("情绪水平（近 5 日帖子平均分，0.5 为中性）", "Sentiment level (mean post score over 5 "
                               "sessions; 0.5 neutral)"),
    "ideas.detail.crowd": ("群体持仓（按紧缩夏普加权的持有比例）", "Crowd positioning (DSR-weighted share holding it)"),
    "ideas.detail.score": ("分数与排名", "Score and rank"),
    "ideas.detail.no_data": ("这只基金在此日期没有分数：{reason}", "This fund has no score on this date: {reason}"),
    "ideas.evidence.metric.ic": ("平均 Rank-IC", "Mean rank-IC"),
    "ideas.evidence.metric.t": ("t 统计量", "t-statistic"),
    "ideas.evidence.metric.hit": ("IC>0 的比例", "Share of dates with IC > 0"),
    "ideas.evidence.metric.spread": ("五分位多空收益", "Top − bottom quintile"),
    "ideas.evidence.metric.spread_help": ("前五分位减后五分位的平均 20 日收益（未扣成本）",
                                          "Mean 20-session return of the top quintile minus the bottom one, before costs"),
    "ideas.evidence.metric.turnover": ("前五分位换手率", "Top-quintile turnover"),
    "ideas.evidence.metric.n": ("不重叠日期数", "Non-overlapping dates"),
    "ideas.evidence.how": ("Rank-IC：每个日期上分数与之后 20 个交易日收益的 Spearman 秩相关。由于相邻日期的 20 日收益重叠，"
                           "平均值、t 统计量、命中率和五分位收益差只用互不重叠的日期（每隔 20 个交易日取一次）；"
                           "另给出全部日期的 Newey-West t 值（滞后 19）作对照：{nw}。模型的证据只来自样本外预测。"
                           "五分位收益差未扣交易成本。",
                           "Rank-IC: per date, the Spearman rank correlation between the score and the next 20 "
                           "sessions' return. Because neighbouring 20-session returns overlap, the mean, t-statistic, "
                           "hit rate and quintile spread use non-overlapping dates only (every 20th session); a "
                           "Newey-West t over all dates (lag 19) is shown as a cross-check: {nw}. The model's "
                           "evidence comes from out-of-sample predictions only. Spreads are before costs."),
    "ideas.evidence.ic_title": ("每个日期的 Rank-IC（深色 = 用于统计的不重叠日期）", "Rank-IC per date (dark = the "
                                "non-overlapping dates used for the statistics)"),
    "ideas.evidence.curve_title": ("前五分位减后五分位的累计收益（每 20 个交易日调仓，未扣成本）",
                                   "Cumulative top-minus-bottom quintile return (rebalanced every 20 sessions, "
                                   "before costs)"),
    "ideas.evidence.weights_note": ("证据对应当前所选权重。", "The evidence is for the weights currently selected."),
    "ideas.verdict.edge": ("有统计证据表明这种排序在这些数据上有效：平均 Rank-IC {ic}，t = {t}（{n} 个不重叠日期）。"
                           "过去有效不代表将来有效。",
                           "There is statistical evidence that this ranking worked on this data: mean rank-IC {ic}, "
                           "t = {t} ({n} non-overlapping dates). Past evidence does not guarantee the future."),
    "ideas.verdict.negative": ("在这些数据上没有证据表明存在优势：排序与之后收益显著反向（平均 Rank-IC {ic}，t = {t}，"
                               "{n} 个不重叠日期）。",
                               "No evidence of an edge on this data: the ranking pointed the wrong way "
                               "(mean rank-IC {ic}, t = {t}, {n} non-overlapping dates)."),
    "ideas.verdict.none": ("在这些数据上没有证据表明存在优势（平均 Rank-IC {ic}，t = {t}，{n} 个不重叠日期，未达显著）。",
                           "No evidence of an edge on this data (mean rank-IC {ic}, t = {t}, {n} non-overlapping "
                           "dates: not significant)."),
    "ideas.verdict.insufficient": ("在这些数据上没有证据表明存在优势：可检验的不重叠日期太少（{n} 个）。",
                                   "No evidence of an edge on this data: too few non-overlapping dates to test ({n})."),
    "ideas.verdict.demo": ("注意：这些是程序生成的演示数据，这里的证据对真实市场没有任何说服力。",
                           "Note: this is generated demo data; the evidence proves nothing about real markets."),
    "ideas.spinner": ("正在计算因子、滚动训练模型与样本外证据…", "Computing features, walk-forward model and evidence…"),
    "ideas.scoring": ("正在为帖子打分（结果会缓存）…", "Scoring posts (results are cached)…"),
    "ideas.method_text": (
        "**时间规则**：某交易日的排名只使用其开盘（09:30）前已知的数据：前一交易日及更早的收盘价；09:30 前发布的帖子"
        "（15:00 收盘后发布的帖子计入下一交易日）；前一交易日收盘前已成交的组合调仓；组合的紧缩夏普比率每月初用截至"
        "前一交易日的数据重算一次。\n\n"
        "**因子**：动量 = 近 20/60/120 个交易日涨跌幅；波动率 = 近 60 日日收益标准差 × √252；回撤 = 相对近 252 日"
        "最高价的跌幅；情绪水平 = 近 5 日帖子平均分；情绪变化 = 情绪水平相对前 20 日的 z 分数；帖量 z 分数 = 近 5 日帖子数"
        "相对前 20 日的 z 分数；多空指数 = ln((1+看多数)/(1+看空数))；群体持有 = 合格公开组合中持有该基金的比例（按紧缩夏普"
        "加权）；群体增减仓 = 这些组合近 20 日目标权重的净变化（同样加权）。\n\n"
        "**分数**：每个因子在当日所有有数据的基金中标准化（z 分数，截断在 ±3，缺失记 0）。透明加权分数 = Σ 权重 × z，"
        "权重绝对值之和为 1；机器学习分数 = Σ 岭回归系数 × z。两种分数的各项贡献之和都正好等于分数。\n\n"
        "**无分数**：收盘价不足 121 个（“少于 120 个交易日的价格”），或近 20 个交易日没有帖子。",
        "**Timing**: a session's ranking uses only what was known before its 09:30 open: closes up to the previous "
        "session; posts published before 09:30 (a post after the 15:00 close counts for the next session); "
        "portfolio rebalances filled by the previous close; portfolios' deflated Sharpe ratios are recomputed at "
        "the start of each month from data up to the previous session.\n\n"
        "**Features**: momentum = return over the last 20/60/120 sessions; volatility = std of the last 60 daily "
        "returns × √252; drawdown = fall from the 252-session high; sentiment level = mean post score over 5 "
        "sessions; sentiment shift = z-score of the level against the previous 20 sessions; post volume z = the "
        "same for the 5-session post count; bullishness = ln((1+N_bull)/(1+N_bear)); crowd share = share of "
        "eligible public portfolios holding the fund (weighted by deflated Sharpe); crowd flow = their net "
        "target-weight change over 20 sessions (same weights).\n\n"
        "**Scores**: each feature is z-scored across the funds with data that day (clipped at ±3, missing = 0). "
        "Composite = Σ weight × z with Σ|weight| = 1; model = Σ ridge coefficient × z. In both, the "
        "contributions add up exactly to the score.\n\n"
        "**No score**: fewer than 121 closes (\"fewer than 120 sessions of prices\") or no post in 20 sessions."),
    "ideas.reason.fewer than 120 sessions of prices": ("少于 120 个交易日的价格", "fewer than 120 sessions of prices"),
    "ideas.reason.no posts in 20 sessions": ("近 20 个交易日没有帖子", "no posts in 20 sessions"),
    "ideas.reason.no prices at all": ("没有任何价格", "no prices at all"),
    "ideas.reason.model not trained yet (too little history)": ("模型尚未训练（历史太短）",
                                                                "model not trained yet (too little history)"),
    "ideas.reason.fewer than 5 funds with data that day": ("当日有数据的基金少于 5 只",
                                                           "fewer than 5 funds with data that day"),
    "ideas.why.none": ("各因子均接近平均", "all features near average"),
    "ideas.why.sep": ("、", ", "),
    "ideas.feature.mom_20": ("20 日动量", "20-session momentum"),
    "ideas.feature.mom_60": ("60 日动量", "60-session momentum"),
    "ideas.feature.mom_120": ("120 日动量", "120-session momentum"),
    "ideas.feature.vol_60": ("60 日波动率", "60-session volatility"),
    "ideas.feature.drawdown": ("距高点回撤", "Drawdown from high"),
    "ideas.feature.sent_level": ("情绪水平", "Sentiment level"),
    "ideas.feature.sent_shift": ("情绪变化", "Sentiment shift"),
    "ideas.feature.post_volume_z": ("帖量 z 分数", "Post volume z"),
    "ideas.feature.bullishness": ("多空指数", "Bullishness index"),
    "ideas.feature.crowd_share": ("高手持有比例", "Crowd share"),
    "ideas.feature.crowd_flow": ("高手增减仓", "Crowd flow"),
    "ideas.why.mom_20.high": ("短期强势", "strong short-term momentum"),
    "ideas.why.mom_20.low": ("短期走弱", "weak short-term momentum"),
    "ideas.why.mom_60.high": ("强势动量", "strong momentum"),
    "ideas.why.mom_60.low": ("动量偏弱", "weak momentum"),
    "ideas.why.mom_120.high": ("半年趋势向上", "6-month uptrend"),
    "ideas.why.mom_120.low": ("半年趋势向下", "6-month downtrend"),
    "ideas.why.vol_60.high": ("波动偏大", "high volatility"),
    "ideas.why.vol_60.low": ("波动较小", "low volatility"),
    "ideas.why.drawdown.high": ("接近高点", "near its high"),
    "ideas.why.drawdown.low": ("深度回撤", "deep drawdown"),
    "ideas.why.sent_level.high": ("舆情乐观", "upbeat sentiment"),
    "ideas.why.sent_level.low": ("舆情悲观", "gloomy sentiment"),
    "ideas.why.sent_shift.high": ("舆情转暖", "sentiment warming"),
    "ideas.why.sent_shift.low": ("舆情转冷", "sentiment cooling"),
    "ideas.why.post_volume_z.high": ("讨论升温", "more chatter"),
    "ideas.why.post_volume_z.low": ("讨论冷清", "quiet forum"),
    "ideas.why.bullishness.high": ("看多帖占优", "bulls outnumber bears"),
    "ideas.why.bullishness.low": ("看空帖占优", "bears outnumber bulls"),
    "ideas.why.crowd_share.high": ("高手普遍持有", "widely held by the best"),
    "ideas.why.crowd_share.low": ("高手少有持有", "rarely held by the best"),
    "ideas.why.crowd_flow.high": ("高手在加仓", "the best are buying"),
    "ideas.why.crowd_flow.low": ("高手在减仓", "the best are selling"),
    "ideas.cli.no_scores": ("该日期没有可排序的基金", "no fund could be ranked on that date"),
}
