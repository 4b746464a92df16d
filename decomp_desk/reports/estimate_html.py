"""The cost estimate handed to the patient before a course, as HTML for a QTextDocument (no Qt here):
planned sessions x fee, the discount for paying in advance, the insurer's expected share with what it
rests on, the patient's share, what the estimate assumes, and a line for the patient to sign.

Every figure comes from `ctx.estimate` (domain/money.estimate via Insurance.estimate), the same
computation the service and the desk use.
"""
from __future__ import annotations

from decomp_desk.domain.billing import fmt_percent
from decomp_desk.domain.types import Coverage
from decomp_desk.reports.page_data import EstimateContext
from decomp_desk.reports.page_kit import (
    credit,
    e,
    info_table,
    insurance_rows,
    keep_together,
    letterhead_html,
    long_date,
    money,
    not_cleared_banner,
    notes_html,
    page,
    patient_dob,
    signature_html,
    two_columns,
)

TITLE = "Cost estimate"
FULL_TITLE = "Cost estimate for spinal decompression"


def estimate_html(ctx: EstimateContext) -> str:
    return page(
        f"{TITLE} \u2013 {ctx.patient_name} \u2013 chart {ctx.chart_number} \u2013 {long_date(ctx.printed_on)}",
        letterhead_html(ctx.letterhead),
        not_cleared_banner(ctx.not_cleared),
        f'<p class="doc-title">{FULL_TITLE}</p>',
        _patient_block(ctx),
        _figures_block(ctx),
        _notes(ctx),
        signature_html(("Patient's signature", "For the clinic"),
                       "I have read this estimate. I understand that it is not a bill and that I am responsible "
                       "for any part of the charges my insurance does not pay."),
    )


def _course_text(ctx: EstimateContext) -> str:
    region = ctx.region.label if ctx.region is not None else "Spinal decompression"
    text = f"{region}, {ctx.estimate.sessions} sessions planned"
    if ctx.start_date is not None:
        text += f", from {long_date(ctx.start_date)}"
    if ctx.sessions_done:
        text += f" ({ctx.sessions_done} recorded so far)"
    return text


def _patient_block(ctx: EstimateContext) -> str:
    left = [("Patient", e(ctx.patient_name)), ("Chart number", e(ctx.chart_number)),
            ("Date of birth", patient_dob(ctx.date_of_birth))]
    right = [("Date of estimate", e(long_date(ctx.printed_on))), *insurance_rows(ctx.insurance)]
    wide = [("Treatment", e(_course_text(ctx))), ("Procedure code", e(ctx.procedure_description))]
    if ctx.diagnoses:
        wide.append(("Diagnosis codes", "<br>".join(e(d.text) for d in ctx.diagnoses)))
    return info_table(two_columns(left, right), wide)


def _insurer_row_label(ctx: EstimateContext) -> str:
    ins = ctx.insurance
    if ins.self_pay:
        return "Expected insurance share (self-pay: none)"
    if ins.coverage is Coverage.NOT_VERIFIED:
        return f"Expected share from {ins.insurer_label} (coverage not yet verified: estimated as none)"
    if ins.coverage is Coverage.NOT_COVERED:
        return f"Expected share from {ins.insurer_label} (not covered)"
    if ins.coverage is Coverage.COVERED:
        return f"Expected share from {ins.insurer_label} (covered in full)"
    est = ctx.estimate
    if ins.coverage_percent is not None:
        basis = f"{fmt_percent(ins.coverage_percent)} of the course total"
    elif ins.coverage_amount is not None:
        basis = f"{money(ins.coverage_amount)} per session \u00d7 {est.sessions}"
        if est.insurer_share < ins.coverage_amount * est.sessions:
            basis += ", up to the course total"
    else:
        basis = "share not recorded"
    return f"Expected share from {ins.insurer_label} (partly covered: {basis})"


def _figures_block(ctx: EstimateContext) -> str:
    est, d = ctx.estimate, ctx.discount
    rows = [(f"{est.sessions} sessions \u00d7 {money(est.fee_per_session)} per session", money(est.gross), "")]
    if d.percent or d.amount:
        what = fmt_percent(d.percent) if d.percent else money(d.amount)
        rows.append((f"Discount for paying the course in advance ({what})", credit(est.discount), "discount"))
        rows.append(("Course total after the discount", money(est.net), "strong"))
    rows.append((_insurer_row_label(ctx), credit(est.insurer_share), ""))
    rows.append(("Your expected share", money(est.patient_share), "due"))
    body = "".join(
        f'<tr><td class="{cls}">{e(text)}</td><td class="num {cls}">{amount}</td></tr>' for text, amount, cls in rows)
    table = ('<table class="grid" border="0" width="100%" cellspacing="0" cellpadding="5">'
             '<thead><tr><th align="left" width="78%">Estimate</th><th class="num" width="22%">Amount</th></tr></thead>'
             f"{body}</table>")
    return keep_together(table, 14)


def _notes(ctx: EstimateContext) -> str:
    ins, est = ctx.insurance, ctx.estimate
    attention = []
    if not ins.self_pay and ins.coverage is Coverage.NOT_VERIFIED:
        attention.append(f"Your coverage has not been verified with {ins.insurer_label} yet, so this estimate "
                         "assumes the plan pays nothing. We will call the insurer and give you a new estimate "
                         "if it covers part of the treatment.")
    # The recorded coverage decides: the general Medicare notice only where no Medicare share is expected,
    # never beside a deducted "Expected share from Medicare".
    if "medicare" in ins.insurer.lower() and not est.insurer_share:
        attention.append("Medicare generally does not cover spinal decompression; you will be asked to sign an "
                         "Advance Beneficiary Notice (ABN) before your first session.")
    notes = []
    if ins.self_pay:
        notes.append("You are paying for the course yourself (self-pay).")
    elif ins.coverage is Coverage.NOT_COVERED:
        notes.append(f"{ins.insurer_label} told us your plan does not cover spinal decompression; the whole "
                     "course is your responsibility.")
    elif ins.coverage in (Coverage.COVERED, Coverage.PARTLY_COVERED):
        when = f" on {long_date(ins.coverage_verified_on)}" if ins.coverage_verified_on else ""
        notes.append(f"The insurer's share is what {ins.insurer_label} told us{when}. The insurer decides what "
                     "it pays on each claim; any part it does not pay is your responsibility.")
    notes.append(f"This is an estimate, not a bill. You are charged {money(est.fee_per_session)} for each "
                 "session you receive, at the fee in effect on the day; you are not charged for sessions "
                 "you do not have.")
    if ctx.discount.percent or ctx.discount.amount:
        notes.append("The discount for paying the course in advance is credited against the course's charges "
                     "as the sessions are recorded.")
    return notes_html("What this estimate assumes", notes, attention)

