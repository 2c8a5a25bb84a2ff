"""Stories of a receipt: the first answer to a command sent with an idempotency key, kept for its repeats."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from tests.domain.given import on
from tracker.domain import Receipt
from tracker.domain.events import Stamp


def test_given_a_command_with_an_idempotency_key_when_it_is_recorded_then_a_receipt_keeps_its_result(only_event):
    # given
    team_id, meeting_id = uuid4(), uuid4()
    # when
    receipt = Receipt.issue(
        idempotency_key="form-42",
        command="record_meeting",
        result={"meeting_id": str(meeting_id)},
        team_id=team_id,
        stamp=Stamp(date(2024, 3, 1), "user:7"),
    )
    # then
    issued = only_event(receipt, Receipt.Issued)
    assert issued.originator_id == Receipt.id_for("user:7", "form-42")
    assert (issued.team_id, issued.business_date, issued.recorded_by) == (team_id, date(2024, 3, 1), "user:7")
    assert (issued.command, issued.result) == ("record_meeting", {"meeting_id": str(meeting_id)})
    assert (receipt.command, receipt.result) == ("record_meeting", {"meeting_id": str(meeting_id)})


def test_given_one_key_when_two_people_send_it_then_each_gets_their_own_receipt():
    # when
    mine, theirs = Receipt.id_for("user:7", "form-42"), Receipt.id_for("user:8", "form-42")
    # then
    assert mine != theirs
    assert mine == Receipt.id_for("user:7", "form-42")
    assert Receipt.id_for("user:7", "form-43") != mine


def test_given_a_receipt_when_it_is_saved_and_reloaded_then_it_answers_with_the_same_result(record):
    # given
    result = {"commitment_ids": [str(uuid4()), str(uuid4())], "count": 2}
    receipt = Receipt.issue(
        idempotency_key="k-1", command="record_meeting", result=result, team_id=uuid4(), stamp=on(date(2024, 3, 1))
    )
    # when
    record.save(receipt)
    reloaded = record.repository.get(Receipt.id_for("cli:test", "k-1"))
    # then
    assert (reloaded.command, reloaded.result) == ("record_meeting", result)


def test_given_a_receipt_with_a_digest_when_the_key_comes_again_then_only_the_same_content_is_answered():
    # given
    receipt = Receipt.issue(
        idempotency_key="k",
        command="revise_due_date",
        result={"id": "1"},
        digest="abc",
        team_id=uuid4(),
        stamp=on(date(2024, 3, 1)),
    )
    # then
    assert receipt.answers("revise_due_date", "abc")
    assert not receipt.answers("revise_due_date", "def")
    assert not receipt.answers("hand_over", "abc")


def test_given_a_receipt_recorded_before_digests_when_upcast_then_it_answers_any_content_of_its_command():
    # given version 1 of the event, as stored before digests
    state = {"command": "report_follow_up", "result": {"id": "1"}}
    # when
    Receipt.Issued.upcast_v1_v2(state)
    # then
    assert state["digest"] is None
