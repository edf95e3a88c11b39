"""小心愿 wishes: the pure maths of saving toward a goal (no store, no services).

* ``money``: yuan text ↔ integer fen (1 fen = 0.01 CNY), exactly (``Decimal``), never a fen lost;
* ``plan``: the saving plan's deposit dates and the planned principal by a date;
* ``projection``: the Monte Carlo of reaching the target (block bootstrap of the funding
  vehicle's own daily returns) and the extra saving that reaches it with 80 % probability;
* ``guess``: the common wishes the app suggests as decoys, and the simulated tip amounts.
"""
