"""Strings of the discussion thread (app/draw_discussion.py) on the Sentiment and Portfolio pages."""

STRINGS: dict[str, tuple[str, str]] = {
    "disc.title": ("💬 讨论", "💬 Discussion"),
    "disc.fund_pick": ("讨论哪只基金", "Discussion of which fund"),
    "disc.fund_intro": ("{fund} 的讨论区：所有人可见。自选“看多/看空”标签会和模型打分一起进入情绪统计，"
                        "从写下之后的下一个收盘起计入（不会计入已经收盘的交易日）。",
                        "The discussion of {fund}: visible to everyone. Self-tags (bullish/bearish) enter the "
                        "sentiment figures with the model's score, counted from the first close after the post "
                        "is written (never a session already closed)."),
    "disc.portfolio_intro": ("这个组合的讨论区：能看到这个组合的人才能看到（私密组合只有主理人自己）。"
                             "组合讨论不进入任何基金情绪统计。",
                             "This portfolio's discussion: visible exactly to those who can view the portfolio "
                             "(a private one: its owner only). Portfolio posts enter no fund sentiment figure."),
    "disc.empty": ("还没有帖子，来说第一句吧。", "No posts yet: write the first one."),
    "disc.sign_in": ("登录后可以发帖、回复、点赞和举报。", "Sign in to post, reply, like and report."),
    "disc.text": ("说点什么（最多 {n} 字；用 $510300$ 这样的写法链接基金）",
                  "Say something (at most {n} characters; link a fund by writing $510300$)"),
    "disc.tag": ("我的观点", "My view"),
    "disc.tag_none": ("不标注", "No tag"),
    "disc.tag_bull": ("看多", "Bullish"),
    "disc.tag_bear": ("看空", "Bearish"),
    "disc.submit": ("发布", "Post"),
    "disc.posted": ("已发布。", "Posted."),
    "disc.held_notice": ("帖子含有需要审核的词语（{words}），编辑审核通过后才会公开；你自己可以看到它。",
                         "Your post contains words that need review ({words}); it is public once an editor "
                         "approves it. You can see it meanwhile."),
    "disc.status_held": ("待审核", "held for review"),
    "disc.status_hidden": ("已隐藏", "hidden"),
    "disc.demo": ("演示数据", "demo data"),
    "disc.likes": ("👍 {n}", "👍 {n}"),
    "disc.unlike": ("👍 {n} · 取消", "👍 {n} · undo"),
    "disc.reply": ("回复", "Reply"),
    "disc.reply_text": ("回复内容", "Your reply"),
    "disc.reply_submit": ("发送回复", "Send reply"),
    "disc.report": ("举报", "Report"),
    "disc.report_reason": ("举报原因（选填）", "Reason (optional)"),
    "disc.report_submit": ("提交举报", "Send report"),
    "disc.reported": ("已提交举报，编辑会处理。", "Reported: an editor will look at it."),
    "disc.hide": ("隐藏", "Hide"),
    "disc.unhide": ("取消隐藏", "Unhide"),
    "disc.approve": ("审核通过", "Approve"),
    "disc.delete": ("删除", "Delete"),
    "disc.reports_count": ("举报 {n}", "reports {n}"),
    "disc.links": ("链接基金：{funds}", "Linked funds: {funds}"),
    "disc.meta": ("{author} · {time}（上海时间）", "{author} · {time} (Shanghai time)"),
    "disc.moderation": ("审核（编辑）：{held} 条待审核，{reports} 条举报", "Moderation (editors): {held} held, {reports} reports"),
}
