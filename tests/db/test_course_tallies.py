"""Each course keeps its session count and last session day (db/course_tallies.py) for the patient list:
every write of a session keeps them, an upgrade counts the sessions already recorded, a tally is not an
edit of the course, and the database check finds one that disagrees with the sessions."""
import threading
from datetime import timedelta

from alembic import command
from sqlalchemy import text

from decomp_desk.db.course_tallies import untallied
from decomp_desk.db.engine import make_engine
from decomp_desk.db.migrate import alembic_config
from decomp_desk.services.backups import database_check
from decomp_desk.services.imports.importing import import_files
from tests.csv_clinic import write_clinic
from tests.factories import DAY0, cleared_patient_with_course, session


def _tallies(services) -> dict[str, tuple]:
    return {r.chart_number: (r.sessions_completed, r.last_session) for r in services.patients.list()}


def _untallied(url) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return untallied(conn)
    finally:
        engine.dispose()


def test_recording_editing_and_importing_sessions_keep_the_tallies(services, db_url, tmp_path):
    p, course = cleared_patient_with_course(services, chart="5001")
    assert _tallies(services)["5001"] == (0, None)
    first = services.sessions.record(course.id, session(DAY0 + timedelta(days=2))).session
    services.sessions.record(course.id, session(DAY0))
    assert _tallies(services)["5001"] == (2, DAY0 + timedelta(days=2))
    services.sessions.update(first.id, session(DAY0 + timedelta(days=5)), first.version)  # the last day moves
    assert _tallies(services)["5001"] == (2, DAY0 + timedelta(days=5))

    before = services.courses.get(course.id)
    assert before.version == course.version  # two sessions later the course's own edit still applies
    import_files(services.ctx, write_clinic(tmp_path))  # whole courses of sessions, inserted in bulk
    assert _untallied(db_url) == 0
    listed = services.patients.list()
    assert all(r.sessions_completed == len(services.sessions.for_course(services.courses.current(r.id).id))
               for r in listed if services.courses.current(r.id) is not None)


def test_an_upgrade_counts_the_sessions_already_recorded(services, db_url):
    p, course = cleared_patient_with_course(services)
    for day in (0, 2, 4):
        services.sessions.record(course.id, session(DAY0 + timedelta(days=day)))
    engine = make_engine(db_url)
    with engine.begin() as conn:  # back to the schema before the tallies, and up again
        command.downgrade(alembic_config(conn), "0006")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    engine.dispose()
    assert _tallies(services)["1001"] == (3, DAY0 + timedelta(days=4))


def test_the_database_check_finds_a_tally_the_sessions_do_not_bear_out(services, db_url):
    p, course = cleared_patient_with_course(services)
    services.sessions.record(course.id, session(DAY0))
    assert database_check.check(db_url).ok
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE courses SET session_count = 7"))
    engine.dispose()
    (problem,) = database_check.check(db_url).problems
    assert problem.startswith("1 treatment course keeps a session count")


def test_two_writers_of_one_course_at_once_leave_a_true_tally(services, db_url):
    """Two workstations record a session of the same course at the same moment: the second waits for the
    first's lock on the course, and its count then includes the first's session (on PostgreSQL a count
    taken with the statement's older snapshot would miss it; SQLite lets one writer in at a time)."""
    from decomp_desk.db.repositories import load_course
    from decomp_desk.services.sessions import add_session

    p, course = cleared_patient_with_course(services)
    ctx = services.ctx
    first_written, let_first_commit = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def write(day: int, before_commit=None) -> None:
        try:
            with ctx.unit_of_work() as s:
                add_session(ctx, s, load_course(s, course.id), session(DAY0 + timedelta(days=day)))
                if before_commit is not None:
                    before_commit()
        except BaseException as e:  # said by the test below
            errors.append(e)

    first = threading.Thread(target=write, args=(0, lambda: (first_written.set(), let_first_commit.wait(10))))
    first.start()
    assert first_written.wait(10)
    second = threading.Thread(target=write, args=(1,))
    second.start()
    second.join(0.5)
    assert second.is_alive()  # waiting for the first writer
    let_first_commit.set()
    first.join(10)
    second.join(10)
    assert not errors
    assert _untallied(db_url) == 0
    assert _tallies(services)["1001"] == (2, DAY0 + timedelta(days=1))
