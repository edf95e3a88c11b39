"""social: pure analytics over forum posts: the session each post can first act on (no
look-ahead), per-fund per-session aggregates, shifts and keywords. Data in, frames out:
no store, no scorer."""
