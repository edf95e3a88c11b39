"""ideas: fund ideas — rank funds by market data, forum sentiment and crowd positioning,
and measure out of sample whether the ranking has predicted anything. Pure: plain frames
in, frames out (the store is read by ``services.ideas``; words are made in ``view.ideas_text``).

* ``features``: the decision-session axis and every feature per (session, fund), no look-ahead;
* ``scoring``: cross-sectional z-scores, weight presets, the composite and the walk-forward model;
* ``evidence``: Spearman rank-IC, t-statistics (incl. Newey-West), quintile spread, the verdict;
* ``ranking``: the ranked list at one as-of date and its per-feature contributions;
* ``display``: what the view shows of those results (names, data day, one fund's history, the export).
"""
