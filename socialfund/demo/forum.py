"""Compositional Chinese stock-forum posts (股吧 / 雪球 / 天天基金 style) for the demo.

A post is built from a tone (pos / neg / neu), a few template sentences of that tone,
optional noise (prefix, @mention, closer, emoji) and a mention of the fund by name,
alias, code or a pronoun. Every random draw comes from the caller's
``np.random.RandomState`` so the output is reproducible.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MAX_POST_CHARS = 150
MIN_POST_CHARS = 4

# Core sentences. {n} = the fund mention, {n2} = another fund, {p} = a percent number,
# {d} = a small count (days / months).
POS_CORE: tuple[str, ...] = (
    "{n}今天又起飞了", "{n}稳稳的幸福，拿住不动", "终于回本了，{n}没让我失望",
    "{n}这波吃肉了，赚了{p}个点", "满仓{n}，坐等起飞", "主力在吸筹，{n}要涨",
    "{n}底部放量，机会来了", "国家队进场了，大A要起飞", "利好落地，{n}明天高开",
    "{n}趋势走好，继续加仓", "这个位置的{n}很香，越跌越买",
    "定投{n}{d}个月了，收益终于转正", "{n}突破年线了，牛回速归",
    "最近{n}涨了{p}%，舒服", "抄底成功，{n}吃到肉了", "{n}估值还很低，长期看好",
    "拿着{n}睡得香", "{n}红红火火，节奏来了", "不会再跌了，{n}底部已经出来了",
    "{n}没有利空，放心拿着", "谁说{n}不行的？这几天打脸了吧", "牛市的旗手来了！{n}冲冲冲",
    "止盈一半，剩下的{n}让利润奔跑", "{n}这根大阳线太漂亮了",
    "基本面没问题，{n}回调就是上车机会", "{n}加油，今年翻倍不是梦", "{n}又创新高了，感谢基金经理",
    "北向资金在买{n}，跟着聪明钱走", "持有{n}的兄弟们吃肉了", "前天补仓的{n}已经回血了",
    "放量上攻，{n}主升浪开始了", "经济数据超预期，利好{n}", "{n}连涨{d}天，拿住别下车",
    "红了红了，{n}终于红了", "{n}的走势比{n2}强多了", "昨天加仓今天就涨，{n}真给力",
    "{n}收复失地，空头要哭了", "一根阳线改三观，{n}稳了", "这波{n}至少还有{p}%的空间",
    "{n}今天这个量能，明显有资金进场", "账户终于见红了，感谢{n}", "熊市末期，{n}就是黄金坑",
    "这个位置{n}不会跌了，放心拿", "{n}涨停了！！", "主力洗盘而已，{n}拿稳别慌",
)
NEG_CORE: tuple[str, ...] = (
    "{n}又跌了", "绿油油的一片，{n}太惨了", "{n}腰斩了，什么时候能回本啊",
    "套牢{d}个月了，{n}割肉还是继续扛？", "又是被收割的一天，真开心",
    "感谢{n}让我体验了什么叫韭菜", "割肉了，{n}再也不碰了", "{n}跌成这样，心态崩了",
    "主力出货，{n}要完", "利空来了，{n}明天低开", "{n}没有任何利好，又跌了{p}%",
    "补仓补到没钱了，{n}还在跌", "基金经理是不是跑路了？{n}天天跌", "{n}就是个大坑，谁买谁亏",
    "追高买的{n}，现在被套在山顶", "大A永远的3000点", "清仓{n}，此处不留爷",
    "亏了{p}个点，{n}太让人失望了", "{n}破位了，赶紧跑", "什么时候{n}能涨一次？",
    "恭喜{n}又创新低，好棒啊", "买了{n}之后才知道什么叫地狱", "{n}这走势，我的午饭钱又没了",
    "天天喊抄底，越抄越低，{n}无底洞", "满仓{n}，亏到怀疑人生", "{n}跑输基准一大截",
    "利好出尽是利空，{n}又低开", "{n}跌得我都不敢看账户了", "别抄底了，{n}下面还有十八层地狱",
    "说是主力洗盘，我看是主力跑路", "{n}连跌{d}天，谁来救救我", "跌停板上排队的感觉你们懂吗",
    "{n}不会涨了，散了吧", "又是一根大阴线，{n}真是服了", "{n}比{n2}还拉胯",
    "越跌越买，越买越跌，{n}教做人", "亏损{p}%，{n}我拿不动了", "韭菜又被割了一茬，{n}赢麻了",
    "一个月白干，{n}一天就跌回去了", "国家队呢？{n}跌成这样也不管", "{n}这是要腰斩的节奏",
    "{n}没有利好，只有利空", "{n}跌停了，欲哭无泪",
)
NEU_CORE: tuple[str, ...] = (
    "{n}明天怎么走？", "{n}还能上车吗？", "请问{n}和{n2}哪个好？", "{n}的费率是多少？",
    "刚开户，{n}适合定投吗？", "{n}今天成交量一般", "观望一下，{n}等回调再说",
    "{n}的持仓有哪些？", "有没有人一起定投{n}的", "{n}的基金经理换人了吗？",
    "{n}横盘好几天了", "{n}，打卡第{d}天", "今天不加仓也不减仓，{n}继续拿着",
    "{n}周末有什么消息吗？", "{n}场内和场外有什么区别？", "{n}今年分红了吗？",
    "{n}跟踪误差大不大？", "主力洗盘还是出货？{n}看不懂", "{n}到底是利好还是利空",
    "{n}溢价有点高，谨慎", "等一个{n}的回调", "{n}适合长期拿吗", "{n}今天振幅挺大",
    "{n}和{n2}持仓重合度高吗", "新手请教，{n}现在是什么位置", "{n}的规模有多大？",
    "{n}一手多少钱？", "{n}每周定投还是每月定投好？", "看不懂{n}的走势，先不动",
    "{n}的估值现在在什么分位？", "{n}要不要换成{n2}？", "{n}的年化收益大概多少",
)
# 虽然…但是… contrast: the tone is the tone of the 但是 clause.
POS_CONTRAST: tuple[str, ...] = (
    "虽然{n}短期有波动，但是长期一定向上", "虽然被套了{p}个点，但是我相信{n}",
    "虽然今天绿了，但是{n}趋势没坏", "{n}虽然涨得慢，但是稳",
    "虽然大家都在割肉，但是我选择加仓{n}", "虽然利空不少，但是{n}的基本面没变",
)
NEG_CONTRAST: tuple[str, ...] = (
    "虽然{n}今天红了，但是这是诱多，赶紧跑", "虽然有利好，但是{n}就是不涨",
    "虽然基金经理很有名，但是{n}真的拉胯", "{n}虽然估值低，但是没人要啊",
    "虽然反弹了一下，但是{n}离回本还早着呢", "虽然我很看好，但是{n}一直跌谁受得了",
)
SHORT_POSTS: dict[str, tuple[str, ...]] = {
    "pos": ("起飞", "吃肉了", "涨停！", "牛回速归", "稳了稳了", "加仓！", "回本了", "冲冲冲",
            "满仓干", "红了红了", "主升浪", "翻红了"),
    "neg": ("又绿了", "割了割了", "腰斩了", "跌麻了", "套牢中", "韭菜本菜", "清仓跑路",
            "完犊子了", "又跌了", "不玩了", "崩了", "绿油油"),
    "neu": ("上车？", "观望中", "打卡", "有人吗", "怎么说", "蹲一个", "mark一下", "路过",
            "顶一下", "沙发", "明天呢", "看戏"),
}
# Off-topic chatter and forum spam: always neutral.
NOISE_POSTS: tuple[str, ...] = (
    "今天中午吃什么", "有没有一起去钓鱼的", "楼主头像好看", "这论坛广告太多了",
    "周末去爬山了，不看盘", "哈哈哈哈哈哈", "楼上说得对", "吧务在吗？", "我就看看不说话",
    "【免费诊股】加群领取明日金股，名额有限", "私信我领取内部消息，稳赚不赔",
    "想学炒股的加我，带你月入十万", "老师带单，三天翻倍，私聊", "今天的咖啡有点苦",
    "股吧里都是人才，说话又好听", "下班了，回家做饭", "有人知道开户送什么礼品吗",
)
PREFIXES: tuple[str, ...] = (
    "哈哈哈，", "兄弟们，", "各位大佬，", "说实话，", "刚看了盘，", "早上好，", "收盘了，",
    "楼主说得对，", "我就说一句，", "老韭菜了，", "讲真，", "不吹不黑，", "刚下班，",
    "看了一眼账户，", "家人们，", "今天", "唉，", "记录一下：",
)
CLOSERS: tuple[str, ...] = (
    "，你们怎么看？", "，仅供参考", "。不构成投资建议", "，记录一下", "哈哈哈", "！！！", "…",
    "，散了散了", "，韭菜的自我修养", "，懂的都懂", "，大家怎么操作？", "，坐等打脸",
    "，先这样吧", "。", "！",
)
JOINERS: tuple[str, ...] = ("。", "，", "！", "。", "…", " ")
EMOJI: dict[str, tuple[str, ...]] = {
    "pos": ("🚀", "📈", "💰", "🐂", "😄", "👍", "💪", "🔥", "🚀🚀🚀", "🐂🐂"),
    "neg": ("📉", "😭", "🤡", "🐻", "💔", "😤", "🙄", "😭😭", "🤡🤡"),
    "neu": ("🤔", "😂", "👀", "☕", "🙏"),
}
PRONOUNS: tuple[str, ...] = ("这只", "这个基", "它", "这货", "咱们这只")
# Later sentences of a post refer back with a lighter pronoun.
BACK_REFERENCES: tuple[str, ...] = ("它", "它", "它", "这只", "这货")
PADDING: dict[str, tuple[str, ...]] = {
    "pos": ("！！", "！！！", "啊啊啊"), "neg": ("…唉", "。。。", "，服了"), "neu": ("哈哈哈", "。。。", "+1")}


def _pick(rs: np.random.RandomState, items: Sequence[str]) -> str:
    return items[int(rs.randint(len(items)))]


def _mention(rs: np.random.RandomState, aliases: Sequence[str], name_zh: str,
             short_code: str) -> str:
    """How a post names its fund: full name, an alias, the bare code or a pronoun."""
    u = rs.random_sample()
    if u < 0.12:
        return name_zh
    if u < 0.22:
        return short_code
    if u < 0.65:
        return _pick(rs, aliases) if aliases else name_zh
    return _pick(rs, PRONOUNS)


def _fill(template: str, rs: np.random.RandomState, mention: str, other: str,
          move_pct: float) -> str:
    pct = move_pct if move_pct >= 0.3 else 0.5 + 6.0 * rs.random_sample()
    return (template.replace("{n}", mention, 1).replace("{n}", _pick(rs, BACK_REFERENCES))
            .replace("{n2}", other).replace("{p}", f"{pct:.1f}")
            .replace("{d}", str(2 + int(rs.randint(29)))))


def compose_post(rs: np.random.RandomState, tone: str, *, name_zh: str, short_code: str,
                 aliases: Sequence[str], other_aliases: Sequence[str],
                 handles: Sequence[str], move_pct: float) -> str:
    """One post of ``tone`` (pos | neg | neu) about a fund, 4–150 characters.

    ``move_pct`` is the absolute recent move in percent the author has seen (past
    closes only); it fills ``{p}`` when large enough to be worth quoting.
    """
    form = rs.random_sample()
    if tone == "neu" and form < 0.10:
        text = _pick(rs, NOISE_POSTS)
    elif form < 0.22:
        text = _pick(rs, SHORT_POSTS[tone])
    else:
        mention = _mention(rs, aliases, name_zh, short_code)
        other = _pick(rs, other_aliases) if other_aliases else "别的基"
        bank = {"pos": POS_CORE, "neg": NEG_CORE, "neu": NEU_CORE}[tone]
        # Mostly one or two sentences; now and then a long rant of up to six.
        if rs.random_sample() < 0.07:
            n_sentences = 4 + int(rs.randint(5))
        else:
            n_sentences = min(1 + int(rs.poisson(0.7)), 3)
        parts = []
        for k in range(n_sentences):
            if tone != "neu" and rs.random_sample() < 0.12:
                template = _pick(rs, POS_CONTRAST if tone == "pos" else NEG_CONTRAST)
            else:
                template = _pick(rs, bank)
            # Only the first sentence names the fund; later ones use a pronoun.
            parts.append(_fill(template, rs, mention if k == 0 else _pick(rs, BACK_REFERENCES),
                               other, move_pct))
        text = parts[0]
        for part in parts[1:]:
            text += (_pick(rs, JOINERS) if text[-1] not in "？！。…" else "") + part
        if rs.random_sample() < (0.6 if n_sentences > 2 else 0.25):
            text = _pick(rs, PREFIXES) + text
        if rs.random_sample() < 0.30:
            closer = _pick(rs, CLOSERS)
            text = text.rstrip("。！？…") + closer if closer[0] in "，。！…" else text + closer
    while len(text) < MIN_POST_CHARS:
        text += _pick(rs, PADDING[tone])
    if handles and rs.random_sample() < 0.08:
        text = f"@{_pick(rs, handles)} " + text
    if rs.random_sample() < 0.35:
        text += _pick(rs, EMOJI[tone])
    if len(text) > MAX_POST_CHARS:
        text = text[:MAX_POST_CHARS - 1] + "…"
    return text
