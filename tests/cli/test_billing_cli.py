"""`balances [--json]`, `statement` and `estimate` from the command line, on both databases."""
from __future__ import annotations

import json
from decimal import Decimal as D

from decomp_desk.cli import main
from tests.reports.conftest import pdf_pages_text
from tests.services.billing_helpers import course_with_sessions, pay


def run(db_url, capsys, *argv) -> tuple[int, str, str]:
    code = main(["--database", db_url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_balances_json_is_domain_md_s_list(services, db_url, capsys):
    p, _ = course_with_sessions(services, "1001", n=15, fee=D("85.00"))
    pay(services, p.id, "275.00")
    code, out, err = run(db_url, capsys, "balances", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == [{"chart_number": "1001", "fee_per_session": "85.00", "sessions_charged": 15,
                                "charges": "1275.00", "payments": "275.00", "balance": "1000.00"}]
    code, out, _ = run(db_url, capsys, "balances")
    assert code == 0 and "1001" in out and "Lee, Ann" in out and "1 owes $1,000.00 in all" in out


def test_statement_and_estimate_write_pdfs(services, db_url, capsys, tmp_path):
    p, _ = course_with_sessions(services, "1001", n=3, fee=D("85.00"))
    pay(services, p.id, "55.00")
    code, out, err = run(db_url, capsys, "statement", "1001", "--output", str(tmp_path / "s.pdf"))
    assert (code, err) == (0, "") and "balance $200.00" in out
    assert "Balance due: $200.00" in " ".join(pdf_pages_text(tmp_path / "s.pdf"))
    code, out, err = run(db_url, capsys, "estimate", "1001", "--output", str(tmp_path / "e.pdf"))
    assert (code, err) == (0, "") and "patient's share $2,550.00" in out
    code, out, err = run(db_url, capsys, "estimate", "1001", "--output", str(tmp_path / "p.pdf"), "--sessions", "20",
                         "--fee", "60", "--discount-percent", "10")
    assert code == 0 and "20 sessions, patient's share $1,080.00" in out


def test_refusals_are_sentences(services, db_url, capsys, tmp_path):
    course_with_sessions(services, "1001", n=1)
    code, _, err = run(db_url, capsys, "statement", "9999", "--output", str(tmp_path / "s.pdf"))
    assert code == 1 and err.strip() == "There is no patient with chart number 9999."
    code, _, err = run(db_url, capsys, "statement", "1001", "--output", str(tmp_path / "missing" / "s.pdf"))
    assert code == 1 and "does not exist" in err and "Traceback" not in err
    code, _, err = run(db_url, capsys, "estimate", "1001", "--output", str(tmp_path / "e.pdf"), "--fee", "-85")
    assert code == 1 and err.strip() == "fee per session: must not be negative"
