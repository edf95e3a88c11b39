"""Strings of issue 14's ui2 share: loading feedback, empty results that say why, exports and
Streamlit built-in replacements (kept apart from the page tables so parallel work merges)."""

STRINGS: dict[str, tuple[str, str]] = {
    "ideas.as_of_nothing": (
        "{session} 这一天没有可排序的基金：{n} 只基金都缺少足够的数据（{reasons}）。请选一个更晚的日期。",
        "No fund can be ranked on {session}: all {n} funds lack enough data ({reasons}). Pick a later date."),
    "loading.page": ("正在加载……", "Loading…"),
    "loading.ideas": ("正在计算基金排名（首次打开约需几秒）……", "Ranking the funds (a few seconds on first open)…"),
    "loading.sentiment": ("正在读取帖子与情绪……", "Reading posts and sentiment…"),
    "loading.step": ("第 {i}/{n} 步：{what}", "step {i}/{n}: {what}"),
    "export.demo_label": ("演示数据 / demo data · socialfund", "demo data / 演示数据 · socialfund"),
    "export.headers": ("表头", "Headers"),
    "export.headers.human": ("中文表头", "Readable headers"),
    "export.headers.machine": ("机器可读（英文字段名）", "Machine-readable (field names)"),
    "export.posts_csv": ("下载图表背后的帖子（CSV）", "Download the posts behind the charts (CSV)"),
    # --- sentiment export: readable headers (app.sentiment_tabs.EXPORT_FIELDS) ---------------
    "sent.field.session": ("交易日", "session"),
    "sent.field.code": ("代码", "code"),
    "sent.field.name": ("基金", "fund"),
    "sent.field.close": ("复权收盘价", "adjusted close"),
    "sent.field.mean_score": ("平均情绪（0–1）", "mean sentiment (0–1)"),
    "sent.field.reads_weighted": ("阅读加权情绪（0–1）", "reads-weighted sentiment (0–1)"),
    "sent.field.bullishness": ("看涨度 B", "bullishness B"),
    "sent.field.n_posts": ("帖子数", "posts"),
    "sent.field.n_bull": ("看涨帖数", "bullish posts"),
    "sent.field.n_bear": ("看跌帖数", "bearish posts"),
    "sent.field.z": ("帖量 z 值", "volume z"),
    "sent.field.scorer": ("评分器版本", "scorer version"),
    "sent.field.post_source": ("帖子来源", "post source"),
    "sent.field.price_source": ("价格来源", "price source"),
}
