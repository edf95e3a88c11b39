"""socialfund: social investing and Chinese fund sentiment, as a pure Python library.

This package never imports streamlit: the dashboard (``dashboard.py``, ``pages/``,
``app/``) sits on top of it, and so does the command line (``python -m socialfund``).
"""

__version__ = "0.1.0"
