"""reports/pages.py: every page is made from its data with the one kit, and its figures are exactly the
images its HTML names; reports/page_kit.py: the kit's CSS reaches a QTextDocument (a tag in pages.css, even
in a comment, once ended the style element early and every printed page lost its look)."""
from __future__ import annotations

import re
from datetime import date

import pytest

from decomp_desk.domain.clinic_outcomes import clinic_report
from decomp_desk.reports.page_data import Attendance, ClinicReportPage, Letterhead
from decomp_desk.reports.page_kit import CSS, page
from decomp_desk.reports.pages import printed_page


def images_named(html: str) -> set[str]:
    return set(re.findall(r'<img src="([^"]+)"', html))


def test_the_summary_and_the_clinic_report_are_made_with_the_kit_and_carry_the_figures_they_name(progress, make_ctx):
    pages = [printed_page(make_ctx(progress)),
             printed_page(ClinicReportPage("Riverside", "a4", date(2026, 3, 5), clinic_report([]),
                                           Attendance(10, 1, 2)))]
    for p in pages:
        assert p.html.count(f"<style>{CSS}</style>") == 1
        assert images_named(p.html) == set(p.figures) != set()
    assert pages[0].name == "Progress summary of Margaret O'Connor" and pages[0].what == "progress summary"
    assert pages[1].chart_number is None and pages[1].paper_size == "a4"


def test_a_page_of_unknown_data_is_refused():
    with pytest.raises(TypeError, match="no printed page is made of a Letterhead"):
        printed_page(Letterhead("Clinic", "", ""))


def test_the_kits_css_takes_effect_in_a_document(qapp):
    from decomp_desk.reports.pdf_writer import build_document

    assert "<" not in CSS  # an HTML tag would end the page's style element where it stands
    doc = build_document(page("Title", '<p class="title">Heading</p>'))
    assert doc.begin().charFormat().foreground().color().name() == "#1f3b57"
    assert doc.begin().charFormat().fontPointSize() == 14
