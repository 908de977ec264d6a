"""Room for a chart's title block and legend: text widths, wrapped lines, margins.

Why: Plotly never wraps a title, and a horizontal legend on top is drawn wherever the
margin puts it, so a long view label ("as of ... · domain: ... ; owner: ...", every
owner of the plan selected) ran off the figure and through the legend. `palette.base_layout`
asks `frame` to wrap the title, the view label and the subtitle to the narrowest width the
chart is drawn at (FULL_WIDTH or HALF_WIDTH: a page at 1366 px), and to give the top margin
one band for those lines, one below it for the legend's rows (wrapped as Plotly wraps them,
within the plot's width) and one for a top axis, so none reaches another at that width or
any wider one; a legend that would need several rows can be a "key" line in the title block
instead. tests/unit/test_chart_layout.py renders every registered chart with kaleido and
checks the boxes Chromium lays out.

Widths are estimated from per-character advances taken as the larger of Liberation Sans
(Arial's metrics, about what Helvetica, Arial and Segoe UI measure) and DejaVu Sans (the
widest fallback a Linux browser picks), so an estimate is not narrower than the text drawn.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Advance widths in em, rounded up to 0.05: max(Liberation Sans, DejaVu Sans) per character.
_ADVANCES = (
    (0.30, "ijlI'"), (0.35, ",./:;\\| ·’"), (0.40, "ft()-[]"), (0.45, "r!"), (0.50, 'J"*`'),
    (0.55, "csz"), (0.60, "kvxyL?_–"), (0.65, "0123456789abdeghnopquFT${}"),
    (0.70, "ABEKPSVXYZ"), (0.75, "CNRU"), (0.80, "DGHOQ&"), (0.85, "w#+<=>^~÷−"),
    (0.90, "M"), (1.00, "mW%—…"), (1.05, "@"),
)
ADVANCE = {char: em for em, chars in _ADVANCES for char in chars}
OTHER_EM = 0.75          # letters outside the table (é, ç, ...)
WIDE_EM = 1.05           # CJK and other full-width characters

FULL_WIDTH = 900   # narrowest full-width chart: a page at 1366 px with the sidebar open (906 px)
HALF_WIDTH = 440   # a chart in one of two columns of that page (445 px)
TITLE_PX, NOTE_PX = 16, 12          # the title line(s); the view label, subtitle and key lines
TITLE_FONT_PX = 13                  # the title element's own size: Plotly spaces lines 1.3 x this
# The title hangs from the plot's top edge (so a strip added above the chart, like the export's
# handling marking, moves it down too); Plotly puts its first baseline at that edge less pad.b,
# which is chosen to leave TITLE_PAD["t"] from the first baseline to the top of the figure.
TITLE_PAD = {"t": 24, "l": 10}
MARGIN = {"l": 10, "r": 20}
GAP_PX = 8                          # between the title block, the legend and the plot
TOP_AXIS_PX = 30                    # date ticks of an x axis drawn on top
REFERENCE_TOP = 100                 # the top margin a figure's `height` assumes
REFERENCE_BOTTOM = 40               # the bottom margin a figure's `height` assumes
KEY_SWATCH = "■"
LEGENDS = {
    "top": {"orientation": "h", "traceorder": "normal", "yref": "paper", "y": 1.0,
            "yanchor": "bottom", "x": 1.0, "xanchor": "right"},
    "bottom": {"orientation": "h", "traceorder": "normal", "yref": "paper", "y": 0.0,
               "yanchor": "top", "x": 0.0, "xanchor": "left"},
}
LINE_SPACING = 1.3       # Plotly's line height, in units of the text element's font size
LEGEND_ROW_PX = 21       # one row of a horizontal legend at font size 13
LEGEND_PAD_PX = 6        # the legend box's padding above and below its rows
LEGEND_SYMBOL_PX = 46    # symbol, gap before the text and gap after it (Plotly: 30 + 2 x 5 + 5)


def text_px(text: str, size: float) -> float:
    """Width of plain `text` at font `size` px: at least what Arial-like fonts and DejaVu Sans draw."""
    return size * sum(_advance(char) for char in text)


def _advance(char: str) -> float:
    if char in ADVANCE:
        return ADVANCE[char]
    return WIDE_EM if unicodedata.east_asian_width(char) in ("W", "F") else OTHER_EM


def wrapped_lines(text: str, size: float, width: float) -> list[str]:
    """`text` broken at spaces into lines no wider than `width` px ('' gives no lines).

    A word wider than the line on its own is cut into pieces that fit.
    """
    lines: list[str] = []
    line = ""
    for word in text.split():
        for piece in _pieces(word, size, width):
            candidate = f"{line} {piece}" if line else piece
            if line and text_px(candidate, size) > width:
                lines.append(line)
                line = piece
            else:
                line = candidate
    return [*lines, line] if line else lines


def _pieces(word: str, size: float, width: float) -> Iterable[str]:
    piece = ""
    for char in word:
        if piece and text_px(piece + char, size) > width:
            yield piece
            piece = char
        else:
            piece += char
    if piece:
        yield piece


def legend_rows(names: list[str], size: float, plot_width: float) -> int:
    """Rows a horizontal legend of `names` takes over a plot `plot_width` px wide.

    As Plotly lays it out: one row when every entry fits the plot's width, else columns as
    wide as the widest entry, as many as fit (at least one).
    """
    entries = [LEGEND_SYMBOL_PX + text_px(name, size) for name in names]
    if not entries:
        return 0
    if sum(entries) <= plot_width:
        return 1
    columns = max(1, int(plot_width // max(entries)))
    return math.ceil(len(entries) / columns)


def legend_px(rows: int) -> int:
    """Height of a horizontal legend of `rows` rows (0 for none)."""
    return 0 if rows == 0 else LEGEND_PAD_PX * 2 + LEGEND_ROW_PX * rows



def plain(text: str) -> str:
    """Text with '&', '<' and '>' as entities, so Plotly shows it instead of parsing tags."""
    return html.escape(str(text), quote=False)


@dataclass(frozen=True)
class Frame:
    """What `frame` decides: the title, margins, legend and the height a figure adds."""

    title: dict
    margin: dict
    legend: dict
    show_legend: bool
    extra_height: int


def frame(*, title: str, notes: list[str], width: int, legend: str | None,
          entries: list[tuple[str, str | None]], top_axis: bool, y_labels: list[str],
          legend_font_px: float, note_color: str) -> Frame:
    """Title lines, note lines (view label, subtitle) and legend for a figure drawn at
    `width` px or wider; `entries` are the legend's (name, colour) in trace order."""
    room = width - TITLE_PAD["l"] - MARGIN["r"]
    head_px = heading_px(title, room)
    lines = [_styled(plain(line), head_px) for line in wrapped_lines(title, head_px, room)]
    for note in notes:
        lines += [_styled(plain(line), NOTE_PX, note_color, weight="normal")
                  for line in wrapped_lines(note, NOTE_PX, room)]
    if legend == "key":
        lines += [_styled(line, NOTE_PX, weight="normal")
                  for line in key_lines(entries, NOTE_PX, room)]
    names = [name for name, _ in entries] if legend in LEGENDS else []
    rows = legend_rows(names, legend_font_px, plot_width_px(width, y_labels, legend_font_px))
    below_title = GAP_PX                       # the bands between the title and the plot
    if legend == "top" and rows:
        below_title += legend_px(rows) + GAP_PX
    if top_axis:
        below_title += TOP_AXIS_PX
    top = title_bottom_px(len(lines)) + below_title
    bottom = REFERENCE_BOTTOM       # room for x tick labels; a bottom legend's chart has none
    if legend == "bottom" and rows:
        bottom = legend_px(rows) + 2 * GAP_PX
    return Frame(
        title={"text": "<br>".join(lines), "x": 0.0, "xref": "container", "xanchor": "left",
               "y": 1.0, "yref": "paper", "yanchor": "bottom",
               "pad": {"l": TITLE_PAD["l"], "b": top - TITLE_PAD["t"]},
               "font": {"size": TITLE_FONT_PX}},
        margin={"t": top, "b": bottom, **MARGIN},
        legend=LEGENDS.get(legend or "", {}),
        show_legend=bool(names),
        extra_height=max(0, top - REFERENCE_TOP) + bottom - REFERENCE_BOTTOM,
    )


def heading_px(title: str, room: float) -> int:
    """The heading's font size: TITLE_PX when it fits on one line of `room` px; otherwise the
    title element's own size, at which Plotly's line spacing keeps wrapped lines apart (16 px
    lines 1.3 x 13 px apart overlap)."""
    return TITLE_PX if len(wrapped_lines(title, TITLE_PX, room)) <= 1 else TITLE_FONT_PX


def title_states(title: str, label: str) -> bool:
    """Whether a figure's title text (tags, entities, wrapped lines and all) states `label`,
    e.g. the view label `frame` wrapped over several lines."""
    words = " ".join(re.sub(r"<[^>]+>", " ", title).split())
    return " ".join(plain(label).split()) in words


def _styled(markup: str, size: int, color: str | None = None, weight: str | None = None) -> str:
    """A line in its own size (and colour, weight: Streamlit's theme makes titles bold)."""
    style = f"font-size:{size}px" + (f";color:{color}" if color else "")
    style += f";font-weight:{weight}" if weight else ""
    return f'<span style="{style}">{markup}</span>'


def key_lines(entries: list[tuple[str, str | None]], size: float, width: float) -> list[str]:
    """A legend written as text: '■ Red   ■ Amber ...' (each square in its trace's colour),
    broken between entries into lines no wider than `width` px."""
    lines, line, used = [], [], 0.0
    for name, color in entries:
        entry_px = text_px(f"{KEY_SWATCH} {name}   ", size)
        if line and used + entry_px > width:
            lines.append(line)
            line, used = [], 0.0
        swatch = (f'<span style="color:{color};font-size:{size + 3:g}px">{KEY_SWATCH}</span>'
                  if color else KEY_SWATCH)
        line.append(f"{swatch} {plain(name)}")
        used += entry_px
    return ["   ".join(entries_) for entries_ in [*lines, line] if entries_]


def title_bottom_px(lines: int) -> int:
    """Where the title's last line ends, from the top of the figure: the first baseline,
    Plotly's line spacing (1.3 x the title element's size) per further line, a descent."""
    return math.ceil(TITLE_PAD["t"] + LINE_SPACING * TITLE_FONT_PX * (lines - 1) + 0.35 * TITLE_PX)


def plot_width_px(width: int, y_labels: list[str], size: float) -> float:
    """The plot's width within a figure `width` px wide: less the margins and the y labels
    (the widest category label at font `size`, or room for numeric ticks)."""
    labels = [text_px(str(label), size) for label in y_labels]
    return width - MARGIN["l"] - MARGIN["r"] - (max(labels) + 12 if labels else 60)
