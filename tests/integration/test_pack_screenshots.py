"""Every page of the PDF pack and every slide of the deck renders (pdftoppm; LibreOffice for the
slides), none blank; `make screenshots` keeps the summary and a domain page of each in docs/."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from analytics.briefing_notes import save_notes, saved_notes
from analytics.context import plan_view
from analytics.exports.report import build_report
from analytics.plans import plan_by_id
from analytics.settings import Settings
from analytics.store import open_store

KEPT = {"pdf": {1: "pack-summary.png", 10: "pack-domain.png"},
        "pptx": {2: "slide-summary.png", 13: "slide-domain.png"}}


@pytest.fixture(scope="module")
def packs(sample_db_file, tmp_path_factory):
    folder = tmp_path_factory.mktemp("render")
    path = folder / "sample.duckdb"
    shutil.copy(sample_db_file, path)
    with open_store(path) as store:
        plan = plan_by_id(store, 1)
        save_notes(store, plan.id, date(2026, 11, 26),
                   "- Four domains are behind plan; the forecast finish is 54 days late.\n"
                   "- Immigration enforcement and cyber information sharing are red.",
                   "- Agree a recovery date for IMM-02.\n- Name a lead for CIS-07.", by="editor")
        ctx = plan_view(store, plan, settings=Settings(marking="PROTECTED B"))
        notes = saved_notes(store, plan.id)
        for fmt in ("pdf", "pptx"):
            (folder / f"pack.{fmt}").write_bytes(
                build_report(store, ctx, ctx.as_of - timedelta(days=30), fmt, notes=notes))
    return folder


def rendered(pdf: Path, prefix: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(prefix)], check=True,
                   timeout=300)
    return sorted(prefix.parent.glob(prefix.name + "-*.png"))


def slides_pdf(pptx: Path) -> Path:
    profile = pptx.parent / "lo-profile"
    subprocess.run(["libreoffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(pptx.parent / "slides"), str(pptx)],
                   check=True, timeout=600, capture_output=True)
    return pptx.parent / "slides" / "pack.pdf"


def not_blank(png: Path) -> bool:
    """Something is drawn: the page is not one flat colour."""
    return max(ImageStat.Stat(Image.open(png).convert("L")).stddev) > 5


@pytest.mark.parametrize("fmt", ["pdf", "pptx"])
def test_every_page_and_slide_renders_and_a_few_are_kept(packs, fmt):
    source = packs / "pack.pdf" if fmt == "pdf" else slides_pdf(packs / "pack.pptx")
    images = rendered(source, packs / f"{fmt}-page")
    assert len(images) > 10
    assert all(not_blank(png) for png in images)
    target = os.environ.get("SCREENSHOTS_DIR")
    if target:
        for number, name in KEPT[fmt].items():
            shutil.copy(images[number - 1], Path(target) / name)
