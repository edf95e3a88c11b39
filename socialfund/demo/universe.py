"""The demo universe: real instruments (real codes, real names) with the made-up
parameters the synthetic price model uses.

Only the contract columns of ``universe.csv`` are written out; the simulation
parameters (start price, annual volatility, drift, factor loadings, aliases used in
forum posts) stay in this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The factors of the synthetic return model (see generate.simulate_log_prices).
FACTORS: tuple[str, ...] = ("mkt", "growth", "value", "bond", "gold", "us", "hk")


@dataclass(frozen=True)
class Instrument:
    """One row of ``universe.csv`` plus the demo simulation parameters.

    ``vol`` is the target annualised volatility of daily log returns (0.20 = 20 %);
    ``drift`` the annual log drift before regimes; ``loadings`` relative (unnormalised)
    weights on FACTORS; ``idio`` the relative weight of the instrument's own noise.
    ``tracks`` names another code whose returns this one copies (an ETF on its index)
    plus a small tracking error. ``aliases`` are how forum users call it.
    """

    code: str
    name_zh: str
    name_en: str
    kind: str          # etf | lof | fund | index
    market: str        # SSE | SZSE | OTC | US
    category: str      # broad | sector | growth | bond | gold | overseas | index
    start_price: float
    vol: float
    drift: float = 0.05
    loadings: dict[str, float] = field(default_factory=dict)
    idio: float = 0.3
    tracks: str = ""
    aliases: tuple[str, ...] = ()
    forum_popularity: float = 1.0

    @property
    def currency(self) -> str:
        return "USD" if self.market == "US" else "CNY"

    @property
    def calendar(self) -> str:
        """Exchange-calendars name: every CN row (open-end funds too) trades on XSHG."""
        return "XNYS" if self.market == "US" else "XSHG"

    @property
    def yahoo(self) -> str:
        """The Yahoo symbol, empty for open-end funds (no exchange listing)."""
        return "" if self.kind == "fund" else self.code

    @property
    def short_code(self) -> str:
        """The code as Chinese investors type it: ``510300`` for ``510300.SS``."""
        return self.code.split(".")[0]


# A short name for the constructor in the table below (mypy checks every keyword's type).
_i = Instrument


UNIVERSE: tuple[Instrument, ...] = (
    # --- benchmarks (indices) ---
    _i("000300.SS", "沪深300指数", "CSI 300 Index", "index", "SSE", "index", 3550.0, 0.19,
       loadings={"mkt": 1.0, "value": 0.2}, idio=0.15, aliases=("沪深300", "300指数")),
    _i("000016.SS", "上证50指数", "SSE 50 Index", "index", "SSE", "index", 2400.0, 0.18,
       loadings={"mkt": 0.9, "value": 0.45}, idio=0.2, aliases=("上证50",)),
    _i("000905.SS", "中证500指数", "CSI 500 Index", "index", "SSE", "index", 5650.0, 0.22,
       loadings={"mkt": 0.9, "growth": 0.35}, idio=0.2, aliases=("中证500",)),
    _i("399006.SZ", "创业板指数", "ChiNext Index", "index", "SZSE", "index", 1950.0, 0.26,
       loadings={"mkt": 0.8, "growth": 0.7}, idio=0.2, drift=0.06, aliases=("创业板指",)),
    # --- broad-market ETFs ---
    _i("510300.SS", "华泰柏瑞沪深300ETF", "Huatai-PineBridge CSI 300 ETF", "etf", "SSE",
       "broad", 3.65, 0.19, tracks="000300.SS",
       aliases=("300ETF", "沪深300ETF", "华泰300"), forum_popularity=2.0),
    _i("510050.SS", "华夏上证50ETF", "ChinaAMC SSE 50 ETF", "etf", "SSE", "broad", 2.45,
       0.18, tracks="000016.SS", aliases=("50ETF", "上证50ETF"), forum_popularity=1.2),
    _i("510500.SS", "南方中证500ETF", "China Southern CSI 500 ETF", "etf", "SSE", "broad",
       5.70, 0.22, tracks="000905.SS", aliases=("500ETF", "中证500ETF"),
       forum_popularity=1.3),
    _i("510880.SS", "华泰柏瑞上证红利ETF", "Huatai-PineBridge SSE Dividend ETF", "etf",
       "SSE", "broad", 2.95, 0.16, loadings={"mkt": 0.7, "value": 0.6}, idio=0.2,
       drift=0.06, aliases=("红利ETF", "红利"), forum_popularity=1.1),
    # --- growth ETFs ---
    _i("159915.SZ", "易方达创业板ETF", "E Fund ChiNext ETF", "etf", "SZSE", "growth", 1.95,
       0.26, tracks="399006.SZ", aliases=("创业板ETF", "创业板"), forum_popularity=1.8),
    _i("159949.SZ", "华安创业板50ETF", "Huaan ChiNext 50 ETF", "etf", "SZSE", "growth",
       0.90, 0.28, loadings={"mkt": 0.7, "growth": 0.8}, idio=0.25, drift=0.06,
       aliases=("创业板50", "创50ETF"), forum_popularity=1.0),
    _i("588000.SS", "华夏上证科创板50成份ETF", "ChinaAMC SSE STAR 50 ETF", "etf", "SSE",
       "growth", 0.95, 0.29, loadings={"mkt": 0.6, "growth": 0.8}, idio=0.35, drift=0.06,
       aliases=("科创50ETF", "科创50", "科创板"), forum_popularity=1.6),
    # --- sector ETFs and the LOF ---
    _i("512880.SS", "国泰中证全指证券公司ETF", "Guotai CSI All Share Securities Company ETF",
       "etf", "SSE", "sector", 0.92, 0.29, loadings={"mkt": 1.0, "growth": 0.2}, idio=0.5,
       aliases=("证券ETF", "券商ETF", "券商"), forum_popularity=2.0),
    _i("512480.SS", "国联安中证全指半导体ETF", "Guolianan CSI All Share Semiconductor ETF",
       "etf", "SSE", "sector", 0.95, 0.31, loadings={"mkt": 0.6, "growth": 0.8}, idio=0.5,
       drift=0.06, aliases=("半导体ETF", "半导体", "芯片"), forum_popularity=2.0),
    _i("515030.SS", "华夏中证新能源汽车ETF", "ChinaAMC CSI New Energy Vehicle ETF", "etf",
       "SSE", "sector", 1.10, 0.29, loadings={"mkt": 0.6, "growth": 0.6}, idio=0.6,
       aliases=("新能源车ETF", "新能源车", "新能源"), forum_popularity=1.4),
    _i("512170.SS", "华宝中证医疗ETF", "Huabao CSI Medical ETF", "etf", "SSE", "sector",
       0.50, 0.28, loadings={"mkt": 0.6, "growth": 0.3}, idio=0.7, drift=0.03,
       aliases=("医疗ETF", "医疗"), forum_popularity=1.6),
    _i("512690.SS", "鹏华中证酒ETF", "Penghua CSI Liquor ETF", "etf", "SSE", "sector", 0.80,
       0.28, loadings={"mkt": 0.6, "value": 0.7}, idio=0.5, drift=0.03,
       aliases=("酒ETF", "白酒ETF"), forum_popularity=1.2),
    _i("512660.SS", "国泰中证军工ETF", "Guotai CSI Military Industry ETF", "etf", "SSE",
       "sector", 1.00, 0.28, loadings={"mkt": 0.7, "growth": 0.4}, idio=0.6,
       aliases=("军工ETF", "军工"), forum_popularity=1.2),
    _i("512800.SS", "华宝中证银行ETF", "Huabao CSI Bank ETF", "etf", "SSE", "sector", 1.05,
       0.24, loadings={"mkt": 0.6, "value": 0.6}, idio=0.5, drift=0.06,
       aliases=("银行ETF", "银行"), forum_popularity=0.9),
    _i("159928.SZ", "汇添富中证主要消费ETF", "China Universal CSI Consumer Staples ETF",
       "etf", "SZSE", "sector", 0.78, 0.25, loadings={"mkt": 0.6, "value": 0.7}, idio=0.4,
       drift=0.04, aliases=("消费ETF", "消费"), forum_popularity=1.0),
    _i("161725.SZ", "招商中证白酒指数(LOF)A", "China Merchants CSI Baijiu Index LOF A", "lof",
       "SZSE", "sector", 1.05, 0.28, loadings={"mkt": 0.6, "value": 0.75}, idio=0.45,
       drift=0.03, aliases=("招商白酒", "白酒指数", "白酒"), forum_popularity=2.2),
    # --- bonds and gold ---
    _i("511010.SS", "国泰上证5年期国债ETF", "Guotai SSE 5-Year Treasury Bond ETF", "etf",
       "SSE", "bond", 136.0, 0.025, drift=0.03, loadings={"bond": 1.0, "mkt": -0.15},
       idio=0.3, aliases=("国债ETF", "5年国债"), forum_popularity=0.5),
    _i("511260.SS", "国泰上证10年期国债ETF", "Guotai SSE 10-Year Treasury Bond ETF", "etf",
       "SSE", "bond", 112.0, 0.04, drift=0.035, loadings={"bond": 1.0, "mkt": -0.15},
       idio=0.2, aliases=("十年国债ETF", "10年国债"), forum_popularity=0.5),
    _i("518880.SS", "华安黄金ETF", "Huaan Gold ETF", "etf", "SSE", "gold", 4.60, 0.14,
       drift=0.09, loadings={"gold": 1.0}, idio=0.3, aliases=("黄金ETF", "黄金"),
       forum_popularity=1.6),
    # --- overseas (QDII ETFs listed in China) ---
    _i("513100.SS", "国泰纳斯达克100ETF", "Guotai Nasdaq-100 ETF", "etf", "SSE", "overseas",
       1.20, 0.22, tracks="QQQ", aliases=("纳指ETF", "纳指", "纳斯达克"),
       forum_popularity=1.5),
    _i("159920.SZ", "华夏恒生ETF(QDII)", "ChinaAMC Hang Seng ETF (QDII)", "etf", "SZSE",
       "overseas", 1.10, 0.19, drift=0.04, loadings={"hk": 1.0, "mkt": 0.3}, idio=0.2,
       aliases=("恒生ETF", "恒指", "港股"), forum_popularity=0.9),
    _i("513180.SS", "华夏恒生科技ETF(QDII)", "ChinaAMC Hang Seng TECH ETF (QDII)", "etf",
       "SSE", "overseas", 0.55, 0.22, drift=0.04,
       loadings={"hk": 1.0, "growth": 0.3}, idio=0.35, aliases=("恒生科技ETF", "恒生科技"),
       forum_popularity=1.3),
    # --- open-end funds (OTC, NAV on XSHG sessions, no Yahoo symbol) ---
    _i("110022", "易方达消费行业股票", "E Fund Consumer Industry Stock Fund", "fund", "OTC",
       "sector", 3.60, 0.26, drift=0.04, loadings={"mkt": 0.6, "value": 0.8}, idio=0.35,
       aliases=("易方达消费", "易方达消费行业"), forum_popularity=1.3),
    _i("005827", "易方达蓝筹精选混合", "E Fund Blue Chip Select Hybrid Fund", "fund", "OTC",
       "growth", 2.00, 0.25, drift=0.04,
       loadings={"mkt": 0.7, "value": 0.6, "growth": 0.2}, idio=0.4,
       aliases=("易方达蓝筹", "蓝筹精选", "张坤的蓝筹"), forum_popularity=2.2),
    _i("161005", "富国天惠成长混合(LOF)A", "Fullgoal Tianhui Growth Hybrid Fund (LOF) A",
       "fund", "OTC", "broad", 2.90, 0.21,
       loadings={"mkt": 0.8, "growth": 0.3, "value": 0.3}, idio=0.3,
       aliases=("富国天惠", "天惠成长"), forum_popularity=1.0),
    _i("163406", "兴全合润混合(LOF)", "Aegon-Industrial Herun Hybrid Fund (LOF)", "fund",
       "OTC", "broad", 3.30, 0.22, loadings={"mkt": 0.8, "growth": 0.4}, idio=0.35,
       aliases=("兴全合润", "合润"), forum_popularity=0.9),
    _i("000001", "华夏成长混合", "ChinaAMC Growth Hybrid Fund", "fund", "OTC", "broad",
       1.10, 0.20, loadings={"mkt": 0.8, "growth": 0.2, "value": 0.2}, idio=0.35,
       aliases=("华夏成长",), forum_popularity=0.6),
    _i("003095", "中欧医疗健康混合A", "Zhong Ou Medical Health Hybrid Fund A", "fund",
       "OTC", "sector", 2.40, 0.29, drift=0.02, loadings={"mkt": 0.55, "growth": 0.3},
       idio=0.75, aliases=("中欧医疗", "中欧医疗健康", "葛兰的医疗"), forum_popularity=2.0),
    _i("001938", "中欧时代先锋股票A", "Zhong Ou Times Pioneer Stock Fund A", "fund", "OTC",
       "growth", 2.80, 0.26, loadings={"mkt": 0.7, "growth": 0.5}, idio=0.4,
       aliases=("时代先锋", "中欧时代先锋"), forum_popularity=0.8),
    _i("260108", "景顺长城新兴成长混合", "Invesco Great Wall Emerging Growth Hybrid Fund",
       "fund", "OTC", "sector", 2.10, 0.27, drift=0.04,
       loadings={"mkt": 0.6, "value": 0.7}, idio=0.4,
       aliases=("景顺新兴成长", "新兴成长"), forum_popularity=1.0),
    _i("217022", "招商产业债券A", "China Merchants Industry Bond Fund A", "fund", "OTC",
       "bond", 1.55, 0.03, drift=0.035, loadings={"bond": 0.9, "mkt": 0.15}, idio=0.35,
       aliases=("招商产业债", "产业债"), forum_popularity=0.4),
    # --- global (NYSE Arca / Nasdaq, XNYS calendar) ---
    _i("SPY", "SPDR标普500ETF", "SPDR S&P 500 ETF Trust", "etf", "US", "overseas", 455.0,
       0.17, drift=0.09, loadings={"us": 1.0}, idio=0.15, aliases=("SPY", "标普500"),
       forum_popularity=0.25),
    _i("QQQ", "Invesco纳斯达克100ETF", "Invesco QQQ Trust", "etf", "US", "overseas", 390.0,
       0.22, drift=0.11, loadings={"us": 1.0}, idio=0.35, aliases=("QQQ", "纳指100"),
       forum_popularity=0.25),
    _i("GLD", "SPDR黄金ETF", "SPDR Gold Shares", "etf", "US", "gold", 183.0, 0.15,
       drift=0.09, loadings={"gold": 1.0}, idio=0.25, aliases=("GLD",),
       forum_popularity=0.0),
)

BY_CODE: dict[str, Instrument] = {inst.code: inst for inst in UNIVERSE}
