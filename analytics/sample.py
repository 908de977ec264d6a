"""The sample plans: a seeded generator driven by a `SampleSpec`, and the India-Canada plan.

Why: a manager who clones the project must see a realistic dashboard at once, with more
than one plan to compare, and tests need a plan with every situation the metrics handle:
items ahead and behind, complete, stale, not started, moved milestones, re-planned due
dates and joint items whose parties disagree. The India-Canada plan (code IC) is modelled
on the shared work plan on security and law-enforcement cooperation agreed by India and
Canada in February 2026 (see shared/seeds); analytics.sample_energy holds a smaller second
plan of another shape. Every value comes from `random.Random(spec.seed)`, never the clock,
so two runs give the same database.

Called by `workplan demo` and `make run` (through the CLI), by test fixtures and by the
benchmark generator (which reads the IC constants below).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from dataclasses import replace as replace_meta
from datetime import date, datetime, time, timedelta

import duckdb
import pandas as pd

from analytics.errors import WorkplanError
from analytics.plans import JOINT, Plan, delete_plan, write_plan
from analytics.sample_energy import CANADA_EU
from analytics.sample_spec import SampleSpec
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


INDIA_CANADA = SampleSpec(
    code=PLAN_CODE, title=PLAN_TITLE, agreed=AGREED, agreed_at="the February 2026 dialogue",
    parties=PARTIES, report_day=REPORT_DAY, report_months=REPORT_MONTHS, domains=DOMAINS,
    domain_codes=DOMAIN_CODES, owners=OWNERS, items=ITEMS, profiles=PROFILES, notes=NOTES,
    seed=SEED,
    milestone_cuts=(date(2026, 2, 16), date(2026, 6, 15), date(2026, 9, 15), date(2026, 11, 16)),
    late_starts=(date(2027, 1, 11), date(2027, 1, 18), date(2027, 1, 25)),
    stale_pool=(date(2026, 5, 1), date(2027, 1, 31)), stale_items=2, stale_last_months=(7, 8),
    replan_month=6,
)
SAMPLE_SPECS = (INDIA_CANADA, CANADA_EU)       # what `workplan demo` loads, in this order

# What every sample plan shares (the spec holds what differs).
START_OFFSETS = [2, 9, 23, 37, 51, 65, 86, 120]       # days from the agreement to an item's start
DURATIONS = [120, 150, 180, 240, 300, 365]            # days from an item's start to its due date
WEIGHTS = [1, 1, 1, 2, 2, 3]
MILESTONES = [(0.3, "Scoping agreed"), (0.7, "Draft delivered"), (1.0, "Sign-off")]
MILESTONE_UPLOAD_DAY = 16


@dataclass(frozen=True)
class SamplePlan:
    """The sample plan as the uploads that would have built it, in order."""

    uploads: list[tuple[UploadMeta, pd.DataFrame]]


def _planned(start: date, due: date, t: date) -> float:
    if t <= start:
        return 0.0
    if t >= due:
        return 100.0
    return 100.0 * (t - start).days / (due - start).days


def _items(spec: SampleSpec, rng: random.Random) -> pd.DataFrame:
    rows = []
    counters: dict[int, int] = {}
    for domain_index, title, lead in spec.items:
        counters[domain_index] = counters.get(domain_index, 0) + 1
        item_id = f"{spec.domain_codes[domain_index]}-{counters[domain_index]:02d}"
        start = spec.agreed + timedelta(days=rng.choice(START_OFFSETS))
        if rng.random() < 0.04:
            start = rng.choice(spec.late_starts)                   # not started yet
        due = start + timedelta(days=rng.choice(DURATIONS))
        party = lead if lead != JOINT else rng.choice(spec.parties)
        rows.append({
            "item_id": item_id, "domain": spec.domains[domain_index][0], "title": title,
            "lead_party": lead, "owner": rng.choice(spec.owners[party]),
            "start_date": start, "due_date": due,
            "weight": rng.choice(WEIGHTS),
            "description": f"{title} ({lead.lower()} lead), agreed at {spec.agreed_at}.",
        })
    return pd.DataFrame(rows)


def _progress_paths(spec: SampleSpec, items: pd.DataFrame, rng: random.Random) -> dict[str, dict]:
    """Per item: profile, rate, last reporting month and the party reports."""
    paths = {}
    started_by, due_after = spec.stale_pool
    long_running = items[(items.start_date < started_by) & (items.due_date > due_after)]
    stale = set(rng.sample(sorted(long_running.item_id), spec.stale_items))   # stop reporting
    for row in items.itertuples():
        profile, rate = rng.choice(spec.profiles)
        last_month = spec.report_months[-1]
        if row.item_id in stale:
            profile, rate, last_month = "stale", 0.8, rng.choice(spec.stale_last_months)
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


def _updates(spec: SampleSpec, items: pd.DataFrame, paths: dict, rng: random.Random
             ) -> list[tuple[str, int, pd.DataFrame]]:
    """(party, month, frame) of every monthly status sheet."""
    sheets = []
    reached: dict[tuple[str, str], float] = {}
    greener, redder = spec.parties
    for month in spec.report_months:
        for party in spec.parties:
            as_of = date(spec.agreed.year, month, spec.report_day[party])
            rows = []
            for item in items.itertuples():
                path = paths[item.item_id]
                reports = item.lead_party in (party, JOINT)
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
                joint = item.lead_party == JOINT
                optimist = path["optimist"] or (joint and party == greener and path["rate"] < 1.0)
                cautious = joint and party == redder and path["cautious"]
                status = _status(actual, planned, int(optimist) - int(cautious))
                mood = "done" if actual >= 100 else "slow" if status in ("amber", "red") or path["rate"] < 0.9 else "good"
                rows.append({"item_id": item.item_id, "as_of": as_of, "percent_complete": actual,
                             "status": status, "note": rng.choice(spec.notes[mood]),
                             "reported_by": item.owner if party == item.lead_party else f"{party} desk",
                             "party": party})
            if rows:
                sheets.append((party, month, pd.DataFrame(rows)))
    return sheets


def _milestones(spec: SampleSpec, items: pd.DataFrame, paths: dict, rng: random.Random
                ) -> list[pd.DataFrame]:
    """One version of the milestone list per cut of the spec; from the second on, slipping
    items' milestones move."""
    base = []
    for item in items.itertuples():
        span = (item.due_date - item.start_date).days
        for n, (fraction, label) in enumerate(MILESTONES[: rng.choice([1, 2, 3])], 1):
            due = item.start_date + timedelta(days=round(span * fraction))
            base.append({"milestone_id": f"{item.item_id}-M{n}", "item_id": item.item_id,
                         "title": f"{label}: {item.title.lower()}", "due_date": due,
                         "completed_date": None, "baseline_date": None, "fraction": fraction})
    by_id = items.set_index("item_id")
    versions = []
    for cut in spec.milestone_cuts:
        rows = []
        for m in base:
            path = paths[m["item_id"]]
            row = dict(m)
            slipping = path["rate"] < 0.9 and rng.random() < 0.5
            if cut > spec.milestone_cuts[0] and slipping and m["due_date"] > cut:
                m["due_date"] = m["due_date"] + timedelta(days=rng.choice([21, 30, 45]))
                row["due_date"] = m["due_date"]
            item = by_id.loc[m["item_id"]]
            # A milestone is done when the item's progress reaches its share of the work.
            span = (item.due_date - item.start_date).days
            reached_on = item.start_date + timedelta(days=round(span * m["fraction"] / path["rate"]))
            done_by = reached_on + timedelta(days=rng.choice([-6, -2, 0, 3, 8]))
            if done_by <= min(cut, spec.last_report) and path["profile"] != "stale":
                row["completed_date"] = done_by
            rows.append(row)
        versions.append(pd.DataFrame(rows).drop(columns="fraction"))
    return versions


def _replanned(spec: SampleSpec, items: pd.DataFrame, paths: dict) -> pd.DataFrame:
    """The items sheet of the re-plan: the two slowest items (rate under 0.7) due 60 days
    later (the first sheet stays the baseline)."""
    replanned = items.copy()
    for item_id in [i for i, p in paths.items() if p["rate"] < 0.7][:2]:
        replanned.loc[replanned.item_id == item_id, "due_date"] += timedelta(days=60)
    return replanned


def sample_plan(spec: SampleSpec = INDIA_CANADA) -> SamplePlan:
    """Every upload that builds the spec's plan, deterministic for a given spec."""
    rng = random.Random(spec.seed)
    items = _items(spec, rng)
    paths = _progress_paths(spec, items, rng)
    sheets = _updates(spec, items, paths, rng)
    milestone_versions = _milestones(spec, items, paths, rng)
    first = datetime.combine(spec.agreed + timedelta(days=2), time(10))
    uploads = [(_meta("items", f"workplan-{spec.agreed:%Y-%m}.csv", first, items), items)]
    for cut, frame in zip(spec.milestone_cuts, milestone_versions, strict=True):
        at = datetime(cut.year, cut.month, MILESTONE_UPLOAD_DAY, 10)
        uploads.append((_meta("milestones", f"milestones-{cut:%Y-%m}.csv", at, frame), frame))
    year = spec.agreed.year
    for party, month, frame in sheets:
        at = datetime(year, month, spec.report_day[party] + 1, 9)
        if month == spec.replan_month and party == spec.parties[0]:
            replanned = _replanned(spec, items, paths)
            uploads.append((_meta("items", f"workplan-{year}-{month:02d}-replan.csv", at,
                                  replanned), replanned))
        name = f"{party.lower()}-status-{year}-{month:02d}.csv"
        uploads.append((_meta("updates", name, at, frame), frame))
    return SamplePlan(uploads=uploads)


def _meta(kind: str, filename: str, at: datetime, frame: pd.DataFrame) -> UploadMeta:
    digest = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
    return UploadMeta(kind=kind, filename=filename, uploaded_by="sample data", sha256=digest,
                      uploaded_at=at, message="sample plan")


def load_demo(store: Store, *, replace: bool = False) -> list[Plan]:
    """Every sample plan (`workplan demo`, `make run`), each in its own transaction; with
    `replace`, only the sample plans' data is replaced. Nothing is loaded when one of them
    may not be (held already without `replace`, or the code is a plan of the user's own)."""
    for spec in SAMPLE_SPECS:
        _plan_to_replace(store.cursor(), store, spec.code, replace)
    return [load_sample(store, replace=replace, spec=spec) for spec in SAMPLE_SPECS]


def load_sample(store: Store, *, replace: bool = False, code: str | None = None,
                spec: SampleSpec = INDIA_CANADA) -> Plan:
    """Load the spec's sample plan as plan `code` (default: the spec's) in one transaction
    (created when missing; with `replace`, its data is replaced and other plans are left
    alone); return the plan."""
    code = code or spec.code
    sample = sample_plan(spec)
    with store.transaction() as cur:
        plan_id = _plan_to_replace(cur, store, code, replace)
        if plan_id is not None:
            delete_plan(cur, plan_id)
        plan = write_plan(cur, code, title=spec.title, parties=spec.parties,
                          start_date=spec.agreed, sample=True, by="sample data")
        cur.executemany("INSERT INTO domains VALUES (?, ?, ?, ?)",
                        [[plan.id, name, text, n] for n, (name, text) in enumerate(spec.domains, 1)])
        for meta, frame in sample.uploads:
            write_upload(cur, frame, replace_meta(meta, plan_id=plan.id))
        bump_data_version(cur, plan.id)
    return plan


def _plan_to_replace(cur: duckdb.DuckDBPyConnection, store: Store, code: str,
                     replace: bool) -> int | None:
    """The id of the sample plan `code` that loading it again replaces (None: there is none);
    a WorkplanError when it holds data and `replace` is not given, or is not sample data (a
    plan of the user's own is never touched)."""
    found = cur.execute("SELECT id, sample FROM plans WHERE lower(code) = lower(?)",
                        [code]).fetchall()
    if not found:
        return None
    plan_id, is_sample = found[0]
    if not is_sample:
        raise WorkplanError(f"{store.path} holds a plan {code} of its own (not sample data); "
                            "the sample plans were not loaded.")
    held = cur.execute("SELECT count(*) FROM uploads WHERE plan_id = ?", [plan_id]
                       ).fetchall()[0][0]
    if held and not replace:
        raise WorkplanError(f"{store.path} already holds plan {code}; run "
                            "`workplan demo --replace` to replace it.")
    return plan_id
