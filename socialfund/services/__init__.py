"""services: the only layer that takes the store and the acting user.

Access policy, portfolios, snapshots, follows, copies, posts import and scoring cache,
leaderboard, portfolio report, ideas loading and the home overview. Pages and the command
line call these; the layers below never see the store and the user together.
"""
