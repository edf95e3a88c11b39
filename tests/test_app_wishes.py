"""The wishes page and the guess page in AppTest: create a wish in the form, see progress,
projection (with the risk notice) and share; a guess link opens the hidden guess page; an
invalid one shows one message. English too."""

from __future__ import annotations

import datetime as dt

from conftest import app_test, figure_by_title, plotly_figures
from socialfund.core.money_fund import DEMO_MMF_CODE
from socialfund.services import wishes
from socialfund.store import open_store
from socialfund.store.users import get_or_create_user


def _errors(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.value for e in at.error] + [str(e.value) for e in at.exception]


def test_wishes_page_create_project_share(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = app_test("pages/8_Wishes.py").run()
    assert not _errors(at), _errors(at)
    at.text_input[0].set_value("浏览器心愿")
    at.button[0].click()   # the form's submit
    at.run()
    assert not _errors(at), _errors(at)
    assert any("已创建心愿" in s.value for s in at.success)
    assert any("浏览器心愿" in h.value for h in at.header)
    assert any("预测不是承诺" in w.value for w in at.warning)
    figs = plotly_figures(at)
    assert figure_by_title(figs, "模拟金额分布（10/50/90 分位）与目标线")
    labels = [m.label for m in at.metric]
    assert "按期达成概率" in labels and "每次多存多少可有 80% 概率达成" in labels
    share = next(b for b in at.button if b.label == "生成竞猜链接")
    share.click()
    at.run()
    assert any("/?wish=" in c.value for c in at.code)


def test_guess_page_by_link_and_invalid_link(demo_store) -> None:  # type: ignore[no-untyped-def]
    from socialfund.core.config import load_settings

    store = open_store(load_settings().database_url)
    owner = get_or_create_user(store, "local:apptest-wisher", "Wisher")
    w = wishes.create_wish(store, owner, title="新电脑", target="5000", by=dt.date.today() + dt.timedelta(days=300),
                           initial="10", every="month", amount="300", fund=DEMO_MMF_CODE, visibility="private")
    _link, token = wishes.create_guess_link(store, owner, w.id)
    at = app_test("pages/wish_guess.py")
    at.query_params["wish"] = token
    at.run()
    assert not _errors(at), _errors(at)
    assert at.title[0].value.endswith("猜猜我的心愿")
    assert len(at.radio[0].options) == 4
    en = app_test("pages/wish_guess.py", lang="en")
    en.query_params["wish"] = "not-a-valid-token-but-long-enough"
    en.run()
    assert [e.value for e in en.error] == ["This link is not valid (revoked, expired or unknown)."]


def test_wishes_page_in_english(demo_store) -> None:  # type: ignore[no-untyped-def]
    at = app_test("pages/8_Wishes.py", lang="en").run()
    assert not _errors(at), _errors(at)
    assert at.title[0].value.endswith("Wishes")
    assert [t.label for t in at.tabs] == ["My wishes", "New wish"]
    assert any(b.label == "Create wish" for b in at.button)
