"""`workplan metrics` against a second, independent re-computation written from the issue text.

Why: managers act on these numbers, and the check that matters is a re-computation by
someone else. This reference is plain Python over the raw tables (no SQL windows, no
pandas), written separately from analytics/metrics and from tests/metrics_reference.py;
random plans (ties on as_of, reverted uploads, zero weights, due = start, updates after
the as-of date, moved milestones) are compared through the CLI's CSV, every column.
"""

import csv
import io
import math
import random
from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from analytics.cli import main
from analytics.store import open_store
from analytics.writes import UploadMeta, commit_upload, revert_upload

COLS = ["group", "items", "weight", "actual_pct", "planned_pct", "variance_pp", "spi_t", "sv_t_days",
        "forecast_finish", "planned_finish", "health", "green", "amber", "red", "complete",
        "not_started", "overdue", "stale", "milestones", "milestones_done", "milestones_overdue",
        "milestones_slipped"]   # then "reason"


def P(s, e, t):
    if t <= s:
        return 0.0
    if t >= e:
        return 100.0
    return 100.0 * (t - s).days / (e - s).days


def Pf(s, e, x):  # x in fractional days from epoch
    if x <= s:
        return 0.0
    if x >= e:
        return 100.0
    return 100.0 * (x - s) / (e - s)


def make_plan(rng, store):
    base = date(2026, 1, 1)
    items = []
    for i in range(rng.randint(1, 25)):
        s = base + timedelta(days=rng.randint(0, 200))
        e = s + timedelta(days=rng.choice([0, 1, 30, 90, 200, 365]))
        items.append({"item_id": f"I{i}", "domain": rng.choice(["D1", "D2", "D3"]), "title": f"t{i}",
                      "lead_party": rng.choice(["India", "Canada", "Joint"]),
                      "owner": rng.choice(["o1", "o2"]), "start_date": s, "due_date": e,
                      "weight": rng.choice([0, 1, 1, 2, 3.5]), "description": None})
    meta = lambda k: UploadMeta(kind=k, filename="x", uploaded_by="t", uploaded_at=datetime(2026, 1, 1))  # noqa: E731
    commit_upload(store, pd.DataFrame(items), meta("items"))
    ms = []
    for it in items:
        for j in range(rng.randint(0, 2)):
            due = it["start_date"] + timedelta(days=rng.randint(0, 300))
            comp = due + timedelta(days=rng.randint(-20, 40)) if rng.random() < 0.5 else None
            ms.append({"milestone_id": f"{it['item_id']}-M{j}", "item_id": it["item_id"], "title": "m",
                       "due_date": due, "completed_date": comp, "baseline_date": None})
    if ms:
        commit_upload(store, pd.DataFrame(ms), meta("milestones"))
        moved = [dict(m, due_date=m["due_date"] + timedelta(days=rng.randint(-10, 30))) for m in ms if rng.random() < 0.4]
        if moved:
            commit_upload(store, pd.DataFrame(moved), meta("milestones"))
    uploads = []
    for _ in range(rng.randint(1, 5)):
        rows = {}
        for it in items:
            for _k in range(rng.randint(0, 3)):
                a = base + timedelta(days=rng.randint(0, 400))
                party = rng.choice(["India", "Canada"])
                rows[(it["item_id"], a, party)] = {"item_id": it["item_id"], "as_of": a,
                                            "percent_complete": rng.choice([0, 10, 33.3, 50, 75, 99.5, 100]),
                                            "status": rng.choice(["green", "amber", "red", "complete", "not_started"]),
                                            "note": "n", "reported_by": None, "party": party}
        if rows:
            uid = commit_upload(store, pd.DataFrame(list(rows.values())), meta("updates"))
            uploads.append(uid)
    if uploads and rng.random() < 0.5:
        revert_upload(store, rng.choice(uploads), by="t")
    return items


def expected(store, D, by):
    cur = store.cursor()
    items = cur.execute("SELECT item_id, domain, lead_party, owner, start_date, due_date, weight FROM work_items").fetchall()
    ups = cur.execute("SELECT s.item_id, s.as_of, s.percent_complete, s.upload_id, s.row_number, s.party "
                      "FROM status_updates s JOIN uploads u ON u.id=s.upload_id WHERE u.reverted_at IS NULL").fetchall()
    ms = cur.execute("SELECT item_id, due_date, baseline_date, completed_date FROM milestones").fetchall()
    lead_of = {row[0]: row[2] for row in items}
    # each party's latest report as of D: greatest as_of, then upload, then row
    by_party = {}
    for iid, a, pct, uid, rn, party in ups:
        if a > D:
            continue
        k = (a, uid, rn or 0)
        key = (iid, party or "")
        if key not in by_party or k > by_party[key][0]:
            by_party[key] = (k, pct, a, party)
    latest = {}
    for (iid, _), (k, pct, a, party) in by_party.items():
        latest.setdefault(iid, []).append((k, pct, a, party))
    counted = {}
    for iid, reports in latest.items():
        if lead_of[iid] == "Joint":    # the less advanced party; equal percents: the latest
            best = min(reports, key=lambda r: (r[1], [-x for x in (r[0][0].toordinal(), r[0][1], r[0][2])]))
        else:                          # the latest; on a shared date the lead party's
            newest = max(r[2] for r in reports)
            same_day = [r for r in reports if r[2] == newest]
            lead = [r for r in same_day if r[3] == lead_of[iid]]
            best = max(lead or same_day, key=lambda r: r[0])
        counted[iid] = (best[1], max(r[2] for r in reports))
    per = {}
    for iid, dom, lp, own, s, e, w in items:
        A = counted[iid][0] if iid in counted else 0.0
        last = counted[iid][1] if iid in counted else None
        p = P(s, e, D)
        var = A - p
        stale = s <= D and A < 100 and (last is None or (D - last).days > 45)
        overdue = D > e and A < 100
        if A >= 100:
            h = "complete"
        elif D < s and A == 0:
            h = "not_started"
        elif overdue or var <= -25:
            h = "red"
        elif var <= -10 or stale:
            h = "amber"
        else:
            h = "green"
        group = {"domain": dom, "party": lp, "owner": own, "item": iid, "overall": "Overall"}[by]
        per[iid] = dict(group=group, A=A, P=p, w=w, s=s, e=e, h=h, stale=stale, overdue=overdue)
    mstat = {}
    for iid, due, bl, comp in ms:
        done = comp is not None and comp <= D
        od = not done and due < D
        slip = ((comp if done else due) - bl).days > 0
        m = mstat.setdefault(iid, [0, 0, 0, 0])
        m[0] += 1
        m[1] += done
        m[2] += od
        m[3] += slip
    out = {}
    groups = sorted({v["group"] for v in per.values()})
    for g in groups:
        its = [v for v in per.values() if v["group"] == g]
        iids = [k for k, v in per.items() if v["group"] == g]
        W = sum(v["w"] for v in its)
        row = {"group": g, "items": len(its), "weight": W}
        if W > 0:
            act = sum(v["w"] * v["A"] for v in its) / W
            pln = sum(v["w"] * v["P"] for v in its) / W
            var = act - pln
        else:
            act = pln = var = None
        S = min(v["s"] for v in its)
        F = max(v["e"] for v in its)
        row.update(actual_pct=act, planned_pct=pln, variance_pp=var, planned_finish=F.isoformat())
        spi = sv = ff = None
        AT = (D - S).days
        if act is not None and AT > 0:
            if act == 0:
                ES = 0.0
            else:
                o = S.toordinal()
                pts = sorted({v["s"].toordinal() - o for v in its} | {v["e"].toordinal() - o for v in its} | {0})

                def PV(x, its=its, o=o, W=W):
                    return sum(v["w"] * Pf(v["s"].toordinal() - o, v["e"].toordinal() - o, x) for v in its) / W
                ES = None
                prev = 0.0
                for x in pts:
                    if PV(x) >= act - 1e-12:
                        lo, hi = prev, x
                        # PV linear on (lo, hi]; jumps possible at lo (due==start items) -> handle
                        plo = PV(lo + 1e-9) if hi > lo else PV(hi)
                        if plo >= act:
                            ES = lo
                        else:
                            phi = PV(hi)
                            ES = lo + (act - plo) * (hi - lo) / (phi - plo) if phi > plo else hi
                        break
                    prev = x
                if ES is None:
                    ES = pts[-1]
            spi = ES / AT
            sv = ES - AT
            if spi and act < 100:
                ff = (S + timedelta(days=round((F - S).days / spi))).isoformat()
        row.update(spi_t=spi, sv_t_days=sv, forecast_finish=ff)
        red_ids = sorted((k for k, v in per.items() if v["group"] == g and v["h"] == "red"),
                         key=lambda k: (per[k]["A"] - per[k]["P"], k))   # furthest behind first
        red_weight = sum(per[k]["w"] for k in red_ids)
        gh, why = group_verdict(act, var, spi, D < S, W, red_weight, red_ids, S, F, ff)
        row["reason"] = why
        row["health"] = gh
        for h in ["green", "amber", "red", "complete", "not_started"]:
            row[h] = sum(v["h"] == h for v in its)
        row["overdue"] = sum(v["overdue"] for v in its)
        row["stale"] = sum(v["stale"] for v in its)
        m = [sum(mstat.get(i, [0] * 4)[k] for i in iids) for k in range(4)]
        row.update(milestones=m[0], milestones_done=m[1], milestones_overdue=m[2], milestones_slipped=m[3])
        out[str(g)] = row
    return out


def group_verdict(act, var, spi, before, W, red_weight, red_ids, S, F, ff):
    """The group rule of the issue (first match) and its reason, written from its text."""
    named = ", ".join(red_ids[:5]) + (f" and {len(red_ids) - 5} more" if len(red_ids) > 5 else "")

    def pp(x):
        r = round(-x, 1)
        return f"{r:.0f}" if r == round(r) else f"{r:.1f}"

    def sched():
        if ff is None:
            return f"schedule efficiency {spi:.2f} (no forecast: nothing earned yet)"
        late = (date.fromisoformat(ff) - F).days
        n = abs(late)
        when = "on time" if late == 0 else f"{n} day{'s' * (n != 1)} {'late' if late > 0 else 'early'}"
        return f"schedule efficiency {spi:.2f} (forecast {ff}, {when})"

    if act is not None and act >= 100:
        return "complete", "complete: every weighted item is complete"
    if before:
        return "not_started", f"not_started: starts on {S.isoformat()}"
    red = []
    if var is not None and var <= -25:
        red.append(f"{pp(var)} pp behind plan")
    if spi is not None and spi < 0.80:
        red.append(sched())
    if W > 0 and red_weight / W >= 0.25:
        red.append(f"red items carry {red_weight / W:.0%} of the weight ({named})")
    if act is not None and red:
        return "red", "red: " + "; ".join(red)
    amber = []
    if var is not None and var <= -10:
        amber.append(f"{pp(var)} pp behind plan")
    if spi is not None and spi < 0.95:
        amber.append(sched())
    if red_ids:
        amber.append(f"{len(red_ids)} red item{'s' * (len(red_ids) != 1)} ({named})")
    if amber:
        return "amber", "amber: " + "; ".join(amber)
    if act is None:
        return None, "no weighted items: figures undefined"
    misses = []
    if var is not None and var < 0:
        misses.append((var / -10, f"{pp(var)} pp behind plan, within the amber threshold of 10 pp"))
    if spi is not None and spi < 1:
        misses.append(((1 - spi) / 0.05, f"{sched()}, above the amber threshold of 0.95"))
    return "green", "green: " + (max(misses, key=lambda m: m[0])[1] if misses else "on plan")


def close(a, b):
    if a in ("", None) and b in ("", None):
        return True
    if a in ("", None) or b in ("", None):
        return False
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-6)
    except ValueError:
        return str(a) == str(b)



@pytest.mark.parametrize("seed", range(6))
def test_cli_csv_equals_the_independent_reference(seed, db_path, capsys):
    rng = random.Random(seed)
    with open_store(db_path) as store:
        make_plan(rng, store)
        as_of = date(2026, 1, 1) + timedelta(days=rng.randint(-30, 500))
        expected_rows = {by: expected(store, as_of, by)
                         for by in ["domain", "party", "owner", "item", "overall"]}
    for by, expected_by_group in expected_rows.items():
        capsys.readouterr()
        assert main(["--db", str(db_path), "metrics", "--as-of", as_of.isoformat(),
                     "--by", by, "--format", "csv"]) == 0
        text = capsys.readouterr().out
        assert text.splitlines()[0].split(",")[: len(COLS)] == COLS
        got = {row["group"]: row for row in csv.DictReader(io.StringIO(text))}
        assert set(got) == set(expected_by_group)
        for group, want in expected_by_group.items():
            for column in COLS + ["reason"]:
                assert close(got[group][column], want[column]), (by, group, column,
                                                                 got[group][column], want[column])
