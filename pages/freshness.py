"""Data freshness and parties: can the figures be trusted, and do the parties agree?

Why: progress figures are only as good as the reports behind them. This page
shows how long each domain x owner has gone without an update (heatmap),
which share of eligible items each party reported on in the compliance window,
items whose reported status is greener than their computed health, and joint
items where India and Canada report different statuses. Registered in
`dashboard.py`; figures come from `analytics.charts.freshness`, tables are
plain-text `st.dataframe`s.
"""

from __future__ import annotations

import streamlit as st

from analytics.charts.alternatives import (
    compliance_by_party_alternative,
    freshness_heatmap_alternative,
)
from analytics.charts.freshness import compliance_by_party, freshness_heatmap
from pages._charts import show_chart
from pages._downloads import chart_downloads, table_downloads
from pages._i18n import _
from pages._shared import (
    cached_freshness,
    cached_joint_disagreements,
    cached_reported_vs_computed,
    cached_reporting_compliance,
    current_context,
    get_store,
    md_escape,
)
from pages._tables import show_table

REPORTED_ORDER = ["item_id", "title", "reported_status", "health", "reason", "owner", "domain"]

store = get_store()
ctx = current_context(store)
st.title(_("Data freshness and parties"))
st.caption(_("Who reports, how recently, and where reports disagree · {view}.")
           .format(view=md_escape(ctx.label())))

fresh = cached_freshness(store, ctx)
heatmap = freshness_heatmap(fresh, ctx)
show_chart(heatmap, freshness_heatmap_alternative(fresh, ctx), key="freshness_heatmap")
chart_downloads(heatmap, "freshness-heatmap", ctx, key="freshness_heatmap_dl")

compliance = cached_reporting_compliance(store, ctx, "party")
bars = compliance_by_party(compliance, ctx)
show_chart(bars, compliance_by_party_alternative(compliance, ctx), key="freshness_compliance")
chart_downloads(bars, "compliance-by-party", ctx, key="freshness_compliance_dl")

st.subheader(_("Reported greener than computed"))
st.caption(_("Items whose latest reported status is better than the health computed from "
             "progress against plan, overdue dates and staleness."))
disagreements = cached_reported_vs_computed(store, ctx)
if disagreements.empty:
    st.caption(_("None: every latest report matches or is more cautious than the computed "
                 "health."))
else:
    show_table(disagreements, key="freshness_reported_table", first=REPORTED_ORDER)
    table_downloads(disagreements, "reported-vs-computed", ctx, key="freshness_reported_dl")

st.subheader(_("Joint items where the parties disagree"))
st.caption(_("Joint items whose parties' latest reported statuses differ."))
joint = cached_joint_disagreements(store, ctx)
if joint.empty:
    st.caption(_("None: the parties' latest statuses agree on every joint item."))
else:
    statuses_first = [c for c in joint.columns if c != "domain"]  # each party's status and date
    show_table(joint, key="freshness_joint_table", first=statuses_first)
    table_downloads(joint, "joint-disagreements", ctx, key="freshness_joint_dl")
