"""CSV import: bad rows reported by line, good rows kept, re-import updates."""

import io
from datetime import date

import pytest
from sqlalchemy import select
from sqlmodel import Session

from voice_service.db import session_scope
from voice_service.models import Participant, ParticipantStatus
from voice_service.participants.importer import (
    CsvShapeError,
    ignored_note,
    import_participants,
    parse_date_of_birth,
    status_age_problem,
)

GOOD_AND_BAD = """phone,first_name,status,date_of_birth,area
07700 900401,Amira,in_care,2011-03-04,North
07700 900402,Jay,care_leaver,15/06/2004,South
,NoPhone,in_care,2011-01-01,North
07700 900404,Kai,adopted,2011-01-01,North
07700 900405,Leah,in_care,2031-01-01,North
07700 900406,Zed,in_care,1st May,North
07700 900407,Too,in_care,2011-01-01,North,extra
07700 900408,,in_care,,
"""


def run_import(services, text):
    with session_scope(services.engine) as session:
        return import_participants(session=session, vault=services.vault, handle=io.StringIO(text))


def test_bad_rows_are_reported_by_line_and_good_rows_kept(services):
    report = run_import(services, GOOD_AND_BAD)
    assert report.created == 3
    lines = dict(report.problems)
    assert sorted(lines) == [4, 5, 6, 7, 8]
    assert "phone number is empty" in lines[4]
    assert "in_care or care_leaver" in lines[5] and "'adopted'" in lines[5]
    assert "future" in lines[6]
    assert "not a date" in lines[7]
    assert "too many fields" in lines[8]
    for _, message in report.problems:
        assert "07700" not in message


def test_phone_numbers_are_stored_encrypted(services):
    run_import(services, GOOD_AND_BAD)
    with Session(services.engine) as session:
        people = session.exec(select(Participant)).scalars().all()
    for person in people:
        # Whole numbers, in every form: a short piece like "7700" turns up in a random hex hash by chance.
        for stored in (person.phone_encrypted, person.phone_hash):
            assert not any(f"7700900{n}" in stored for n in ("401", "402", "408")), stored
    assert {services.vault.decrypt(p.phone_encrypted) for p in people} == {
        "+447700900401",
        "+447700900402",
        "+447700900408",
    }


def test_reimport_updates_rather_than_duplicates(services):
    run_import(services, GOOD_AND_BAD)
    report = run_import(
        services,
        # Amira, born 2011, is in care still: a care leaver is 16 or over (trial 10, T10-8); her area changes.
        "phone,first_name,status,date_of_birth,area\n+447700900401,Amira,in_care,2011-03-04,East\n07700900402,Jay,care_leaver,2004-06-15,South\n",
    )
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    with Session(services.engine) as session:
        amira = session.exec(select(Participant).where(Participant.first_name == "Amira")).scalars().one()
        assert (amira.status, amira.area) == ("in_care", "East")
        assert len(session.exec(select(Participant)).scalars().all()) == 3


@pytest.mark.parametrize(
    "header, needles",
    [
        ("first_name,status\n", ['missing: phone (a heading such as "Phone", "Mobile" or "Phone number")']),
        (
            "Name,Home phone,DOB\n",
            ["missing: phone (", 'status (a heading such as "Status"', "headings are: 'Name', 'Home phone', 'DOB'"],
        ),
        ("Mobile,Phone number,Status\n", ["'Mobile' and 'Phone number' are both read as phone"]),
    ],
)
def test_a_wrong_header_is_explained(services, header, needles):
    with pytest.raises(CsvShapeError) as raised:
        run_import(services, header)
    for needle in needles:
        assert needle in str(raised.value)


COUNCIL_EXPORT = (
    "\ufeffMobile Number,First Name,Legal Status,Date of Birth,Locality,Social worker,Notes\n"
    "07700 900421,Grace,In care,2011-05-05,East,Pat Smith,Moved placement in May\n"
    "07700 900422,Ella,Care leaver,03/04/2005,North,Lee Jones,Likes football\n"
)


@pytest.mark.parametrize(
    "header",
    [
        "phone,first_name,status,date_of_birth,area",
        "Phone,First Name,Status,Date of Birth,Area",
        "PHONE, first-name ,STATUS,DOB,Area",
        "Mobile,Forename,Status,D.O.B.,District",
        "Phone number,first_name,Legal status,date of birth,locality",
        "Mobile number,Given name,Care status,Birth date,Area",
    ],
)
def test_headings_are_read_as_a_council_writes_them(services, header):
    # Tester T1: "First Name" and "Date of Birth" refused the whole file.
    report = run_import(services, header + "\n07700 900421,Grace,In care,2011-05-05,East\n")
    assert (report.created, report.problems, report.ignored) == (1, [], [])
    with Session(services.engine) as session:
        grace = session.exec(select(Participant)).scalars().one()
    assert (grace.first_name, grace.status, grace.date_of_birth.isoformat(), grace.area) == (
        "Grace",
        "in_care",
        "2011-05-05",
        "East",
    )


def test_columns_not_needed_are_left_out_unread_and_named(services):
    report = run_import(services, COUNCIL_EXPORT)
    assert (report.created, report.problems) == (2, [])
    assert report.ignored == ["Social worker", "Notes"]
    assert ignored_note(report.ignored) == 'columns not needed, so not read or kept: "Social worker", "Notes"'
    with Session(services.engine) as session:
        people = session.exec(select(Participant)).scalars().all()
        stored = " ".join(str(value) for person in people for value in person.model_dump().values())
    assert sorted(p.first_name for p in people) == ["Ella", "Grace"]
    for kept_out in ("Pat Smith", "Lee Jones", "placement", "football"):
        assert kept_out not in stored


REPEATED = """phone,first_name,status,date_of_birth,area
07700 900401,Amira,in_care,2011-03-04,North
07700 900402,Jay,care_leaver,15/06/2004,South
+447700900401,Someone Else,care_leaver,2005-01-01,East
"""


def test_a_number_repeated_in_one_file_is_a_bad_row_and_the_first_is_kept(services):
    report = run_import(services, REPEATED)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert report.problems == [(4, "same phone number as line 2 (the first row is kept)")]
    with Session(services.engine) as session:
        names = sorted(p.first_name for p in session.exec(select(Participant)).scalars())
    assert names == ["Amira", "Jay"]


def test_statuses_as_a_councils_spreadsheet_writes_them(services):
    # Tester F19: "care leaver" and "In care" were refused.
    text = (
        "phone,first_name,status,date_of_birth,area\n"
        "07700 900411,Ash,In care,2011-01-01,North\n"
        "07700 900412,Bo,Care leaver,2004-01-01,North\n"
        "07700 900413,Cy,care-leaver,2004-01-01,North\n"
        "07700 900414,Di,in care please,2011-01-01,North\n"
    )
    report = run_import(services, text)
    assert report.created == 3 and [line for line, _ in report.problems] == [5]
    with Session(services.engine) as session:
        statuses = sorted(session.execute(select(Participant.status)).scalars())
    assert statuses == ["care_leaver", "care_leaver", "in_care"]


def test_the_command_line_names_the_columns_it_left_out(services, tmp_path):
    from click.testing import CliRunner

    from tests.outbox.helpers import environment
    from voice_service.cli import main

    path = tmp_path / "council.csv"
    path.write_text(COUNCIL_EXPORT, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["participants", "import", str(path)], env=environment(services.config) | {"VOICE_CONFIG": ""}
    )
    assert result.exit_code == 0, result.output
    assert 'council.csv: columns not needed, so not read or kept: "Social worker", "Notes"' in result.output
    assert "imported: 2 new" in result.output


def test_the_command_line_says_plainly_when_the_file_is_not_utf8(services, tmp_path):
    """Excel's default "CSV (Comma delimited)" is Windows-1252 ("Zo\\xeb"): the command gives the dashboard's
    message and exits 1, not a traceback (trial finding 37); a UTF-8 file with Excel's BOM imports."""
    from click.testing import CliRunner

    from tests.outbox.helpers import environment
    from voice_service.cli import main

    env = environment(services.config) | {"VOICE_CONFIG": ""}
    path = tmp_path / "cp1252.csv"
    path.write_bytes(b"Mobile number,Forename,Legal status,DOB\r\n07700 900851,Zo\xeb,CLA,03/04/2012\r\n")
    result = CliRunner().invoke(main, ["participants", "import", str(path)], env=env)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert 'cp1252.csv: the file is not UTF-8 text: in Excel, "Save as" and choose "CSV UTF-8"' in result.output
    assert "Traceback" not in result.output
    with Session(services.engine) as session:
        assert session.execute(select(Participant.id)).first() is None
    path.write_bytes("\ufeffMobile number,Forename,Legal status,DOB\r\n07700 900851,Zoë,CLA,03/04/2012\r\n".encode())
    result = CliRunner().invoke(main, ["participants", "import", str(path)], env=env)
    assert result.exit_code == 0, result.output
    assert "imported: 1 new" in result.output


def test_looked_after_and_its_short_forms_are_in_care(services):
    # Tester T2: "Looked after" (the statutory term) was refused.
    text = (
        "phone,first_name,status,date_of_birth,area\n"
        "07700 900431,Ann,Looked after,2011-01-01,North\n"
        "07700 900432,Bea,LAC,2011-01-01,North\n"
        "07700 900433,Cat,CLA,2011-01-01,North\n"
        "07700 900434,Dot,looked-after child,2011-01-01,North\n"
        "07700 900435,Eve,Child in care,2011-01-01,North\n"
        "07700 900436,Fay,adopted,2011-01-01,North\n"
    )
    report = run_import(services, text)
    assert report.created == 5
    assert report.problems == [
        (
            7,
            'status must be in_care or care_leaver ("In care", "Looked after", "LAC", "CLA", "Care leaver", a '
            'legal-status code such as C2, V2 or S20, and "Eligible", "Relevant" or "Former relevant" are read too), '
            "got 'adopted'",
        )
    ]
    with Session(services.engine) as session:
        assert set(session.execute(select(Participant.status)).scalars()) == {"in_care"}


def test_legal_status_codes_and_leaving_care_categories_as_a_case_system_exports_them(services):
    # Tester U3: a council's "Legal status" column holds SSDA903 codes and Leaving Care Act categories,
    # and statuses with a bracket; each was a bad row.
    rows = [
        ("S20", "in_care"),
        ("V2 - Section 20", "in_care"),
        ("C2", "in_care"),
        ("c1", "in_care"),
        ("Eligible", "in_care"),  # 16 or 17 and still looked after
        ("Looked After Child (LAC)", "in_care"),
        ("Relevant", "care_leaver"),  # 16 or 17, has left care
        ("Former relevant", "care_leaver"),  # 18 to 25
        ("Care Leaver (18+)", "care_leaver"),
        ("Qualifying", "care_leaver"),
    ]
    bad = ["V4", "Care experienced", "In care (care leaver)"]
    text = "phone,first_name,Legal Status\n" + "".join(
        f"07700 9005{index:02d},P{index},{written}\n" for index, written in enumerate([w for w, _ in rows] + bad)
    )
    report = run_import(services, text)
    assert report.created == len(rows)
    problems = dict(report.problems)
    assert sorted(problems) == [len(rows) + 2, len(rows) + 3, len(rows) + 4]
    assert "short-breaks code" in problems[len(rows) + 2]
    assert "got 'Care experienced'" in problems[len(rows) + 3]
    assert "reads as both in care and care leaver" in problems[len(rows) + 4]
    with Session(services.engine) as session:
        by_name = {p.first_name: p.status for p in session.execute(select(Participant)).scalars()}
    assert [by_name[f"P{index}"] for index in range(len(rows))] == [status for _, status in rows]


TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    "written, message",
    [
        ("03/04/09", "date_of_birth '03/04/09' has a 2-digit year: write the year in full, e.g. 03/04/2009"),
        ("3/4/99", "date_of_birth '3/4/99' has a 2-digit year: write the year in full, e.g. 3/4/1999"),
        ("1st May", "date_of_birth '1st May' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY"),
        ("2009-13-01", "date_of_birth '2009-13-01' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY"),
    ],
)
def test_a_date_that_cannot_be_read_says_how_to_write_it(written, message):
    # Tester T2: the message named only YYYY-MM-DD, though DD/MM/YYYY is read; a 2-digit year is not guessed.
    with pytest.raises(ValueError) as raised:
        parse_date_of_birth(written, today=TODAY)
    assert str(raised.value) == message


def test_both_date_forms_are_read():
    assert parse_date_of_birth("03/04/2009", today=TODAY) == date(2009, 4, 3)
    assert parse_date_of_birth("2009-04-03", today=TODAY) == date(2009, 4, 3)
    # Read as every date is (`voice_service.dates`): the month in words too.
    assert parse_date_of_birth("3 April 2009", today=TODAY) == parse_date_of_birth("3 Apr 2009", today=TODAY)
    assert parse_date_of_birth("3 Apr 2009", today=TODAY) == date(2009, 4, 3)
    assert parse_date_of_birth("12.06.2012", today=TODAY) == date(2012, 6, 12)


def test_a_number_texts_cannot_reach_is_a_bad_row_and_the_rest_are_kept(services):
    # Tester T3: landlines were imported silently; their invitations failed at Twilio.
    text = (
        "phone,first_name,status,date_of_birth,area\n"
        "020 7946 0123,Gus,in_care,2011-01-01,North\n"
        "07700 900441,Hal,in_care,2011-01-01,North\n"
        "0808 157 0123,Ida,in_care,2011-01-01,North\n"
        "+33 6 12 34 56 78,Jo,care_leaver,2004-01-01,North\n"
    )
    report = run_import(services, text)
    assert report.created == 2
    assert report.problems == [
        (2, "phone number is a landline: texts cannot reach it (a mobile number is needed)"),
        (4, "phone number is not a mobile number: texts cannot reach it (a mobile number is needed)"),
    ]
    with Session(services.engine) as session:
        assert sorted(p.first_name for p in session.exec(select(Participant)).scalars()) == ["Hal", "Jo"]


def test_a_number_a_text_cannot_reach_says_a_mobile_is_needed_once(services):
    """Tester trial 5, F15: a made-up landline (01632 960123, Ofcom's drama range, not a valid number to the
    numbering plan) said only "not a valid number"; the README promises "a mobile number is needed"."""
    rows = "phone,first_name,status,date_of_birth,area\n" + "".join(
        f"{number},Sam,in_care,2011-01-01,North\n" for number in ("01632 960123", "0113 496 0000", "12345", "")
    )
    report = run_import(services, rows)
    assert report.created == 0 and sorted(dict(report.problems)) == [2, 3, 4, 5]
    for line, problem in report.problems:
        assert problem.count("a mobile number is needed") == 1, (line, problem)
    assert dict(report.problems)[3].startswith("phone number is a landline")


def test_the_command_line_s_exit_status_is_as_its_help_says(services, tmp_path):
    """Trial 6, F12: a file with some bad rows exits 1 though its good rows were kept, which neither the README nor
    --help said: a nightly import's script reads the status. 0: every row taken; 1: someone must look (rows
    rejected, each named, the rest kept; or the file could not be read, nothing imported)."""
    from click.testing import CliRunner

    from tests.outbox.helpers import environment
    from voice_service.cli import main

    env = environment(services.config) | {"VOICE_CONFIG": ""}
    help_text = " ".join(CliRunner().invoke(main, ["participants", "import", "--help"], env=env).output.split())
    assert "Exit status: 0 when every row was imported (or left out as erased); 1 when any row was" in help_text
    path = tmp_path / "export.csv"
    path.write_text("phone,status\n07700 900861,in_care\n01632 960001,in_care\n", encoding="utf-8")  # a landline
    result = CliRunner().invoke(main, ["participants", "import", str(path)], env=env)
    assert result.exit_code == 1 and "imported: 1 new, 0 updated, 0 unchanged, 1 rejected" in result.output
    with Session(services.engine) as session:
        assert len(session.execute(select(Participant.id)).all()) == 1  # the good row was kept
    path.write_text("phone,status\n07700 900861,in_care\n07700 900862,care_leaver\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["participants", "import", str(path)], env=env)
    assert result.exit_code == 0 and "imported: 1 new, 0 updated, 1 unchanged, 0 rejected" in result.output


# Trial 8 (H9): an "In care" row was told "care leavers are supported up to 25". Review finding 8: the age rules
# have one home (`status_age_problem`), and a care leaver over 25 is refused, as the message says.
def test_a_date_of_birth_too_old_names_the_range_of_the_rows_status():
    assert parse_date_of_birth("01/01/1990", today=TODAY) == date(1990, 1, 1)  # a date; its age is the status's rule
    assert "children in care are under 18" in (status_age_problem("In care", ParticipantStatus.IN_CARE, 36) or "")
    for age in (26, 30, 36):
        said = status_age_problem("Care leaver", ParticipantStatus.CARE_LEAVER, age) or ""
        assert said.startswith(f"status 'Care leaver' but date_of_birth makes them {age}: care leavers are supported")
        assert "up to 25" in said
    assert status_age_problem("Care leaver", ParticipantStatus.CARE_LEAVER, 25) is None


def test_a_status_the_age_contradicts_is_a_bad_row_saying_which(services):
    """Trial 10, T10-8: a "Care leaver" aged 12 was imported. A care leaver is 16 or over (Relevant, Former
    relevant and Qualifying all are) and a child in care is under 18; a row whose date of birth contradicts its
    status is refused by line, saying what disagrees (never the number), and the rest of the file is kept."""
    rows = (
        "phone,first_name,status,date_of_birth,area\n"
        "07700 900871,Ann,Care leaver,01/06/2014,North\n"  # 12
        "07700 900872,Bo,Relevant,01/06/2011,North\n"  # 15
        "07700 900873,Cy,Looked after,01/06/2007,North\n"  # 19
        "07700 900874,Di,care_leaver,30/11/2010,North\n"  # 16 today: a care leaver
        "07700 900875,Ed,in_care,01/12/2008,North\n"  # 17 until tomorrow: in care
        "07700 900876,Fi,care_leaver,,North\n"  # no date of birth: nothing to contradict
    )
    with session_scope(services.engine) as session:
        report = import_participants(session=session, vault=services.vault, handle=io.StringIO(rows), today=TODAY)
    assert report.created == 3
    assert report.problems == [
        (
            2,
            "status 'Care leaver' but date_of_birth makes them 12: care leavers are 16 or over (write In care if "
            "they are still in care, or check the date of birth)",
        ),
        (
            3,
            "status 'Relevant' but date_of_birth makes them 15: care leavers are 16 or over (write In care if "
            "they are still in care, or check the date of birth)",
        ),
        (
            4,
            "status 'Looked after' but date_of_birth makes them 19: children in care are under 18 (write Care "
            "leaver if they have left care, or check the date of birth)",
        ),
    ]


def test_a_file_with_headings_and_no_rows_says_so_and_exits_1(services, tmp_path):
    """Trial 10, T10-10 (b): a header and no rows (or only blank lines) imported nothing and said nothing, exit 0.
    It is an unusable file like an empty one: said plainly, exit 1, as the dashboard's upload says too."""
    from click.testing import CliRunner

    from tests.outbox.helpers import environment
    from voice_service.cli import main

    env = environment(services.config) | {"VOICE_CONFIG": ""}
    with pytest.raises(CsvShapeError, match="headings but no rows"):
        run_import(services, "phone,first_name,status\n\n\n")
    for name, text in (("header.csv", "Mobile number,Status\r\n"), ("empty.csv", "")):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(main, ["participants", "import", str(path)], env=env)
        assert result.exit_code == 1, result.output
        said = {"header.csv": "the file has headings but no rows: nothing to import", "empty.csv": "the file is empty"}
        assert f"{name}: {said[name]}" in result.output


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_file_separated_by_semicolons_or_tabs_is_read(services, separator):
    """Trial 10, T10-10 (a): Excel in some locales saves "CSV" with semicolons; the message listed one heading
    "Mobile number;Forename;..." as missing. The header says how the columns are separated, so such a file is read."""
    text = separator.join(["Mobile number", "Forename", "Legal status", "DOB", "Area"]) + "\r\n"
    text += separator.join(["07700 900881", "Ana, Jr", "CLA", "03/04/2012", "North"]) + "\r\n"
    text += separator.join(["07700 900882", "Ben", "Care leaver", "01/02/2005", "South"]) + "\r\n"
    report = run_import(services, text.replace("Ana, Jr", '"Ana; Jr"') if separator == ";" else text)
    assert report.ok and report.created == 2, report.problems
    with Session(services.engine) as session:
        people = {p.first_name: (p.status, p.area) for p in session.exec(select(Participant)).scalars()}
    first = "Ana; Jr" if separator == ";" else "Ana, Jr"
    assert people == {first: ("in_care", "North"), "Ben": ("care_leaver", "South")}


def test_a_file_whose_separator_gives_no_usable_header_names_its_headings(services):
    """Split by semicolons the headings are read (and what is missing is named), not one long heading."""
    with pytest.raises(CsvShapeError) as caught:
        run_import(services, "Forename;Legal status;DOB\nAna;CLA;03/04/2012\n")
    said = str(caught.value)
    assert "missing: phone" in said and "'Forename', 'Legal status', 'DOB'" in said
