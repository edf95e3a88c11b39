"""The share link of a snapshot is built from whichever page URL the browser has open."""

from __future__ import annotations

from app import navigation
from app.share_links import app_root, snapshot_link


def test_page_url_paths_follow_the_file_names() -> None:
    assert navigation.MY_PORTFOLIOS.url_path == "/My_Portfolios"
    assert navigation.LEADERBOARD.url_path == "/Leaderboard"
    assert navigation.SNAPSHOT.url_path == "/snapshot"
    assert navigation.HOME.url_path == ""


def test_the_link_points_at_the_app_root_whatever_the_page() -> None:
    assert app_root("http://localhost:8501/My_Portfolios?lang=en") == "http://localhost:8501"
    assert app_root("http://localhost:8501/My_Portfolios/") == "http://localhost:8501"
    assert app_root("https://host/base/My_Portfolios") == "https://host/base"
    assert app_root("http://localhost:8501/") == "http://localhost:8501"
    assert snapshot_link("TOK", "http://h:1/My_Portfolios?lang=en") == "http://h:1/?snapshot=TOK&lang=en"
    assert snapshot_link("TOK", "") == "/?snapshot=TOK"
