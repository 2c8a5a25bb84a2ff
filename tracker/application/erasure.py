"""Erasure: an item's data key destroyed for good, then recorded as erased; its dates and outcome stay."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.utils import get_topic

from tracker.application.unit_of_work import Save, command
from tracker.domain import Commitment, Meeting, Problem, Stamp, Team
from tracker.domain.errors import NotFound
from tracker.domain.values import ErasureReason, parse


class Erasure:
    def erase_item(self: Any, item_id: UUID, *, reason: str, by: str) -> UUID:
        """Destroy an item's data key for good, then record ItemErased; safe to run again if interrupted.

        The item is a meeting (its minutes and agenda), a decision, a commitment (its decision's text, shared
        with the decision's other commitments), or a problem (all of its text). Returns the id of the item whose key
        was destroyed.
        """
        reason_code = parse(ErasureReason, reason, "reason")
        if isinstance(found := self._found(item_id), Problem):
            self.sealer.key_store.destroy(found.id)
            if not found.erased:
                self._record_problem_erasure(found.id, reason_code, by=by)
            return found.id
        meeting, key_id = self._erasable(item_id, found)
        self.sealer.key_store.destroy(key_id)
        if not meeting.is_erased(key_id):
            self._record_erasure(meeting.id, key_id, reason_code, by=by)
        return key_id

    @command(name="erase_item")
    def _record_erasure(self: Any, meeting_id: UUID, key_id: UUID, reason: ErasureReason, *, by: str) -> Save:
        meeting = self._get(Meeting, meeting_id)
        stamp = Stamp(self._today(self._read(Team, meeting.team_id)), by)
        meeting.erase_item(key_id, reason=reason, stamp=stamp)
        return Save(meeting, stamp=stamp, id=key_id)

    @command(name="erase_item")
    def _record_problem_erasure(self: Any, problem_id: UUID, reason: ErasureReason, *, by: str) -> Save:
        problem = self._get(Problem, problem_id)
        stamp = Stamp(self._today(self._read(Team, problem.team_id)), by)
        problem.erase_text(reason=reason, stamp=stamp)
        return Save(problem, stamp=stamp, id=problem_id)

    def _found(self: Any, item_id: UUID) -> Any:
        try:
            return self.repository.get(item_id)
        except AggregateNotFoundError:
            return None

    def _erasable(self: Any, item_id: UUID, aggregate: Any) -> tuple[Meeting, UUID]:
        if isinstance(aggregate, Meeting):
            return aggregate, aggregate.id
        if isinstance(aggregate, Commitment):
            return self._get(Meeting, aggregate.meeting_id), aggregate.decision_id
        topic = get_topic(Meeting.DecisionRecorded)
        start = 1
        while notifications := self.recorder.select_notifications(start, 1000, topics=[topic]):
            for notification in notifications:
                if item_id.hex.encode() in notification.state:
                    event = self.mapper.to_domain_event(notification)
                    if event.decision_id == item_id:
                        return self._get(Meeting, event.originator_id), item_id
            start = notifications[-1].id + 1
        raise NotFound(f"no meeting, decision, commitment or problem {item_id}")
