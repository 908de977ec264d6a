"""Roles per plan in the app (AppTest of dashboard.py, password mode).

A viewer of one plan sees that plan only: no picker, no Portfolio, nothing of the other plan
by URL (`?plan=CE` shows their own plan and names no other); an all-plans admin gets the
picker, the Portfolio first, and every plan; an editor of one plan and viewer of another
may upload to the first only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics import auth
from analytics.plans import plan_by_code
from analytics.sample import load_demo
from analytics.store import open_store

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def two_plan_file(tmp_path_factory) -> Path:
    """The two demo plans (IC and CE) and three accounts."""
    path = tmp_path_factory.mktemp("roles") / "roles.duckdb"
    with open_store(path) as store:
        load_demo(store)
        ic, ce = plan_by_code(store, "IC"), plan_by_code(store, "CE")
        auth.add_user(store, "vera", "viewer", PASSWORD, by="test", plan_id=ic.id)
        auth.add_user(store, "boss", "admin", PASSWORD, by="test")
        auth.add_user(store, "mixed", "editor", PASSWORD, by="test", plan_id=ic.id)
        auth.grant(store, "mixed", "viewer", plan_id=ce.id, by="test")
        store.cursor().execute("CHECKPOINT")
    return path


@pytest.fixture
def roles_db(two_plan_file, tmp_path, monkeypatch) -> Path:
    path = tmp_path / "roles.duckdb"
    path.write_bytes(two_plan_file.read_bytes())
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    monkeypatch.setenv("WORKPLAN_DB", str(path))
    monkeypatch.setenv("WORKPLAN_AUTH", "password")
    return path


def signed_in(name: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="sign_in_password").input(PASSWORD)
    at = at.form_submit_button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def everything_shown(at: AppTest) -> str:
    """Every text the run put on the page or in the sidebar (protos as text)."""
    texts = [str(node.proto) for node in at.main] + [str(node.proto) for node in at.sidebar]
    return json.dumps(texts).replace("\\", "")          # markdown escapes (India\-Canada)


def test_a_viewer_of_one_plan_sees_that_plan_only(roles_db):
    at = signed_in("vera")
    shown = everything_shown(at)
    assert "India-Canada" in shown and "Canada-EU" not in shown and "clean energy" not in shown
    assert not [s for s in at.selectbox if s.label == "Plan"]          # one plan: no picker
    assert "Your role on IC: viewer" in [c.value for c in at.sidebar.caption]


def test_a_viewer_gets_nothing_of_another_plan_by_url(roles_db):
    at = signed_in("vera", plan="CE")
    shown = everything_shown(at)
    assert "Canada-EU" not in shown and "clean energy" not in shown
    assert any("names a plan you cannot open" in w.value for w in at.sidebar.warning)
    assert at.query_params["plan"] == "IC"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/portfolio.py")       # one plan: the Portfolio is not even served


def test_an_all_plans_admin_gets_the_picker_and_the_portfolio_first(roles_db):
    at = signed_in("boss")
    picker = next(s for s in at.selectbox if s.label == "Plan")
    assert picker.options == ["IC · India-Canada shared work plan on security and "
                              "law-enforcement cooperation",
                              "CE · Canada-EU clean energy and critical minerals work plan"]
    assert at.title[0].value == "Portfolio"
    shown = everything_shown(at)
    assert "India-Canada" in shown and "Canada-EU" in shown
    picker.select("CE").run()
    assert at.query_params["plan"] == "CE"
    assert "Your role on CE: admin" in [c.value for c in at.sidebar.caption]


def test_the_role_follows_the_plan(roles_db):
    at = signed_in("mixed", plan="IC")
    assert "Your role on IC: editor" in [c.value for c in at.sidebar.caption]
    at.switch_page("pages/upload.py").run()
    assert not at.exception and at.title[0].value == "Upload a status sheet"
    assert any(c.value.startswith("To plan IC") for c in at.caption)
    at = signed_in("mixed", plan="CE")
    assert "Your role on CE: viewer" in [c.value for c in at.sidebar.caption]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/upload.py")           # a viewer of CE is offered no upload page


def test_the_accounts_page_is_offered_to_admins_only(roles_db):
    at = signed_in("boss")
    at.switch_page("pages/accounts.py").run()
    assert not at.exception and at.title[0].value == "Accounts"
    shown = everything_shown(at)
    assert "vera" in shown and "mixed" in shown
    at = signed_in("vera")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/accounts.py")
