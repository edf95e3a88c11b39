"""Strings of issue 14's layout, number and export fixes (findings 10-12): the leaderboard's
"about" expander, the top-post cards, the ideas export and the portfolio chart exports."""

STRINGS: dict[str, tuple[str, str]] = {
    "lb.about": ("这个排名怎么算", "How this ranking works"),
}
STRINGS |= {
    "ideas.export.session": ("交易日", "Session"),
    "ideas.export.source": ("数据来源", "Data source"),
    "ideas.export.contribution": ("贡献：{feature}", "Contribution: {feature}"),
}
STRINGS |= {   # library errors of the upload forms (finding 5, app.errors.message)
    "error.missing_column": ("缺少“{column}”列：表头应包含 {expected}", "missing column {column}: the header must contain {expected}"),
    "error.code_blank": ("代码为空", "the code is blank"),
    "error.duplicate_code": ("代码 {code} 重复（首次出现在第 {first} 行）：每个品种只列一次",
                             "duplicate code {code} (first on line {first}): list each instrument once"),
    "error.no_rows": ("文件只有表头，没有数据行", "the file has a header but no rows"),
    "error.file_empty": ("文件是空的：应以表头 {expected} 开始", "the file is empty: expected a header {expected}"),
    "error.block_sum": ("{day} 的权重合计 {pct}%，每个日期的权重应合计 100%",
                        "weights on {day} add up to {pct}%: each date's block must add up to 100%"),
    # the library's own words stay in: a message must name what is wrong, even untranslated
    "error.unkeyed": ("这里的内容无法使用（{detail}）：请对照上方的格式说明检查这一处",
                      "this cannot be used ({detail}): check it against the format described above"),
    "error.price_header": ("无法识别这个价格文件的格式（表头为：{header}）：需要日期列和收盘价或净值列，支持的格式见上方说明",
                           "{why}; the header has: {header}. Expected one of: {expected}"),
    "error.bad_weight": ("权重无法使用：请写成 0 到 100 之间的百分数，例如 35 或 35%",
                         "the weight cannot be used: write a percentage from 0 to 100, e.g. 35 or 35%"),
}
STRINGS |= {   # the leaderboard's window, short enough for one line on a phone
    "lb.window_short.1M": ("近1月", "1M"),
    "lb.window_short.3M": ("近3月", "3M"),
    "lb.window_short.6M": ("近6月", "6M"),
    "lb.window_short.1Y": ("近1年", "1Y"),
    "lb.window_short.all": ("全部", "All"),
    "lb.window_help": ("近1月 = 21 个交易日，近3月 = 63，近6月 = 126，近1年 = 252；全部 = 全部历史。",
                       "1M = 21 sessions, 3M = 63, 6M = 126, 1Y = 252; All = the whole history."),
}
