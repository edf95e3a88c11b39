"""Strings of the price-file upload (home page; ``app.forms_prices``)."""

STRINGS: dict[str, tuple[str, str]] = {
    "prices.upload_title": ("导入行情文件", "Import a price file"),
    "prices.upload_help": ("支持：date,code,close 长表；每列一个代码的宽表；单品种文件（代码取自代码列、文件名或下方输入）；"
                           "天天基金净值导出；网易 / akshare / tushare 日线；yfinance；Alpha Vantage；investing.com。"
                           "UTF-8、带 BOM 的 UTF-8 或 GBK。空白或停牌行记为缺口。代码写法如 510300、sh510300、"
                           "510300.SH、000001.OF 均可识别；新代码加入品种列表。文件有误时不会保存任何内容。",
                           "Accepted: long date,code,close; wide (one column per code); one instrument per file (the "
                           "code from a code column, the file name or the box below); 天天基金 NAV exports; NetEase / "
                           "akshare / tushare daily bars; yfinance; Alpha Vantage; investing.com. UTF-8, UTF-8 with "
                           "BOM or GBK. Blank or suspension rows are gaps. Codes such as 510300, sh510300, 510300.SH "
                           "or 000001.OF are recognised; new codes join the instrument list. A file with an error "
                           "stores nothing."),
    "prices.upload": ("上传行情 CSV", "Upload a price CSV"),
    "prices.code": ("代码（单品种文件，可选）", "Code (one-instrument file, optional)"),
    "prices.code_help": ("文件本身没有写代码、或只写了六位数字时填写，如 510300.SS、sz159915、000001.OF。",
                         "For a file that names no code, or only six bare digits: e.g. 510300.SS, sz159915, "
                         "000001.OF."),
    "prices.import": ("导入", "Import"),
    "prices.imported": ("已导入 {rows} 条收盘价（{codes} 个代码，{first} 至 {last}，格式 {format}，来源 {source}）；"
                        "新增品种 {registered} 个，缺口 {gaps} 个，休市日的 {non_sessions} 行未保存。",
                        "Imported {rows} closes ({codes} codes, {first} to {last}, format {format}, source "
                        "{source}); {registered} new instruments, {gaps} gaps, {non_sessions} rows on days the "
                        "market was closed not stored."),
    "prices.notice": ("导入提示：{msg}", "Import notice: {msg}"),
    "prices.none": ("还没有行情数据：请在下方导入行情文件（或运行 python -m socialfund prices import FILE）。",
                    "No prices yet: import a price file below (or run python -m socialfund prices import FILE)."),
}
