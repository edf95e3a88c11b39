"""Strings of the Sentiment page (pages/3_Sentiment.py)."""

STRINGS: dict[str, tuple[str, str]] = {
    "sent.title": ("基金舆情", "Fund sentiment"),
    "sent.intro": ("面向基金营销：看论坛帖子对各只基金的情绪、热度和关键词如何随交易日变化。"
                   "帖子按发布时间归入它最早能影响的交易日：上海时间 15:00 收盘后（或非交易日）发布的帖子计入下一个交易日，绝无前视。",
                   "For fund marketers: how forum posts feel about each fund, how much they talk and about what, "
                   "session by session. Each post counts for the first session it could affect: posts published after "
                   "the 15:00 Shanghai close (or on a day without a session) count for the NEXT session (no look-ahead)."),
    "sent.sources": ("帖子来源", "Post sources"),
    "sent.sources_help": ("演示帖子与导入的帖子从不静默混合：请明确选择来源。",
                          "Demo and imported posts are never mixed silently: choose the sources explicitly."),
    "sent.source_option": ("{source}（{n} 条）", "{source} ({n} posts)"),
    "sent.source_label": ("帖子来源：{sources}（所选基金共 {n} 条帖子）；交易日历与价格：{prices}",
                          "Post source: {sources} ({n} posts for the chosen funds); sessions and prices: {prices}"),
    "sent.mixed": ("注意：你同时选择了演示帖子和导入的真实帖子，下面的统计把两者合在一起。",
                   "Note: you chose demo posts AND imported posts; the figures below combine both."),
    "sent.no_sources": ("请至少选择一个帖子来源。", "Choose at least one post source."),
    "sent.scorer": ("情绪模型", "Sentiment scorer"),
    "sent.scorer_finance": ("finance：金融词典 + 规则（默认，快速）", "finance: finance lexicon + rules (default, fast)"),
    "sent.scorer_snownlp": ("snownlp：通用基线（较慢）", "snownlp: general baseline (slower)"),
    "sent.scorer_version": ("模型版本：{version}", "Scorer version: {version}"),
    "sent.scoring": ("正在为 {total} 条新文本打分…", "Scoring {total} new texts…"),
    "sent.scored_now": ("已为 {n} 条新文本打分并写入缓存。", "Scored {n} new texts and cached the scores."),
    "sent.funds": ("基金", "Funds"),
    "sent.no_funds": ("请至少选择一只基金。", "Choose at least one fund."),
    "sent.range": ("日期范围（交易日）", "Date range (sessions)"),
    "sent.no_posts": ("所选基金、来源和日期内没有帖子。", "No posts for these funds, sources and dates."),
    "sent.tab_funds": ("逐只基金", "Per fund"),
    "sent.tab_compare": ("对比", "Compare"),
    "sent.tab_heatmap": ("周热力图", "Weekly heatmap"),
    "sent.tab_alerts": ("情绪突变", "Shift alerts"),
    "sent.tab_posts": ("代表性帖子", "Top posts"),
    "sent.tab_keywords": ("关键词", "Keywords"),
    "sent.tab_export": ("导出", "Export"),
    "sent.tab_import": ("导入帖子", "Import posts"),
    "sent.m_mean": ("平均情绪（区间）", "Mean sentiment (window)"),
    "sent.m_bull": ("看涨指数 B（区间）", "Bullishness B (window)"),
    "sent.m_posts": ("帖子数（区间）", "Posts (window)"),
    "sent.m_share": ("看涨占比（区间）", "Share bullish (window)"),
    "sent.m_z": ("最新 z 值", "Latest z-score"),
    "sent.sentiment": ("情绪 (0–1)", "Sentiment (0–1)"),
    "sent.smooth": ("10 个交易日均值", "10-session mean"),
    "sent.price": ("复权收盘价", "Adjusted close"),
    "sent.bullishness": ("看涨指数 B", "Bullishness B"),
    "sent.posts": ("帖子数", "Posts"),
    "sent.formula": (
        "口径：情绪分数 0–1（0 看跌，0.5 中性，1 看涨），每个交易日取当日已打分帖子的平均值；点为单日，线为 10 个交易日均值。"
        "看涨指数 B = ln((1+看涨帖数)/(1+看跌帖数))，按交易日计算，0 为多空平衡（Antweiler & Frank 2004）。"
        "看涨/看跌：分数 > 0.6 / < 0.4。价格为复权收盘价（右轴，元）。",
        "Definitions: sentiment score 0–1 (0 bearish, 0.5 neutral, 1 bullish), mean of the session's scored posts; "
        "dots = one session, line = 10-session mean. Bullishness B = ln((1+N_bull)/(1+N_bear)) per session, "
        "0 = balanced (Antweiler & Frank 2004). Bullish / bearish: score > 0.6 / < 0.4. "
        "Price: adjusted close (right axis, in the fund's currency)."),
    "sent.window_formula": ("区间指标：区间内所有已打分帖子的平均分；B 用区间内的看涨/看跌帖总数计算。",
                            "Window figures: mean score of all scored posts in the window; B from the window's "
                            "total bullish / bearish counts."),
    "sent.compare_metric": ("对比指标", "Metric to compare"),
    "sent.metric_mean_score": ("平均情绪（5 日均值）", "Mean sentiment (5-session mean)"),
    "sent.metric_bullishness": ("看涨指数 B（5 日均值）", "Bullishness B (5-session mean)"),
    "sent.metric_n_posts": ("帖子数（5 日均值）", "Posts (5-session mean)"),
    "sent.metric_reads_weighted": ("阅读加权情绪（5 日均值）", "Reads-weighted sentiment (5-session mean)"),
    "sent.compare_title": ("多只基金对比", "Funds compared"),
    "sent.compare_note": ("阅读加权情绪 = Σ 分数×(1+阅读数) / Σ (1+阅读数)，按交易日计算。",
                          "Reads-weighted sentiment = Σ score×(1+reads) / Σ (1+reads), per session."),
    "sent.heatmap_title": ("每周平均情绪（红 = 看涨，绿 = 看跌）", "Weekly mean sentiment (red = bullish, green = bearish)"),
    "sent.heatmap_note": ("每格 = 该周（周一起）所有已打分帖子的平均分，0.5 为中性；空格表示该周没有帖子。",
                          "Each cell = mean score of the week's scored posts (weeks start Monday); 0.5 is neutral; "
                          "blank = no posts that week."),
    "sent.alerts_note": ("突变：当日平均情绪相对此前 20 个交易日（不含当日，至少 10 个有帖子的交易日）的 z 值 |z| > 2；|z| > 3 为极端。",
                         "Shift: the session's mean sentiment has |z| > 2 against the previous 20 sessions "
                         "(today excluded, at least 10 with posts); |z| > 3 is extreme."),
    "sent.no_alerts": ("所选区间内没有情绪突变。", "No shifts in this window."),
    "sent.alert_shift": ("突变", "shift"),
    "sent.alert_extreme": ("极端", "extreme"),
    "sent.top_pos": ("最看涨的帖子", "Most bullish posts"),
    "sent.top_neg": ("最看跌的帖子", "Most bearish posts"),
    "sent.posts_note": ("帖子原文按纯文本显示（不渲染 HTML）；时间为上海时间。同分时阅读数多者优先。",
                        "Posts are shown as plain text (HTML is never rendered); times are Shanghai time. "
                        "Ties: more reads first."),
    "sent.kw_period": ("周期", "Period"),
    "sent.kw_week": ("按周", "Weekly"),
    "sent.kw_month": ("按月", "Monthly"),
    "sent.kw_method": ("算法", "Method"),
    "sent.kw_note": ("jieba 关键词提取（TF-IDF 或 TextRank），已去除基金名称、代码和常见虚词；每期最多取阅读量最高的 30 万字。",
                     "jieba keyword extraction (TF-IDF or TextRank), fund names, codes and filler words removed; "
                     "at most 300,000 characters of the most-read posts per period."),
    "sent.export_csv": ("下载聚合表（CSV）", "Download the aggregated table (CSV)"),
    "sent.export_note": ("CSV 为 UTF-8（带 BOM，Excel 可直接打开）；以 = + - @ 开头的文本单元格前加 ' 以防公式注入，数值列保持数值。",
                         "CSV is UTF-8 with BOM (opens in Excel); text cells starting with = + - @ get a leading ' "
                         "against formula injection, numeric columns stay numbers."),
    "sent.export_chart": ("图表", "Chart"),
    "sent.export_html": ("下载图表（独立 HTML）", "Download the chart (standalone HTML)"),
    "sent.export_png": ("生成 PNG 图片", "Make a PNG image"),
    "sent.export_png_busy": ("正在生成 PNG…", "Rendering the PNG…"),
    "sent.export_png_download": ("下载 PNG", "Download the PNG"),
    "sent.export_png_note": ("PNG 由服务器用 kaleido + 本机 Chromium 渲染（约 2 秒）；也可用图表右上角工具栏的相机按钮下载。"
                             "独立 HTML 可离线打开、可交互（内含 plotly.js，约 5 MB）。",
                             "The PNG is rendered on the server by kaleido with the local Chromium (about 2 s); the "
                             "camera button in the chart's toolbar also downloads one. The standalone HTML opens "
                             "offline and stays interactive (it embeds plotly.js, about 5 MB)."),
    "sent.import_help": ("上传自己的帖子：CSV、JSON（对象列表）或 JSONL，UTF-8（可带 BOM）或 GBK，最大 {mb} MB。列名中英文均可："
                         "内容/正文/content（或 标题）、发帖时间/时间/time，以及 代码/股票代码/基金代码、名称/基金名称 或正文里的"
                         " $贵州茅台(SH600519)$、$510300$、#510300# 之一，对应本库已有的品种；可选：作者、阅读、评论、链接。"
                         "时间可写 2015-07-07、2015/07/07 10:08:52、20150707、2015年7月7日 或时间戳（秒/毫秒）；"
                         "无时区的时间按上海时间处理；07/08/2015 这类日月顺序不明的日期会被拒绝。"
                         "sh000001、000001.SH、上证指数 指上证综指，不会算到基金 000001 头上。"
                         "默认整个文件要么全部导入，要么不导入。导入的帖子对本看板的所有用户可见。",
                         "Upload your own posts: CSV, JSON (a list of objects) or JSONL, UTF-8 (with or without BOM) or "
                         "GBK, at most {mb} MB. Chinese or English headers: text (内容/正文/content, or a title), "
                         "published_at (发帖时间/时间/time), and a code (代码/股票代码/基金代码), a name (名称/基金名称) or "
                         "a cashtag in the text ($贵州茅台(SH600519)$, $510300$, #510300#) naming an instrument of this "
                         "store; optional: author, reads, comments, url. Times as 2015-07-07, 2015/07/07 10:08:52, "
                         "20150707, 2015年7月7日 or epoch seconds/milliseconds; times without an offset are Shanghai "
                         "time; a day/month order nothing settles (07/08/2015) is refused. sh000001, 000001.SH and "
                         "上证指数 are the SSE Composite index, never the fund 000001. By default a file is imported "
                         "completely or not at all. Imported posts are visible to every user of this dashboard."),
    "sent.import_year": ("年份（列表页不写年份时）", "Year (for list pages without one)"),
    "sent.import_year_help": ("07-07 10:08 这类只有月日的时间按这一年读；留空则拒绝这类时间。",
                              "Month-day times such as 07-07 10:08 are read in this year; left empty, they are "
                              "refused."),
    "sent.import_partial": ("部分导入", "Partial import"),
    "sent.import_partial_help": ("导入能识别的行，无法识别的行（行号和原因）放进一份报告，可修改后再导入。",
                                 "Import the rows that resolve; the others go, with their line numbers and reasons, "
                                 "into a report you can fix and import again."),
    "sent.import_unresolved": ("{n} 行未导入（代码、名称或时间无法识别）：见报告中的行号和原因。",
                               "{n} rows were not imported (code, name or time not resolved): the report gives their "
                               "line numbers and reasons."),
    "sent.import_report": ("下载未导入行的报告（CSV）", "Download the report of the rows not imported (CSV)"),
    "sent.upload": ("帖子文件", "Posts file"),
    "sent.source_name": ("来源名称", "Source name"),
    "sent.import_button": ("导入", "Import"),
    "sent.import_ok": ("已导入 {imported} 条，跳过重复 {duplicates} 条（来源：{source}）。",
                       "Imported {imported}, duplicates skipped {duplicates} (source: {source})."),
    "sent.too_big": ("文件太大：{mb:.1f} MB，上限 {cap} MB。", "File too large: {mb:.1f} MB; the limit is {cap} MB."),
    "sent.col.session": ("交易日", "Session"),
    "sent.col.published": ("发布时间（上海）", "Published (Shanghai)"),
    "sent.col.fund": ("基金", "Fund"),
    "sent.col.score": ("情绪分数", "Score"),
    "sent.col.reads": ("阅读", "Reads"),
    "sent.col.author": ("作者", "Author"),
    "sent.col.text": ("帖子", "Post"),
    "sent.col.z": ("z 值", "z-score"),
    "sent.col.alert": ("级别", "Level"),
    "sent.col.mean_score": ("平均情绪", "Mean sentiment"),
    "sent.col.n_posts": ("帖子数", "Posts"),
    "sent.col.period": ("期间起始", "Period start"),
    "sent.col.keywords": ("关键词", "Keywords"),
}
