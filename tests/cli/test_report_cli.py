"""`decomp-desk report` through the installed script: a real PDF whose text carries the course's figures."""
import shutil
import subprocess
from datetime import timedelta

from pypdf import PdfReader

from tests.factories import DAY0, cleared_patient_with_course, session


def test_report_writes_the_progress_summary(services, tmp_path):
    _, course = cleared_patient_with_course(services, "5001", first="Nora", last="Quinn")
    for i, pain in enumerate((8, 7, 5)):
        services.sessions.record(course.id, session(DAY0 + timedelta(days=2 * i), pain=pain))
    out = tmp_path / "summary.pdf"
    result = subprocess.run([shutil.which("decomp-desk"), "--database", services.url, "report", "5001",
                             "--output", str(out)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out).pages)
    assert "Nora Quinn" in text and "5001" in text and "3 of 30" in text and "38%" in text


def test_report_for_an_unknown_chart_is_a_plain_error(services, tmp_path):
    result = subprocess.run([shutil.which("decomp-desk"), "--database", services.url, "report", "nope",
                             "--output", str(tmp_path / "x.pdf")], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "Traceback" not in result.stderr and "nope" in result.stderr
