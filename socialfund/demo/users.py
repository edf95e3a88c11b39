"""Demo users: invented handles and display names (pinyin, English and Chinese
nicknames) with join dates, the rows behind ``users.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from socialfund.demo.common import END, START, stage_rng

N_USERS = 200


PINYIN_SURNAMES = ("wang", "li", "zhang", "liu", "chen", "yang", "zhao", "huang", "zhou",
                   "wu", "xu", "sun", "hu", "zhu", "gao", "lin", "he", "guo", "ma", "luo")
PINYIN_GIVEN = ("wei", "fang", "jun", "lei", "jing", "min", "qiang", "yan", "hao", "yu",
                "xin", "tao", "ming", "chao", "ping", "hui", "jie", "bo", "lin", "kai")
HANDLE_WORDS = ("laowang", "xiaoli", "jiucai", "niushi", "touzi", "dingtou", "jijin",
                "gushen", "lanchou", "banzhuan", "tangping", "huiben", "qifei", "chaodi",
                "changxian", "jiazhi", "fengkou", "xiaosan", "laogu", "manman")
EN_FIRST = ("Tom", "Amy", "Kevin", "Lucy", "Jason", "Eric", "David", "Grace", "Leo", "Nina",
            "Sam", "Iris", "Frank", "Cindy", "Alan", "Vivian")
ZH_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
ZH_NICK_PREFIX = ("老", "小", "阿", "大")
ZH_NICK_SUFFIX = ("爱定投", "的基金", "不割肉", "看长线", "在路上", "学投资", "慢慢变富", "",
                  "", "的养老钱")
ZH_PHRASES = ("韭菜的自我修养", "价值投资小学生", "躺平基民", "满仓侠", "定投十年", "牛市在哪里",
              "佛系持有", "股海一粟", "白酒信仰者", "半导体老兵", "稳健第一", "复利的力量",
              "回本就跑", "小散一枚", "宁静致远", "海边的基民", "慢慢变富", "不追高",
              "长期主义者", "周期猎人", "红利收割机", "黄金党", "债基守门员", "均衡配置派")


@dataclass(frozen=True)
class User:
    user_id: int
    handle: str
    display_name: str
    joined_on: date


def make_users(seed: int) -> list[User]:
    """~N_USERS users; a third joined before the demo window opened."""
    rs = stage_rng(seed, 2)
    handles: set[str] = set()
    drafts: list[tuple[date, str, str]] = []
    first_day = START - timedelta(days=260)
    span = (END - timedelta(days=10) - first_day).days
    while len(drafts) < N_USERS:
        style = rs.random_sample()
        english = 0.7 <= style < 0.85
        if style < 0.35:
            handle = f"{HANDLE_WORDS[rs.randint(len(HANDLE_WORDS))]}_{rs.randint(10, 9999)}"
        elif style < 0.7:
            handle = (f"{PINYIN_SURNAMES[rs.randint(len(PINYIN_SURNAMES))]}"
                      f"{PINYIN_GIVEN[rs.randint(len(PINYIN_GIVEN))]}{rs.randint(1970, 2006)}")
        elif style < 0.85:
            handle = (f"{EN_FIRST[rs.randint(len(EN_FIRST))].lower()}_"
                      f"{PINYIN_SURNAMES[rs.randint(len(PINYIN_SURNAMES))]}")
        else:
            handle = f"{HANDLE_WORDS[rs.randint(len(HANDLE_WORDS))]}{rs.randint(2, 99)}hao"
        if handle in handles:
            continue
        handles.add(handle)
        kind = rs.random_sample()
        if english and kind < 0.7:
            first, last = handle.split("_")
            display = f"{first.capitalize()} {last.capitalize()}"
        elif english or kind < 0.5:
            display = (ZH_NICK_PREFIX[rs.randint(len(ZH_NICK_PREFIX))]
                       + ZH_SURNAMES[rs.randint(len(ZH_SURNAMES))]
                       + ZH_NICK_SUFFIX[rs.randint(len(ZH_NICK_SUFFIX))])
        else:
            display = ZH_PHRASES[rs.randint(len(ZH_PHRASES))]
            if rs.random_sample() < 0.4:
                display += str(rs.randint(1, 99))
        joined = first_day + timedelta(days=int(rs.beta(1.1, 2.0) * span))
        drafts.append((joined, handle, display))
    drafts.sort(key=lambda d: (d[0], d[1]))
    return [User(i + 1, h, d, j) for i, (j, h, d) in enumerate(drafts)]
