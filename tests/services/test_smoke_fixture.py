from decomp_desk.domain.validation import PatientInput


def test_fixture_gives_a_fresh_database(services):
    assert services.patients.list() == []
    services.patients.create(PatientInput("1", "A", "B"))
    assert [p.chart_number for p in services.patients.list()] == ["1"]
