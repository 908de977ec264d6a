"""Upload a status sheet: choose kind and file, correct the column mapping, preview, commit.

The mapping names each field in words ("% complete"), the preview ends with the first rows
as they will be stored, and a disabled Commit button says why it is off.

Why: the monthly sheets arrive from agencies in every shape, one per party; an
editor says which party a status sheet is from, and must see what the file will change and every problem (row and column) before anything is
written. All reading, checking and writing is `analytics.ingest`; this page only
draws widgets and results. File text (names, notes, headers) is shown through
st.dataframe / st.text only. Registered in `dashboard.py` for editors and admins.
"""

from __future__ import annotations

import logging
from dataclasses import replace

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from analytics.errors import WorkplanError
from analytics.i18n import N_
from analytics.ingest import (
    KINDS,
    ReadOptions,
    commit_parsed,
    preview_upload,
    read_upload,
    sheet_names,
)
from analytics.ingest.headers import REQUIRED, SYNONYMS, field_label
from analytics.ingest.issues import ERROR_HEADINGS, errors_by_field, errors_csv
from analytics.ingest.messages import message_in
from analytics.ingest.preview import TABLE_LABELS, parsed_rows
from analytics.ingest.readiness import commit_readiness
from analytics.ingest.templates import template_bytes
from analytics.plans import plan_parties
from analytics.settings import Settings
from pages._i18n import _, current_language
from pages._shared import get_store, md_escape, store_plans, target_plan
from pages._tables import show_table
from pages._uploader import file_uploader

# Choices are kept as their English words (the values the code and the tests compare) and
# shown in the view's language by a format_func (`words_of`).
DELIMITERS = {N_("Detect"): None, N_("Comma ,"): ",", N_("Semicolon ;"): ";", N_("Tab"): "\t",
              N_("Pipe |"): "|"}
DATE_ORDERS = {N_("Detect (day-first when ambiguous)"): "auto",
               N_("Day-first (31/10/2026)"): "day-first",
               N_("Month-first (10/31/2026)"): "month-first"}
KIND_NAMES = {"items": N_("items"), "milestones": N_("milestones"), "updates": N_("updates")}
LOG = logging.getLogger("workplan.upload")
NONE = N_("(not in the file)")
OWN_PARTY_COLUMN = N_("Each row's own party column")
OUTCOMES = {"committed": N_("Committed."),
            "partial": N_("Committed the valid rows; the others are kept as rejects."),
            "duplicate": N_("Already imported: nothing was written."),
            "refused": N_("Refused: nothing was written.")}
NOTHING_WRITTEN = N_("Nothing was written.")     # any other outcome
# (preview attribute, table caption); the English caption also names the table's key.
PREVIEW_TABLES = (("new_keys", N_("New")), ("date_changes", N_("Due date changes")),
                  ("regressions", N_("Regressions")), ("jumps", N_("Jumps over 50 points")),
                  ("health_changes", N_("Health changes")))


def words_of(*marked: str):
    """A format_func showing the `marked` English choices in the view's language and any
    other choice (a party, a file's header) as it is. The language is taken now: Streamlit's
    AppTest calls a format_func outside the script run, where the session is not known."""
    shown = {choice: _(choice) for choice in marked}
    return lambda choice: shown.get(choice, choice)


def kind_names() -> dict[str, str]:
    """Each kind of sheet as the view's language writes it ('updates': 'mises à jour');
    English shows the code."""
    return {kind: _(name) for kind, name in KIND_NAMES.items()}


def current_user(store):
    user = st.session_state.get("user")
    if user is None:
        from pages._auth import signed_in_user
        user = signed_in_user(store, Settings.from_env())
    return user


def sheet_party(store, plan_id: int, kind: str) -> str | None:
    """Which party an updates sheet is from (None: each row's own party column)."""
    if kind != "updates":
        return None
    choice = st.selectbox(
        _("The sheet is from"), [OWN_PARTY_COLUMN, *plan_parties(store, plan_id)], key="upload_party",
        format_func=words_of(OWN_PARTY_COLUMN),
        help=_("Rows that name a party in their own party column keep it. Other rows get this "
               "party; without one, a row gets its item's lead party, and a joint item's row is "
               "refused until it says which party reports it."))
    return None if choice == OWN_PARTY_COLUMN else choice


def options_from_widgets(data: bytes, filename: str, party: str | None) -> ReadOptions:
    sheet = None
    if filename.lower().endswith(".xlsx"):
        sheet = st.selectbox(_("Sheet"), sheet_names(data, filename), key="upload_sheet")
    cols = st.columns(3)
    delimiter = cols[0].selectbox(_("Delimiter"), list(DELIMITERS), key="upload_delimiter",
                                  format_func=words_of(*DELIMITERS))
    order = cols[1].radio(_("Slash dates"), list(DATE_ORDERS), key="upload_date_order",
                          format_func=words_of(*DATE_ORDERS))
    fractions = cols[2].checkbox(_("Percent values are fractions (0.45 = 45%)"),
                                 key="upload_fractions")
    return ReadOptions(sheet=sheet, delimiter=DELIMITERS[delimiter], date_order=DATE_ORDERS[order],
                       fractions=fractions, party=party)


def corrected_mapping(parsed, kind: str) -> dict[str, str | None]:
    """One selectbox per field ("% complete"), pre-filled from the detected mapping."""
    st.subheader(_("Columns"))
    choices = [NONE, *[h for h in parsed.headers if h]]
    chosen, lang = {}, current_language()
    cols = st.columns(3)
    for i, column in enumerate(SYNONYMS[kind]):
        detected = parsed.mapping.get(column)
        index = choices.index(detected) if detected in choices else 0
        pick = cols[i % 3].selectbox(
            field_label(column, lang), choices, index=index, key=f"map_{kind}_{column}_{parsed.sha256[:8]}",
            format_func=words_of(NONE),
            help=_("Required.") if column in REQUIRED[kind] else _("Optional."))
        chosen[column] = None if pick == NONE else pick
    return chosen


def table(frame: pd.DataFrame, key: str | None = None, labels: dict | None = None) -> None:
    """A preview table, its columns in the frame's order, headed in words."""
    show_table(frame, key=key, first=(), labels=labels or TABLE_LABELS)


def show_preview(store, parsed) -> None:
    st.subheader(_("Preview"))
    preview, lang = preview_upload(store, parsed), current_language()
    st.text("\n".join(preview.summary_lines(lang)))
    if parsed.warnings:
        warnings = [message_in(warning, lang) for warning in parsed.warnings]
        table(pd.DataFrame({"warning": warnings}), key="upload_warnings",
              labels={"warning": _("Warning")})
    if len(parsed.errors):
        table(errors_by_field(parsed.errors, parsed.mapping, lang), key="upload_errors",
              labels=ERROR_HEADINGS)
        st.download_button(_("Download errors as CSV"), errors_csv(parsed.errors),
                           file_name=f"errors_{parsed.filename}.csv", mime="text/csv", key="errors_csv")
    for attribute, title in PREVIEW_TABLES:
        frame = getattr(preview, attribute)
        if frame is not None and len(frame):
            st.caption(_(title))
            table(frame, key=f"upload_{title.lower().replace(' ', '_')}")
    rows = parsed_rows(parsed, lang=lang)
    if rows is not None and len(rows):
        st.caption(_("The first {n} row(s) as they will be stored").format(n=len(rows)))
        table(rows, key="upload_parsed_rows")


def commit_buttons(store, parsed, user) -> None:
    ready = commit_readiness(parsed, store, current_language())
    cols = st.columns([1, 2, 4] if ready.commit_valid else [1, 6], vertical_alignment="center")
    full = cols[0].button(_("Commit"), type="primary", disabled=not ready.commit, key="commit")
    partial = ready.commit_valid and cols[1].button(
        _("Commit valid rows only ({n})").format(n=ready.valid_rows), key="commit_valid")
    if ready.reason or ready.note:
        cols[-1].caption(ready.reason or ready.note)
    if full or partial:
        result = commit_parsed(store, parsed, by=user.name, skip_invalid=bool(partial))
        st.session_state["upload_result"] = (result.outcome, result.message)
        if result.written:                      # a fresh uploader for the next sheet
            st.session_state["upload_generation"] = st.session_state.get("upload_generation", 0) + 1
        st.rerun()


def last_result() -> None:
    """What the last commit did, once, above the uploader."""
    if "upload_result" not in st.session_state:
        return
    outcome, message = st.session_state.pop("upload_result")
    {"committed": st.success, "partial": st.warning, "duplicate": st.info}.get(
        outcome, st.error)(_(OUTCOMES.get(outcome, NOTHING_WRITTEN)), icon=None)
    st.text(message_in(message, current_language()))
    if outcome in ("committed", "partial"):
        try:
            st.page_link("pages/uploads.py",
                         label=_("See it in the upload history (and revert it there)"),
                         icon=":material/history:")
        except StreamlitPageNotFoundError:      # the page run on its own, outside st.navigation
            st.caption(_("See it in Upload history (and revert it there)."))


def main() -> None:
    store = get_store()
    plan = target_plan(store)
    st.title(_("Upload a status sheet"))
    if plan is not None and store_plans(store):
        st.caption(_("To plan {code} · {title}").format(code=plan.code,
                                                         title=md_escape(plan.title)))
    user = current_user(store)
    if user is None or plan is None or not user.can_upload:
        st.error(_("Uploading needs the editor or admin role on this plan."))
        st.stop()
    last_result()
    names = kind_names()
    kind = st.selectbox(_("The sheet holds"), KINDS, key="upload_kind",
                        format_func=lambda code: names.get(code, code))
    party = sheet_party(store, plan.id, kind)
    cols = st.columns(2)
    for col, fmt in zip(cols, ("csv", "xlsx"), strict=True):
        col.download_button(_("{kind} template (.{fmt})").format(kind=names.get(kind, kind), fmt=fmt),
                            template_bytes(kind, fmt, store, plan.id),
                            file_name=f"{kind}_template.{fmt}", key=f"template_{fmt}")
    upload = file_uploader(_("Sheet (.csv, .tsv, .txt or .xlsx)"), ["csv", "tsv", "txt", "xlsx"],
                           key=f"upload_file_{st.session_state.get('upload_generation', 0)}")
    if upload is None:
        return
    data = upload.getvalue()
    try:
        options = replace(options_from_widgets(data, upload.name, party), plan_id=plan.id)
        parsed = read_upload(data, upload.name, kind, options, store=store)
        mapping = corrected_mapping(parsed, kind)
        if mapping != {c: parsed.mapping.get(c) for c in mapping}:
            options.mapping = mapping
            parsed = read_upload(data, upload.name, kind, options, store=store)
    except WorkplanError as exc:
        st.error(_("The file cannot be imported."))
        st.text(message_in(str(exc), current_language()))
        return
    except Exception:                 # never "This app has encountered an error" for a file
        LOG.exception("checking an upload failed")
        st.error(_("The file could not be checked (an unexpected problem, logged for the "
                   "administrator); nothing was written. Save it again as CSV UTF-8 or .xlsx."))
        return
    show_preview(store, parsed)
    commit_buttons(store, parsed, user)


main()
