"""Double submits record once; concurrent edits of the same record lose nothing and duplicate nothing."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date

import pytest

from tests.story import BY, tell_story
from tracker.domain import Commitment
from tracker.domain.errors import IdempotencyKeyReused


def _events(app, event_class):
    return [
        app.mapper.to_domain_event(notification)
        for notification in app.recorder.select_notifications(start=1, limit=1_000_000)
        if notification.topic.endswith(event_class.__qualname__)
    ]


def test_the_same_idempotency_key_twice_records_once_and_answers_the_first_result(services):
    # given a story
    app = services.app
    story = tell_story(app)
    commitment_id = story.meeting.commitment_ids[0]
    # when the same follow-up is submitted twice with one key
    first = app.report_follow_up(commitment_id, on=date(2015, 4, 1), status="kept", by=BY, idempotency_key="tap-1")
    head = app.recorder.max_notification_id()
    second = app.report_follow_up(commitment_id, on=date(2015, 4, 1), status="kept", by=BY, idempotency_key="tap-1")
    # then it was recorded once, and the repeat got the same answer
    assert first == second
    assert app.recorder.max_notification_id() == head
    assert len(_events(app, Commitment.FollowUpReported)) == 1


def test_a_repeated_meeting_submission_returns_the_first_meetings_ids(services):
    app = services.app
    story = tell_story(app)
    kwargs = dict(held_on=date(2015, 4, 2), kind="regular", place="Hall", by=BY, idempotency_key="meeting-form-7")
    first = app.record_meeting(story.team_id, **kwargs)
    again = app.record_meeting(story.team_id, **kwargs)
    assert again == first


def test_a_key_reused_for_another_command_is_refused(services):
    app = services.app
    story = tell_story(app)
    app.report_follow_up(
        story.meeting.commitment_ids[0], on=date(2015, 4, 1), status="kept", by=BY, idempotency_key="k"
    )
    with pytest.raises(IdempotencyKeyReused):
        app.revise_due_date(
            story.meeting.commitment_ids[1],
            due_on=date(2015, 9, 1),
            on=date(2015, 4, 1),
            reason="x",
            by=BY,
            idempotency_key="k",
        )


def test_eight_threads_recording_follow_ups_lose_none_and_duplicate_none(services):
    # given three open commitments
    app = services.app
    story = tell_story(app)
    shared, *others = story.meeting.commitment_ids
    acknowledged: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def record(thread: int) -> None:
        for attempt in range(5):
            # half the threads write to the same commitment, the rest spread over the others
            target = shared if thread % 2 == 0 else others[(thread + attempt) % len(others)]
            note = f"thread {thread} report {attempt}"
            try:
                app.report_follow_up(target, on=date(2015, 3, 20), status="in_progress", note=note, by=BY)
            except BaseException as error:
                failures.append(error)
            else:
                with lock:
                    acknowledged.append(note)

    # when eight threads record at once
    threads = [threading.Thread(target=record, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then every acknowledged follow-up is in the log exactly once
    assert failures == []
    recorded = Counter(app.sealer.open(event.note) for event in _events(app, Commitment.FollowUpReported))
    assert recorded == Counter(acknowledged)
    assert len(acknowledged) == 40


def test_concurrent_repeats_of_one_key_record_once(services):
    app = services.app
    story = tell_story(app)
    results = []

    def submit() -> None:
        results.append(
            app.report_follow_up(
                story.meeting.commitment_ids[0], on=date(2015, 4, 1), status="kept", by=BY, idempotency_key="slow-phone"
            )
        )

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1 and len(results) == 4
    assert len(_events(app, Commitment.FollowUpReported)) == 1


def test_a_key_reused_for_other_content_of_the_same_command_is_refused_and_records_nothing(services):
    # given a due date revised on one commitment with key K
    app = services.app
    story = tell_story(app)
    first, other = story.meeting.commitment_ids[0], story.meeting.commitment_ids[1]
    app.revise_due_date(first, due_on=date(2015, 9, 1), on=date(2015, 4, 1), reason="x", by=BY, idempotency_key="K")
    head = app.recorder.max_notification_id()
    # when K comes again for another commitment, or another date
    for commitment_id, due_on in ((other, date(2015, 9, 1)), (first, date(2015, 10, 1))):
        with pytest.raises(IdempotencyKeyReused, match="'K'"):
            app.revise_due_date(
                commitment_id, due_on=due_on, on=date(2015, 4, 1), reason="x", by=BY, idempotency_key="K"
            )
    # then nothing more was recorded
    assert app.recorder.max_notification_id() == head


def test_receipts_recorded_before_digests_answer_any_content_of_their_command(services, tmp_path):
    # given the log recorded before receipts kept a digest (its follow-up was sent with key "fu-1")
    from tests.audit.test_replay_fixture import LOG
    from tracker.audit.export import import_log, read_lines

    import_log(services, read_lines(LOG))
    app = services.app
    made = [event for event in _events(app, Commitment.Made)]
    head = app.recorder.max_notification_id()
    # when the key is sent again, with content the old receipt cannot be compared with
    again = app.report_follow_up(
        made[0].originator_id, on=date(2025, 3, 9), status="kept", by="user:secretary-fix", idempotency_key="fu-1"
    )
    # then it answers as it did: the first result, nothing recorded
    assert again == made[0].originator_id
    assert app.recorder.max_notification_id() == head


def test_the_same_content_spelled_as_a_form_and_as_the_api_spell_it_is_one_record(services):
    # Given a follow-up sent from the form (a blank note is None, the meeting left to its default), whose answer
    # was lost on a weak connection
    app = services.app
    story = tell_story(app)
    commitment_id = story.meeting.commitment_ids[0]
    first = app.report_follow_up(
        commitment_id, on=date(2015, 4, 1), status="in_progress", note=None, by=BY, idempotency_key="phone-1"
    )
    head = app.recorder.max_notification_id()
    # When the phone's outbox sends it again through the API, spelled as the API spells it ("" and an explicit None)
    again = app.report_follow_up(
        commitment_id,
        on=date(2015, 4, 1),
        status="in_progress",
        note="",
        meeting_id=None,
        by=BY,
        idempotency_key="phone-1",
    )
    # Then it is the same content: the first answer, nothing recorded twice
    assert again == first and app.recorder.max_notification_id() == head
    # and a meeting with its defaults left out or spelled out is one meeting too
    meeting = dict(held_on=date(2015, 4, 2), kind="regular", place="Мектеп", by=BY, idempotency_key="phone-2")
    recorded = app.record_meeting(story.team_id, **meeting)
    assert app.record_meeting(story.team_id, **meeting, visiting_team_ids=[], agenda=[], minutes="") == recorded
    # while other content under that key is still refused
    with pytest.raises(IdempotencyKeyReused):
        app.record_meeting(story.team_id, **{**meeting, "place": "Башка жер"})
