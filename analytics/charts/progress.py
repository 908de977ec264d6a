"""Progress figures: actual against planned by domain, health mix, burn-up and SPI(t) trend.

Why: the overview and domain pages, the chart exports and the briefing pack all
draw these figures; building them here (pure functions of the frames that
`analytics.metrics` returns, plus the `ViewContext`) means the page, the PNG and
the report show the same picture. The `build_*` functions run the queries
themselves and are registered in `analytics.charts.CHARTS`.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from analytics.charts.layout import HALF_WIDTH
from analytics.charts.palette import (
    ACTUAL_COLOR,
    HEALTH_COLORS,
    HEALTH_LABELS,
    HEALTH_ORDER,
    PLANNED_BAR_COLOR,
    PLANNED_COLOR,
    base_layout,
    empty_figure,
    health_label,
    ink_on,
    plain,
)
from analytics.context import ViewContext
from analytics.formatting import ratio, whole_pp
from analytics.i18n import N_, NBSP, format_percent, translator
from analytics.store import Store

PROGRESS_TITLE = N_("Progress by domain")
HEALTH_TITLE = N_("Health mix by domain")
BURN_UP_TITLE = N_("Burn-up: actual against planned progress")
SPI_TITLE = N_("Schedule performance SPI(t) over time")
DOMAIN_BURN_UP_TITLE = N_("Domain burn-up: actual against planned progress")


def _number(value) -> float | None:
    """A float, or None for None/NaN/NA."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _pct_text(value, lang: str = "en") -> str:
    number = _number(value)
    return "—" if number is None else format_percent(number, lang, 0)


def _reasons(groups: pd.DataFrame) -> list[str]:
    """Each group's health reason, escaped for Plotly and wrapped for a hover label."""
    reasons = groups["reason"].fillna("") if "reason" in groups else [""] * len(groups)
    return [_wrapped(plain(reason)) for reason in reasons]


def _wrapped(text: str, width: int = 70) -> str:
    """Text broken into lines of about `width` characters at '; ' and spaces (<br>)."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "<br>".join([*lines, line])


def _bar_height(rows: int) -> int:
    return max(320, 130 + 46 * rows)


def progress_by_domain(groups: pd.DataFrame, ctx: ViewContext) -> go.Figure:
    """Horizontal bars per domain: planned (grey) and actual (coloured by health), labelled."""
    if groups.empty:
        return empty_figure(PROGRESS_TITLE, ctx, N_("No items in this view."))
    _, lang = translator(ctx.lang), ctx.lang
    names = [plain(g) for g in groups["group"]]
    planned = [_number(v) or 0.0 for v in groups["planned_pct"]]
    actual = [_number(v) or 0.0 for v in groups["actual_pct"]]
    health = list(groups["health"])
    variance = [_number(v) for v in groups["variance_pp"]]
    figure = go.Figure()
    figure.add_trace(go.Bar(
        y=names, x=planned, orientation="h", name=_("Planned"), marker_color=PLANNED_BAR_COLOR,
        text=[_("planned {pct}").format(pct=_pct_text(p, lang)) for p in planned],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}<br>" + _("planned {pct}").format(pct="%{x:.1f}%") + "<extra></extra>",
    ))
    actual_text = [f"{_pct_text(a, lang)} · {health_label(h, lang)}"
                   + ("" if v is None else f" ({whole_pp(v, lang=lang)})")
                   for a, h, v in zip(actual, health, variance, strict=True)]
    figure.add_trace(go.Bar(
        y=names, x=actual, orientation="h", name=_("Actual (colour = group health)"),
        marker_color=[HEALTH_COLORS.get(str(h), ACTUAL_COLOR) for h in health],
        text=actual_text, textposition="outside", cliponaxis=False,
        customdata=_reasons(groups),
        hovertemplate="%{y}<br>" + _("actual {pct}").format(pct="%{text}")
                      + "<br>%{customdata}<extra></extra>",
    ))
    base_layout(figure, PROGRESS_TITLE, ctx, height=_bar_height(len(names)), y_labels=names,
                subtitle=N_("actual progress against the plan; colour and label = the domain's "
                            "health"))
    figure.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    figure.update_xaxes(range=[0, 135], ticksuffix="%" if ctx.lang == "en" else NBSP + "%",
                        title_text="", tickvals=[0, 25, 50, 75, 100])
    figure.update_yaxes(autorange="reversed", type="category")
    return figure


def health_by_domain(groups: pd.DataFrame, ctx: ViewContext) -> go.Figure:
    """Stacked horizontal bars: how many items of each domain are red, amber, green, ..."""
    if groups.empty:
        return empty_figure(HEALTH_TITLE, ctx, N_("No items in this view."), width=HALF_WIDTH)
    _, lang = translator(ctx.lang), ctx.lang
    names = [f"{plain(g)} · {health_label(h, lang)}"
             for g, h in zip(groups["group"], groups["health"], strict=True)]
    reasons = _reasons(groups)
    figure = go.Figure()
    for status in HEALTH_ORDER:
        counts = [int(_number(v) or 0) for v in groups[status]]
        figure.add_trace(go.Bar(
            y=names, x=counts, orientation="h", name=_(HEALTH_LABELS[status]),
            marker_color=HEALTH_COLORS[status],
            text=[str(c) if c else "" for c in counts], textposition="inside",
            insidetextanchor="middle", textfont={"color": ink_on(HEALTH_COLORS[status])},
            customdata=reasons,
            hovertemplate="%{y}<br>" + _("{health} items: {count}").format(
                health=_(HEALTH_LABELS[status]), count="%{x}") + "<br>%{customdata}<extra></extra>",
        ))
    base_layout(figure, HEALTH_TITLE, ctx, height=_bar_height(len(names)), width=HALF_WIDTH,
                legend="key",
                subtitle=N_("items by computed health; after each domain, its own health"))
    figure.update_layout(barmode="stack", bargap=0.3)
    figure.update_xaxes(title_text="")
    figure.update_yaxes(autorange="reversed", type="category")
    return figure


def burn_up(frame: pd.DataFrame, ctx: ViewContext, *, title: str = BURN_UP_TITLE) -> go.Figure:
    """Actual (solid) and planned (dashed) cumulative % complete, week by week up to as-of."""
    if frame.empty:
        return empty_figure(title, ctx, N_("No progress recorded up to this date."),
                            width=HALF_WIDTH)
    _, lang = translator(ctx.lang), ctx.lang
    frame = frame.sort_values("week_end")
    weeks = list(frame["week_end"])
    figure = go.Figure()
    last = frame.iloc[-1]
    figure.add_trace(go.Scatter(
        x=weeks, y=[_number(v) for v in frame["planned_pct"]],
        name=_("Planned ({pct})").format(pct=_pct_text(last["planned_pct"], lang)),
        mode="lines", line={"color": PLANNED_COLOR, "dash": "dash", "width": 2},
        hovertemplate="%{x|%Y-%m-%d}<br>" + _("planned {pct}").format(pct="%{y:.1f}%")
                      + "<extra></extra>",
    ))
    figure.add_trace(go.Scatter(
        x=weeks, y=[_number(v) for v in frame["actual_pct"]],
        name=_("Actual ({pct})").format(pct=_pct_text(last["actual_pct"], lang)),
        mode="lines", line={"color": ACTUAL_COLOR, "width": 3},
        hovertemplate="%{x|%Y-%m-%d}<br>" + _("actual {pct}").format(pct="%{y:.1f}%")
                      + "<extra></extra>",
    ))
    base_layout(figure, title, ctx, height=400, width=HALF_WIDTH)
    figure.update_yaxes(range=[0, 105], ticksuffix="%", title_text=_("% complete"))
    return figure


def spi_trend(frame: pd.DataFrame, ctx: ViewContext, *, title: str = SPI_TITLE) -> go.Figure:
    """SPI(t) week by week with the on-schedule line at 1.0 (below 1 = behind schedule)."""
    values = [] if frame.empty else [_number(v) for v in frame.sort_values("week_end")["spi_t"]]
    if not any(v is not None for v in values):
        return empty_figure(title, ctx, N_("No schedule performance to show up to this date."),
                            width=HALF_WIDTH)
    _, lang = translator(ctx.lang), ctx.lang
    frame = frame.sort_values("week_end")
    figure = go.Figure()
    figure.add_trace(go.Scatter(
        x=list(frame["week_end"]), y=values, name=_("SPI(t)"), mode="lines+markers",
        line={"color": ACTUAL_COLOR, "width": 3}, marker={"size": 5},
        hovertemplate="%{x|%Y-%m-%d}<br>SPI(t) %{y:.2f}<extra></extra>",
    ))
    last = next(v for v in reversed(values) if v is not None)
    figure.add_hline(y=1.0, line={"color": PLANNED_COLOR, "dash": "dash"},
                     annotation_text=_("1.0 = on schedule"), annotation_position="top left")
    figure.add_annotation(x=list(frame["week_end"])[values.index(last)], y=last,
                          text=_("SPI(t)") + " " + ratio(last, lang=lang), showarrow=True, arrowhead=0, ax=-30, ay=40,
                          font={"color": ACTUAL_COLOR})
    top = max([v for v in values if v is not None] + [1.2])
    base_layout(figure, title, ctx, height=360, width=HALF_WIDTH, legend=None,
                subtitle=N_("earned schedule ÷ time elapsed; below 1.0 = behind schedule"))
    figure.update_yaxes(range=[0, min(top * 1.1, 3.0)], title_text=_("SPI(t)"))
    return figure


def domain_groups(store: Store, ctx: ViewContext) -> pd.DataFrame:
    """The frame the by-domain charts are drawn from (and their text alternatives)."""
    from analytics import metrics

    return metrics.group_metrics(store, ctx, "domain")


def overall_weeks(store: Store, ctx: ViewContext) -> pd.DataFrame:
    """The weekly frame the burn-up and SPI(t) charts are drawn from."""
    from analytics import metrics

    return metrics.burn_up(store, ctx, by="overall")


def build_progress_by_domain(store: Store, ctx: ViewContext) -> go.Figure:
    return progress_by_domain(domain_groups(store, ctx), ctx)


def build_health_by_domain(store: Store, ctx: ViewContext) -> go.Figure:
    return health_by_domain(domain_groups(store, ctx), ctx)


def build_burn_up(store: Store, ctx: ViewContext) -> go.Figure:
    return burn_up(overall_weeks(store, ctx), ctx)


def build_domain_burn_up(store: Store, ctx: ViewContext) -> go.Figure:
    """The burn-up of the items the filters select (the CLI passes --domain as a filter,
    and the label in the title names it)."""
    return burn_up(overall_weeks(store, ctx), ctx, title=DOMAIN_BURN_UP_TITLE)


def build_spi_trend(store: Store, ctx: ViewContext) -> go.Figure:
    return spi_trend(overall_weeks(store, ctx), ctx)
