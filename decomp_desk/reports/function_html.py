"""The function section of the printed progress summary (ODI or NDI, and the PSFS), in the same HTML
subset as reports/summary_html.py, written with the page kit, in words a patient understands."""
from __future__ import annotations

from decomp_desk.domain.outcomes import (
    BAND_WORDS,
    MEANINGFUL_FALL,
    MEANINGFUL_PSFS_RISE,
    FunctionProgress,
    Instrument,
    InstrumentSummary,
)
from decomp_desk.reports.page_kit import DASH, e, keep_together, signed

FUNCTION_CHART_RESOURCE = "function.png"


def _signed(value) -> str:
    return DASH if value is None else signed(value)


def _score(s: InstrumentSummary, f) -> str:
    if f is None:
        return DASH
    return f"{f.score}%" if s.instrument.has_sections else f"{f.score} of 10"


def _row(s: InstrumentSummary) -> str:
    first, last = s.baseline, s.latest
    band = (last.band or "") if last is not None else ""
    meaningful = DASH if s.meaningful is None else ("yes" if s.meaningful else "not yet")
    change = _signed(s.change) + ("" if s.change is None else (" points" if s.instrument.has_sections else ""))
    return (f"<tr><td>{e(s.instrument.label)}</td>"
            f'<td class="center">{e(_score(s, first))}</td><td class="center">{e(_score(s, last))}</td>'
            f'<td class="center">{e(change)}</td><td class="center">{e(band or DASH)}</td>'
            f'<td class="center">{e(meaningful)}</td></tr>')


def function_block(fp: FunctionProgress | None, sessions: int) -> str:
    """Empty when the course has no form at all (nothing to say beyond the symptoms)."""
    if fp is None or not fp.has_forms:
        return ""
    s = fp.summary
    html = ['<p class="section">Daily function</p>',
            f'<table width="100%" cellspacing="0" cellpadding="7"><tr><td class="result">{e(s.plain_sentence())}'
            + (f"<br>{e(fp.psfs.plain_sentence())}" if fp.psfs else "") + "</td></tr></table>",
            '<table class="grid" border="0" width="100%" cellspacing="0" cellpadding="4" style="margin-top: 6px;">'
            '<thead><tr><th align="left" width="34%">Questionnaire</th><th class="center">Baseline</th>'
            '<th class="center">Latest</th><th class="center">Change</th><th class="center">Band</th>'
            '<th class="center">Meaningful</th></tr></thead>',
            _row(s)]
    if fp.psfs:
        html.append(_row(fp.psfs))
    html.append("</table>")
    threshold = MEANINGFUL_FALL[fp.instrument]
    band_words = "; ".join(f"{band}: {words}" for band, words in BAND_WORDS.items()
                           if band in {f.band for f in s.forms if f.band})
    html.append(f'<p class="muted" style="margin-top: 4px;">The {e(fp.instrument.label)} scores how much your '
                f"{'back' if fp.instrument is Instrument.ODI else 'neck'} limits daily life, from 0% (not at all) "
                f"to 100%; lower is better, and a fall of {threshold} points or more counts as a meaningful "
                f"improvement. {e(band_words.capitalize())}"
                + (f". The PSFS scores the activities you named from 0 (unable) to 10 (as before the problem); "
                   f"a rise of {MEANINGFUL_PSFS_RISE} or more is meaningful." if fp.psfs else ".") + "</p>")
    if len(fp.points) >= 1:
        html.append(f'<p align="center" style="margin-top: 4px;"><img src="{FUNCTION_CHART_RESOURCE}"></p>'
                    f'<p class="muted">Your {e(fp.instrument.short)} score at the sessions it was taken '
                    "(shaded bands from the lightest, least limited).</p>")
    if fp.missing:
        html.append(f'<p class="muted">A re-check form was not filled in at session'
                    f"{'s' if len(fp.missing) > 1 else ''} {e(', '.join(map(str, fp.missing)))}.</p>")
    return keep_together("".join(html), 16)
