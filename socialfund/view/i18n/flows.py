"""Strings of real-money portfolios (cash flows): the owner's money panel on the portfolio page
(``app.draw_money``), the flows upload on My Portfolios (``app.forms_flows``) and the
leaderboard's note that it ranks on time-weighted returns."""

STRINGS: dict[str, tuple[str, str]] = {
    "money.title": ("💰 真实资金（仅你可见）", "💰 Real money (only you see this)"),
    "money.owner_only": ("金额只给组合所有者看：其他用户、未登录访客和分享链接/卡片都看不到任何金额（分享时选“仅权重”）。",
                         "Amounts are shown to the owner only: other users, signed-out visitors and share "
                         "links/cards never see an amount (share with “weights only”)."),
    "money.xirr": ("资金加权收益 XIRR（年化）", "Money-weighted return XIRR (annual)"),
    "money.xirr_help": ("XIRR：使 Σ CFᵢ / (1 + r)^((dᵢ − d₀)/365) = 0 的年利率 r（实际天数/365）。投入为负、取出与当前市值为正，"
                        "按成交的交易日计。它反映你的钱实际赚了多少，受投入时点影响。",
                        "XIRR: the annual rate r with Σ CFᵢ / (1 + r)^((dᵢ − d₀)/365) = 0 (ACT/365). Money in "
                        "negative, money out and the current value positive, on the session each traded. It is "
                        "what your money actually earned, timing of deposits included."),
    "money.xirr_none": ("无解", "no solution"),
    "money.twr": ("时间加权收益 TWR（累计）", "Time-weighted return TWR (cumulative)"),
    "money.twr_help": ("TWR = Π (Vₜ − Fₜ) / Vₜ₋₁ − 1：Vₜ 为交易日 t 收盘市值，Fₜ 为当日存入减取出。剔除存取时点的影响，"
                       "只看组合本身；年化 = (1 + TWR)^(365/天数) − 1，为 {annual}。排行榜按时间加权收益排名。",
                       "TWR = Π (Vₜ − Fₜ) / Vₜ₋₁ − 1: Vₜ the value at session t's close, Fₜ that day's deposits "
                       "minus withdrawals. It removes the timing of money in and out and measures the portfolio "
                       "itself; annualised (1 + TWR)^(365/days) − 1 = {annual}. The leaderboard ranks on "
                       "time-weighted returns."),
    "money.invested": ("净投入（元）", "Net invested (yuan)"),
    "money.invested_help": ("存入（含买入时现金不足而新投入的部分）减取出：{deposits} − {withdrawals} 元。",
                            "Deposits (including new money a buy brought beyond the cash) minus withdrawals: "
                            "{deposits} − {withdrawals} yuan."),
    "money.value": ("当前市值（元）", "Current value (yuan)"),
    "money.value_help": ("现金 + Σ 份额 × {day} 收盘价，精确到分。", "Cash + Σ units × the close of {day}, to the fen."),
    "money.gain": ("收益（元）", "Gain (yuan)"),
    "money.gain_help": ("收益 = 当前市值 − 净投入（含分红 {dividends} 元）。",
                        "Gain = current value − net invested (dividends of {dividends} yuan included)."),
    "money.period": ("区间：{start} 至 {end}（{flows} 笔资金流水；金额单位：元，1 元 = 100 分）。",
                     "Period: {start} to {end} ({flows} cash flows; amounts in yuan, 1 yuan = 100 fen)."),
    "money.xirr_note": ("XIRR 无解：{why}", "No XIRR: {why}"),
    "lb.ranks_on_twr": ("排行榜只按时间加权收益（TWR，剔除存取款时点的影响）及其风险调整指标排名，从不使用金额或资金加权收益（XIRR）。",
                        "The leaderboard ranks on time-weighted returns (TWR, which remove the timing of deposits "
                        "and withdrawals) and their risk-adjusted figures only, never on amounts or money-weighted "
                        "returns (XIRR)."),
    "mp.flows_import": ("从资金流水导入真实资金组合（date,code,amount）", "Import a real-money portfolio from cash flows (date,code,amount)"),
    "mp.flows_help": ("CSV 列：日期,代码,金额[,类型]（date,code,amount[,type]），金额以元计、最多两位小数；类型为 买入/卖出/存入/取出/分红"
                      "（buy/sell/deposit/withdraw/dividend），省略时按正负号判断；存取款代码写 CASH。按当日（非交易日则下一交易日）收盘价成交。"
                      "金额只有你能看到。",
                      "CSV columns date,code,amount[,type] (or 日期,代码,金额,类型), amounts in yuan with at most two "
                      "decimals; type is buy, sell, deposit, withdraw or dividend (without it the sign decides); "
                      "deposits and withdrawals on CASH. Each flow trades at that session's close (the next "
                      "session for a non-trading day). Only you see the amounts."),
    "mp.flows_upload": ("上传资金流水 CSV", "Upload a cash-flows CSV"),
    "mp.flows_read": ("读取了 {n} 笔流水，{first} 至 {last}。", "Read {n} flows, {first} to {last}."),
    "mp.flows_create": ("创建真实资金组合", "Create the real-money portfolio"),
    "mp.flows_created": ("已创建组合 {id}：{n} 笔流水，{versions} 个版本。", "Created portfolio {id}: {n} flows, {versions} versions."),
}
