"""WCAG 2.1 AA on every page, checked by axe-core in the real page.

Why: government software is held to WCAG 2.1 AA, and a page that fails it is unusable by part
of its readers. axe-core (npm, `make install-test` runs `npm ci`) is injected into the page
Chromium shows (`page.add_script_tag`) and run with the WCAG 2.0/2.1 A and AA rules on every
page of the navigation, signed out (the sign-in page), as a viewer, an editor and the local
admin, on the two demo plans (so the Portfolio compares two), and on each step of an upload
(file chosen and its columns to map, the preview, after the commit).

A serious or critical violation fails the test unless it is one of STREAMLIT_EXCEPTIONS: a rule
that fails only inside one of Streamlit's own elements, named by the element it must be inside
and the Streamlit issue that tracks it. The same rule failing on any other node (our content)
still fails the test (`test_the_sign_in_page_and_every_viewer_page` checks that on a probe).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

from analytics.sample import load_demo
from analytics.store import open_store

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
PASSWORD = "correct horse battery"
NAV_LINK = '[data-testid="stSidebarNav"] a'


@dataclass(frozen=True)
class StreamlitException:
    """An axe rule excused on nodes inside one Streamlit element (`inside`, a CSS selector),
    until the Streamlit issue `issue` is fixed."""

    rule: str
    inside: str
    issue: str
    why: str


# The ONE list of axe failures excused because they are inside Streamlit's own elements.
STREAMLIT_EXCEPTIONS = (
    StreamlitException(
        "list", '[data-testid="stSidebarNavItems"]',
        "https://github.com/streamlit/streamlit/issues/8399",
        "st.navigation with sections draws each section as a <div> (header and its <li>s) "
        "directly inside the sidebar's <ul>; the issue tracks Streamlit's page structure for "
        "assistive technology"),
    StreamlitException(
        "listitem", '[data-testid="stSidebarNavItems"]',
        "https://github.com/streamlit/streamlit/issues/8399",
        "the same markup seen from the <li>s: their parent is the section <div>, not a list"),
)

# Run axe on the page; every node of every violation, with the index of the exception that
# excuses it (-1: ours). `elementRef` lets the check ask the node itself where it is.
RUN_AXE = """async ([tags, exceptions]) => {
    const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                            resultTypes: ['violations'], elementRef: true});
    return result.violations.flatMap(v => v.nodes.map(n => ({
        rule: v.id, impact: n.impact || v.impact || '', help: v.help,
        target: n.target.join(' '), html: n.html.slice(0, 160),
        excused_by: exceptions.findIndex(e => e.rule === v.id && n.element
                                               && n.element.closest(e.inside) !== null),
    })));
}"""

# The Streamlit script has finished, nothing on the page is stale, every Plotly chart is drawn,
# and (when given) the main area's first heading is `title`.
SETTLED = """(title) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testScriptState !== 'notRunning') return false;
    if (document.querySelector('[data-stale="true"]')) return false;
    const styled = [...document.querySelectorAll('style')]
        .some(style => style.textContent.includes('Work-Plan Pulse: the few style rules'));
    if (!styled) return false;   // assets/accessibility.css arrives after the first elements
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    if (!charts.every(chart => chart.querySelector('.main-svg'))) return false;
    if (!title) return true;
    const heading = document.querySelector('[data-testid="stMain"] h1');
    return heading !== null && heading.innerText.trim() === title;
}"""


def settled(page, title: str | None = None, timeout: float = 60_000) -> None:
    """Wait until the script is done and the page drawn (on the page titled `title`)."""
    page.wait_for_function(SETTLED, arg=title, timeout=timeout, polling=100)


def axe_violations(page) -> list[dict]:
    """Every node axe finds failing a WCAG 2.0/2.1 A or AA rule on the page as it is."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))   # once per document: Streamlit navigates in place
    exceptions = [asdict(e) for e in STREAMLIT_EXCEPTIONS]
    return page.evaluate(RUN_AXE, [WCAG_AA, exceptions])


def ours(violations: list[dict]) -> list[dict]:
    """The serious or critical violations not excused as Streamlit's own."""
    return [v for v in violations if v["impact"] in BLOCKING and v["excused_by"] < 0]


def summary(found: dict[str, list[dict]]) -> str:
    """One line per failing node: where, rule, impact, target and axe's help."""
    lines = [f"{where}: {v['rule']} ({v['impact']}) at {v['target']}: {v['help']}\n    {v['html']}"
             for where, violations in found.items() for v in violations]
    return "\n".join(["Serious or critical WCAG 2.1 AA violations in our content:", *lines])


def assert_no_blocking(found: dict[str, list[dict]]) -> None:
    failing = {where: ours(violations) for where, violations in found.items()}
    failing = {where: violations for where, violations in failing.items() if violations}
    assert not failing, summary(failing)


def nav_titles(page) -> list[str]:
    """The navigation's page titles, in order (each link's label)."""
    page.locator(NAV_LINK).first.wait_for(timeout=60_000)
    return page.eval_on_selector_all(f"{NAV_LINK} span[label]",
                                     "labels => labels.map(l => l.getAttribute('label'))")


def open_from_nav(page, title: str) -> None:
    """Open a page by its navigation link (same session: a URL would be a new one) and wait."""
    page.locator(NAV_LINK).filter(has_text=title).first.click()
    try:
        settled(page, title)
    except Exception as exc:
        state = page.evaluate("""() => [document.querySelector('[data-testid="stApp"]')
            .dataset.testScriptState, (document.querySelector('[data-testid="stMain"] h1') || {})
            .innerText, document.querySelectorAll('[data-stale="true"]').length,
            [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
              .filter(c => !c.querySelector('.main-svg')).length]""")
        raise AssertionError(f"{title!r} did not settle: script, h1, stale, undrawn charts = "
                             f"{state}") from exc


def every_page(page, role: str) -> dict[str, list[dict]]:
    """axe's findings on each page of the navigation, opened in turn in this session."""
    found = {}
    for title in nav_titles(page):
        open_from_nav(page, title)
        found[f"{role} · {title}"] = axe_violations(page)
    return found


def sign_in(page, name: str) -> None:
    page.get_by_role("textbox", name="User name").fill(name)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign in").wait_for(state="detached", timeout=60_000)
    page.locator(NAV_LINK).first.wait_for(timeout=60_000)
    settled(page)


@pytest.fixture(scope="module")
def demo_db_file(tmp_path_factory) -> Path:
    """The two demo plans (IC and CE) with a viewer and an editor of both, built once."""
    path = tmp_path_factory.mktemp("a11y") / "demo.duckdb"
    with open_store(path) as store:
        load_demo(store)
        store.cursor().execute("CHECKPOINT")
    for name, role in (("vera", "viewer"), ("eddie", "editor")):
        subprocess.run([sys.executable, "-m", "analytics", "--db", str(path), "user", "add", name,
                        "--role", role, "--password-stdin"], input=f"{PASSWORD}\n", text=True,
                       check=True, cwd=ROOT, capture_output=True)
    return path


@pytest.fixture
def demo_db(demo_db_file, tmp_path) -> Path:
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_file, path)
    return path


def new_page(browser):
    return browser.new_context(viewport={"width": 1366, "height": 768}).new_page()


def test_axe_core_is_installed():
    assert AXE.is_file(), "axe-core is missing: run `make install-test` (it runs `npm ci`)"


def test_the_sign_in_page_and_every_viewer_page(start_server, demo_db, browser):
    url = start_server(demo_db, WORKPLAN_AUTH="password")
    page = new_page(browser)
    page.goto(url)
    page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
    settled(page)
    found = {"signed out · sign-in page": axe_violations(page)}
    sign_in(page, "vera")
    found |= every_page(page, "viewer")
    assert {"viewer · Portfolio", "viewer · Overview"} <= set(found)
    assert not any("Upload a status sheet" in where for where in found)   # not a viewer's page
    assert_no_blocking(found)

    # An excused rule on a node of ours is not excused: a list holding a <div>, in the main area.
    page.evaluate("""() => document.querySelector('[data-testid="stMain"]').insertAdjacentHTML(
        'beforeend', '<ul id="a11y-probe"><div>not a list item</div></ul>')""")
    probe = [v for v in ours(axe_violations(page)) if "a11y-probe" in v["target"]]
    assert [v["rule"] for v in probe] == ["list"], probe
    page.context.close()


def pick(page, key: str, option: str) -> None:
    """Choose `option` in the selectbox whose widget key starts with `key`."""
    combo = page.locator(f'[class*="st-key-{key}"] input')
    combo.click()
    combo.fill(option)                           # the list filtered to the option: pick it
    page.get_by_role("option", name=option, exact=True).click()
    settled(page)


def test_every_editor_page_and_each_step_of_an_upload(start_server, demo_db, browser, tmp_path):
    sheet = tmp_path / "canada-2026-11.csv"      # "done so far" is no known header: map it
    sheet.write_text("item_id,as_of,done so far,status,note\n"
                     "CIS-03,2026-11-30,100,complete,Indicator exchange automated\n")
    url = start_server(demo_db, WORKPLAN_AUTH="password")
    page = new_page(browser)
    page.goto(url)
    page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
    sign_in(page, "eddie")
    found = every_page(page, "editor")
    assert "editor · Upload a status sheet" in found

    open_from_nav(page, "Upload a status sheet")
    pick(page, "upload_kind", "updates")
    pick(page, "upload_party", "Canada")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(sheet))
    page.get_by_text("1 row(s) read, 0 valid, 1 error(s).").wait_for(timeout=60_000)
    settled(page)
    found["upload · file chosen, a column to map"] = axe_violations(page)
    pick(page, "map_updates_percent_complete_", "done so far")
    page.get_by_text("1 row(s) read, 1 valid, 0 error(s).").wait_for(timeout=60_000)
    settled(page)
    found["upload · mapped, preview"] = axe_violations(page)
    page.locator(".st-key-commit button").click()
    page.get_by_text("Committed.").wait_for(timeout=60_000)
    settled(page)
    found["upload · after commit"] = axe_violations(page)
    assert_no_blocking(found)
    page.context.close()


def test_every_page_of_the_local_admin(start_server, demo_db, browser):
    url = start_server(demo_db)                  # local mode: the local admin, no sign-in
    page = new_page(browser)
    page.goto(url)
    settled(page, "Portfolio")                   # first when more than one plan is seen
    found = every_page(page, "admin")
    assert {"admin · Contacts", "admin · Accounts", "admin · Portfolio"} <= set(found)
    assert_no_blocking(found)
    page.context.close()


def test_every_page_in_french(start_server, demo_db, browser):
    """The same rules on every page of the French interface (other words, other lengths, the
    uploader's French drawn by our style, <html lang="fr">)."""
    url = start_server(demo_db)
    page = new_page(browser)
    page.goto(f"{url}/?lang=fr")
    settled(page, "Portefeuille")
    assert page.evaluate("() => document.documentElement.lang") == "fr"
    found = every_page(page, "admin (fr)")
    assert {"admin (fr) · Personnes-ressources", "admin (fr) · Téléverser une fiche d'état"} <= set(found)
    assert_no_blocking(found)
    page.context.close()
