"""The summary page's HTML: every figure of DOMAIN.md "Progress", escaped, for 0, 1 and many sessions."""
from __future__ import annotations

from dataclasses import replace

import pytest

from decomp_desk.reports.page_data import Letterhead, SummaryContext
from decomp_desk.reports.summary_html import CHART_RESOURCE, TITLE, summary_html


def test_the_page_carries_the_figures(make_ctx, progress):
    html = summary_html(make_ctx(progress))
    assert TITLE == "Spinal decompression progress summary" and TITLE in html
    for text in ("Riverside Spine &amp; Chiropractic", "1200 Elm Street, Suite 4<br>Springfield, IL 62704",
                 "(217) 555-0142", "Margaret O&#x27;Connor", "C-1042", "May 14, 1968", "Lumbar (low back)",
                 "Herniated or ruptured disc, Sciatica", "Active", "March 2, 2026 \u2013 March 11, 2026",
                 "5 of 30", "Dr. Daniel Reyes, DC", "Signature", "Meaningful pain improvement: yes"):
        assert text in html, text
    assert f'<img src="{CHART_RESOURCE}"' in html
    # baseline / latest / change / improvement rows
    assert "<td>Pain</td><td class=\"center\">8</td><td class=\"center\">4</td>" in html
    assert "\u22124" in html and "50%" in html and "40%" in html
    assert "n/a" in html  # tingling baseline is 0
    assert "Your pain has fallen from 8 to 4 out of 10 (50% less) over 5 sessions" in html


def test_every_session_is_listed_with_its_notes(make_ctx, progress):
    html = summary_html(make_ctx(progress))
    for day in ("Mar 2, 2026", "Mar 4, 2026", "Mar 6, 2026", "Mar 9, 2026", "Mar 11, 2026"):
        assert day in html
    assert "Stop button (min 12)" in html
    assert "Muscle spasm; soreness" in html
    assert "Stop button pressed in 1 session:" in html
    assert "Adverse events: 1" in html and "muscle spasm" in html
    assert "not counted as an adverse event" in html  # soreness is shown, not counted


def test_all_text_is_escaped(make_ctx, progress):
    ctx = make_ctx(progress, patient_name="<b>Ann & \"Bo\"</b>", chart_number="<script>",
                   letterhead=Letterhead("A & B <Clinic>", "1 <Main> St", "555 & 1"),
                   conditions=("<i>Sciatica</i>",), clinician="Dr <X>")
    html = summary_html(ctx)
    for raw in ("<b>Ann", "<script>", "<Clinic>", "<Main>", "<i>Sciatica", "Dr <X>"):
        assert raw not in html
    for escaped in ("&lt;b&gt;Ann &amp; &quot;Bo&quot;&lt;/b&gt;", "&lt;script&gt;", "A &amp; B &lt;Clinic&gt;",
                    "1 &lt;Main&gt; St", "Dr &lt;X&gt;"):
        assert escaped in html


def test_no_sessions_gives_a_sensible_page(make_ctx, empty_progress):
    html = summary_html(make_ctx(empty_progress))
    assert "0 of 30" in html and "No sessions yet" in html
    assert "No sessions have been recorded yet" in html
    assert CHART_RESOURCE not in html
    assert "Signature" in html and "Margaret" in html


def test_one_session_gives_a_sensible_page(make_ctx, one_progress):
    html = summary_html(make_ctx(one_progress, date_of_birth=None))
    assert "1 of 30" in html and "March 2, 2026" in html
    assert "You have completed your first session" in html
    assert "Starting scores recorded" in html
    assert "Meaningful pain improvement" not in html
    assert "begins with your second session" in html


def test_no_improvement_is_said_plainly(make_ctx, points):
    from decomp_desk.domain.progress import compute_progress

    flat = compute_progress([replace(p, before=replace(p.before, pain=6)) for p in points], 20)
    html = summary_html(make_ctx(flat))
    assert "Meaningful pain improvement: no" in html and "5 of 20" in html


def test_only_html_that_qtextdocument_understands(make_ctx, progress):
    html = summary_html(make_ctx(progress)).lower()
    for unsupported in ("display:", "flex", "float:", "position:", "grid-template", "<div"):
        assert unsupported not in html


def test_paper_size_is_checked(make_ctx, progress):
    with pytest.raises(ValueError):
        make_ctx(progress, paper_size="legal")
    assert isinstance(make_ctx(progress, paper_size="a4"), SummaryContext)
