"""The second sample plan: a smaller Canada-EU clean energy and critical minerals plan (CE).

Why: the portfolio view compares plans, so `workplan demo` loads a second plan of another
shape next to the India-Canada one: four domains and 21 items instead of seven and 56, other
parties and agencies, agreed in April 2026 with monthly sheets from May to October, and a
plan that runs to plan or ahead (its verdict is green where India-Canada's is amber), with
no re-plan and a single item that stops reporting. analytics.sample generates it from this
spec and loads it.
"""

from __future__ import annotations

from datetime import date

from analytics.sample_spec import SampleSpec

DOMAINS = (
    ("Hydrogen", "Trade in clean hydrogen and its derivatives: standards, certification, corridors."),
    ("Critical minerals", "Secure and sustainable supply chains for critical raw materials."),
    ("Grid and storage", "Grid integration, flexibility and long-duration energy storage."),
    ("Skills and research", "Joint research and a workforce for the clean-energy transition."),
)
DOMAIN_CODES = ("H2", "CRM", "GRD", "SKL")

OWNERS = {
    "Canada": ("Natural Resources Canada", "Environment and Climate Change Canada",
               "Innovation, Science and Economic Development Canada", "Global Affairs Canada",
               "Canada Energy Regulator", "National Research Council Canada"),
    "EU": ("DG Energy", "DG Internal Market, Industry, Entrepreneurship and SMEs",
           "DG Research and Innovation", "DG Trade", "Joint Research Centre",
           "European Climate, Infrastructure and Environment Executive Agency"),
}

# (domain index, title, lead party) -- 21 commitments, five of them joint.
ITEMS = (
    (0, "Mutual recognition of clean-hydrogen certification schemes", "Joint"),
    (0, "Pilot a transatlantic ammonia shipping corridor", "Canada"),
    (0, "Align hydrogen safety and purity standards", "EU"),
    (0, "Open a hydrogen-bank auction window to Canadian supply", "EU"),
    (0, "Map Canadian export-ready hydrogen projects", "Canada"),
    (1, "Agree a critical-minerals partnership roadmap", "Joint"),
    (1, "Exchange supply-chain risk assessments for battery minerals", "Joint"),
    (1, "Co-finance two processing projects", "EU"),
    (1, "Align traceability standards for mined minerals", "Canada"),
    (1, "Joint study on strategic stocks of rare earths", "EU"),
    (1, "Investor forum on Canadian critical-minerals projects", "Canada"),
    (2, "Share offshore wind grid-connection practice", "EU"),
    (2, "Joint study on long-duration storage", "Joint"),
    (2, "Exchange methods for grid-flexibility markets", "Canada"),
    (2, "Small modular reactor regulatory dialogue", "Canada"),
    (2, "Interconnector planning workshop", "EU"),
    (3, "Clean-energy calls open to Canadian researchers", "EU"),
    (3, "Researcher exchange on battery chemistry", "Joint"),
    (3, "Study on recognising clean-energy apprenticeships", "Canada"),
    (3, "Joint clean-tech skills forecast", "EU"),
    (3, "Annual Canada-EU clean energy research symposium", "Canada"),
)

# Profiles: (share of items, progress rate relative to plan) -- ahead or on plan.
PROFILES = (("ahead", 1.2), ("ahead", 1.1), ("on_track", 1.05), ("on_track", 1.0),
            ("on_track", 1.0), ("slipping", 0.9))

NOTES = {
    "good": ("On plan; next steps agreed at the working group.",
             "Text agreed at technical level.", "Expert workshop held in Brussels.",
             "Joint call with industry held; feedback positive.",
             "Ahead of plan: data exchanged early.", "Officials met in Ottawa; actions on track."),
    "slow": ("Awaiting member-state comments.", "Procurement taking longer than planned.",
             "Waiting on provincial input.", "Scope under discussion with industry."),
    "done": ("Delivered and endorsed by the joint committee.", "Completed; item closed."),
}

CANADA_EU = SampleSpec(
    code="CE", title="Canada-EU clean energy and critical minerals work plan",
    agreed=date(2026, 4, 14), agreed_at="the April 2026 Canada-EU energy ministerial",
    parties=("Canada", "EU"), report_day={"Canada": 16, "EU": 9}, report_months=range(5, 11),
    domains=DOMAINS, domain_codes=DOMAIN_CODES, owners=OWNERS, items=ITEMS, profiles=PROFILES,
    notes=NOTES, seed=2026,
    milestone_cuts=(date(2026, 4, 16), date(2026, 7, 15), date(2026, 10, 1)),
    late_starts=(date(2026, 11, 2), date(2026, 11, 16)),
    stale_pool=(date(2026, 6, 1), date(2026, 12, 31)), stale_items=1, stale_last_months=(8,),
)
