"""The one kit every printed page is written with: escaping, money, dates and signed numbers, the page
shell with its CSS, the letterhead, label/value tables, keep-together blocks, notes, signature lines and
the not-cleared banner. HTML for a QTextDocument, no Qt here.

Only the HTML/CSS subset QTextDocument understands: tables (cellpadding/cellspacing, per-cell borders
with border-collapse), font sizes in pt, colours, margins; no flexbox, no floats, no positioning. Every
piece of text from the database goes through `e` (html.escape)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import escape

from decomp_desk.domain.billing import Insurance
from decomp_desk.domain.money import fmt_dollars
from decomp_desk.reports.page_data import Letterhead
from decomp_desk.resource_files import PAGES_CSS, read_text

DASH = "\u2014"
MINUS = "\u2212"
NOT_AVAILABLE = "n/a"

# The look lives in resources/pages.css (shared by every printed page), kept deliberately small there:
# QTextDocument ignores what it does not know, silently.
CSS = read_text(PAGES_CSS)

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


# --- text, numbers, dates ----------------------------------------------------------------------------

def e(value: object) -> str:
    """`value` as HTML text (quotes escaped too, so it is safe in an attribute)."""
    return escape(str(value), quote=True)


def lines(text: str) -> list[str]:
    """The non-blank lines of `text` (a multi-line address), each escaped."""
    return [e(line.strip()) for line in (text or "").splitlines() if line.strip()]


def long_date(d: date | None) -> str:
    """March 2, 2026 (spelled out: reads the same to a US and a European patient)."""
    if d is None:
        return DASH
    return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"


def medium_date(d: date) -> str:
    return f"{_MONTHS[d.month - 1][:3]} {d.day}, {d.year}"


def signed(n: int) -> str:
    """+2, 0, −3 (a true minus sign)."""
    if n > 0:
        return f"+{n}"
    if n < 0:
        return f"{MINUS}{-n}"
    return "0"


def percent(p: int | None) -> str:
    return NOT_AVAILABLE if p is None else f"{p}%"


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def money(value: Decimal) -> str:
    """'$1,275.00' with a true minus sign for a negative amount."""
    return fmt_dollars(value).replace("-", MINUS)


def credit(value: Decimal) -> str:
    """An amount taken off: '−$255.00'."""
    return f"{MINUS}{fmt_dollars(value)}" if value else fmt_dollars(value)


# --- blocks ------------------------------------------------------------------------------------------

def page(title: str, *parts: str) -> str:
    """The whole HTML document; `title` is also the running footer and the PDF's title."""
    return "\n".join(["<html><head>", f"<title>{e(title)}</title>", f"<style>{CSS}</style>",
                      "</head><body>", *[p for p in parts if p], "</body></html>"])


def letterhead_html(lh: Letterhead, *, tax_id: bool = True) -> str:
    """Clinic name on the left; address, phone (and the tax id, on the pages about money) on the right;
    a rule below."""
    contact = lines(lh.address)
    if lh.phone.strip():
        contact.append(f"Phone {e(lh.phone.strip())}")
    if tax_id and lh.tax_id.strip():
        contact.append(f"Tax ID {e(lh.tax_id.strip())}")
    return ('<table class="letterhead" width="100%" cellspacing="0" cellpadding="0"><tr>'
            f'<td valign="bottom"><span class="clinic">{e(lh.name) or "&nbsp;"}</span></td>'
            f'<td valign="bottom" align="right" class="letterhead">{"<br>".join(contact) or "&nbsp;"}</td>'
            "</tr></table>")


def keep_together(inner: str, margin_top: int = 0) -> str:
    """`inner` in a one-cell table, the page writer's mark for "keep on one page" (reports/pdf_writer.py
    starts such a table on a new page rather than split it), so a heading stays with what it heads and a
    signature line with the name above it. (A margin at the top of a cell is ignored by QTextDocument, so
    the gap above a section is the table's.)"""
    return (f'<table width="100%" cellspacing="0" cellpadding="0" style="margin-top: {margin_top}px;">'
            f"<tr><td>{inner}</td></tr></table>")


def not_cleared_banner(sentence: str) -> str:
    """The warning at the top of a page about a patient who is not cleared ("" when cleared): on every
    page that could lead to a session (the progress summary, the cost estimate)."""
    if not sentence:
        return ""
    return ('<table width="100%" cellspacing="0" cellpadding="8" style="margin-top: 8px;">'
            f'<tr><td class="not-cleared">{e(sentence)}</td></tr></table>')


def info_table(rows: list[tuple[tuple[str, str], tuple[str, str]]],
               wide: list[tuple[str, str]] | tuple[tuple[str, str], ...] = ()) -> str:
    """Label/value pairs in two columns, then `wide` pairs across the page; values are HTML (escaped first)."""
    html = ['<table width="100%" cellspacing="0" cellpadding="2" style="margin-top: 6px;">']
    for (l1, v1), (l2, v2) in rows:
        html.append(f'<tr><td width="16%" class="label" valign="top">{e(l1)}</td>'
                    f'<td width="36%" class="value" valign="top">{v1 or DASH}</td>'
                    f'<td width="18%" class="label" valign="top">{e(l2)}</td>'
                    f'<td width="30%" class="value" valign="top">{v2 or DASH}</td></tr>')
    for label, value in wide:
        html.append(f'<tr><td class="label" valign="top">{e(label)}</td>'
                    f'<td colspan="3" class="value" valign="top">{value or DASH}</td></tr>')
    html.append("</table>")
    return "".join(html)


def two_columns(left: list[tuple[str, str]],
                right: list[tuple[str, str]]) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """Pair the rows of two columns, the shorter one padded with blank rows."""
    blank = ("", "&nbsp;")
    n = max(len(left), len(right))
    return list(zip(left + [blank] * (n - len(left)), right + [blank] * (n - len(right)), strict=True))


def notes_html(heading: str, notes: list[str], attention: list[str] | tuple[str, ...] = ()) -> str:
    """A short section of notes (plain sentences, escaped here); `attention` ones come first, in red."""
    body = [f'<p class="attention">{e(n)}</p>' for n in attention]
    body += [f'<p class="note">{e(n)}</p>' for n in notes]
    return keep_together(f'<p class="section">{e(heading)}</p>' + "".join(body), 14)


def signature_html(signers: tuple[str, ...], statement: str = "") -> str:
    """A signature line and a date line for each signer, kept on one page with the sentence they sign."""
    line = '<p style="margin-top: 26px;">&nbsp;</p><hr><p class="label">{}</p>'
    rows = "".join(f'<tr><td width="58%">{line.format(e(who))}</td><td width="6%">&nbsp;</td>'
                   f'<td width="36%">{line.format("Date")}</td></tr>' for who in signers)
    lead = f'<p class="note">{e(statement)}</p>' if statement else ""
    return keep_together(lead + f'<table width="100%" cellspacing="0" cellpadding="0">{rows}</table>', 18)


# --- the patient and the insurance (the statement, the cost estimate) --------------------------------

def patient_dob(d: date | None) -> str:
    return e(long_date(d)) if d else DASH


def verified_text(ins: Insurance) -> str:
    if not ins.verified or ins.coverage_verified_on is None:
        return "Not yet verified" if not ins.self_pay else DASH
    by = f" by {ins.coverage_verified_by}" if ins.coverage_verified_by else ""
    return f"{medium_date(ins.coverage_verified_on)}{by}"


def insurance_rows(ins: Insurance) -> list[tuple[str, str]]:
    """(label, escaped value) for the insurer, member number, coverage and its verification."""
    if ins.self_pay:
        return [("Insurance", e(ins.coverage_text())), ("", "&nbsp;"), ("", "&nbsp;")]
    return [("Insurer", e(ins.insurer_label)), ("Member / policy no.", e(ins.policy_number) or DASH),
            ("Coverage", e(ins.coverage_text())), ("Verified", e(verified_text(ins)))]
