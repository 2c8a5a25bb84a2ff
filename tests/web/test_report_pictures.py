"""The demo team's printed report, looked at as a reader would: pages rendered to pictures and checked for ink.
The pictures of page 1 and of a page where a table breaks are kept in docs/screenshots/."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from tracker.audit.notes import new_signing_key_pem
from tracker.bootstrap import build_services
from tracker.confidentiality import MasterKey
from tracker.config import Settings
from tracker.demo import load_demo
from tracker.web import create_app

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def ink(png: Path) -> float:
    """Share of pixels that are not white, from a greyscale PGM rendering of the same page."""
    pgm = png.with_suffix(".pgm")
    data = pgm.read_bytes()
    header_end = data.index(b"255\n") + 4
    pixels = data[header_end:]
    return sum(1 for value in pixels if value < 200) / len(pixels)


def test_the_demo_report_prints_with_ink_on_every_page_and_repeated_table_headers(tmp_path, clock):
    settings = Settings(f"sqlite:///{tmp_path}/demo.sqlite3", tmp_path / "instance")
    settings.instance_dir.mkdir()
    settings.signing_key_file.write_text(new_signing_key_pem())
    services = build_services(settings, master_key=MasterKey.generate(), clock=clock)
    team_ids = load_demo(services.app, by="cli:test")
    services.signed_log.sign_head()
    app = create_app({"TESTING": True, "SECRET_KEY": "test"}, services=services)
    pdf = app.test_client().get(f"/teams/{team_ids[0]}/report.pdf", headers={"Accept-Language": "en"}).data
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(path), str(tmp_path / "page")], check=True)
    subprocess.run(["pdftoppm", "-gray", "-r", "20", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 4
    assert all(ink(page) > 0.002 for page in pages), "a blank page"
    texts = [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True, check=True
        ).stdout.decode()
        for n in range(1, len(pages) + 1)
    ]
    assert all("Нариман" in text for text in texts[1:]), "the team's name on every page"
    assert all(re.search(rf"\b{n}\s*/\s*{len(pages)}\b", text) for n, text in enumerate(texts, start=1)), "page numbers"
    # where the commitments table runs over a page break, the next page starts again with its header row
    break_page = next(n for n in range(2, len(texts) + 1) if "NAR-" in texts[n - 1] and "NAR-" in texts[n - 2])
    assert texts[break_page - 1].index("Reference") < texts[break_page - 1].index("NAR-")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(pages[0], SCREENSHOTS / "report-page-1.png")
    shutil.copy(pages[break_page - 1], SCREENSHOTS / "report-table-break.png")
    services.close()
