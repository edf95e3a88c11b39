"""Draw the inbox (``socialfund.services.alert_rules``): events newest first, unread ones
marked, each with a link to its fund / portfolio / post's thread and a "mark read" button;
the user's rules with a form to add or remove one; the optional webhook URL. Also the unread
count the menu shows beside the page's title (``navigation._title``).

Nothing is cached: the inbox is read fresh on every run (a mark-read shows at once). Every
check (who may add what rule, whose events are whose) is the library's.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from socialfund.core.timeutil import from_utc_naive
from socialfund.services import alert_rules
from socialfund.services.alert_rules import Event, Rule

from app import chrome, errors, navigation, resources, session

FLASH_KEY = "_inbox_flash"
RULE_KEYS = {"sentiment_shift": "inbox.rule.sentiment_shift", "drawdown": "inbox.rule.drawdown",
             "rebalance": "inbox.rule.rebalance", "top_idea": "inbox.rule.top_idea", "reply": "inbox.rule.reply"}


def _flash(text: str) -> None:
    st.session_state[FLASH_KEY] = text


def show_flash() -> None:
    text = st.session_state.pop(FLASH_KEY, None)
    if text:
        st.success(text)


def _subject(event: Event, names: Mapping[str, str]) -> str:
    tr = session.tr
    if event.fund:
        return f"{event.fund} {names.get(event.fund, '')}".strip()
    if event.portfolio_id is not None:
        return tr("inbox.portfolio", id=event.portfolio_id)
    return event.subject


def event_text(event: Event, names: Mapping[str, str]) -> str:
    """One line saying what happened (formulas in the rule's docstring; units in the text)."""
    tr, d = session.tr, event.detail
    value = float(event.value or 0.0)
    subject = _subject(event, names)
    if event.rule == "sentiment_shift":
        return tr("inbox.ev.sentiment_shift", subject=subject, value=value, threshold=float(d.get("threshold", 2)))
    if event.rule == "drawdown":
        return tr("inbox.ev.drawdown", subject=subject, value=value, peak=d.get("peak_session", ""),
                  threshold=float(d.get("threshold", 10)))
    if event.rule == "rebalance":
        return tr("inbox.ev.rebalance", subject=subject, version=d.get("version", int(value)))
    if event.rule == "top_idea":
        return tr("inbox.ev.top_idea", subject=subject, rank=d.get("rank", int(value)), top_n=d.get("top_n", 10))
    return tr("inbox.ev.reply", replier=chrome.plain(d.get("replier", "")), parent=d.get("parent_id", ""))


def _link(event: Event, key: str) -> None:
    from app import forms_portfolio

    tr = session.tr
    fund = event.fund or event.detail.get("fund")
    pid = event.portfolio_id
    if event.rule == "reply":
        if pid is not None:
            st.page_link(navigation.PORTFOLIO.path, label=tr("inbox.open_thread_portfolio", id=pid), icon="💬",
                         query_params={forms_portfolio.PORTFOLIO_PARAM: str(pid)})
        elif fund:
            st.page_link(navigation.SENTIMENT.path, label=tr("inbox.open_thread_fund", fund=fund), icon="💬")
        return
    if pid is not None:
        st.page_link(navigation.PORTFOLIO.path, label=tr("inbox.open_portfolio", id=pid), icon="📊",
                     query_params={forms_portfolio.PORTFOLIO_PARAM: str(pid)})
    elif fund:
        page = navigation.IDEAS if event.rule == "top_idea" else navigation.SENTIMENT
        st.page_link(page.path, label=tr("inbox.open_fund") if page is navigation.SENTIMENT
                     else tr("menu.ideas"), icon="💡" if page is navigation.IDEAS else "💬")


def events(user_id: int, lang: str) -> None:
    """The inbox: unread count, mark-all button, events newest first."""
    tr = session.tr
    store = resources.store()
    items = alert_rules.inbox(store, user_id)
    unread = sum(1 for e in items if not e.read)
    c1, c2 = st.columns([3, 1], vertical_alignment="center")
    c1.markdown(f"**{tr('inbox.unread_n', n=unread)}**" if unread else tr("inbox.all_read"))
    if unread and c2.button(tr("inbox.mark_all"), key="inbox-mark-all"):
        with errors.errors_shown():
            alert_rules.mark_read(store, user_id)
            st.rerun()
    if not items:
        st.info(tr("inbox.none"))
        return
    names = resources.instrument_names(lang)
    for event in items:
        with st.container(border=True, key=f"inbox-event-{event.id}-{'read' if event.read else 'unread'}"):
            when = from_utc_naive(event.created_at).strftime("%Y-%m-%d %H:%M")
            meta = [tr("inbox.when", time=when)]
            if event.session is not None:
                meta.insert(0, tr("inbox.session", day=event.session.isoformat()))
            text = event_text(event, names)
            if event.read:
                st.markdown(chrome.plain(text))
            else:
                st.markdown(f"🔵 **{tr('inbox.new')}** · **{chrome.plain(text)}**")
            st.caption(" · ".join(meta))
            a, b = st.columns([4, 1], vertical_alignment="center")
            with a:
                _link(event, f"inbox-link-{event.id}")
            if not event.read and b.button(tr("inbox.mark_one"), key=f"inbox-read-{event.id}"):
                with errors.errors_shown():
                    alert_rules.mark_read(store, user_id, [event.id])
                    st.rerun()


def _rule_line(rule: Rule) -> str:
    tr = session.tr
    if rule.fund_code:
        subject = rule.fund_code
    elif rule.portfolio_id is not None:
        subject = tr("inbox.portfolio", id=rule.portfolio_id)
    else:
        subject = tr({"reply": "inbox.rule_default_reply", "top_idea": "inbox.rule_default_top"}.get(
            rule.rule, "inbox.rule_default_subject"))
    threshold = tr("inbox.rule_threshold", x=rule.limit) if rule.rule in alert_rules.DEFAULT_THRESHOLD else ""
    return tr("inbox.rule_line", rule=tr(RULE_KEYS[rule.rule]), subject=subject, threshold=threshold)


def rules(user_id: int, lang: str) -> None:
    """The user's rules (each removable) and the form to add one."""
    tr = session.tr
    store = resources.store()
    st.subheader(tr("inbox.rules"))
    mine = alert_rules.rules(store, user_id)
    if not mine:
        st.caption(tr("inbox.rules_none"))
    for rule in mine:
        c1, c2 = st.columns([6, 1], vertical_alignment="center")
        c1.markdown(f"#{rule.id} · {chrome.plain(_rule_line(rule))}")
        if c2.button(tr("inbox.remove"), key=f"inbox-rule-rm-{rule.id}"):
            with errors.errors_shown():
                alert_rules.delete_rule(store, user_id, rule.id)
                _flash(tr("inbox.removed"))
                st.rerun()
    st.subheader(tr("inbox.add"))
    bound = session.translator(lang)   # format_func may run outside the script run
    with st.form("inbox-add-rule", clear_on_submit=True):
        kind = st.selectbox(tr("inbox.rule"), list(alert_rules.RULES), format_func=lambda r: bound(RULE_KEYS[r]),
                            key="inbox-rule-kind", placeholder=tr("ui.choose_one"))
        fund = st.text_input(tr("inbox.fund"), key="inbox-rule-fund")
        pid = st.text_input(tr("inbox.portfolio_id"), key="inbox-rule-portfolio")
        threshold = st.text_input(tr("inbox.threshold"), key="inbox-rule-threshold")
        sent = st.form_submit_button(tr("inbox.add_submit"))
    if sent:
        with errors.errors_shown():
            portfolio = _portfolio_id(pid)
            alert_rules.add_rule(store, user_id, kind, fund=fund.strip() or None, portfolio=portfolio,
                                 threshold=threshold.strip() or None)
            _flash(tr("inbox.added"))
            st.rerun()


def _portfolio_id(text: str) -> int | None:
    from socialfund.core.errors import ValidationError

    raw = text.strip().lstrip("#")
    if not raw:
        return None
    if not raw.isdigit():
        raise ValidationError(f"portfolio id must be a whole number, got {text!r}")
    return int(raw)


def webhook(user_id: int) -> None:
    tr = session.tr
    store = resources.store()
    st.subheader(tr("inbox.webhook"))
    st.caption(tr("inbox.webhook_help"))
    with st.form("inbox-webhook"):
        url = st.text_input(tr("inbox.webhook_url"), value=alert_rules.webhook(store, user_id) or "",
                            key="inbox-webhook-url")
        sent = st.form_submit_button(tr("inbox.webhook_submit"))
    if sent:
        with errors.errors_shown():
            alert_rules.set_webhook(store, user_id, url)
            _flash(tr("inbox.webhook_saved"))
            st.rerun()
