"""Chart titles, view labels, subtitles and legends never overlap, and stay inside the figure.

Every chart of the registry is built on the sample plan with the longest filter labels the
sample allows (every domain, lead party and owner chosen, so the view label names them all,
read from the store) and on the whole plan, then rendered to SVG by kaleido at the sizes it
is drawn at: its column of a page at 1366 px (445 or 906 px wide), kaleido's export width
(1366 px, what the PNG/SVG/PDF downloads and the pack's overview charts use) and the pack's
domain chart size (900 x 540). Chromium lays out each SVG and reports the boxes of the title
lines, the legend, the plot area, tick labels and annotations; the checks are on those boxes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import plotly.graph_objects as go
import pytest

from analytics.charts import CHARTS, build_chart
from analytics.charts.layout import legend_rows, text_px, title_states, wrapped_lines
from analytics.charts.milestones import milestone_timeline
from analytics.charts.progress import HEALTH_TITLE
from analytics.context import Filters, ViewContext
from analytics.exports.images import shared_server, static_bytes
from analytics.metrics import item_metrics, milestone_metrics
from analytics.settings import Settings
from analytics.store import open_store

AS_OF = date(2026, 11, 24)
# Widths measured in Chromium on each page at 1366 x 768 with the sidebar open: a chart in
# one of two columns (overview: health mix, burn-up; domain: burn-up, SPI(t)) and a full one.
HALF_COLUMN, FULL_COLUMN = 445, 906
HALF_CHARTS = {"health-by-domain", "burn-up", "domain-burn-up", "spi-trend"}
EXPORT_WIDTH = 1366
PACK_DOMAIN_SIZE = (900, 540)
TOLERANCE = 0.5   # px: boxes that only touch do not overlap

BOXES_JS = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const all = selector => [...document.querySelectorAll(selector)].map(box);
  const svg = document.querySelector('svg');
  const clip = document.querySelector('clipPath.axesclip[id$="xy"] rect');  // the plot area
  const number = name => Number(clip.getAttribute(name));
  const plot = clip ? [number('x'), number('y'), number('x') + number('width'),
                       number('y') + number('height')] : null;
  return {
    size: [Number(svg.getAttribute('width')), Number(svg.getAttribute('height'))],
    lines: all('.gtitle > tspan.line'),
    legend: all('g.legend'),
    plot: plot,
    ticks: all('.xtick text, .ytick text'),
    top_ticks: all('.xtick text').filter(b => plot && b[3] <= plot[1] + 1),
    notes: all('g.annotation'),
    colorbar: all('g.colorbar'),
  };
}"""

def longest_view(store) -> ViewContext:
    """Every domain, lead party and owner of the plan chosen: the longest view label."""
    def distinct(column: str) -> tuple[str, ...]:
        sql = f"SELECT DISTINCT {column} FROM work_items WHERE {column} IS NOT NULL ORDER BY 1"
        return tuple(row[0] for row in store.cursor().execute(sql).fetchall())

    return ViewContext(AS_OF, Filters(distinct("domain"), distinct("lead_party"), distinct("owner")),
                       sample=True)


@pytest.fixture(scope="module")
def figures(sample_db_file):
    """{(case, chart name): figure} for the longest view and the whole plan, plus the
    milestone timeline with completed milestones shown."""
    with open_store(sample_db_file, read_only=True) as store:
        longest = longest_view(store)
        built = {("longest", name): build_chart(name, store, longest) for name in CHARTS}
        whole = ViewContext(AS_OF, sample=True)
        built |= {("whole plan", name): build_chart(name, store, whole) for name in CHARTS}
        french = replace(longest, lang="fr")        # French titles and labels run longer
        built |= {("longest in French", name): build_chart(name, store, french) for name in CHARTS}
        built[("longest", "milestone-timeline with done")] = milestone_timeline(
            milestone_metrics(store, longest), item_metrics(store, longest), longest,
            include_done=True)
    assert len(longest.label()) > 600                 # the label lists 7 domains and 16 owners
    built["longest view"] = longest
    return built


@pytest.fixture(scope="module")
def layout_boxes(browser):
    """Function: the element boxes of an SVG, as Chromium lays it out."""
    page = browser.new_page()

    def boxes(svg: bytes) -> dict:
        page.set_content(f"<html><body style='margin:0'>{svg.decode()}</body></html>")
        return page.evaluate(BOXES_JS)

    yield boxes
    page.close()


def sizes(name: str) -> list[tuple[int, int | None]]:
    """(width, height or None for the figure's own) the chart is drawn at."""
    column = HALF_COLUMN if name.split()[0] in HALF_CHARTS else FULL_COLUMN
    return [(column, None), (EXPORT_WIDTH, None), PACK_DOMAIN_SIZE]


CASES = [(case, name, width, height)
         for case in ("longest", "whole plan", "longest in French")
         for name in [*CHARTS, "milestone-timeline with done"]
         if case == "longest" or name in CHARTS
         for width, height in (sizes(name) if case != "whole plan" else sizes(name)[:1])]


def overlap(a, b) -> bool:
    return (a[0] < b[2] - TOLERANCE and b[0] < a[2] - TOLERANCE
            and a[1] < b[3] - TOLERANCE and b[1] < a[3] - TOLERANCE)


def outside(box, size) -> bool:
    return (box[0] < -TOLERANCE or box[1] < -TOLERANCE
            or box[2] > size[0] + TOLERANCE or box[3] > size[1] + TOLERANCE)


def layout_problems(got: dict) -> list[str]:
    """What overlaps or leaves the figure, in the boxes `layout_boxes` read ([] when none)."""
    size, lines, legends, plot = got["size"], got["lines"], got["legend"], got["plot"]
    problems = [] if len(lines) >= 2 else ["no title line and view label"]
    problems += [f"outside the figure {size}: {box}" for box in
                 [*lines, *legends, *got["ticks"], *got["notes"], *got["colorbar"]]
                 if outside(box, size)]
    problems += [f"title lines overlap: {upper} {lower}"
                 for upper, lower in zip(lines, lines[1:], strict=False)
                 if upper[3] > lower[1] + TOLERANCE]
    problems += [f"a title line {line} overlaps {box}" for line in lines
                 for box in [*legends, *got["top_ticks"], *got["notes"], *got["colorbar"]]
                 if overlap(line, box)]
    problems += [f"the legend {legend} overlaps {box}" for legend in legends
                 for box in [*got["notes"], *got["ticks"], *([plot] if plot else [])]
                 if overlap(legend, box)]
    if plot is not None and lines and lines[-1][3] > plot[1] + TOLERANCE:
        problems.append(f"the title {lines[-1]} runs into the plot {plot}")
    return problems


def rendered_boxes(figure: go.Figure, layout_boxes, width: int, height: int | None = None):
    figure = go.Figure(figure)
    if height is not None:                    # the pack resizes its domain charts like this
        figure.update_layout(width=width, height=height)
    svg = shared_server(Settings()).render(figure, "svg", width=width,
                                           height=int(figure.layout.height))
    return layout_boxes(svg)


@pytest.mark.parametrize(("case", "name", "width", "height"), CASES)
def test_title_lines_legend_and_plot_keep_apart_inside_the_figure(figures, layout_boxes, case,
                                                                  name, width, height):
    assert layout_problems(rendered_boxes(figures[(case, name)], layout_boxes, width, height)) == []


def test_the_check_finds_the_overlaps_of_the_one_line_label_layout(figures, layout_boxes):
    """The layout before wrapping: the view label and subtitle one <sup> line each in the middle
    of a fixed top margin, the legend above the plot (5 rows at this width)."""
    figure = go.Figure(figures[("longest", "health-by-domain")])
    label = figures["longest view"].label()
    old_title = (f"{HEALTH_TITLE}<br><sup>{label}</sup><br>"
                 "<sup>items by computed health; after each domain, its own health</sup>")
    figure.update_layout(title={"text": old_title, "y": None, "yanchor": "auto", "pad": {"t": 0},
                                "font": {"size": 16}},
                         margin={"t": 100}, height=500, showlegend=True,
                         legend={"orientation": "h", "yanchor": "bottom", "y": 1.0,
                                 "xanchor": "right", "x": 1.0})
    problems = layout_problems(rendered_boxes(figure, layout_boxes, HALF_COLUMN))
    assert any(p.startswith("outside the figure") for p in problems)
    assert any(p.startswith("a title line") and "overlaps" in p for p in problems)


def test_every_title_states_its_view_label_however_it_is_wrapped(figures):
    longest, whole = figures["longest view"], ViewContext(AS_OF, sample=True)
    views = {"longest": longest, "whole plan": whole, "longest in French": replace(longest, lang="fr")}
    for key, figure in figures.items():
        if key != "longest view":
            ctx = views[key[0]]
            assert title_states(figure.layout.title.text, ctx.label()), key
    assert not title_states(figures[("whole plan", "burn-up")].layout.title.text, longest.label())


@pytest.mark.parametrize("name", list(CHARTS))
def test_an_export_with_the_handling_marking_keeps_the_title_below_it(figures, layout_boxes,
                                                                      name):
    marked = ViewContext(AS_OF, settings=replace(Settings(), marking="PROTECTED B"), sample=True)
    svg = static_bytes(figures[("whole plan", name)], "svg", marked, shared_server(Settings()))
    assert layout_problems(layout_boxes(svg)) == []


def test_an_export_of_the_longest_view_states_its_label_once_inside_the_figure(figures,
                                                                               layout_boxes):
    longest = figures["longest view"]
    svg = static_bytes(figures[("longest", "burn-up")], "svg", longest, shared_server(Settings()))
    assert layout_problems(layout_boxes(svg)) == []


def test_only_the_figures_for_the_longest_view_need_more_than_two_label_lines(figures):
    whole = figures[("whole plan", "progress-by-domain")].layout
    longest = figures[("longest", "progress-by-domain")].layout
    assert whole.title.text.count("<br>") == 2          # title, view label, subtitle
    assert longest.title.text.count("<br>") > 4
    assert longest.margin.t > whole.margin.t and longest.height > whole.height


@pytest.mark.parametrize(("text", "width", "expected"), [
    ("", 100, []),
    ("as of 2026-11-24", 1000, ["as of 2026-11-24"]),
    ("alpha beta gamma", text_px("alpha beta", 12) + 1, ["alpha beta", "gamma"]),
    ("x" * 30, text_px("x" * 10, 12), ["x" * 10] * 3),
])
def test_wrapped_lines_fit_the_width(text, width, expected):
    lines = wrapped_lines(text, 12, width)
    assert lines == expected
    assert all(text_px(line, 12) <= width for line in lines)


@pytest.mark.parametrize(("names", "plot_width", "rows"), [
    ([], 500, 0),
    (["Planned", "Actual"], 500, 1),
    (["Red", "Amber", "Green", "Complete", "Not started"], 200, 5),
    (["Red", "Amber", "Green", "Complete", "Not started"], 300, 3),
])
def test_legend_rows_follow_plotly_columns(names, plot_width, rows):
    assert legend_rows(names, 13, plot_width) == rows
