"""Erasure: an item's data key destroyed for good, then recorded as erased; its dates and outcome stay.

A member is erased the same way: their name's key destroyed, MemberErased recorded, and the team's snapshots
(which may hold a name recorded in the clear before names were sealed) deleted."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.sqlite import SQLiteAggregateRecorder
from eventsourcing.utils import get_topic

from tracker.application.unit_of_work import Save, command
from tracker.domain import Commitment, Meeting, Problem, Stamp, Team
from tracker.domain.errors import NotFound
from tracker.domain.values import ErasureReason, parse


class Erasure:
    def erase_item(self: Any, item_id: UUID, *, reason: str, by: str) -> UUID:
        """Destroy an item's data key for good, then record ItemErased; safe to run again if interrupted.

        The item is a meeting (its minutes, agenda and place), a decision, a commitment (its decision's text,
        shared with the decision's other commitments), a problem (all of its text) or a member (their name).
        Returns the id of the item whose key was destroyed.
        """
        key_id = self._erase(item_id, parse(ErasureReason, reason, "reason"), by=by)
        self.sealer.key_store.flush()  # the read models' rows, overwritten by the erasure, leave no copy in the WAL
        return key_id

    def _erase(self: Any, item_id: UUID, reason_code: ErasureReason, *, by: str) -> UUID:
        found = self._found(item_id)
        if found is None and (team_id := self._team_of_member(item_id)) is not None:
            self.sealer.key_store.destroy(item_id)  # a member who joined before names were sealed has no key
            if not self._read(Team, team_id).member(item_id).erased:
                self._record_member_erasure(team_id, item_id, reason_code, by=by)
            self._forget_snapshots(team_id)
            return item_id
        if isinstance(found, Problem):
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

    @command(name="erase_item")
    def _record_member_erasure(self: Any, team_id: UUID, member_id: UUID, reason: ErasureReason, *, by: str) -> Save:
        team = self._get(Team, team_id)
        stamp = Stamp(self._today(team), by)
        team.erase_member(member_id, reason=reason, stamp=stamp)
        return Save(team, stamp=stamp, team_id=team_id, id=member_id)

    def _forget_snapshots(self: Any, team_id: UUID) -> None:
        """Delete the team's snapshots: one taken before the erasure may hold the name; the next is taken from
        the team as it is now. (erase_item then empties the SQLite WAL.)"""
        recorder = self.snapshots.recorder
        sqlite = isinstance(recorder, SQLiteAggregateRecorder)
        placeholder, originator = ("?", team_id.hex) if sqlite else ("%s", team_id)  # as eventsourcing keeps it
        with recorder.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"DELETE FROM {recorder.events_table_name} WHERE originator_id = {placeholder}", (originator,)
            )

    def _team_of_member(self: Any, member_id: UUID) -> UUID | None:
        joined = self._event_naming(Team.MemberJoined, "member_id", member_id)
        return joined.originator_id if joined else None

    def _event_naming(self: Any, event_class: type, field: str, item_id: UUID) -> Any:
        """The first event of a type whose `field` is the item (a member joining, a decision recorded): the log's
        events of that type, scanned for the id's bytes before any is decoded."""
        topic, start = get_topic(event_class), 1
        while notifications := self.recorder.select_notifications(start, 1000, topics=[topic]):
            for notification in notifications:
                if item_id.hex.encode() in notification.state:
                    event = self.mapper.to_domain_event(notification)
                    if getattr(event, field) == item_id:
                        return event
            start = notifications[-1].id + 1
        return None

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
        if recorded := self._event_naming(Meeting.DecisionRecorded, "decision_id", item_id):
            return self._get(Meeting, recorded.originator_id), item_id
        raise NotFound(f"no meeting, decision, commitment, problem or member {item_id}")
