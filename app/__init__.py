"""The glue between Streamlit and the socialfund library (the library never imports it).

Modules, bottom to top:
- ``runtime`` (process tuning), ``resources`` (cached settings, store, price provider,
  closes, scorers), ``session`` (language, current user), ``errors`` (library errors →
  ``st.error``), ``chrome`` (demo label, risk notice, sidebar, ``plain``), ``navigation``
  (the page table the router in ``dashboard.py`` builds ``st.navigation`` from);
- ``cache_keys`` (every shared cache key) and the page caches built on it:
  ``cached_portfolios`` (leaderboard, portfolio report, copies), ``cached_sentiment``,
  ``cached_ideas``;
- what pages draw, one module per area: ``draw_leaderboard``, ``draw_portfolio``,
  ``forms_portfolio``, ``forms_weights``, ``forms_my_portfolios``, ``forms_sharing``,
  ``sentiment_tabs``, ``ideas_tabs``, ``share_links`` (share-link URLs).
Pages import the module they need: ``from app import resources, session``.
"""
