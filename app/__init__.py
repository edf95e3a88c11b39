"""The glue between Streamlit and the socialfund library (the library never imports it).

Modules, bottom to top: ``runtime`` (process tuning), ``resources`` (cached settings,
store, price provider, closes, scorers), ``session`` (language, current user), ``errors``
(library errors → ``st.error``), ``chrome`` (demo label, risk notice, sidebar, ``plain``),
``navigation`` (the page table the router in ``dashboard.py`` builds ``st.navigation`` from).
Pages import the module they need: ``from app import resources, session``.
"""
