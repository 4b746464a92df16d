"""The patient's statement as HTML for a QTextDocument (no Qt here): letterhead with the tax id, the
patient and insurance, the procedure code and each course's ICD-10-CM codes, every charge, discount
and payment (a voided one struck through and not counted), and the balance due.

Every figure is read from `ctx.account` (domain/billing.py), the same object the desk's Billing tab
and the account service show, so the page and the screen cannot disagree.
"""
from __future__ import annotations

from decomp_desk.domain.billing import Account, CourseAccount, PaymentView
from decomp_desk.domain.types import Coverage
from decomp_desk.reports.page_data import StatementContext
from decomp_desk.reports.page_kit import (
    DASH,
    credit,
    e,
    info_table,
    insurance_rows,
    keep_together,
    letterhead_html,
    lines,
    long_date,
    medium_date,
    money,
    notes_html,
    page,
    patient_dob,
    two_columns,
)

TITLE = "Statement"


def statement_html(ctx: StatementContext) -> str:
    a = ctx.account
    return page(
        f"{TITLE} \u2013 {a.patient_name} \u2013 chart {a.chart_number} \u2013 {long_date(ctx.printed_on)}",
        letterhead_html(ctx.letterhead),
        f'<p class="doc-title">{TITLE}</p>',
        _patient_block(ctx),
        _due_block(a),
        *[_course_block(c) for c in a.courses],
        _no_charges(a),
        _payments_block(a),
        _totals_block(a),
        _notes(ctx),
    )


def _patient_block(ctx: StatementContext) -> str:
    a = ctx.account
    address = "<br>".join(lines(ctx.address))
    left = [("Patient", e(a.patient_name)), ("Chart number", e(a.chart_number)),
            ("Date of birth", patient_dob(ctx.date_of_birth)), ("Address", address)]
    right = [("Statement date", e(long_date(ctx.printed_on))), *insurance_rows(a.insurance)]
    return info_table(two_columns(left, right), [("Procedure code", e(ctx.procedure_description))])


def _due_block(a: Account) -> str:
    if a.balance < 0:
        headline = f"Credit balance: {money(-a.balance)}"
    elif a.balance == 0:
        headline = "Balance due: $0.00 (paid in full)"
    else:
        headline = f"Balance due: {money(a.balance)}"
    headline = e(headline)
    if a.insurance_pending:
        headline += (f'<br><span class="sub">Your share once {e(a.insurance.insurer_label)} pays: '
                     f"{money(a.balance - a.insurance_pending)}</span>")
    parts = [f"Charges {money(a.charges)}"]
    if a.discounts:
        parts.append(f"discounts {credit(a.discounts)}")
    parts.append(f"payments {credit(a.paid)}")
    if a.insurance_pending:
        parts.append(f"expected from {a.insurance.insurer_label} {money(a.insurance_pending)}")
    return ('<table width="100%" cellspacing="0" cellpadding="8" style="margin-top: 8px;"><tr>'
            f'<td class="due" width="45%" valign="middle">{headline}</td>'
            f'<td class="due" width="55%" align="right" valign="middle"><span class="sub">{e(" · ".join(parts))}</span></td>'
            "</tr></table>")


def _course_heading(c: CourseAccount) -> str:
    since = f"from {long_date(c.start_date)}"
    if c.end_date is not None:
        since += f" to {long_date(c.end_date)}"
    codes = "; ".join(d.text for d in c.diagnoses) if c.diagnoses else "none recorded on the course"
    return (f'<p class="section" style="margin-top: 0px;">{e(c.title)} '
            f'<span class="sub">{e(since)} \u00b7 {e(c.status.label.lower())} \u00b7 '
            f'{len(c.charges)} of {c.planned_sessions} planned sessions</span></p>'
            f'<p class="note">Diagnosis codes (ICD-10-CM): {e(codes)}</p>')


def _course_block(c: CourseAccount) -> str:
    """The course's charges. The heading is the table's first header row, so it repeats on every page
    the list runs onto and is never left alone at the foot of a page."""
    html = [
        '<table class="grid" border="0" width="100%" cellspacing="0" cellpadding="2" style="margin-top: 12px;"><thead>',
        f'<tr><td colspan="4" class="caption">{_course_heading(c)}</td></tr>',
        '<tr><th align="left" width="16%">Date</th><th align="left" width="10%">Code</th>'
        '<th align="left" width="56%">Description</th><th class="num" width="18%">Amount</th></tr></thead>',
    ]
    if not c.charges:
        html.append(f'<tr><td>{DASH}</td><td>&nbsp;</td><td>No sessions charged yet</td>'
                    f'<td class="num">{money(c.charged)}</td></tr>')
    for line in c.charges:
        html.append(f"<tr><td>{e(medium_date(line.date))}</td><td>{e(line.code)}</td>"
                    f'<td>{e(line.description)}</td><td class="num">{money(line.amount)}</td></tr>')
    if c.has_discount:
        html.append(f'<tr><td>&nbsp;</td><td>&nbsp;</td><td class="discount">{e(c.discount_description())}</td>'
                    f'<td class="num discount">{credit(c.discount_amount)}</td></tr>')
    html.append(f'<tr><td colspan="3" class="strong">Charges for this course</td>'
                f'<td class="num strong">{money(c.net)}</td></tr>')
    html.append("</table>")
    return "".join(html)


def _no_charges(a: Account) -> str:
    if a.courses:
        return ""
    return '<p style="margin-top: 12px;">No treatment has been charged yet.</p>'


def _payment_row(p: PaymentView) -> str:
    when, method = e(medium_date(p.paid_on)), e(p.method.label)
    reference = e(p.reference) or "&nbsp;"
    if not p.voided:
        return (f"<tr><td>{when}</td><td>{method}</td><td>{reference}</td>"
                f'<td class="num">{credit(p.amount)}</td></tr>')
    why = f": {p.void_reason}" if p.void_reason else ""
    return (f'<tr><td class="voided"><span class="struck">{when}</span></td>'
            f'<td class="voided"><span class="struck">{method}</span></td>'
            f'<td class="voided"><span class="tag">VOIDED</span> {e("not counted" + why)}</td>'
            f'<td class="num voided"><span class="struck">{money(p.amount)}</span></td></tr>')


def _payments_block(a: Account) -> str:
    html = [
        '<table class="grid" border="0" width="100%" cellspacing="0" cellpadding="2" style="margin-top: 14px;"><thead>',
        '<tr><td colspan="4" class="caption"><p class="section" style="margin-top: 0px;">Payments</p></td></tr>',
        '<tr><th align="left" width="16%">Date</th><th align="left" width="14%">Method</th>'
        '<th align="left" width="52%">Reference</th><th class="num" width="18%">Amount</th></tr></thead>',
    ]
    if not a.payments:
        html.append(f'<tr><td>{DASH}</td><td>&nbsp;</td><td>No payments received yet</td>'
                    f'<td class="num">{money(a.paid)}</td></tr>')
    html.extend(_payment_row(p) for p in a.payments)
    html.append(f'<tr><td colspan="3" class="strong">Payments received</td>'
                f'<td class="num strong">{credit(a.paid)}</td></tr>')
    html.append("</table>")
    return "".join(html)


def _totals_block(a: Account) -> str:
    rows = [("Total charges", money(a.charges), "")]
    if a.discounts:
        rows.append(("Discounts", credit(a.discounts), ""))
    rows.append(("Payments received", credit(a.paid), ""))
    label = "Credit balance" if a.balance < 0 else "Balance due"
    rows.append((label, money(abs(a.balance)), "total"))
    if a.insurance_pending:
        rows.append((f"Expected from {a.insurance.insurer_label}, not yet received", money(a.insurance_pending), "label"))
        rows.append(("Your share of the balance", money(a.balance - a.insurance_pending), "value"))
    body = "".join(
        f'<tr><td width="40%">&nbsp;</td><td width="42%" class="{cls or "value"}">{e(text)}</td>'
        f'<td width="18%" class="num {cls or "value"}">{amount}</td></tr>'
        for text, amount, cls in rows)
    return keep_together(f'<table width="100%" cellspacing="0" cellpadding="3">{body}</table>', 14)


def _notes(ctx: StatementContext) -> str:
    a, lh = ctx.account, ctx.letterhead
    notes = []
    if not a.insurance.self_pay and a.insurance.coverage in (Coverage.COVERED, Coverage.PARTLY_COVERED):
        notes.append(f"Payments from {a.insurance.insurer_label} are credited when we receive them; any part "
                     "your plan does not pay is your responsibility.")
    if a.balance > 0 and lh.name.strip():
        notes.append(f"Please make checks payable to {lh.name.strip()} and write your chart number "
                     f"({a.chart_number}) on them.")
    if a.balance < 0:
        notes.append(f"Your credit of {money(-a.balance)} is applied to your next sessions, or refunded on request.")
    if lh.phone.strip():
        notes.append(f"Questions about this statement? Call us at {lh.phone.strip()}.")
    voided = [p for p in a.payments if p.voided]
    if voided:
        # The reason recorded is printed on the payment's line; no reason is assumed here.
        notes.append("A voided payment is shown struck through, with the reason recorded, and is not counted.")
    return notes_html("Notes", notes) if notes else ""
