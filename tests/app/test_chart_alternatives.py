"""Every chart of the Overview and Domain pages has its text alternative: the summary sentence
as a caption and the chart's data in a "Chart data" expander holding a dataframe.

AppTest of dashboard.py on a private copy of the sample plan; the expected sentences are the
`analytics.charts.alternatives` functions called on the frames `analytics.metrics` returns for
the same view.
"""

from __future__ import annotations

from dataclasses import replace

from analytics.charts import alternatives
from analytics.charts.progress import DOMAIN_BURN_UP_TITLE
from analytics.metrics import burn_up, group_metrics, item_metrics, milestone_metrics
from analytics.store import open_store
from pages._charts import CHART_DATA


def chart_data_expanders(at) -> list:
    assert not at.exception, [e.value for e in at.exception]
    return [e for e in at.expander if e.label == CHART_DATA]


def captions(at) -> list[str]:
    return [c.value.replace("\\", "") for c in at.caption]


def test_overview_shows_each_charts_sentence_and_data(sample_db, dashboard_app, sample_view):
    at = dashboard_app(sample_db, "pages/overview.py")
    at.run()
    view = sample_view()
    with open_store(sample_db) as store:
        groups = group_metrics(store, view, "domain")
        weeks = burn_up(store, view, by="overall")
    expected = [alternatives.progress_by_domain_summary(groups, view),
                alternatives.health_by_domain_summary(groups, view),
                alternatives.burn_up_summary(weeks, view)]
    shown = captions(at)
    assert all(sentence in shown for sentence in expected), (expected, shown)
    expanders = chart_data_expanders(at)
    assert len(expanders) == 3
    assert all(len(e.dataframe) == 1 for e in expanders)
    progress = expanders[0].dataframe[0].value
    assert list(progress.columns)[:3] == ["Domain", "Planned %", "Actual %"]
    assert list(progress["Domain"]) == list(groups["group"])


def test_domain_page_shows_each_charts_sentence_and_data(sample_db, dashboard_app, sample_view):
    at = dashboard_app(sample_db, "pages/domain.py")
    at.run()
    domain = at.selectbox(key="domain_pick").value
    view = replace(sample_view(), filters=replace(sample_view().filters, domains=(domain,)))
    with open_store(sample_db) as store:
        weeks = burn_up(store, view, by="overall")
        milestones, items = milestone_metrics(store, view), item_metrics(store, view)
    expected = [alternatives.burn_up_summary(weeks, view, title=DOMAIN_BURN_UP_TITLE),
                alternatives.spi_trend_summary(weeks, view),
                alternatives.milestone_timeline_summary(milestones, items, view,
                                                        include_done=True)]
    shown = captions(at)
    assert all(sentence in shown for sentence in expected), (expected, shown)
    expanders = chart_data_expanders(at)
    assert len(expanders) == 3
    assert all(len(e.dataframe) == 1 for e in expanders)
    timeline = expanders[2].dataframe[0].value
    assert len(timeline) == len(milestones)
    assert "State" in timeline.columns
