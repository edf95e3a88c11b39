"""Sentiment page strings of the scorer choice (adaptation on by default) and of the
explanation chart (``app.draw_explain``)."""

STRINGS: dict[str, tuple[str, str]] = {
    "sent.scorer_adapted": (
        "评分模型：{name}，finance 已按本库 {n} 条帖子自适应（无标签，语料哈希 {corpus}）",
        "Scored by {name}: finance adapted to this store's {n} posts (no labels; corpus hash {corpus})"),
    "sent.scorer_not_adapted": (
        "评分模型：{name}，逐条打分（本库 {n} 条帖子；finance 满 {min} 条才自适应）",
        "Scored by {name}: each post on its own (this store holds {n} posts; finance adapts from {min})"),
    "sent.explain_title": ("这条帖子为什么得这个分", "Why this post scored as it did"),
    "sent.explain_pick": ("选一条热门帖子查看打分依据", "Pick a top post to see what moved its score"),
    "sent.explain_none": ("这条帖子没有命中情绪词典：得分为中性 0.5。",
                          "This post has no lexicon word: it scores neutral, 0.5."),
    "sent.explain_word": ("词", "Word"),
    "sent.explain_weight": ("对得分的贡献（证据，正 = 看多）", "Contribution (evidence; positive = bullish)"),
    "sent.explain_note": (
        "每个条形是一个词典词在规则（否定、程度、转折、疑问、反讽、新闻语体）作用后的权重；"
        "得分 = logistic(1.5 × 权重之和)，0 看空，0.5 中性，1 看多。自适应模型只调整未命中词典的帖子和整体力度。",
        "Each bar is one lexicon word's weight after the rules (negation, degree, contrast, question, sarcasm, "
        "news register); score = logistic(1.5 × sum of weights), 0 bearish, 0.5 neutral, 1 bullish. "
        "The adapted model only adds evidence for posts the lexicon misses and for overall strength."),
    "sent.explain_mods": ("规则", "Rules"),
    "sent.explain_base": ("词典权重", "Lexicon weight"),
}
