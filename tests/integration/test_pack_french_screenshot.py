"""The French briefing pack's summary page renders (pdftoppm) with French text; `make
screenshots` keeps it as docs/screenshots/pack-summary-fr.png."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

from PIL import Image, ImageStat
from pypdf import PdfReader

from analytics.briefing_notes import save_notes, saved_notes
from analytics.context import plan_view
from analytics.exports.report import build_report
from analytics.plans import plan_by_id
from analytics.settings import Settings
from analytics.store import open_store


def test_french_summary_page_renders(sample_db, tmp_path):
    with open_store(sample_db) as store:
        plan = plan_by_id(store, 1)
        save_notes(store, plan.id, date(2026, 11, 26),
                   "- Quatre domaines accusent un retard sur le plan; la fin prévue a 54 jours "
                   "de retard.\n- L'exécution de la loi en matière d'immigration et l'échange "
                   "d'information sur la cybersécurité sont au rouge.",
                   "- Convenir d'une date de rétablissement pour IMM-02.\n"
                   "- Désigner un responsable pour CIS-07.", by="editor")
        ctx = plan_view(store, plan, settings=Settings(marking="PROTÉGÉ B"), lang="fr")
        pdf = tmp_path / "pack.pdf"
        pdf.write_bytes(build_report(store, ctx, ctx.as_of - timedelta(days=30), "pdf",
                                     notes=saved_notes(store, plan.id)))
    first = PdfReader(pdf).pages[0].extract_text()
    assert "Sommaire — au 24 novembre 2026" in first and "Messages clés" in first
    subprocess.run(["pdftoppm", "-r", "80", "-f", "1", "-l", "1", "-png", str(pdf),
                    str(tmp_path / "summary")], check=True, timeout=300)
    png = next(tmp_path.glob("summary*.png"))
    assert max(ImageStat.Stat(Image.open(png).convert("L")).stddev) > 5
    target = os.environ.get("SCREENSHOTS_DIR")
    if target:
        shutil.copy(png, Path(target) / "pack-summary-fr.png")
