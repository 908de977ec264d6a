"""The view follows new data: a default as-of date moves to the new "data current to" date
after a commit or a revert, on every page at once; a chosen date stays, under a banner.

Runs dashboard.py with AppTest on a private copy of the sample plan and commits through
the real upload page (pages/upload.py) and uploads history (pages/uploads.py).
"""

from __future__ import annotations

from datetime import date

from pages._shared import ASOF_KEY

NEXT_SHEET = (b"item_id,as_of,percent_complete,status,note,reported_by,party\n"
              b"LO-03,2026-11-30,100,complete,Officer posted,MHA desk,India\n")
BANNER = "Viewing the plan as of 2026-10-31. Data current to 2026-11-24."


def markdown_text(at) -> str:
    return " ".join(element.value for element in at.markdown)


def commit_sheet(at, data: bytes = NEXT_SHEET) -> None:
    """Upload and commit an updates sheet on the upload page of this session."""
    at.switch_page("pages/upload.py").run()
    at.selectbox(key="upload_kind").select("updates").run()
    generation = at.session_state["upload_generation"] if "upload_generation" in at.session_state else 0
    at.file_uploader(key=f"upload_file_{generation}").set_value(("nov.csv", data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="commit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success and at.success[0].value == "Committed."


def test_a_default_as_of_follows_a_commit_on_every_page(sample_db, dashboard_app, shown):
    at = dashboard_app(sample_db)
    at.run()
    assert at.date_input(key=ASOF_KEY).value == date(2026, 11, 24)
    commit_sheet(at)
    assert at.date_input(key=ASOF_KEY).value == date(2026, 11, 30)   # the upload page itself
    for page in ("pages/overview.py", "pages/domain.py", "pages/items.py"):
        at.switch_page(page).run()
        shown(at)
        assert at.date_input(key=ASOF_KEY).value == date(2026, 11, 30), page
        assert any("Data current to 2026-11-30" in c.value for c in at.caption)
        assert "Viewing the plan as of" not in markdown_text(at)     # no banner: it is the latest
    assert ASOF_KEY not in at.query_params


def test_a_default_as_of_follows_a_revert_back(sample_db, dashboard_app):
    at = dashboard_app(sample_db)
    at.run()
    commit_sheet(at)
    at.switch_page("pages/uploads.py").run()
    at.checkbox(key="revert_confirm").check().run()
    at.button(key="revert_button").click().run()
    assert not at.exception
    at.switch_page("pages/overview.py").run()
    assert at.date_input(key=ASOF_KEY).value == date(2026, 11, 24)


def test_a_chosen_date_stays_after_a_commit_and_the_banner_says_so(sample_db, dashboard_app):
    at = dashboard_app(sample_db)
    at.run()
    at.date_input(key=ASOF_KEY).set_value(date(2026, 10, 31)).run()
    assert BANNER in markdown_text(at)
    commit_sheet(at)
    at.switch_page("pages/overview.py").run()
    assert at.date_input(key=ASOF_KEY).value == date(2026, 10, 31)
    assert ("Viewing the plan as of 2026-10-31. Data current to 2026-11-30."
            in markdown_text(at))
    assert at.query_params[ASOF_KEY] == "2026-10-31"


def test_a_date_from_the_url_stays_and_the_banner_returns_to_the_latest(sample_db, dashboard_app):
    at = dashboard_app(sample_db)
    at.query_params[ASOF_KEY] = "2026-10-31"
    at.run()
    assert at.date_input(key=ASOF_KEY).value == date(2026, 10, 31)
    assert BANNER in markdown_text(at)
    at.switch_page("pages/milestones.py").run()
    assert BANNER in markdown_text(at)                               # every page shows it
    at.button(key="as_of_latest").click().run()
    assert not at.exception
    assert at.date_input(key=ASOF_KEY).value == date(2026, 11, 24)
    assert "Viewing the plan as of" not in markdown_text(at)
    assert ASOF_KEY not in at.query_params
    commit_sheet(at)                                                 # following again
    assert at.date_input(key=ASOF_KEY).value == date(2026, 11, 30)
