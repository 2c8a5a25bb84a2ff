"""Who reads which text, the access log of confidential reads, erasure for good, and key rotation and backup."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.application.test_persistence import raw_database_bytes
from tests.story import BY, register_team, tell_story
from tracker.bootstrap import build_services
from tracker.confidentiality import MasterKey, MasterKeyError, data_keys, open_backup, seal_backup
from tracker.domain import Meeting
from tracker.domain.access import PUBLIC, Viewer
from tracker.projections.meetings import meetings
from tracker.projections.roster import members_of
from tracker.projections.types import is_erased

PAGE = "/test"


@pytest.fixture
def story(services):
    story = tell_story(services.app)
    services.app.report_follow_up(
        story.meeting.commitment_ids[2], on=date(2015, 3, 30), status="in_progress", note="Үч үй-бүлө", by=BY
    )
    return story


def viewers(team_id, other_team_id):
    return {
        "public": PUBLIC,
        "member": Viewer("user:member", member_of=frozenset({team_id})),
        "member elsewhere": Viewer("user:member-2", member_of=frozenset({other_team_id})),
        "secretary": Viewer("user:secretary", secretary_of=frozenset({team_id})),
        "secretary elsewhere": Viewer("user:secretary-2", secretary_of=frozenset({other_team_id})),
        "auditor in scope": Viewer("user:auditor", auditor_of=frozenset({team_id})),
        "auditor out of scope": Viewer("user:auditor-2", auditor_of=frozenset({other_team_id})),
        "auditor of all teams": Viewer("user:ombudsman", auditor_of_all_teams=True),
    }


READS = {
    # viewer: (public text, team text, confidential text)
    "public": (True, False, False),
    "member": (True, True, False),
    "member elsewhere": (True, False, False),
    "secretary": (True, True, True),
    "secretary elsewhere": (True, False, False),
    "auditor in scope": (True, True, True),
    "auditor out of scope": (True, False, False),
    "auditor of all teams": (True, True, True),
}


@pytest.mark.parametrize("who", list(READS))
def test_each_viewer_reads_exactly_the_text_their_standing_allows(services, story, who):
    # given public and confidential commitments, and the meeting's team-only minutes
    app = services.app
    other_team = register_team(app, "Ворух")
    viewer = viewers(story.team_id, other_team)[who]
    public_ok, team_ok, confidential_ok = READS[who]
    # when the viewer reads them
    public = app.read_commitment(story.meeting.commitment_ids[0], viewer=viewer, page=PAGE)
    confidential = app.read_commitment(story.meeting.commitment_ids[2], viewer=viewer, page=PAGE)
    meeting = app.read_meeting(story.meeting.id, viewer=viewer, page=PAGE)
    # then the text is shown only where allowed, and statuses and dates always
    assert public.description.shown is public_ok
    assert public.description.value == ("12 чырак сатып алууну суроо" if public_ok else None)
    assert meeting.minutes.shown is team_ok
    assert all(item.shown is team_ok for item in meeting.agenda)
    assert meeting.decisions[1].text.shown is confidential_ok
    assert confidential.description.shown is confidential_ok
    assert confidential.history[0].text.shown is confidential_ok
    assert confidential.history[0].status == "in_progress"
    assert (confidential.status, confidential.due_on) == ("in_progress", date(2015, 4, 1))
    if not confidential_ok:
        assert "Ата-энелер" not in repr(confidential) and "Үч үй-бүлө" not in repr(confidential)


def test_every_confidential_read_by_a_person_is_logged_with_its_page(services, story):
    app = services.app
    secretary = Viewer("user:gulnara", secretary_of=frozenset({story.team_id}))
    member = Viewer("user:bakyt", member_of=frozenset({story.team_id}))
    # when a secretary reads a confidential commitment and the meeting, and a member and the public read too
    app.read_commitment(story.meeting.commitment_ids[2], viewer=secretary, page="/commitments/3")
    app.read_meeting(story.meeting.id, viewer=secretary, page="/meetings/1")
    app.read_commitment(story.meeting.commitment_ids[2], viewer=member, page="/commitments/3")
    app.read_commitment(story.meeting.commitment_ids[0], viewer=secretary, page="/commitments/1")
    app.read_meeting(story.meeting.id, viewer=PUBLIC, page="/public")
    # then only the secretary's two confidential reads are logged: who, which item, from which page
    entries = app.access_log.entries(story.team_id)
    assert [(e.viewer, e.item_kind, e.item_id, e.page) for e in entries] == [
        ("user:gulnara", "commitment", story.meeting.commitment_ids[2], "/commitments/3"),
        ("user:gulnara", "decision", story.meeting.decision_ids[1], "/meetings/1"),
    ]


def test_an_erased_confidential_item_is_gone_for_good_but_its_outcome_stays(services, story, settings):
    app = services.app
    commitment_id = story.meeting.commitment_ids[2]
    decision_id = story.meeting.decision_ids[1]
    wrapped = _wrapped_key(services, decision_id)
    # when the commitment is erased at a person's request
    erased = app.erase_item(commitment_id, reason="person_request", by="cli:admin")
    # then its decision's key is destroyed, and even the secretary sees it as erased, with its dates and status
    assert erased == decision_id
    secretary = Viewer("user:gulnara", secretary_of=frozenset({story.team_id}))
    view = app.read_commitment(commitment_id, viewer=secretary, page=PAGE)
    assert view.erased and view.description.state == "erased"
    assert view.history[0].text.state == "erased"
    assert (view.status, view.due_on, view.made_on) == ("in_progress", date(2015, 4, 1), date(2015, 3, 12))
    meeting = app.read_meeting(story.meeting.id, viewer=secretary, page=PAGE)
    assert meeting.decisions[1].erased and meeting.decisions[0].text.shown
    # and the erasure is an event in the log, which was not rewritten
    assert [type(e).__qualname__ for e in app.events.get(story.meeting.id)][-1] == "Meeting.ItemErased"
    # and the destroyed key is not in the database file (nor its WAL) or a dump
    assert wrapped not in raw_database_bytes(settings.database_url)
    assert app.access_log.entries(story.team_id) == []
    # and erasing again changes nothing
    app.erase_item(decision_id, reason="person_request", by="cli:admin")
    assert [type(e).__qualname__ for e in app.events.get(story.meeting.id)].count("Meeting.ItemErased") == 1


def test_a_public_decision_published_by_mistake_is_erased_for_everyone(services, story):
    app = services.app
    app.erase_item(story.meeting.decision_ids[0], reason="published_by_mistake", by="cli:admin")
    meeting = app.read_meeting(story.meeting.id, viewer=PUBLIC, page=PAGE)
    assert meeting.decisions[0].text.state == "erased"
    lamps = app.read_commitment(story.meeting.commitment_ids[0], viewer=PUBLIC, page=PAGE)
    assert lamps.description.state == "erased" and lamps.owner_member_id == story.chair
    assert isinstance(app.meeting(story.meeting.id), Meeting)


def test_minutes_can_be_erased_and_the_reason_must_be_from_the_list(services, story):
    from tracker.domain.errors import InvalidValue

    app = services.app
    with pytest.raises(InvalidValue):
        app.erase_item(story.meeting.id, reason="Айгүл asked", by="cli:admin")
    app.erase_item(story.meeting.id, reason="court_order", by="cli:admin")
    secretary = Viewer("user:gulnara", secretary_of=frozenset({story.team_id}))
    meeting = app.read_meeting(story.meeting.id, viewer=secretary, page=PAGE)
    assert meeting.minutes.state == "erased" and all(item.state == "erased" for item in meeting.agenda)


def test_a_meetings_place_is_sealed_under_its_key_read_by_everyone_and_erased_with_the_meeting(
    services, story, settings
):
    # given a meeting held in a named place: the log holds the place sealed, the read models and pages opened
    app, place = services.app, "Айыл өкмөтүнүн залы"
    assert all(place.encode() not in n.state for n in app.recorder.select_notifications(1, 1000))
    with services.engine.connect() as conn:
        assert conn.execute(select(meetings.c.place)).scalar() == place
    assert app.read_meeting(story.meeting.id, viewer=PUBLIC, page=PAGE).place == place
    # when the meeting is erased
    app.erase_item(story.meeting.id, reason="person_request", by="cli:admin")
    # then its place is erased everywhere it was read, as of any date, and from the database file
    with services.engine.connect() as conn:
        assert is_erased(conn.execute(select(meetings.c.place)).scalar())
    assert is_erased(app.read_meeting(story.meeting.id, viewer=PUBLIC, page=PAGE).place)
    with services.team_as_of(story.team_id, date(2015, 3, 31)) as view:
        assert is_erased(view.conn.execute(select(meetings.c.place)).scalar())
    assert place.encode() not in raw_database_bytes(settings.database_url)


def test_rotating_the_master_key_keeps_every_text_readable_under_the_new_key_only(services, story, settings, clock):
    new_key = MasterKey.generate()
    count = services.key_store.rewrap(new_key)
    assert count >= 3
    services.close()
    with pytest.raises(MasterKeyError):
        build_services(settings, master_key=MasterKey.generate())
    reopened = build_services(settings, master_key=new_key, clock=clock)
    secretary = Viewer("user:gulnara", secretary_of=frozenset({story.team_id}))
    view = reopened.app.read_commitment(story.meeting.commitment_ids[2], viewer=secretary, page=PAGE)
    assert view.description.value == "Ата-энелер менен жашыруун сүйлөшүү"
    reopened.close()


def test_a_key_backup_restores_lost_keys_but_never_an_erased_one(services, story):
    app = services.app
    backup = seal_backup(repr(services.key_store.export_keys()).encode(), "correct horse battery")
    with pytest.raises(MasterKeyError):
        open_backup(backup, "wrong passphrase!")
    keys = eval(open_backup(backup, "correct horse battery"))
    app.erase_item(story.meeting.decision_ids[1], reason="court_order", by="cli:admin")
    # when the backup is imported again, the erased key stays erased (its row is still here)
    assert services.key_store.import_keys(keys) == 0
    secretary = Viewer("user:gulnara", secretary_of=frozenset({story.team_id}))
    assert app.read_commitment(story.meeting.commitment_ids[2], viewer=secretary, page=PAGE).erased
    # and into a database that lost its keys, it brings the text back
    with services.engine.begin() as conn:
        conn.execute(data_keys.delete().where(data_keys.c.key_id == story.meeting.decision_ids[0].hex))
    assert app.read_commitment(story.meeting.commitment_ids[0], viewer=PUBLIC, page=PAGE).description.state == "erased"
    assert services.import_keys(keys) == 1
    assert app.read_commitment(story.meeting.commitment_ids[0], viewer=PUBLIC, page=PAGE).description.shown


def test_a_key_backup_brings_back_a_members_name_that_a_lost_key_had_hidden(services, story):
    # given a database that lost a member's key, its read models rebuilt meanwhile: the name reads as erased
    keys = services.key_store.export_keys()
    with services.engine.begin() as conn:
        conn.execute(data_keys.delete().where(data_keys.c.key_id == story.chair.hex))
    services.projections.rebuild()
    assert all(is_erased(row.name) for row in members_of_team(services, story) if row.member_id == story.chair.hex)
    # when the key backup is imported
    assert services.import_keys(keys) == 1
    # then the read models read the name again
    assert {row.name for row in members_of_team(services, story)} >= {"Айгүл Осмонова"}


def members_of_team(services, story):
    with services.engine.connect() as conn:
        return members_of(conn, story.team_id.hex)


def _wrapped_key(services, key_id) -> bytes:
    with services.engine.connect() as conn:
        return conn.execute(select(data_keys.c.wrapped).where(data_keys.c.key_id == key_id.hex)).scalar_one()


def test_an_erased_commitment_still_takes_its_outcome_but_no_new_text(services, story):
    from tracker.confidentiality import KeyErased

    app = services.app
    commitment_id = story.meeting.commitment_ids[2]
    app.erase_item(commitment_id, reason="person_request", by="cli:admin")
    # a bare outcome can still be reported, so the promise is still accounted for
    app.report_follow_up(commitment_id, on=date(2015, 4, 2), status="kept", by=BY)
    assert app.commitment(commitment_id).status == "kept"
    # new text about an erased item has no key to be sealed under, and is refused, writing nothing
    head = app.recorder.max_notification_id()
    with pytest.raises(KeyErased):
        app.reopen_commitment(commitment_id, reason="Кайра ачылды", on=date(2015, 4, 3), by=BY)
    assert app.recorder.max_notification_id() == head
