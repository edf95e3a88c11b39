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
}
