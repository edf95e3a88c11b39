"""The database schema (SQLAlchemy Core). One schema for SQLite and PostgreSQL.

Conventions: times are stored as naive UTC ``DateTime`` (convert at the boundary with
``socialfund.core.timeutil``); calendar dates as ``Date``; weights as integer basis points;
money as integer fen (1/100 CNY) so that nothing is lost to float rounding.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger, Boolean, Column, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData,
    String, Table, Text, UniqueConstraint,
)

metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# A generic counter row; used by the concurrency tests as the read-modify-write target
# and by nothing that holds user data.
counters = Table(
    "counters", metadata,
    Column("name", String(64), primary_key=True),
    Column("value", BigInteger, nullable=False, default=0),
)

instruments = Table(
    "instruments", metadata,
    Column("code", String(32), primary_key=True),
    Column("name_zh", String(128), nullable=False),
    Column("name_en", String(128), nullable=False),
    Column("kind", String(16), nullable=False),        # etf | lof | fund | index
    Column("market", String(16), nullable=False),      # SSE | SZSE | OTC | US
    Column("currency", String(3), nullable=False),
    Column("yahoo", String(32), nullable=True),        # None for open-end funds
    Column("category", String(16), nullable=False),
    Column("calendar", String(8), nullable=False),     # XSHG | XNYS
)

prices = Table(
    "prices", metadata,
    Column("code", String(32), primary_key=True),
    Column("date", Date, primary_key=True),
    # part of the key: real and demo prices are never mixed in one series
    Column("source", String(32), primary_key=True),
    Column("close", Float, nullable=False),
    Column("fetched_at", DateTime, nullable=True),
)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # 'demo:<n>', 'local:<name>' or 'oidc:<issuer>|<subject>'
    Column("key", String(512), nullable=False, unique=True),
    Column("handle", String(64), nullable=False),
    Column("display_name", String(128), nullable=False),
    Column("is_demo", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
)

portfolios = Table(
    "portfolios", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("owner_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("name", String(128), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("style", String(64), nullable=False, default=""),
    Column("visibility", String(16), nullable=False, default="private"),  # public | unlisted | private
    Column("is_demo", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
    Column("closed_at", DateTime, nullable=True),
    # deleted portfolios keep their history for the leaderboard's survivorship-free record
    Column("deleted_at", DateTime, nullable=True),
    Column("confirmed_at", DateTime, nullable=True),  # "still current" without a rebalance
)

portfolio_versions = Table(
    "portfolio_versions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("portfolio_id", Integer, ForeignKey("portfolios.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("placed_at", DateTime, nullable=False),
    Column("note", Text, nullable=False, default=""),
    UniqueConstraint("portfolio_id", "version", name="uq_version"),
)

portfolio_weights = Table(
    "portfolio_weights", metadata,
    Column("version_id", Integer, ForeignKey("portfolio_versions.id"), primary_key=True),
    Column("code", String(32), primary_key=True),   # an instrument code or 'CASH'
    Column("weight_bp", Integer, nullable=False),
)

snapshots = Table(
    "snapshots", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("portfolio_id", Integer, ForeignKey("portfolios.id"), nullable=False, index=True),
    Column("version_id", Integer, ForeignKey("portfolio_versions.id"), nullable=False),
    Column("owner_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("title", String(128), nullable=False),
    Column("visibility", String(16), nullable=False),
    Column("weights_only", Boolean, nullable=False, default=True),
    Column("token_hash", String(64), nullable=True, unique=True),  # sha256 hex of the share token
    Column("expires_at", DateTime, nullable=True),
    Column("revoked_at", DateTime, nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("payload_json", Text, nullable=False),  # frozen weights + metrics at creation
)

# The dated history of every portfolio's visibility: one row when it is created (its first
# visibility) and one per change. ``portfolios.visibility`` is the current value; readers
# "as of" a date use this table (``community.portfolio_meta``), so making a portfolio
# private today does not rewrite what was public before.
portfolio_visibility_changes = Table(
    "portfolio_visibility_changes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("portfolio_id", Integer, ForeignKey("portfolios.id"), nullable=False, index=True),
    Column("changed_at", DateTime, nullable=False),
    Column("visibility", String(16), nullable=False),
)

# Every "still current" confirmation (``portfolios.confirmed_at`` keeps only the latest):
# confirmations count as activity for the leaderboard's eligibility at past dates.
portfolio_confirmations = Table(
    "portfolio_confirmations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("portfolio_id", Integer, ForeignKey("portfolios.id"), nullable=False, index=True),
    Column("confirmed_at", DateTime, nullable=False),
)

follows = Table(
    "follows", metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("portfolio_id", Integer, ForeignKey("portfolios.id"), primary_key=True),
    Column("since", DateTime, nullable=False),
)

# Follows that ended (unfollow moves the row here), so follower counts at past dates stay.
ended_follows = Table(
    "ended_follows", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("portfolio_id", Integer, ForeignKey("portfolios.id"), nullable=False, index=True),
    Column("since", DateTime, nullable=False),
    Column("ended_at", DateTime, nullable=False),
)

copies = Table(
    "copies", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("portfolio_id", Integer, ForeignKey("portfolios.id"), nullable=False, index=True),
    # the leader version in force when the copy was taken: a copy always points at one
    Column("version_id", Integer, ForeignKey("portfolio_versions.id"), nullable=True),
    Column("started_on", Date, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("fee_bps", Integer, nullable=False, default=0),
    Column("delay_sessions", Integer, nullable=False, default=1),
    Column("min_position_fen", BigInteger, nullable=False, default=0),
    Column("stop_loss_pct", Float, nullable=True),
    Column("is_demo", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
)

posts = Table(
    "posts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("code", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("author", String(128), nullable=True),
    Column("published_at", DateTime, nullable=False),   # UTC
    Column("reads", Integer, nullable=True),
    Column("comments", Integer, nullable=True),
    Column("url", Text, nullable=True),
    Column("source", String(64), nullable=False),       # 'demo' or the import's source name
    Column("imported_at", DateTime, nullable=False),
    # ``hashing.text_hash(text)``, the score cache key, computed once when the post is stored
    # (nullable only so that ``add_missing_columns`` can add it; ``store.sentiment_sums`` fills old rows)
    Column("text_hash", String(64), nullable=True),
    Index("ix_posts_code_published", "code", "published_at"),
    Index("ix_posts_text_hash", "text_hash"),
)

post_scores = Table(
    "post_scores", metadata,
    Column("text_hash", String(64), primary_key=True),
    Column("scorer_version", String(64), primary_key=True),
    Column("score", Float, nullable=True),
    Column("label", String(8), nullable=True),
    Column("confidence", Float, nullable=True),
    Column("reason", String(32), nullable=True),
)

# --- stored sentiment aggregates (``store.sentiment_sums``), kept by every write that changes them ---

# Per fund, post source and counts-from day (``core.post_days``: the local day a post can first
# count from; read-time code moves it onto the fund's session calendar), sums over the posts
# that may enter an aggregate (``store.counted.aggregate_clause``). Updated in the same
# transaction as each import, written post and status change; rows that reach 0 posts go.
post_day_sums = Table(
    "post_day_sums", metadata,
    Column("code", String(32), primary_key=True),
    Column("source", String(64), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("n_posts", Integer, nullable=False),
    Column("n_tag_bull", Integer, nullable=False),     # written posts self-tagged bull / bear
    Column("n_tag_bear", Integer, nullable=False),
)

# The same keys per scorer version: sums over those posts whose text has a cached score of it,
# updated by the writes above and by each batch of scores stored.
score_day_sums = Table(
    "score_day_sums", metadata,
    Column("scorer_version", String(64), primary_key=True),
    Column("code", String(32), primary_key=True),
    Column("source", String(64), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("n_cached", Integer, nullable=False),       # posts with a score row (the key of deletion at 0)
    Column("n_scored", Integer, nullable=False),       # … of which have a score (not None)
    Column("n_pos", Integer, nullable=False),          # labelled pos / neg
    Column("n_neg", Integer, nullable=False),
    Column("score_sum", Float, nullable=False),        # Σ score
    Column("sw", Float, nullable=False),               # Σ score·(1 + reads)
    Column("w", Float, nullable=False),                # Σ (1 + reads) of scored posts
)

# --- akshare provider (socialfund.market.akshare): the 天天基金 fund list and fund distributions ---

# One row per public fund of akshare's ``fund_name_em`` (the whole list is replaced on each fetch),
# so any fund can be found by code, name or pinyin and added to the universe without the network.
fund_directory = Table(
    "fund_directory", metadata,
    Column("code", String(6), primary_key=True),        # 基金代码, always 6 digits
    Column("name", String(128), nullable=False),        # 基金简称
    Column("fund_type", String(32), nullable=False),    # 基金类型 (混合型-偏股, 指数型-股票, 货币型, …)
    Column("pinyin", String(64), nullable=False),       # 拼音缩写
    Column("fetched_at", DateTime, nullable=False),
)

# 分红送配 and 拆分 records of open-end funds (fund_open_fund_info_em), which explain unit-NAV drops.
fund_distributions = Table(
    "fund_distributions", metadata,
    Column("code", String(32), primary_key=True),
    Column("ex_date", Date, primary_key=True),          # 除息日 (dividend) or 拆分折算日 (split)
    Column("kind", String(8), primary_key=True),        # dividend | split
    Column("cash_per_unit", Float, nullable=True),      # CNY paid per unit (dividends)
    Column("split_ratio", Float, nullable=True),        # new units per old unit (splits)
    Column("text", String(64), nullable=False),         # the record as 天天基金 words it
    Column("fetched_at", DateTime, nullable=False),
)

# --- discussion (socialfund.services.discussion): posts written in the app, moderation, roles ---

# The side row of every post written in the app (its text, fund code and time are the
# ``posts`` row with the same id, so written posts go through the same scoring, cache and
# aggregates as imported ones). Exactly one of ``fund_code`` / ``portfolio_id`` names the
# thread; a reply (``parent_id``: the post it answers, one level deep) is in its parent's
# thread. ``status``: visible | held (blocked word, awaiting an editor) | hidden (by the
# portfolio owner or an editor) | deleted (by its author). Only visible posts of fund
# threads ever reach an aggregate (``store.discussion.aggregate_clause``).
discussion_posts = Table(
    "discussion_posts", metadata,
    Column("post_id", Integer, ForeignKey("posts.id"), primary_key=True),
    Column("author_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("fund_code", String(32), nullable=True),
    Column("portfolio_id", Integer, ForeignKey("portfolios.id"), nullable=True),
    Column("parent_id", Integer, ForeignKey("posts.id"), nullable=True),
    Column("self_tag", String(4), nullable=True),        # 'bull' | 'bear' | None
    Column("status", String(8), nullable=False, default="visible"),
    Column("held_reason", String(128), nullable=True),   # the blocked words found
    Column("hidden_by", Integer, ForeignKey("users.id"), nullable=True),
    Column("status_at", DateTime, nullable=True),        # when the status last changed
    Column("is_demo", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),      # UTC; = posts.published_at
    Index("ix_discussion_fund", "fund_code", "created_at"),
    Index("ix_discussion_portfolio", "portfolio_id", "created_at"),
    Index("ix_discussion_parent", "parent_id"),
    Index("ix_discussion_author", "author_id", "created_at"),
)

# Funds a written post links with cashtags (``$510300$``), besides its own thread's fund.
post_cashtags = Table(
    "post_cashtags", metadata,
    Column("post_id", Integer, ForeignKey("posts.id"), primary_key=True),
    Column("code", String(32), primary_key=True, index=True),
)

post_likes = Table(
    "post_likes", metadata,
    Column("post_id", Integer, ForeignKey("posts.id"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("created_at", DateTime, nullable=False),
)

post_reports = Table(
    "post_reports", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("post_id", Integer, ForeignKey("posts.id"), nullable=False, index=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("reason", String(200), nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("post_id", "user_id", name="uq_report_once"),
)

# Every moderation action (hide, unhide, approve, delete), oldest first: the audit trail, and
# its max id is part of the posts' fingerprint so caches drop a post the moment it is hidden.
post_moderation = Table(
    "post_moderation", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("post_id", Integer, ForeignKey("posts.id"), nullable=False, index=True),
    Column("actor_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("action", String(16), nullable=False),        # hide | unhide | approve | delete
    Column("at", DateTime, nullable=False),
)

# Roles beyond "user": 'editor' (hides any post, sees reports, approves held posts).
user_roles = Table(
    "user_roles", metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("role", String(16), primary_key=True),
    Column("granted_at", DateTime, nullable=False),
)

# --- watchlists & alerts (socialfund.services.watchlist, socialfund.services.alerts) ---

# Funds a user follows (portfolios are followed in ``follows``).
watchlist = Table(
    "watchlist", metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("code", String(32), primary_key=True),
    Column("since", DateTime, nullable=False),
)

# One alert rule of a user: ``rule`` sentiment_shift | drawdown | rebalance | top_idea | reply,
# optionally narrowed to one fund or portfolio (else the watchlist / followed portfolios), with
# its threshold (|z|, drawdown percent, top N; None = the rule's default).
alert_rules = Table(
    "alert_rules", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("rule", String(16), nullable=False),
    Column("fund_code", String(32), nullable=True),
    Column("portfolio_id", Integer, ForeignKey("portfolios.id"), nullable=True),
    Column("threshold", Float, nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("deleted_at", DateTime, nullable=True),
)

# Every event an alert run raised. ``dedup_key`` (rule id + subject + the session or item it is
# about) is UNIQUE: a second run over the same data inserts nothing, so an event is raised once.
alert_events = Table(
    "alert_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("rule_id", Integer, ForeignKey("alert_rules.id"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("dedup_key", String(200), nullable=False, unique=True),
    Column("rule", String(16), nullable=False),
    Column("subject", String(64), nullable=False),      # fund code, 'portfolio:ID' or 'post:ID'
    Column("session", Date, nullable=True),             # the trading session it is about
    Column("value", Float, nullable=True),              # z, drawdown %, rank, version, reply id
    Column("detail_json", Text, nullable=False, default="{}"),
    Column("created_at", DateTime, nullable=False),
    Column("read_at", DateTime, nullable=True),
    Index("ix_alert_events_user", "user_id", "read_at"),
)

# A user's optional webhook: every event of theirs is POSTed there as JSON.
user_webhooks = Table(
    "user_webhooks", metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("url", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# One row per event to deliver (``event_id`` UNIQUE: never two deliveries of one event).
# A sender claims a due row in a write transaction (attempts + 1, ``next_attempt_at`` pushed past
# the request timeout) before POSTing, so two concurrent senders never both send it; a failure
# schedules the next attempt with exponential backoff; ``delivered_at`` set on a 2xx answer.
webhook_deliveries = Table(
    "webhook_deliveries", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Integer, ForeignKey("alert_events.id"), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("url", Text, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime, nullable=False),
    Column("delivered_at", DateTime, nullable=True),
    Column("last_error", String(200), nullable=True),
    Column("created_at", DateTime, nullable=False),
    Index("ix_webhook_due", "delivered_at", "next_attempt_at"),
)

# --- wishes (小心愿, socialfund.services.wishes): goals funded by saving; friends guess and tip ---

wishes = Table(
    "wishes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("owner_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("title", String(64), nullable=False),
    Column("emoji", String(16), nullable=False, default=""),
    Column("target_fen", BigInteger, nullable=False),
    Column("target_date", Date, nullable=False),
    Column("visibility", String(16), nullable=False, default="private"),  # public | unlisted | private
    Column("start_date", Date, nullable=False),
    Column("initial_fen", BigInteger, nullable=False, default=0),
    Column("every", String(8), nullable=False),                            # day | week | month
    Column("amount_fen", BigInteger, nullable=False),
    Column("vehicle_kind", String(16), nullable=False),                    # fund | portfolio
    Column("vehicle_ref", String(32), nullable=False),                     # fund code or portfolio id
    Column("decoys_json", Text, nullable=False, default="[]"),             # three [title, emoji] decoys
    Column("is_demo", Boolean, nullable=False, default=False),             # funded by a demo series
    Column("created_at", DateTime, nullable=False),
    Column("reached_at", DateTime, nullable=True),
    Column("closed_at", DateTime, nullable=True),                          # closed: history kept, no more deposits
)

# Deposits recorded by the owner (by hand or from a CSV date,amount); never deleted.
wish_deposits = Table(
    "wish_deposits", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("wish_id", Integer, ForeignKey("wishes.id"), nullable=False, index=True),
    Column("on_date", Date, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("note", String(64), nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
)

# "Guess my wish" links: sha256 hex of the token, revocable, may expire (as snapshots').
wish_links = Table(
    "wish_links", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("wish_id", Integer, ForeignKey("wishes.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("expires_at", DateTime, nullable=True),
    Column("revoked_at", DateTime, nullable=True),
    Column("created_at", DateTime, nullable=False),
)

# A friend's guess through a link, with an optional name, message and SIMULATED tip (no money moves).
wish_guesses = Table(
    "wish_guesses", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("wish_id", Integer, ForeignKey("wishes.id"), nullable=False, index=True),
    Column("link_id", Integer, ForeignKey("wish_links.id"), nullable=False),
    Column("guesser_id", Integer, ForeignKey("users.id"), nullable=True),  # None: not signed in
    Column("picked", String(64), nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("name", String(32), nullable=False, default=""),
    Column("message", String(140), nullable=False, default=""),
    Column("tip_fen", BigInteger, nullable=False, default=0),              # simulated
    Column("receipt_hash", String(64), nullable=False, unique=True),       # sha256 of the guesser's receipt
    Column("created_at", DateTime, nullable=False),
)

# --- real-money portfolios (socialfund.services.flows): the cash flows a portfolio was imported from ---

# One row per booked flow (``core.flows``): fen amounts (positive; ``kind`` gives the direction), the
# session it traded and the units it bought or sold (Decimal text, signed). Only the owner reads them.
portfolio_flows = Table(
    "portfolio_flows", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("portfolio_id", Integer, ForeignKey("portfolios.id"), nullable=False, index=True),
    Column("seq", Integer, nullable=False),                                # booking order
    Column("on_date", Date, nullable=False),                               # as written in the file
    Column("session_date", Date, nullable=False),                          # the session it traded
    Column("code", String(32), nullable=False),                            # CASH for deposits / withdrawals
    Column("kind", String(10), nullable=False),                            # buy | sell | deposit | withdraw | dividend
    Column("amount_fen", BigInteger, nullable=False),
    Column("price", Float, nullable=True),                                 # the close used; None for cash
    Column("units", String(40), nullable=False, default="0"),
    Column("cash_after_fen", BigInteger, nullable=False),
    Column("line", Integer, nullable=False, default=0),
    UniqueConstraint("portfolio_id", "seq"),
)
