"""Keywords of forum posts per period (jieba TF-IDF or TextRank), with the funds' own
names kept out of the lists."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import cast

import pandas as pd

from socialfund.core.models import NamedInstrument
from socialfund.social.aggregate import week_start

BASE_STOP_WORDS = frozenset({
    "基金", "今天", "明天", "昨天", "现在", "什么", "这个", "那个", "就是", "还是", "一个", "没有", "我们",
    "你们", "他们", "自己", "大家", "时候", "可以", "怎么", "为什么", "真的", "感觉", "已经", "还有", "一下",
    "这波", "兄弟", "兄弟们", "一样", "这么", "那么", "知道", "不是", "还是", "如果", "因为", "所以", "但是",
    "etf", "lof", "qdii", "哈哈", "哈哈哈", "吗", "了", "的",
    # forum pronouns and fillers that name no topic (seen topping the demo's lists)
    "这货", "这个基", "它们", "咱们", "虽然", "个点", "啊啊", "啊啊啊", "啊啊啊啊", "有点", "多少", "一下子",
})
KEYWORD_TEXT_CAP = 300_000   # characters per period fed to jieba (most-read posts first)


def fund_stop_words(instruments: Iterable[NamedInstrument | str],
                    aliases: Mapping[str, Sequence[str]] | None = None) -> set[str]:
    """Words that name the funds themselves (names, codes, name fragments, and the
    ``aliases`` forum users call them, by code): they would top every keyword list and
    say nothing. An instrument may also be given as its bare code."""
    import jieba

    words: set[str] = set(BASE_STOP_WORDS)
    aliases = aliases or {}
    for inst in instruments:
        if isinstance(inst, str):
            code, names = inst, ["", ""]
        else:
            code, names = str(inst.code), [inst.name_zh, inst.name_en]
        words.update({code.lower(), code.split(".")[0].lower()})
        for name in (*names, *aliases.get(code, ())):
            if not name:
                continue
            words.add(name.lower())
            words.update(w.lower() for w in jieba.lcut(name) if w.strip())
    return words


def keywords_by_period(tagged: pd.DataFrame, *, freq: str = "W", top_k: int = 8, method: str = "tfidf",
                       stop_words: Iterable[str] = ()) -> pd.DataFrame:
    """Top keywords of each period's posts (jieba TF-IDF ``extract_tags`` or TextRank).

    ``freq``: 'W' (weeks starting Monday, by session) or 'M' (calendar months of the
    session). Stop words, single characters and pure numbers are dropped. Columns:
    ``period`` (start date), ``rank``, ``keyword``, ``weight`` (jieba's score), ``n_posts``."""
    import jieba.analyse

    cols = ["period", "rank", "keyword", "weight", "n_posts"]
    if tagged.empty:
        return pd.DataFrame(columns=cols)
    stop = {w.lower() for w in stop_words} | BASE_STOP_WORDS
    sess = pd.to_datetime(tagged["session"])
    period = week_start(sess) if freq == "W" else sess.dt.to_period("M").dt.start_time
    extract = jieba.analyse.textrank if method == "textrank" else jieba.analyse.extract_tags
    rows = []
    for start, part in tagged.assign(_period=period.values).groupby("_period", sort=True):
        reads = pd.to_numeric(part["reads"], errors="coerce").fillna(0)
        texts, size = [], 0
        for t in part.loc[reads.sort_values(ascending=False).index, "text"]:
            if size >= KEYWORD_TEXT_CAP:
                break
            texts.append(t)
            size += len(t)
        tags = extract("\n".join(texts), topK=top_k + len(stop) if method == "tfidf" else top_k * 6,
                       withWeight=True)
        rank = 0
        for word, weight in tags:
            w = word.strip().lower()
            if len(w) < 2 or w in stop or re.fullmatch(r"[\d.%]+", w):
                continue
            rank += 1
            rows.append((pd.Timestamp(cast(datetime, start)), rank, word, round(float(weight), 4), len(part)))
            if rank >= top_k:
                break
    return pd.DataFrame(rows, columns=cols)
