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
