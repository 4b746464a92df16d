"""The day sheet for the treatment room: the day's appointments table by table, with who has arrived,
whose session is recorded, who is behind their plan, whose outcome form is due and the balance due.
HTML for a QTextDocument, written with the page kit like every printed page; no Qt here."""
from __future__ import annotations

from decomp_desk.reports.page_data import DaySheet
from decomp_desk.reports.page_kit import e, letterhead_html, long_date, money, page


def status_text(r) -> str:
    a = r.appointment
    return "session recorded" if r.session_recorded else a.status.label.lower()


def day_sheet_html(sheet: DaySheet) -> str:
    book = sheet.book
    title = f"Day sheet {book.date.isoformat()}"
    hours = f"open {book.hours.text}" if book.hours else "closed"
    parts = [letterhead_html(sheet.letterhead),
             f'<p class="doc-title">Day sheet: {e(long_date(book.date))}</p>',
             f'<p class="note">{e(book.date.isoformat())}, {e(hours)}; {len(book.rows)} appointment'
             f'{"s" * (len(book.rows) != 1)} on {len(book.tables)} table{"s" * (len(book.tables) != 1)}.</p>']
    for table in book.tables:
        rows = [r for r in book.rows if r.appointment.table == table]
        parts.append(f"<h2>{e(table)}</h2>")
        if not rows:
            parts.append('<p class="note">No appointments.</p>')
            continue
        html = ['<table width="100%" cellspacing="0" cellpadding="3" class="grid"><tr>'
                "<th>Time</th><th>Patient</th><th>Chart</th><th>Status</th><th>Plan</th>"
                '<th>Outcome form</th><th class="num">Balance due</th></tr>']
        for r in rows:
            a = r.appointment
            plan = (f"{r.behind} behind" if r.behind else "on plan") if r.tracker else "no plan"
            html.append(f"<tr><td>{e(a.span)}</td><td>{e(a.patient_name)}</td><td>{e(a.chart_number)}</td>"
                        f"<td>{e(status_text(r))}</td><td>{e(plan)}</td>"
                        f"<td>{'due' if r.outcome_form_due else ''}</td>"
                        f'<td class="num">{e(money(r.balance_due)) if r.balance_due else ""}</td></tr>')
        html.append("</table>")
        parts.append("".join(html))
    return page(title, *parts)
