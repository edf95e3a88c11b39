"""The share link of a snapshot is built from whichever page URL the browser has open."""

from __future__ import annotations

from app import navigation
from app.share_links import app_root, page_url_path, snapshot_link


def test_page_url_paths_follow_the_file_names() -> None:
    assert page_url_path(navigation.MY_PORTFOLIOS) == "/My_Portfolios"
    assert page_url_path(navigation.LEADERBOARD) == "/Leaderboard"
    assert page_url_path(navigation.SNAPSHOT) == "/snapshot"
    assert page_url_path(navigation.HOME) == ""


def test_the_link_points_at_the_app_root_whatever_the_page() -> None:
    assert app_root("http://localhost:8501/My_Portfolios?lang=en") == "http://localhost:8501"
    assert app_root("http://localhost:8501/My_Portfolios/") == "http://localhost:8501"
    assert app_root("https://host/base/My_Portfolios") == "https://host/base"
    assert app_root("http://localhost:8501/") == "http://localhost:8501"
    assert snapshot_link("TOK", "http://h:1/My_Portfolios?lang=en") == "http://h:1/?snapshot=TOK"
    assert snapshot_link("TOK", "") == "/?snapshot=TOK"
