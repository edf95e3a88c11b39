"""Strings of the bull/bear meter (app/draw_meter.py, Sentiment page), the follow-fund button
and the Watchlist page (pages/9_Watchlist.py, app/draw_watchlist.py)."""

STRINGS: dict[str, tuple[str, str]] = {
    "meter.title": ("🐂🐻 多空温度计：自选标签 vs 模型", "🐂🐻 Bull/bear meter: self-tags vs the model"),
    "meter.intro": (
        "最近 {n} 个交易日（{start} – {end}，截至最后一个收盘）讨论区帖子的自选“看多/看空”标签，"
        "和模型对同一批帖子的打分并排对照。看多占比 = 看多 ÷（看多 + 看空）；模型看多占比 = 模型判为正面 ÷"
        "（正面 + 负面），中性不计；一致率 = 标签与模型方向相同的帖子 ÷ 模型非中性的带标签帖子。"
        "帖子从写下之后的下一个收盘起计入；已隐藏、已删除、待审核的帖子不计入。",
        "Self-tags (bullish/bearish) of the discussion's posts over the last {n} sessions ({start} – {end}, up "
        "to the last close), beside the model's score of the same posts. Bull share = bullish ÷ (bullish + "
        "bearish); model bull share = posts the model labels positive ÷ (positive + negative), neutral left "
        "out; agreement = tagged posts where tag and model point the same way ÷ tagged posts the model does "
        "not call neutral. A post counts from the first close after it is written; hidden, deleted and held "
        "posts never count."),
    "meter.no_window": ("没有收盘数据，无法确定交易日窗口。", "No closes: the session window is unknown."),
    "meter.bull_share": ("看多占比（自选标签）", "Bull share (self-tags)"),
    "meter.model_share": ("模型看多占比", "Model bull share"),
    "meter.model_share_help": ("模型对同一批带标签帖子的判断：正面 ÷（正面 + 负面），中性不计",
                               "The model on the same tagged posts: positive ÷ (positive + negative), neutral left out"),
    "meter.bull_share_help": ("看多 ÷（看多 + 看空），只计带标签的帖子", "bullish ÷ (bullish + bearish), tagged posts only"),
    "meter.model_mean": ("模型平均分 {score}（0–1，0.5 为中性）", "Model mean score {score} (0–1, 0.5 neutral)"),
    "meter.tags": ("看多 {bull} · 看空 {bear}", "bullish {bull} · bearish {bear}"),
    "meter.volume": ("最近 {n} 个交易日：带标签 {tagged} 帖 / 全部 {posts} 帖",
                     "last {n} sessions: {tagged} tagged posts / {posts} posts in all"),
    "meter.agreement": ("标签与模型一致率 {rate}（比较了 {compared} 帖；模型判为中性 {neutral} 帖未比较；"
                        "未打分 {unscored} 帖）",
                        "Self-tag / model agreement {rate} ({compared} posts compared; {neutral} the model "
                        "calls neutral not compared; {unscored} unscored)"),
    "meter.no_tags": ("这段时间没有带“看多/看空”标签的帖子。", "No bullish/bearish-tagged posts in this window."),
    "meter.demo": ("含演示数据：{n} 帖", "includes demo data: {n} posts"),
    "meter.scorer": ("模型：{version}", "Model: {version}"),
    "follow.add": ("☆ 关注", "☆ Follow"),
    "follow.remove": ("★ 已关注", "★ Following"),
    "follow.help": ("加入或移出我的自选（自选页可查看）", "Add to or remove from my watchlist (see the Watchlist page)"),
    "menu.watchlist": ("自选", "Watchlist"),
    "nav.watchlist": ("自选基金：价格、情绪、讨论热度和排名一览", "Watchlist: price, sentiment, posts and rank of the funds you follow"),
    "wl.title": ("⭐ 我的自选", "⭐ My watchlist"),
    "wl.intro": ("你关注的基金：最近涨跌、情绪水平和变化、讨论量、基金推荐排名和多空温度计。",
                 "The funds you follow: recent price change, sentiment level and shift, post volume, idea rank "
                 "and the bull/bear meter."),
    "wl.sign_in": ("登录后才有自选。", "Sign in to have a watchlist."),
    "wl.empty": ("自选还是空的：在下面选一只基金点“加入自选”，或者在情绪页点 ☆ 关注。",
                 "Your watchlist is empty: pick a fund below and press “Add”, or press ☆ Follow on the "
                 "Sentiment page."),
    "wl.pick": ("添加基金", "Add a fund"),
    "wl.add": ("加入自选", "Add"),
    "wl.added": ("已加入自选：{fund}", "Added to your watchlist: {fund}"),
    "wl.remove": ("移出自选", "Remove"),
    "wl.removed": ("已移出自选：{fund}", "Removed from your watchlist: {fund}"),
    "wl.col.fund": ("基金", "Fund"),
    "wl.col.close": ("最新收盘", "Last close"),
    "wl.col.d1": ("1日涨跌 %", "1D change %"),
    "wl.col.m1": ("1月涨跌 %", "1M change %"),
    "wl.col.level": ("情绪水平（0–1）", "Sentiment level (0–1)"),
    "wl.col.z": ("情绪变化 z", "Sentiment shift z"),
    "wl.col.level_session": ("情绪所在交易日", "Sentiment session"),
    "wl.col.posts": ("帖子数（7个交易日）", "Posts (7 sessions)"),
    "wl.col.rank": ("推荐排名", "Idea rank"),
    "wl.col.bull": ("看多占比（自选标签）", "Bull share (self-tags)"),
    "wl.formulas": (
        "截至 {as_of}（最后一个收盘）。1日涨跌 = 最新收盘 ÷ 前一收盘 − 1；1月涨跌 = 最新收盘 ÷ 一个月前当日或之前最后一个收盘 − 1"
        "（复权收盘价，单位 %）。情绪水平 = 最近一个有帖子的交易日的模型平均分（0–1，0.5 为中性），"
        "情绪变化 z = 该日平均分相对前 20 个交易日的标准分（{sources}）；帖子数 = 最近 7 个交易日计入的帖子；"
        "推荐排名 = 基金推荐页默认方法在 {rank_session} 的排名（1 最好，共 {n_ranked} 只）；看多占比见情绪页多空温度计。",
        "As of {as_of} (the last close). 1D change = last close ÷ previous close − 1; 1M change = last close ÷ "
        "the last close on or before one month earlier − 1 (adjusted closes, in %). Sentiment level = the "
        "model's mean score on the latest session with posts (0–1, 0.5 neutral); shift z = that mean's "
        "standard score against the previous 20 sessions ({sources}); posts = posts counted in the last 7 "
        "sessions; idea rank = the Fund ideas page's default ranking at {rank_session} (1 best, of "
        "{n_ranked}); bull share: the Sentiment page's bull/bear meter."),
    "wl.no_rank": ("（暂无推荐排名）", "(no idea ranking available)"),
}
