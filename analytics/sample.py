"""The sample plan: a deterministic, seeded India-Canada security work plan.

Why: a manager who clones the project must see a realistic dashboard at once,
and tests need a plan with every situation the metrics handle: items ahead and
behind, complete, stale, not started, moved milestones, re-planned due dates and
joint items whose parties disagree. It is modelled on the shared work plan on
security and law-enforcement cooperation agreed by India and Canada in February
2026 (see shared/seeds). Every value comes from `random.Random(SEED)`, never the
clock, so two runs give the same database.

Called by `workplan demo` and `make run` (through the CLI), and by test fixtures.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from dataclasses import replace as replace_meta
from datetime import date, datetime, timedelta

import pandas as pd

from analytics.errors import WorkplanError
from analytics.plans import PLAN_TABLES, Plan, write_plan
from analytics.store import Store, bump_data_version
from analytics.writes import UploadMeta, write_upload

SEED = 42
PLAN_CODE = "IC"
PLAN_TITLE = "India-Canada shared work plan on security and law-enforcement cooperation"
AGREED = date(2026, 2, 7)
REPORT_MONTHS = range(2, 12)            # February .. November 2026
PARTIES = ("India", "Canada")
REPORT_DAY = {"India": 20, "Canada": 24}

DOMAINS = [
    ("Liaison officers", "Security and law-enforcement liaison officers posted in each capital."),
    ("Illicit drugs and fentanyl precursors", "Disrupting the illegal flow of drugs, particularly fentanyl precursors."),
    ("Transnational organised crime", "Joint work against transnational organised criminal networks."),
    ("Cybersecurity policy", "Formalising cooperation on cybersecurity policy."),
    ("Cyber information sharing", "Timely information sharing on cybersecurity issues."),
    ("Fraud", "Cooperation on fraud, consistent with domestic laws."),
    ("Immigration enforcement", "Cooperation on immigration enforcement, within international obligations."),
]

OWNERS = {
    "India": ["Ministry of Home Affairs", "Narcotics Control Bureau", "National Investigation Agency",
              "Central Bureau of Investigation", "CERT-In", "Indian Cyber Crime Coordination Centre",
              "Bureau of Immigration", "Ministry of External Affairs"],
    "Canada": ["Public Safety Canada", "RCMP Federal Policing", "Canada Border Services Agency",
               "Canadian Centre for Cyber Security", "Health Canada", "FINTRAC",
               "Canadian Anti-Fraud Centre", "Immigration, Refugees and Citizenship Canada"],
}

# (domain index, title, lead party) -- 56 commitments.
ITEMS = [
    (0, "Nominate security and law-enforcement liaison officers", "Joint"),
    (0, "Agree liaison officers' terms of reference", "Joint"),
    (0, "Post Indian liaison officer to Ottawa", "India"),
    (0, "Post Canadian liaison officer to New Delhi", "Canada"),
    (0, "Establish a secure liaison communications channel", "Joint"),
    (0, "Set up a quarterly liaison coordination meeting", "Joint"),
    (0, "Train liaison officers on each other's legal frameworks", "Canada"),
    (0, "Publish a single points-of-contact directory", "India"),
    (1, "Exchange lists of controlled fentanyl precursor chemicals", "Joint"),
    (1, "Joint analysis of precursor diversion routes", "Joint"),
    (1, "Align export-notification procedures for precursors", "India"),
    (1, "Pilot pre-export notification checks with chemical exporters", "India"),
    (1, "Share forensic drug-profiling results", "Canada"),
    (1, "Joint training on clandestine laboratory detection", "Canada"),
    (1, "Port-of-entry targeting of precursor shipments", "Canada"),
    (1, "Industry outreach to chemical brokers", "India"),
    (2, "Map transnational criminal networks of mutual concern", "Joint"),
    (2, "Agree a protocol for joint investigations", "Joint"),
    (2, "Streamline mutual legal assistance requests", "India"),
    (2, "Exchange data on extortion and targeted-violence cases", "Canada"),
    (2, "Share financial intelligence on organised-crime proceeds", "Canada"),
    (2, "Coordinate on firearms trafficking cases", "Canada"),
    (2, "Joint workshop on gang recruitment online", "India"),
    (2, "Review extradition case backlog", "Joint"),
    (3, "Draft a memorandum on cybersecurity policy cooperation", "Joint"),
    (3, "Hold a cyber policy dialogue", "Joint"),
    (3, "Align on critical-infrastructure protection principles", "Canada"),
    (3, "Exchange national cybersecurity strategies", "India"),
    (3, "Joint position paper on ransomware", "Canada"),
    (3, "Cyber capacity-building programme for officials", "India"),
    (3, "Agree norms for responsible state behaviour in cyberspace", "Joint"),
    (3, "Cooperate on post-quantum cryptography migration", "Canada"),
    (4, "Set up a CERT-to-CERT information sharing arrangement", "Joint"),
    (4, "Agree a traffic-light protocol for shared indicators", "Joint"),
    (4, "Automate threat-indicator exchange", "Canada"),
    (4, "Joint incident-response exercise", "Joint"),
    (4, "Share vulnerability disclosures affecting both countries", "India"),
    (4, "Quarterly threat landscape briefing", "India"),
    (4, "Establish a 24/7 cyber incident contact point", "Canada"),
    (4, "Joint analysis of botnet infrastructure", "India"),
    (5, "Exchange typologies of cross-border telecom fraud", "Joint"),
    (5, "Coordinate takedowns of fraudulent call centres", "India"),
    (5, "Share data on fraud targeting seniors", "Canada"),
    (5, "Agree a channel for urgent fraud-victim fund recovery", "Joint"),
    (5, "Joint awareness campaign for diaspora communities", "Canada"),
    (5, "Cooperate on cryptocurrency investment scams", "India"),
    (5, "Share mule-account intelligence with financial regulators", "Canada"),
    (5, "Study of student-visa and education-agent fraud", "Joint"),
    (6, "Agree an information-sharing protocol on immigration violations", "Joint"),
    (6, "Coordinate removals in line with international obligations", "Canada"),
    (6, "Verify travel documents through a secure channel", "India"),
    (6, "Joint study on human-smuggling routes", "Joint"),
    (6, "Exchange watch-list procedures consistent with domestic law", "Canada"),
    (6, "Training on document-fraud detection at ports of entry", "India"),
    (6, "Review of visa-overstay data", "Canada"),
    (6, "Biometric information exchange pilot", "Joint"),
]
DOMAIN_CODES = ["LO", "DRG", "TOC", "CYP", "CIS", "FRD", "IMM"]

# Profiles: (share of items, progress rate relative to plan).
PROFILES = [("ahead", 1.2), ("on_track", 1.0), ("on_track", 1.0), ("slipping", 0.8),
            ("behind", 0.55), ("on_track", 1.0), ("ahead", 1.1)]

NOTES = {
    "good": ["Work proceeding to plan.", "Drafts exchanged; comments received from counterparts.",
             "Working-level call held; next steps agreed.", "Officials met in Ottawa; actions on track.",
             "Inter-agency consultation completed.", "Pilot results shared with the other side."],
    "slow": ["Awaiting legal review of the text.", "Delayed by inter-departmental consultation.",
             "Waiting on security clearances for nominated officers.",
             "Counterpart availability limited this month.", "Scope under discussion; dates may move.",
             "Resourcing gap after staff rotation."],
    "done": ["Completed and signed off by both sides.", "Deliverable handed over; item closed."],
}


@dataclass(frozen=True)
class SamplePlan:
    """The sample plan as the uploads that would have built it, in order."""

    uploads: list[tuple[UploadMeta, pd.DataFrame]]


def _month_end(year: int, month: int) -> date:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _planned(start: date, due: date, t: date) -> float:
    if t <= start:
        return 0.0
    if t >= due:
        return 100.0
    return 100.0 * (t - start).days / (due - start).days


def _items(rng: random.Random) -> pd.DataFrame:
    rows = []
    counters: dict[int, int] = {}
    for domain_index, title, lead in ITEMS:
        counters[domain_index] = counters.get(domain_index, 0) + 1
        item_id = f"{DOMAIN_CODES[domain_index]}-{counters[domain_index]:02d}"
        start = AGREED + timedelta(days=rng.choice([2, 9, 23, 37, 51, 65, 86, 120]))
        if rng.random() < 0.04:
            start = date(2027, 1, rng.choice([11, 18, 25]))       # not started yet
        due = start + timedelta(days=rng.choice([120, 150, 180, 240, 300, 365]))
        party = lead if lead != "Joint" else rng.choice(["India", "Canada"])
        rows.append({
            "item_id": item_id, "domain": DOMAINS[domain_index][0], "title": title,
            "lead_party": lead, "owner": rng.choice(OWNERS[party]),
            "start_date": start, "due_date": due,
            "weight": rng.choice([1, 1, 1, 2, 2, 3]),
            "description": f"{title} ({lead.lower()} lead), agreed at the February 2026 dialogue.",
        })
    return pd.DataFrame(rows)


def _progress_paths(items: pd.DataFrame, rng: random.Random) -> dict[str, dict]:
    """Per item: profile, rate, last reporting month and the party reports."""
    paths = {}
    long_running = items[(items.start_date < date(2026, 5, 1)) & (items.due_date > date(2027, 1, 31))]
    stale = set(rng.sample(sorted(long_running.item_id), 2))      # two items stop reporting
    for row in items.itertuples():
        profile, rate = rng.choice(PROFILES)
        last_month = 11
        if row.item_id in stale:
            profile, rate, last_month = "stale", 0.8, rng.choice([7, 8])
        elif rng.random() < 0.08:
            profile, rate = "fast", 2.2
        paths[row.item_id] = {"profile": profile, "rate": rate, "last_month": last_month,
                              "optimist": rng.random() < 0.2, "cautious": rng.random() < 0.35}
    return paths


def _status(actual: float, planned: float, bias: int) -> str:
    """The RAG a reporter would give: bias +1 reports a notch greener, -1 a notch redder."""
    if actual >= 100:
        return "complete"
    if actual == 0 and planned == 0:
        return "not_started"
    gap = actual - planned
    scale = ["red", "amber", "green"]
    rank = 2 if gap > -10 else 1 if gap > -25 else 0
    return scale[min(2, max(0, rank + bias))]


def _updates(items: pd.DataFrame, paths: dict, rng: random.Random) -> list[tuple[str, int, pd.DataFrame]]:
    """(party, month, frame) of every monthly status sheet."""
    sheets = []
    reached: dict[tuple[str, str], float] = {}
    for month in REPORT_MONTHS:
        for party in PARTIES:
            as_of = date(2026, month, REPORT_DAY[party])
            rows = []
            for item in items.itertuples():
                path = paths[item.item_id]
                reports = item.lead_party in (party, "Joint")
                if not reports or as_of < item.start_date or month > path["last_month"]:
                    continue
                key = (item.item_id, party)
                if reached.get(key, 0) >= 100:
                    continue
                planned = _planned(item.start_date, item.due_date, as_of)
                # Slow items keep working past their due date and finish late.
                elapsed = 100.0 * (as_of - item.start_date).days / max(1, (item.due_date - item.start_date).days)
                noise = rng.uniform(-4, 4)
                actual = min(100.0, max(reached.get(key, 0.0), round((elapsed * path["rate"] + noise) / 5) * 5))
                actual = max(0.0, actual)
                reached[key] = actual
                joint = item.lead_party == "Joint"
                optimist = path["optimist"] or (joint and party == "India" and path["rate"] < 1.0)
                cautious = joint and party == "Canada" and path["cautious"]
                status = _status(actual, planned, int(optimist) - int(cautious))
                mood = "done" if actual >= 100 else "slow" if status in ("amber", "red") or path["rate"] < 0.9 else "good"
                rows.append({"item_id": item.item_id, "as_of": as_of, "percent_complete": actual,
                             "status": status, "note": rng.choice(NOTES[mood]),
                             "reported_by": f"{item.owner if party in (item.lead_party,) else party + ' desk'}",
                             "party": party})
            if rows:
                sheets.append((party, month, pd.DataFrame(rows)))
    return sheets


def _milestones(items: pd.DataFrame, paths: dict, rng: random.Random, as_of: date
                ) -> list[pd.DataFrame]:
    """Four versions of the milestone list: February, June, September and November 2026."""
    base = []
    for item in items.itertuples():
        span = (item.due_date - item.start_date).days
        for n, (fraction, label) in enumerate([(0.3, "Scoping agreed"), (0.7, "Draft delivered"),
                                               (1.0, "Sign-off")][: rng.choice([1, 2, 3])], 1):
            due = item.start_date + timedelta(days=round(span * fraction))
            base.append({"milestone_id": f"{item.item_id}-M{n}", "item_id": item.item_id,
                         "title": f"{label}: {item.title.lower()}", "due_date": due,
                         "completed_date": None, "baseline_date": None, "fraction": fraction})
    versions = []
    for cut in (date(2026, 2, 16), date(2026, 6, 15), date(2026, 9, 15), date(2026, 11, 16)):
        rows = []
        for m in base:
            path = paths[m["item_id"]]
            row = dict(m)
            slipping = path["rate"] < 0.9 and rng.random() < 0.5
            if cut > date(2026, 3, 1) and slipping and m["due_date"] > cut:
                m["due_date"] = m["due_date"] + timedelta(days=rng.choice([21, 30, 45]))
                row["due_date"] = m["due_date"]
            item = items.set_index("item_id").loc[m["item_id"]]
            # A milestone is done when the item's progress reaches its share of the work.
            span = (item.due_date - item.start_date).days
            reached_on = item.start_date + timedelta(days=round(span * m["fraction"] / path["rate"]))
            done_by = reached_on + timedelta(days=rng.choice([-6, -2, 0, 3, 8]))
            if done_by <= min(cut, as_of) and path["profile"] != "stale":
                row["completed_date"] = done_by
            rows.append(row)
        versions.append(pd.DataFrame(rows).drop(columns="fraction"))
    return versions


def sample_plan() -> SamplePlan:
    """Every upload that builds the sample plan, deterministic for a given SEED."""
    rng = random.Random(SEED)
    items = _items(rng)
    paths = _progress_paths(items, rng)
    # A re-plan in June: two slipping items get a later due date (the first stays the baseline).
    replanned = items.copy()
    for item_id in [i for i, p in paths.items() if p["rate"] < 0.7][:2]:
        replanned.loc[replanned.item_id == item_id, "due_date"] += timedelta(days=60)
    sheets = _updates(items, paths, rng)
    milestone_versions = _milestones(items, paths, rng, date(2026, 11, 24))
    uploads = [(_meta("items", "workplan-2026-02.csv", datetime(2026, 2, 9, 10), items), items)]
    for cut, frame in zip(("2026-02", "2026-06", "2026-09", "2026-11"), milestone_versions,
                          strict=True):
        at = datetime.fromisoformat(f"{cut}-16T10:00:00")
        uploads.append((_meta("milestones", f"milestones-{cut}.csv", at, frame), frame))
    for party, month, frame in sheets:
        at = datetime(2026, month, REPORT_DAY[party] + 1, 9)
        if month == 6 and party == "India":
            uploads.append((_meta("items", "workplan-2026-06-replan.csv", at, replanned), replanned))
        name = f"{party.lower()}-status-2026-{month:02d}.csv"
        uploads.append((_meta("updates", name, at, frame), frame))
    return SamplePlan(uploads=uploads)


def _meta(kind: str, filename: str, at: datetime, frame: pd.DataFrame) -> UploadMeta:
    digest = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
    return UploadMeta(kind=kind, filename=filename, uploaded_by="sample data", sha256=digest,
                      uploaded_at=at, message="sample plan")


def load_demo(store: Store, *, replace: bool = False) -> list[Plan]:
    """Every sample plan (`workplan demo`, `make run`), each in its own transaction."""
    return [load_sample(store, replace=replace)]


def load_sample(store: Store, *, replace: bool = False, code: str = PLAN_CODE) -> Plan:
    """Load the sample plan as plan `code` in one transaction (created when missing; with
    `replace`, its data is replaced and other plans are left alone); return the plan."""
    sample = sample_plan()
    with store.transaction() as cur:
        found = cur.execute("SELECT id FROM plans WHERE lower(code) = lower(?)", [code]).fetchall()
        if found:
            plan_id = found[0][0]
            held = cur.execute("SELECT count(*) FROM uploads WHERE plan_id = ?", [plan_id]
                               ).fetchall()[0][0]
            if held and not replace:
                raise WorkplanError(f"{store.path} already holds plan {code}; run "
                                    "`workplan demo --replace` to replace it.")
            for table in PLAN_TABLES:
                cur.execute(f"DELETE FROM {table} WHERE plan_id = ?", [plan_id])
            cur.execute("DELETE FROM plans WHERE id = ?", [plan_id])
        plan = write_plan(cur, code, title=PLAN_TITLE, parties=PARTIES, start_date=AGREED,
                          sample=True, by="sample data")
        cur.executemany("INSERT INTO domains VALUES (?, ?, ?, ?)",
                        [[plan.id, name, text, n] for n, (name, text) in enumerate(DOMAINS, 1)])
        for meta, frame in sample.uploads:
            write_upload(cur, frame, replace_meta(meta, plan_id=plan.id))
        bump_data_version(cur, plan.id)
    return plan
