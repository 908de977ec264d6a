"""The pack's executive summary and every sentence it says: what an official reads first.

Why: officials read the first page and the speaker's words, not the annex. The summary
states the verdict with its reason (the group health rule, METRICS.md), progress and
schedule in plain words ("about 18 days behind; forecast finish 13 Mar 2028, 48 days
after plan"), the domains worst first with their verdicts, the top risks with their
reasons and the latest agency comment, and what changed since the chosen date in
sentences ("3 items turned red: ..."). The PDF and the PPTX lay out the same
`ExecutiveSummary`; the speaker notes of every slide are sentences built here.

Callers: `analytics.exports.report.gather` (and through it `report_pdf`, `report_pptx`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics import formatting as fmt
from analytics.charts.palette import health_label
from analytics.formatting import counted
from analytics.metrics.compare import Comparison, largest_slips
from analytics.metrics.health import item_list, reason_words
from analytics.tables import top_risks, worst_first

SUMMARY_RISKS = 5
NAMED = 5            # items named in one sentence before "and N more"
RISK_SUMMARY_COLUMNS = ["item_id", "title", "health", "reason", "comment"]


@dataclass
class DomainVerdict:
    name: str
    health: str | None
    reason: str


@dataclass
class ExecutiveSummary:
    scope: str
    health: str | None
    reason: str
    progress: str
    schedule: str
    domains: list[DomainVerdict]
    risks: pd.DataFrame              # RISK_SUMMARY_COLUMNS, worst first
    changes: list[str]


def executive_summary(scope: str, kpis: dict, groups: pd.DataFrame, items: pd.DataFrame,
                      comparison: Comparison) -> ExecutiveSummary:
    """The summary of one view: its verdict, where it stands, domains, risks and changes."""
    return ExecutiveSummary(
        scope=scope, health=kpis.get("health"), reason=kpis.get("reason") or "",
        progress=progress_sentence(kpis), schedule=fmt.first_upper(fmt.schedule_sentence(kpis)),
        domains=[DomainVerdict(row["group"], row.get("health"), row.get("reason") or "")
                 for row in worst_first(groups).to_dict("records")],
        risks=risks_with_comments(items, SUMMARY_RISKS),
        changes=change_sentences(comparison),
    )


def progress_sentence(figures: dict) -> str:
    """'72.4% done against 78.1% planned: 5.7 pp behind plan.'"""
    actual, planned, variance = (figures.get(k) for k in ("actual_pct", "planned_pct", "variance_pp"))
    if fmt.missing(actual):
        return "No progress reported yet."
    if fmt.missing(planned):
        return f"{fmt.pct(actual)} done; nothing was planned to be done yet."
    gap = round(float(variance), 1) if not fmt.missing(variance) else 0.0
    where = ("on plan" if gap == 0 else
             f"{abs(gap):.1f} pp {'behind' if gap < 0 else 'ahead of'} plan")
    return f"{fmt.pct(actual)} done against {fmt.pct(planned)} planned: {where}."


def latest_comment(row: dict) -> str:
    """'“Awaiting the MoU text.” (Canada, 2026-11-20)' from an item's latest report."""
    note = row.get("note")
    if fmt.missing(note) or not str(note).strip():
        return ""
    who = ", ".join(str(v) for v in (row.get("party"), fmt.iso_date(row.get("last_update"), none=""))
                    if not fmt.missing(v) and str(v))
    return f"“{str(note).strip()}”" + (f" ({who})" if who else "")


def risks_with_comments(items: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The top risks (red then amber, worst first) with reason words and the latest comment."""
    risks = top_risks(items, limit=limit)
    if risks.empty:
        return pd.DataFrame(columns=RISK_SUMMARY_COLUMNS)
    latest = items.set_index("item_id")
    comments = [latest_comment(latest.loc[item].to_dict()) if item in latest.index else ""
                for item in risks["item_id"]]
    return risks.assign(reason=[reason_words(r) for r in risks["reason"]],
                        comment=comments)[RISK_SUMMARY_COLUMNS]


def named(frame: pd.DataFrame, key: str = "item_id", title: str = "title") -> str:
    """'CYP-03 (Threat sharing), CYP-04 (...) and 2 more'."""
    return item_list(tuple(f"{row[key]} ({row[title]})" for row in frame.to_dict("records")),
                     limit=NAMED)


def change_sentences(c: Comparison) -> list[str]:
    """What changed between c.since and c.as_of, as sentences (one per kind of change)."""
    sentences = []
    turned = c.health_changes
    for status, verb in (("red", "turned red"), ("amber", "turned amber"),
                         ("green", "recovered to green"), ("complete", "were completed")):
        chosen = turned[turned["health_after"] == status] if not turned.empty else turned
        if len(chosen):
            verb = verb.replace("were", "was") if len(chosen) == 1 else verb
            sentences.append(f"{counted(len(chosen), 'item')} {verb}: {named(chosen)}.")
    moved = largest_slips(c.milestones_slipped)
    if len(moved):
        parts = item_list(tuple(f"{r['milestone_id']} ({r['title']}) by "
                                f"{counted(int(round(r['moved'])), 'day')}"
                                for r in moved.to_dict("records")), limit=NAMED)
        sentences.append(f"{counted(len(moved), 'milestone')} slipped: {parts}.")
    done = c.milestones_done
    if len(done):
        sentences.append(f"{counted(len(done), 'milestone')} done: "
                         f"{named(done, 'milestone_id')}.")
    overdue = c.newly_overdue
    if len(overdue):
        sentences.append(f"{counted(len(overdue), 'item')} became overdue: {named(overdue)}.")
    moves = c.progress_deltas
    if len(moves):
        delta = pd.to_numeric(moves["delta_pp"], errors="coerce")
        top = moves.loc[delta.abs().idxmax()]
        sentences.append(f"Progress moved on {counted(len(moves), 'item')}; the largest move: "
                         f"{top['item_id']} ({top['title']}) {fmt.pp(top['delta_pp'])}.")
    if len(c.new_notes):
        sentences.append(f"{counted(len(c.new_notes), 'new agency comment')}.")
    return sentences or [f"Nothing changed since {fmt.long_date(c.since)}."]


def verdict_sentence(scope: str, health: str | None, reason: str) -> str:
    """'Cybersecurity policy is Amber: schedule efficiency 0.91 (...).'"""
    words = reason_words(reason)
    label = health_label(health) if health else "without a verdict"
    return f"{scope} is {label}" + (f": {words}." if words else ".")


def domain_notes(name: str, health: str | None, reason: str, figures: dict,
                 risks: pd.DataFrame) -> str:
    """A domain slide's speaker notes: its verdict, progress, schedule and items at risk."""
    lines = [verdict_sentence(name, health, reason), progress_sentence(figures),
             fmt.first_upper(fmt.schedule_sentence(figures)) + "."]
    if risks.empty:
        lines.append("No item in this domain is red or amber.")
    else:
        lines.append(f"{counted(len(risks), 'item')} at risk:")
        for row in risks.to_dict("records"):
            comment = f" Latest comment: {row['comment']}" if row.get("comment") else ""
            lines.append(f"{row['item_id']} ({row['title']}) is {health_label(row['health'])}: "
                         f"{row['reason']}.{comment}")
    return "\n".join(lines)


def summary_notes(s: ExecutiveSummary, key_messages: tuple[str, ...],
                  decisions: tuple[str, ...]) -> str:
    """The summary slide's speaker notes: everything on the page, in sentences."""
    lines = [verdict_sentence(s.scope, s.health, s.reason), s.progress, s.schedule + "."]
    if key_messages:
        lines += ["Key messages:"] + [f"- {m}" for m in key_messages]
    if decisions:
        lines += ["Decisions sought:"] + [f"- {d}" for d in decisions]
    worst = [d for d in s.domains if d.health in ("red", "amber")]
    if worst:
        lines.append("Domains needing attention: " + "; ".join(
            f"{d.name} ({health_label(d.health)})" for d in worst) + ".")
    lines += ["What changed:"] + [f"- {c}" for c in s.changes]
    return "\n".join(lines)
