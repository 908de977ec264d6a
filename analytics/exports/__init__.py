"""Exports: files a manager can take into a meeting (images, HTML, CSV, XLSX, reports).

Why: the dashboard is not always open where decisions are made. Every chart and
table leaves the app as a finished file that says which date and which slice of
the plan it describes (`ViewContext.label()` inside, `ViewContext.file_name()`
outside) and is safe to open (no spreadsheet formulas from user text, no CDN).

Callers: `pages/_downloads.py` (download buttons on every page), `pages/report.py`,
the CLI (`analytics/cli/exports.py`) and the briefing-pack builders in this package.
Modules: `images` (kaleido PNG/SVG/PDF and self-contained HTML), `tables` (CSV/XLSX),
`report_pdf` and `report_pptx` (the briefing pack).
"""

from __future__ import annotations

from analytics.errors import WorkplanError

CHART_FORMATS = ("png", "svg", "pdf", "html")
STATIC_FORMATS = ("png", "svg", "pdf")
TABLE_FORMATS = ("csv", "xlsx")
REPORT_FORMATS = ("pdf", "pptx")

MIME_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


class ExportUnavailable(WorkplanError):
    """A static image export needs Chrome or Chromium and none was found."""
