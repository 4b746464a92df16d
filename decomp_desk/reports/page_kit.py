"""What the statement and the cost estimate share: the letterhead with the tax id, the patient and
insurance panel, money cells, notes and the signature lines. HTML for a QTextDocument, no Qt here;
the look (CSS) is the progress summary's, so every page the clinic hands over matches."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import escape

from decomp_desk.domain.billing import Insurance
from decomp_desk.domain.money import fmt_dollars
from decomp_desk.reports.context import Letterhead
from decomp_desk.reports.summary_html import CSS as SUMMARY_CSS
from decomp_desk.reports.summary_html import DASH, MINUS, long_date, medium_date

__all__ = ["CSS", "DASH", "e", "long_date", "medium_date", "money", "credit", "letterhead_html", "info_table", "two_columns",
           "insurance_rows", "keep_together", "notes_html", "signature_html", "page"]

CSS = SUMMARY_CSS  # resources/pages.css: the statement and the estimate's classes are there too


def e(value: object) -> str:
    return escape(str(value), quote=True)


def _lines(text: str) -> list[str]:
    return [e(line.strip()) for line in (text or "").splitlines() if line.strip()]


def money(value: Decimal) -> str:
    """'$1,275.00' with a true minus sign for a negative amount."""
    return fmt_dollars(value).replace("-", MINUS)


def credit(value: Decimal) -> str:
    """An amount taken off: '−$255.00'."""
    return f"{MINUS}{fmt_dollars(value)}" if value else fmt_dollars(value)


def page(title: str, *parts: str) -> str:
    """The whole HTML document; `title` is also the running footer and the PDF's title."""
    return "\n".join(["<html><head>", f"<title>{e(title)}</title>", f"<style>{CSS}</style>",
                      "</head><body>", *[p for p in parts if p], "</body></html>"])


def letterhead_html(lh: Letterhead) -> str:
    """Clinic name on the left; address, phone and tax id on the right; a rule below."""
    contact = _lines(lh.address)
    if lh.phone.strip():
        contact.append(f"Phone {e(lh.phone.strip())}")
    if lh.tax_id.strip():
        contact.append(f"Tax ID {e(lh.tax_id.strip())}")
    return ('<table class="letterhead" width="100%" cellspacing="0" cellpadding="0"><tr>'
            f'<td valign="bottom"><span class="clinic">{e(lh.name) or "&nbsp;"}</span></td>'
            f'<td valign="bottom" align="right" class="letterhead">{"<br>".join(contact) or "&nbsp;"}</td>'
            "</tr></table>")


def info_table(rows: list[tuple[tuple[str, str], tuple[str, str]]], wide: list[tuple[str, str]] = ()) -> str:
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


def two_columns(left: list[tuple[str, str]], right: list[tuple[str, str]]) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """Pair the rows of two columns, the shorter one padded with blank rows."""
    blank = ("", "&nbsp;")
    n = max(len(left), len(right))
    return list(zip(left + [blank] * (n - len(left)), right + [blank] * (n - len(right))))


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


def keep_together(inner: str, margin_top: int = 0) -> str:
    """A one-cell table: reports/pdf.py starts it on a new page rather than split it."""
    return (f'<table width="100%" cellspacing="0" cellpadding="0" style="margin-top: {margin_top}px;">'
            f"<tr><td>{inner}</td></tr></table>")


def notes_html(heading: str, notes: list[str], attention: list[str] = ()) -> str:
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


def patient_dob(d: date | None) -> str:
    return e(long_date(d)) if d else DASH
