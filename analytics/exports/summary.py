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
from analytics.i18n import N_, translator
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
                      comparison: Comparison, lang: str = "en") -> ExecutiveSummary:
    """The summary of one view: its verdict, where it stands, domains, risks and changes."""
    return ExecutiveSummary(
        scope=scope, health=kpis.get("health"), reason=kpis.get("reason") or "",
        progress=progress_sentence(kpis, lang),
        schedule=fmt.first_upper(fmt.schedule_sentence(kpis, lang)),
        domains=[DomainVerdict(row["group"], row.get("health"), row.get("reason") or "")
                 for row in worst_first(groups).to_dict("records")],
        risks=risks_with_comments(items, SUMMARY_RISKS),
        changes=change_sentences(comparison, lang),
    )


def progress_sentence(figures: dict, lang: str = "en") -> str:
    """'72.4% done against 78.1% planned: 5.7 pp behind plan.'"""
    _ = translator(lang)
    actual, planned, variance = (figures.get(k) for k in ("actual_pct", "planned_pct", "variance_pp"))
    if fmt.missing(actual):
        return _("No progress reported yet.")
    if fmt.missing(planned):
        return _("{actual} done; nothing was planned to be done yet.").format(
            actual=fmt.pct(actual, lang=lang))
    gap = round(float(variance), 1) if not fmt.missing(variance) else 0.0
    gap_text = fmt.format_number(abs(gap), lang, 1)
    where = (_("on plan") if gap == 0 else
             _("{gap} pp behind plan").format(gap=gap_text) if gap < 0 else
             _("{gap} pp ahead of plan").format(gap=gap_text))
    return _("{actual} done against {planned} planned: {where}.").format(
        actual=fmt.pct(actual, lang=lang), planned=fmt.pct(planned, lang=lang), where=where)


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


def named(frame: pd.DataFrame, key: str = "item_id", title: str = "title",
          lang: str = "en") -> str:
    """'CYP-03 (Threat sharing), CYP-04 (...) and 2 more'."""
    return item_list(tuple(f"{row[key]} ({row[title]})" for row in frame.to_dict("records")),
                     limit=NAMED, lang=lang)


# What happened to the items whose health changed, by their new health: one, several.
TURNED = {"red": (N_("{items} turned red: {names}."), N_("{items} turned red: {names}.")),
          "amber": (N_("{items} turned amber: {names}."), N_("{items} turned amber: {names}.")),
          "green": (N_("{items} recovered to green: {names}."),
                    N_("{items} recovered to green: {names}.")),
          "complete": (N_("{items} was completed: {names}."),
                       N_("{items} were completed: {names}."))}


def change_sentences(c: Comparison, lang: str = "en") -> list[str]:
    """What changed between c.since and c.as_of, as sentences (one per kind of change)."""
    _ = translator(lang)
    sentences = []
    turned = c.health_changes
    for status, (one, several) in TURNED.items():
        chosen = turned[turned["health_after"] == status] if not turned.empty else turned
        if len(chosen):
            template = _(one) if len(chosen) == 1 else _(several)
            sentences.append(template.format(items=counted(len(chosen), "item", lang),
                                             names=named(chosen, lang=lang)))
    moved = largest_slips(c.milestones_slipped)
    if len(moved):
        parts = item_list(tuple(_("{milestone} ({title}) by {days}").format(
            milestone=r["milestone_id"], title=r["title"],
            days=counted(int(round(r["moved"])), "day", lang))
            for r in moved.to_dict("records")), limit=NAMED, lang=lang)
        sentences.append(_("{milestones} slipped: {names}.").format(
            milestones=counted(len(moved), "milestone", lang), names=parts))
    done = c.milestones_done
    if len(done):
        sentences.append(_("{milestones} done: {names}.").format(
            milestones=counted(len(done), "milestone", lang),
            names=named(done, "milestone_id", lang=lang)))
    overdue = c.newly_overdue
    if len(overdue):
        sentences.append(_("{items} became overdue: {names}.").format(
            items=counted(len(overdue), "item", lang), names=named(overdue, lang=lang)))
    moves = c.progress_deltas
    if len(moves):
        delta = pd.to_numeric(moves["delta_pp"], errors="coerce")
        top = moves.loc[delta.abs().idxmax()]
        sentences.append(_("Progress moved on {items}; the largest move: {item} ({title}) "
                           "{change}.").format(items=counted(len(moves), "item", lang),
                                               item=top["item_id"], title=top["title"],
                                               change=fmt.pp(top["delta_pp"], lang=lang)))
    if len(c.new_notes):
        sentences.append(counted(len(c.new_notes), "new agency comment", lang) + ".")
    return sentences or [_("Nothing changed since {date}.").format(
        date=fmt.long_date(c.since, lang=lang))]


def verdict_sentence(scope: str, health: str | None, reason: str, lang: str = "en") -> str:
    """'Cybersecurity policy is Amber: schedule efficiency 0.91 (...).'"""
    _ = translator(lang)
    words = reason_words(reason)
    label = health_label(health, lang) if health else _("without a verdict")
    if not words:
        return _("{scope} is {health}.").format(scope=scope, health=label)
    return _("{scope} is {health}: {reason}.").format(scope=scope, health=label, reason=words)


def domain_notes(name: str, health: str | None, reason: str, figures: dict,
                 risks: pd.DataFrame, lang: str = "en") -> str:
    """A domain slide's speaker notes: its verdict, progress, schedule and items at risk."""
    _ = translator(lang)
    lines = [verdict_sentence(name, health, reason, lang), progress_sentence(figures, lang),
             fmt.first_upper(fmt.schedule_sentence(figures, lang)) + "."]
    if risks.empty:
        lines.append(_("No item in this domain is red or amber."))
    else:
        lines.append(_("{items} at risk:").format(items=counted(len(risks), "item", lang)))
        for row in risks.to_dict("records"):
            comment = (" " + _("Latest comment: {comment}").format(comment=row["comment"])
                       if row.get("comment") else "")
            lines.append(_("{item} ({title}) is {health}: {reason}.").format(
                item=row["item_id"], title=row["title"],
                health=health_label(row["health"], lang), reason=row["reason"]) + comment)
    return "\n".join(lines)


def summary_notes(s: ExecutiveSummary, key_messages: tuple[str, ...],
                  decisions: tuple[str, ...], lang: str = "en") -> str:
    """The summary slide's speaker notes: everything on the page, in sentences."""
    _ = translator(lang)
    lines = [verdict_sentence(s.scope, s.health, s.reason, lang), s.progress, s.schedule + "."]
    if key_messages:
        lines += [_("Key messages:")] + [f"- {m}" for m in key_messages]
    if decisions:
        lines += [_("Decisions sought:")] + [f"- {d}" for d in decisions]
    worst = [d for d in s.domains if d.health in ("red", "amber")]
    if worst:
        lines.append(_("Domains needing attention: {domains}.").format(domains=_("; ").join(
            f"{d.name} ({health_label(d.health, lang)})" for d in worst)))
    lines += [_("What changed:")] + [f"- {c}" for c in s.changes]
    return "\n".join(lines)
