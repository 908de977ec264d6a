"""What makes one sample plan what it is: its facts, its commitments and how they progress.

Why: `workplan demo` loads more than one sample plan (analytics.sample holds the generator and
the India-Canada plan, analytics.sample_energy the Canada-EU one), and both plans and the
generator need the same description of a plan without importing each other. The generator
supplies everything a spec leaves out: start offsets and durations, weights, milestone labels,
the chance of a fast item and of a reporter's bias. Months are months of the agreed year.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class SampleSpec:
    """One sample plan: drawn from `random.Random(seed)`, so the same spec gives the same data."""

    code: str
    title: str
    agreed: date                                  # plan start; items sheet uploaded 2 days later
    agreed_at: str                                # "the February 2026 dialogue" (descriptions)
    parties: tuple[str, str]                      # the first reports joint items a notch greener,
    #                                               the second (sometimes) a notch redder
    report_day: Mapping[str, int]                 # each party's day of the month for its sheet
    report_months: Sequence[int]                  # the months with status sheets
    domains: Sequence[tuple[str, str]]            # (name, description)
    domain_codes: Sequence[str]                   # item-id prefix of each domain
    owners: Mapping[str, Sequence[str]]           # the agencies of each party
    items: Sequence[tuple[int, str, str]]         # (domain index, title, lead party or Joint)
    profiles: Sequence[tuple[str, float]]         # (profile, progress rate), drawn per item
    notes: Mapping[str, Sequence[str]]            # report notes by mood: good, slow, done
    seed: int
    milestone_cuts: Sequence[date]                # versions of the milestone list (each uploaded
    #                                               on the 16th of its month)
    late_starts: Sequence[date]                   # start dates of the few items not started yet
    stale_pool: tuple[date, date]                 # items started before the first date and due
    #                                               after the second may stop reporting
    stale_items: int                              # how many of them stop
    stale_last_months: Sequence[int]              # the last month a stale item reports
    replan_month: int | None = None               # a re-plan with the first party's sheet: up
    #                                               to two items under 0.7 of plan move 60 days

    @property
    def last_report(self) -> date:
        """The as-of date of the plan's last status sheet ("data current to")."""
        return date(self.agreed.year, self.report_months[-1], max(self.report_day.values()))
