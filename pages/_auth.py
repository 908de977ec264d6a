"""Who is using the dashboard and what they may do.

Why: every page must know the signed-in user's name (for the audit log) and role
(viewer, editor, admin) on the plan it shows before showing anything. A role is held
per plan (a grant) or on every plan (the programme office's all-plans role); a user
sees only the plans they hold a role on. `dashboard.py` calls `signed_in_user()`
before building the navigation, then narrows the user to the chosen plan
(`User.on_plan`); when it returns None the script stops after the sign-in form, so
nothing of any plan reaches the page.

Modes (WORKPLAN_AUTH):
- `none`, the local default: everyone is the local admin, with a visible
  "local mode, no sign-in" note; refused when the server listens on a
  non-loopback address.
- `password`: a sign-in form checked against bcrypt hashes in the store, with a
  back-off after repeated failures (analytics/auth.py) and a sign-out button.
- `oidc`: Streamlit's `st.login` with the `[auth]` section of secrets.toml; the
  email the provider returns is mapped to a role in the users table; an email
  without an account gets no access. The language chosen before the round trip to the
  provider is kept by the browser tab (`pages._i18n.language_memory`).
Roles are read from the store on every run, so a change on the Accounts page or with
`workplan user grant|revoke|remove` takes effect at the user's next click.
"""

from __future__ import annotations

import getpass
import re
from dataclasses import dataclass, replace
from urllib.parse import urlparse

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from analytics import auth
from analytics.plans import list_plans
from analytics.settings import Settings
from analytics.store import Store
from analytics.upload_gate import allow_uploads
from analytics.writes import audit
from pages._i18n import _, current_language, language_memory, language_picker

ROLES = auth.ROLES
_SESSION_USER = "auth_user_name"        # password mode: the signed-in name
_SESSION_CURRENT = "user"               # every mode: the User of this run, for pages
_LOOPBACK = ("127.0.0.1", "localhost", "::1")
_URL_PATH = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
LANGUAGE_WIDTH = 240                    # px: the sign-in page's language choice, not full width


@dataclass(frozen=True)
class User:
    """A signed-in person: their role on every plan (None: only grants), their role on each
    plan they may see, and the plan this run is about (None before the picker chose one)."""

    name: str
    everywhere: str | None = None
    roles: tuple[tuple[int, str], ...] = ()
    plan_id: int | None = None

    @property
    def role(self) -> str | None:
        """The role on the chosen plan (before one is chosen, or with no plan at all: the
        all-plans role, which lets an all-plans editor load a new store's first sheet)."""
        return self.everywhere if self.plan_id is None else self.role_on(self.plan_id)

    def role_on(self, plan_id: int) -> str | None:
        return dict(self.roles).get(plan_id)

    def sees(self, plan_id: int) -> bool:
        return self.role_on(plan_id) is not None

    def on_plan(self, plan_id: int | None) -> User:
        """The same user, about that plan."""
        return replace(self, plan_id=plan_id)

    def can(self, action: str) -> bool:
        """view, export, upload, revert or manage_users (analytics.auth.PERMISSIONS), on the
        chosen plan."""
        return auth.can(self.role, action)

    def can_somewhere(self, action: str) -> bool:
        """May do `action` on at least one plan (or on every plan)."""
        return auth.can(self.everywhere, action) or any(auth.can(r, action) for _, r in self.roles)

    @property
    def can_upload(self) -> bool:
        return self.can("upload")

    @property
    def can_revert(self) -> bool:
        return self.can("revert")

    @property
    def can_export(self) -> bool:
        return self.can("export")


def signed_in_user(store: Store, settings: Settings) -> User | None:
    """The current user, or None after rendering the sign-in form or a refusal."""
    modes = {"none": _local_user, "password": _password_user, "oidc": _oidc_user}
    if settings.auth not in modes:
        st.error(_("WORKPLAN_AUTH must be one of {modes}; nothing is shown until it is.")
                 .format(modes=", ".join(modes)))
        user = None
    else:
        user = modes[settings.auth](store)
    st.session_state[_SESSION_CURRENT] = user
    _gate_uploads(user)
    if user is None:
        _signed_out_navigation()
    return user


def _gate_uploads(user: User | None) -> None:
    """Tell server.py's gate whether this browser session may send files."""
    context = get_script_run_ctx()
    if context is not None:
        allow_uploads(context.session_id, user is not None and user.can_somewhere("upload"))


def _signed_out_navigation() -> None:
    """Register hidden, empty pages while nobody is signed in: the sidebar lists none.

    dashboard.py stops before its own `st.navigation` call; without one, Streamlit
    would fall back to listing and serving every `pages/*.py` file. The requested page's URL (a deep link such as /upload) is kept as a second
    empty page, so the visitor gets the sign-in form instead of "page not found",
    and lands on that page after signing in if their role allows it.
    """
    pages = [st.Page(_nothing, title=_("Sign in"), url_path="sign-in", default=True)]
    wanted = _requested_page()
    if wanted and wanted != "sign-in":
        pages.append(st.Page(_nothing_yet, title=_("Sign in"), url_path=wanted))
    st.navigation(pages, position="hidden")


def _requested_page() -> str | None:
    """The last path segment of the browser's URL, when it can be a page's url_path."""
    try:
        path = urlparse(st.context.url or "").path
    except Exception:  # no browser context (bare script runs)
        return None
    segment = path.rstrip("/").rsplit("/", 1)[-1]
    return segment if _URL_PATH.match(segment) else None


def _nothing() -> None:
    """The signed-out page: the sign-in form is already drawn by `signed_in_user`."""


def _nothing_yet() -> None:
    """The signed-out stand-in for a deep-linked page."""


def page_guard() -> None:
    """Never let a page file run without dashboard.py's sign-in: rerun through dashboard.py
    when Streamlit ran a page file on its own.

    Until the first `st.navigation` call of a process, Streamlit treats the `pages/` folder
    as a legacy multipage app and runs a requested page file directly, skipping dashboard.py
    and its sign-in. server.py switches that mode off at import, before the first session;
    AppTest (which runs dashboard.py, not server.py) turns it on again before each run. This
    check switches it off and reruns, so the rerun goes through dashboard.py. Called by
    dashboard.py first, and by `pages._shared.current_context` (before a page reads any
    figure); never from a widget callback (a rerun there would cancel the callback).
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def remember_user(user: User) -> User:
    """Keep the user, narrowed to the chosen plan, for this run's pages (`current_user`)."""
    st.session_state[_SESSION_CURRENT] = user
    return user


def role_name(role: str | None) -> str:
    """'viewer' as the view's language writes it ('lecteur'); an unknown code as it is."""
    return auth.role_name(role, current_language())


def current_user() -> User | None:
    """The user `signed_in_user` found in this session (None before sign-in)."""
    return st.session_state.get(_SESSION_CURRENT)


def require(action: str) -> User:
    """The current user if their role allows `action`; otherwise stop the page here."""
    user = current_user()
    if user is None or not user.can(action):
        st.error(_("Your role does not allow this page."))
        st.stop()
    return user


# -- mode none ---------------------------------------------------------------

def _local_user(store: Store) -> User | None:
    address = st.get_option("server.address")
    if address and address not in _LOOPBACK:
        st.error(_("Local mode (WORKPLAN_AUTH=none) only serves 127.0.0.1; set "
                   "WORKPLAN_AUTH=password or oidc to serve other machines."))
        return None
    st.sidebar.caption(_("Local mode, no sign-in."))
    return User(_local_name(), "admin", tuple((p.id, "admin") for p in list_plans(store)))


def _local_name() -> str:
    try:
        return f"local:{getpass.getuser()}"
    except Exception:
        return "local"


# -- mode password -----------------------------------------------------------

def _password_user(store: Store) -> User | None:
    name = st.session_state.get(_SESSION_USER)
    account = auth.find_user(store, name) if name else None
    if account is not None and account.has_password:
        user = _user(store, account.name, account.role)
        _signed_in_sidebar(store, user, on_sign_out=lambda: st.session_state.pop(_SESSION_USER, None))
        return user
    st.session_state.pop(_SESSION_USER, None)
    _sign_in_form(store)
    return None


def _sign_in_heading(memory: str | None = None) -> None:
    """The top of a sign-in page: the language choice, then the title.

    The sidebar's choice comes after sign-in, too late for an official who reads French: here
    it translates the page at once, and stays in the URL (?lang=) and the session through the
    password sign-in. oidc's round trip to the provider comes back without either: `memory`
    (pages._i18n.language_memory) keeps it in the browser tab instead.
    """
    choice = st.container(width=LANGUAGE_WIDTH)
    language_picker(choice)
    if memory:
        choice.html(memory, unsafe_allow_javascript=True)
    st.title(_("Work-Plan Pulse"))


def _sign_in_form(store: Store) -> None:
    _sign_in_heading()
    st.write(_("Sign in to see the work plan."))   # not st.caption: faded until the style arrives
    with st.form("sign_in_form", clear_on_submit=True):
        name = st.text_input(_("User name"), key="sign_in_name", autocomplete="username")
        password = st.text_input(_("Password"), type="password", key="sign_in_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button(_("Sign in"))
    if not submitted:
        return
    result = auth.authenticate(store, name or "", password or "", lang=current_language())
    if result.ok:
        st.session_state[_SESSION_USER] = result.account.name
        st.rerun()
    st.error(result.message)


def _signed_in_sidebar(store: Store, user: User, on_sign_out) -> None:
    st.sidebar.text(_("Signed in as {name}").format(name=user.name))
    if st.sidebar.button(_("Sign out"), key="sign_out"):
        audit(store, user.name, "sign_out")
        on_sign_out()
        st.session_state[_SESSION_CURRENT] = None
        st.rerun()


# -- mode oidc ---------------------------------------------------------------

def _oidc_user(store: Store) -> User | None:
    if not _has_auth_secrets():
        st.error(_("Sign-in mode oidc needs an [auth] section in .streamlit/secrets.toml "
                   "(see .streamlit/secrets.toml.example)."))
        return None
    memory = language_memory()
    if not st.user.get("is_logged_in"):
        _sign_in_heading(memory)
        st.caption(_("Sign in with your organisation's account to see the work plan."))
        if st.button(_("Sign in"), key="oidc_sign_in"):
            st.login()
        return None
    email = st.user.get("email")
    account = (auth.find_user(store, email)
               if email and st.user.get("email_verified") is not False else None)
    user = _user(store, account.name, account.role) if account else None
    if user is None or not (user.everywhere or user.roles):     # no account, or no role left
        st.error(_("This account has no access to the dashboard; ask an administrator to add "
                   "it with `workplan user add EMAIL --role viewer`."))
        st.html(memory, unsafe_allow_javascript=True)
        shown = email or _("(no email from the identity provider)")
        st.text(_("Signed in as: {email}").format(email=shown))
        if st.button(_("Sign out"), key="oidc_sign_out_refused"):
            st.logout()
        return None
    if st.session_state.get("auth_oidc_audited") != user.name:
        audit(store, user.name, "sign_in", "oidc")
        st.session_state["auth_oidc_audited"] = user.name
    st.sidebar.html(memory, unsafe_allow_javascript=True)
    _signed_in_sidebar(store, user, on_sign_out=st.logout)
    return user


def _user(store: Store, name: str, everywhere: str | None) -> User:
    """The account's roles as read from the store now (analytics.auth.plan_roles)."""
    return User(name, everywhere, tuple(sorted(auth.plan_roles(store, name).items())))


def _has_auth_secrets() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all
        return False
