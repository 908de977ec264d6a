"""One health palette, labels and base layout for every figure of Work-Plan Pulse.

Why: a manager reads "red" on the overview, the domain page, the PNG export and
the briefing pack, and it must be the same red each time, distinguishable by
colour-blind readers and in greyscale print (red is dark, amber light, green between;
tests/unit/test_palette.py checks them under a deuteranopia simulation) and never
carried by colour alone (every chart, cell and badge also prints the word). Chart builders in `analytics.charts` and
pages that colour tables import from here.
"""

from __future__ import annotations

from collections.abc import Iterable

import plotly.graph_objects as go

from analytics.charts import layout
from analytics.charts.layout import FULL_WIDTH
from analytics.charts.layout import plain as plain  # re-exported: pages and exports escape with it
from analytics.charts.locale import localised
from analytics.context import ViewContext
from analytics.i18n import N_, translator
from analytics.metrics.health import HEALTH_ORDER as HEALTH_ORDER  # the one order, re-exported

# Dark red, light amber, Okabe-Ito bluish green, blue and grey: lightness L* 38, 77, 58, 46, 63,
# so red and amber differ for deuteranopes and in greyscale (not only in hue).
HEALTH_COLORS = {
    "red": "#B2182B",
    "amber": "#F0B400",
    "green": "#009E73",
    "complete": "#0072B2",
    "not_started": "#999999",
}
HEALTH_LABELS = {
    "red": N_("Red"),
    "amber": N_("Amber"),
    "green": N_("Green"),
    "complete": N_("Complete"),
    "not_started": N_("Not started"),
}
ACTUAL_COLOR = "#0072B2"     # actual progress lines (blue)
PLANNED_COLOR = "#555555"    # planned progress (dark grey, dashed or light bars)
PLANNED_BAR_COLOR = "#C8C8C8"
FONT = {"family": "Inter, Segoe UI, Helvetica, Arial, sans-serif", "size": 13, "color": "#222222"}


def ink_on(color: str) -> str:
    """Black or white: whichever reads better on the fill `color` ('#RRGGBB')."""
    channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if luminance > 0.18 else "#FFFFFF"


def health_label(status: str | None, lang: str = "en") -> str:
    """'Not started' for 'not_started' ('Non commencé' in French); '—' for no status."""
    if status is None or status != status:  # None or NaN
        return "—"
    label = HEALTH_LABELS.get(str(status))
    return translator(lang)(label) if label else str(status)


def titled(title: str, ctx: ViewContext) -> str:
    """'Progress by domain — as of 2026-10-31 · sample data' (the view stated in every title).

    Filter values are user text: '<' and '&' are escaped, since Plotly reads tags in titles.
    """
    return f"{translator(ctx.lang)(title)} — {plain(ctx.label())}"


NOTE_COLOR = "#444444"      # the view label and subtitle under a title


def base_layout(figure: go.Figure, title: str, ctx: ViewContext, *, height: int = 420,
                subtitle: str = "", width: int = FULL_WIDTH, legend: str | None = "top",
                top_axis: bool = False, y_labels: Iterable[str] = ()) -> go.Figure:
    """Title, view label and subtitle wrapped to `width`, the narrowest width the chart is
    drawn at (`analytics.charts.layout` keeps them, the legend and a top axis apart at that
    width or wider); readable font, white background.

    `legend` is "top" (above the plot), "bottom" (below it, for a chart with its x axis on
    top), "key" (a line of coloured squares and names under the subtitle, for a legend too
    wide for one row) or None. `height` is the figure's height with a usual title block:
    each further title or legend line adds its own height, so the plot keeps its size.
    `y_labels` are the category labels left of the plot (the legend wraps within its width).
    """
    _ = translator(ctx.lang)
    title, subtitle = _(title), _(subtitle) if subtitle else subtitle
    entries = legend_entries(figure) if legend else []
    frame = layout.frame(title=title, notes=[ctx.label(), subtitle], width=width,
                         legend=legend, entries=entries, top_axis=top_axis,
                         y_labels=list(y_labels), legend_font_px=FONT["size"],
                         note_color=NOTE_COLOR)
    figure.update_layout(
        title=frame.title,
        font=FONT,
        height=height + frame.extra_height,
        margin=frame.margin,
        plot_bgcolor="white",
        paper_bgcolor="white",
        showlegend=frame.show_legend,
        legend=frame.legend,
        hoverlabel={"font": {"size": 13}},
    )
    figure.update_xaxes(gridcolor="#E5E5E5", zerolinecolor="#BBBBBB", automargin=True)
    figure.update_yaxes(gridcolor="#E5E5E5", zerolinecolor="#BBBBBB", automargin=True)
    return localised(figure, ctx.lang)


def legend_entries(figure: go.Figure) -> list[tuple[str, str | None]]:
    """(name, marker colour when it is one colour) of each trace the legend lists."""
    entries = []
    for trace in figure.data:
        if not trace.name or trace.showlegend is False or trace.type == "heatmap":
            continue
        color = getattr(getattr(trace, "marker", None), "color", None)
        entries.append((trace.name, color if isinstance(color, str) else None))
    return entries


def empty_figure(title: str, ctx: ViewContext, message: str, *,
                 width: int = FULL_WIDTH) -> go.Figure:
    """A titled figure with one centred message, for views with no data."""
    figure = go.Figure()
    figure.add_annotation(text=translator(ctx.lang)(message), showarrow=False, x=0.5, y=0.5, xref="paper",
                          yref="paper", font={"size": 14})
    base_layout(figure, title, ctx, height=300, width=width, legend=None)
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return figure
