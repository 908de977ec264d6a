"""Plans in one store do not see each other: over random two-plan stores whose plans use the same
item, milestone and domain names, every figure of plan A equals the figure computed on a store
holding plan A alone, its upload list and rejected rows are its own, and a revert scoped to A
refuses an upload of B.

Each example builds both stores through `analytics.writes` (the path real uploads take), with
the two plans' uploads interleaved in a random order, so A's upload ids differ between the
stores (the only thing allowed to differ; ids are mapped before comparing) and B may be the
first plan of the store.
"""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.context import ViewContext
from analytics.errors import WorkplanError
from analytics.ingest.history import rejected_rows, uploads_frame
from analytics.metrics import (
    GROUPINGS,
    compare_dates,
    group_metrics,
    item_metrics,
    milestone_metrics,
    update_history,
)
from analytics.plans import add_plan
from analytics.store import open_store
from analytics.writes import UploadMeta, commit_upload, revert_upload

D0 = date(2026, 1, 1)
T0 = datetime(2026, 1, 1, 9)
ITEM_IDS = ("X-1", "X-2", "X-3")              # the same pool in both plans
_files = itertools.count()


def day(n: int) -> date:
    return D0 + timedelta(days=n)


@st.composite
def plans(draw) -> dict:
    """One plan's uploads: an items sheet, then reports and milestones on its items, and
    maybe a revert of one of them. X-1 is in every plan, so the two plans always share it."""
    ids = ["X-1"] + draw(st.lists(st.sampled_from(ITEM_IDS[1:]), unique=True))
    items = []
    for item_id in ids:
        start = draw(st.integers(0, 200))
        items.append({"item_id": item_id, "domain": draw(st.sampled_from(["Fraud", "Cyber"])),
                      "title": f"Item {item_id}", "owner": draw(st.sampled_from(["O1", "O2"])),
                      "lead_party": draw(st.sampled_from(["India", "Canada", "Joint"])),
                      "start_date": day(start), "due_date": day(start + draw(st.integers(0, 300))),
                      "weight": draw(st.sampled_from([0.0, 1.0, 2.5])), "description": None})
    leads = {item["item_id"]: item["lead_party"] for item in items}
    report = st.builds(dict, item_id=st.sampled_from(ids), as_of=st.integers(0, 330).map(day),
                       percent_complete=st.integers(0, 100).map(float),
                       status=st.sampled_from(["green", "amber", "red", "complete"]),
                       note=st.sampled_from([None, "on track", "late"]),
                       party=st.sampled_from(["India", "Canada"]))
    uploads = [("items", items)]
    for _ in range(draw(st.integers(0, 3))):
        rows = draw(st.lists(report, min_size=1, max_size=4))
        uploads.append(("updates", [{**r, "reported_by": "r", "party": r["party"]
                                     if leads[r["item_id"]] == "Joint" else leads[r["item_id"]]}
                                    for r in rows]))
    milestone = st.builds(dict, item_id=st.sampled_from(ids), n=st.integers(1, 2),
                          due=st.integers(0, 330), done=st.none() | st.integers(0, 330))
    for _ in range(draw(st.integers(0, 2))):
        rows = draw(st.lists(milestone, min_size=1, max_size=3, unique_by=lambda m: (m["item_id"], m["n"])))
        uploads.append(("milestones", [
            {"milestone_id": f"{m['item_id']}-M{m['n']}", "item_id": m["item_id"],
             "title": f"M{m['n']}", "due_date": day(m["due"]),
             "completed_date": None if m["done"] is None else day(m["done"]), "baseline_date": None}
            for m in rows]))
    revert = draw(st.none() | st.integers(0, len(uploads) - 1))
    return {"uploads": uploads, "revert": revert}


def write(store, plan, n: int, kind: str, rows: list[dict]) -> int:
    """The plan's n-th upload (its time fixed by n, so both stores record the same)."""
    rejects = [{"row_number": 90 + n, "column_name": "status", "message": "not a status",
                "raw": f"upload {n}"}] if kind == "updates" else []
    meta = UploadMeta(kind, f"{kind}-{n}.csv", "tester", uploaded_at=T0 + timedelta(hours=n),
                      rejects=rejects, plan_id=plan.id)
    return commit_upload(store, pd.DataFrame(rows), meta)


def build(path, specs: dict[str, dict], order: list[str]) -> tuple:
    """A store holding the plans of `specs` (created in dict order), their uploads written in
    `order` (a plan's code per upload); returns the store, the plans and each plan's upload ids
    in its own order (reverts last)."""
    store = open_store(path)
    made = {code: add_plan(store, code, title=f"Plan {code}", by="t") for code in specs}
    ids: dict[str, list[int]] = {code: [] for code in specs}
    for code in order:
        kind, rows = specs[code]["uploads"][len(ids[code])]
        ids[code].append(write(store, made[code], len(ids[code]), kind, rows))
    for code, spec in specs.items():
        if spec["revert"] is not None:
            ids[code].append(revert_upload(store, ids[code][spec["revert"]], by="t",
                                           plan_id=made[code].id))
    return store, made, ids


def mapped(frame: pd.DataFrame, ids: dict[int, int], columns=("upload_id",)) -> pd.DataFrame:
    """The frame with the upload ids of one store written as those of the other."""
    out = frame.copy()
    for column in columns:
        out[column] = out[column].map(lambda v: ids.get(v, v)).astype(frame[column].dtype)
    return out


def comparable_uploads(frame: pd.DataFrame, ids: dict[int, int]) -> pd.DataFrame:
    """uploads_frame with ids (also inside a revert's file name and message) mapped; a revert's
    time is the clock's, so only whether an upload was reverted is kept."""
    def text(value: str) -> str:
        return re.sub(r"upload (\d+)", lambda m: f"upload {ids.get(int(m.group(1)), m.group(1))}",
                      value)
    out = mapped(frame, ids, ("id",))
    out["file"], out["message"] = out["file"].map(text), out["message"].map(text)
    out["reverted"] = out["reverted"] != ""
    out.loc[out["kind"] == "revert", "at"] = ""
    return out.reset_index(drop=True)


def figures(store, ctx: ViewContext, since: date) -> dict[str, pd.DataFrame]:
    found = {"items": item_metrics(store, ctx), "milestones": milestone_metrics(store, ctx),
             "history": update_history(store, ctx)}
    found.update({f"group-{by}": group_metrics(store, ctx, by) for by in GROUPINGS})
    comparison = compare_dates(store, ctx, since)
    found.update({f"compare-{name}": getattr(comparison, name) for name in (
        "health_changes", "progress_deltas", "milestones_done", "milestones_slipped",
        "newly_overdue", "new_notes")})
    return found


@settings(max_examples=15)
@given(a=plans(), b=plans(), b_first=st.booleans(), data=st.data(),
       as_of=st.integers(30, 360), back=st.integers(1, 120))
def test_another_plan_in_the_store_changes_nothing_of_a_plan(tmp_path, a, b, b_first, data,
                                                               as_of, back):
    order = data.draw(st.permutations(["A"] * len(a["uploads"]) + ["B"] * len(b["uploads"])))
    both, plans_ab, ab_ids = build(tmp_path / f"ab{next(_files)}.duckdb",
                                   {"B": b, "A": a} if b_first else {"A": a, "B": b}, order)
    alone, plans_a, a_ids = build(tmp_path / f"a{next(_files)}.duckdb", {"A": a},
                                  ["A"] * len(a["uploads"]))
    try:
        assert plans_ab["A"].id == (2 if b_first else 1) and plans_a["A"].id == 1
        to_alone = dict(zip(ab_ids["A"], a_ids["A"], strict=True))
        ctx_ab = ViewContext(as_of=day(as_of), plan=plans_ab["A"])
        ctx_a = ViewContext(as_of=day(as_of), plan=plans_a["A"])
        got, want = figures(both, ctx_ab, day(as_of - back)), figures(alone, ctx_a, day(as_of - back))
        got["history"] = mapped(got["history"], to_alone)
        for name in want:
            pd.testing.assert_frame_equal(got[name], want[name], obj=name)

        listed = uploads_frame(both, plans_ab["A"].id)
        assert sorted(listed["id"]) == sorted(ab_ids["A"])
        pd.testing.assert_frame_equal(comparable_uploads(listed, to_alone),
                                      comparable_uploads(uploads_frame(alone, 1), {}))
        for theirs in ab_ids["B"]:
            assert rejected_rows(both, plans_ab["A"].id, theirs).empty
        for mine in ab_ids["A"]:
            pd.testing.assert_frame_equal(rejected_rows(both, plans_ab["A"].id, mine),
                                          rejected_rows(alone, 1, to_alone[mine]))

        b_upload = ab_ids["B"][0]                         # B's items sheet, never a revert
        state = both.query_df("SELECT * FROM uploads ORDER BY id")
        with pytest.raises(WorkplanError, match=f"no upload {b_upload} in this plan"):
            revert_upload(both, b_upload, by="t", plan_id=plans_ab["A"].id)
        pd.testing.assert_frame_equal(both.query_df("SELECT * FROM uploads ORDER BY id"), state)
        assert sorted(uploads_frame(both, plans_ab["A"].id)["id"]) == sorted(ab_ids["A"])
        pd.testing.assert_frame_equal(item_metrics(both, ctx_ab), want["items"])
    finally:
        both.close()
        alone.close()
