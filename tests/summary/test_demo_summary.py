"""The demo writes the panel's summary with a previous round to compare with, and the year's report."""

from __future__ import annotations

import subprocess

from voice_service.demo import run_demo


def test_demo_summary_compares_with_last_quarter(services, tmp_path):
    produced = run_demo(services, out_dir=tmp_path, participants=14, echo=lambda _line: None)
    html = produced["summary_html"].read_text(encoding="utf-8")
    assert "Compared with round" in html and "At a glance" in html and "since last round" in html
    assert "last round" in html  # the previous round's bars beside this round's
    assert produced["coverage_html"].read_text(encoding="utf-8").count("Pledge coverage") >= 1
    info = subprocess.run(["pdfinfo", str(produced["summary_pdf"])], capture_output=True, text=True, check=True)
    assert "Tagged:          yes" in info.stdout
    young = (tmp_path / f"round-{produced['round_id']}-young-people.txt").read_text(encoding="utf-8")
    assert "/r/" in young and "Thank you" in young


def test_the_demo_goes_on_without_pdfs_when_weasyprint_cannot_load(services, tmp_path, monkeypatch):
    """No Pango on this machine (WeasyPrint's import fails): the tour still writes the HTML and Markdown,
    and says which package the PDFs need."""
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` now raises ImportError
    lines: list[str] = []
    produced = run_demo(services, out_dir=tmp_path, participants=14, echo=lines.append)
    assert "summary_pdf" not in produced and "coverage_pdf" not in produced
    assert produced["summary_html"].exists() and produced["summary_md"].exists()
    assert not list(tmp_path.glob("*.pdf"))
    said = "\n".join(lines)
    assert "No PDFs" in said and "libpango-1.0-0" in said and ".pdf" not in said.split("8. ")[1].split("\n")[0]
