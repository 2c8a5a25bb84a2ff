"""The Tracker application: one method per use case, the only way events get into the log."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, ClassVar, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.application import AggregateNotFoundError, Application, project_aggregate
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder
from eventsourcing.utils import get_topic

from tracker.access_log import AccessLog
from tracker.confidentiality import RECORDERS_WITH_KEYS, Sealer
from tracker.credentials import Credentials
from tracker.domain import Commitment, Meeting, Receipt, Stamp, Team, TeamCode, User
from tracker.domain.access import PUBLIC, Viewer
from tracker.domain.errors import (
    ConcurrentEditConflict,
    DomainError,
    IdempotencyKeyReused,
    InvalidValue,
    MeetingOfAnotherTeam,
    NotFound,
    ReasonRequired,
    TeamCodeTaken,
)
from tracker.domain.ids import new_id
from tracker.domain.user import NO_TEAM
from tracker.domain.values import (
    AgeBand,
    CommitmentStatus,
    Country,
    ErasureReason,
    Gender,
    MeetingKind,
    PublicDisplay,
    Role,
    Sector,
    TeamKind,
    UserRole,
    Visibility,
    derive_team_code,
    parse,
)
from tracker.drafts import CommitmentDraft, DecisionDraft, MeetingRecorded
from tracker.reading import CommitmentView, MeetingView, Reader, Text
from tracker.transcodings import TRANSCODINGS

MAX_ATTEMPTS = 8
SHORT_TEXT = 2_000
LONG_TEXT = 50_000

A = TypeVar("A", bound=Aggregate)


@dataclass
class Outcome:
    """What a command's work produced: the aggregates to save in one write, and the result to answer."""

    aggregates: list[Aggregate]
    result: dict[str, Any]
    team_id: UUID
    stamp: Stamp


class Tracker(Application[UUID]):
    name = "Tracker"
    snapshotting_intervals: ClassVar = {Team: 50}

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        sealer: Sealer,
        access_log: AccessLog,
        credentials: Credentials,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        env = dict(env or {})
        recorder = RECORDERS_WITH_KEYS.get(env.get("PERSISTENCE_MODULE", ""))
        if recorder is None:
            raise ValueError("the tracker's log needs eventsourcing.sqlite or eventsourcing.postgres")
        super().__init__({**env, "APPLICATION_RECORDER_TOPIC": get_topic(recorder)})
        if not isinstance(self.recorder, recorder):  # a command's data keys would be dropped
            raise TypeError(f"the log's recorder must be {recorder.__name__}, not {type(self.recorder).__name__}")
        self.sealer = sealer
        self.clock = clock or (lambda: datetime.now(UTC))
        self.after_save: list[Callable[[], None]] = []
        self.access_log = access_log
        self.credentials = credentials
        self.reader = Reader(self._get, self._history, sealer, access_log, self.clock)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        for transcoding in TRANSCODINGS:
            transcoder.register(transcoding)

    # Teams and members

    def register_team(
        self,
        *,
        name: str,
        kind: str,
        country: str,
        region: str,
        district: str,
        municipality: str,
        registered_on: date,
        by: str,
        code: str | None = None,
        time_zone: str | None = None,
        idempotency_key: str | None = None,
    ) -> UUID:
        team_kind = parse(TeamKind, kind, "kind")
        team_country = parse(Country, country, "country")
        zone = time_zone or team_country.time_zone
        _check_time_zone(zone)

        def work() -> Outcome:
            stamp = Stamp(registered_on, by)
            team_code = (code or "").strip().upper() or self._free_code(derive_team_code(name))
            if self._exists(TeamCode, TeamCode.id_for(team_code)):
                raise TeamCodeTaken(f"the team code {team_code} is taken; choose another")
            team = Team.register(
                team_id=new_id(),
                name=name,
                code=team_code,
                kind=team_kind,
                country=team_country,
                region=region,
                district=district,
                municipality=municipality,
                time_zone=zone,
                stamp=stamp,
            )
            return Outcome([team, TeamCode.claim(team, stamp)], {"id": team.id}, team.id, stamp)

        return self._run("register_team", by, idempotency_key, work)["id"]

    def rename_team(self, team_id: UUID, *, name: str, on: date, by: str) -> None:
        def work() -> Outcome:
            team = self._get(Team, team_id)
            stamp = Stamp(on, by)
            team.rename(name, stamp)
            return Outcome([team], {"id": team.id}, team.id, stamp)

        self._run("rename_team", by, None, work)

    def add_member(
        self,
        team_id: UUID,
        *,
        name: str,
        role: str,
        sector: str,
        gender: str,
        age_band: str,
        joined_on: date,
        by: str,
        public_display: str = PublicDisplay.FULL_NAME,
        idempotency_key: str | None = None,
    ) -> UUID:
        values = {
            "role": parse(Role, role, "role"),
            "sector": parse(Sector, sector, "sector"),
            "gender": parse(Gender, gender, "gender"),
            "age_band": parse(AgeBand, age_band, "age_band"),
            "public_display": parse(PublicDisplay, public_display, "public_display"),
        }

        def work() -> Outcome:
            team = self._get(Team, team_id)
            stamp = Stamp(joined_on, by)
            member_id = new_id()
            team.add_member(member_id=member_id, name=name, stamp=stamp, **values)
            return Outcome([team], {"id": member_id}, team.id, stamp)

        return self._run("add_member", by, idempotency_key, work)["id"]

    def change_member_role(self, team_id: UUID, member_id: UUID, *, role: str, sector: str, on: date, by: str) -> None:
        role_value, sector_value = parse(Role, role, "role"), parse(Sector, sector, "sector")

        def work() -> Outcome:
            team = self._get(Team, team_id)
            stamp = Stamp(on, by)
            team.change_member_role(member_id, role=role_value, sector=sector_value, stamp=stamp)
            return Outcome([team], {"id": member_id}, team.id, stamp)

        self._run("change_member_role", by, None, work)

    def change_member_display(self, team_id: UUID, member_id: UUID, *, public_display: str, on: date, by: str) -> None:
        display = parse(PublicDisplay, public_display, "public_display")

        def work() -> Outcome:
            team = self._get(Team, team_id)
            stamp = Stamp(on, by)
            team.change_member_display(member_id, public_display=display, stamp=stamp)
            return Outcome([team], {"id": member_id}, team.id, stamp)

        self._run("change_member_display", by, None, work)

    def remove_member(self, team_id: UUID, member_id: UUID, *, reason: str, on: date, by: str) -> None:
        reason_text = _reason(reason)

        def work() -> Outcome:
            team = self._get(Team, team_id)
            stamp = Stamp(on, by)
            team.remove_member(member_id, reason=self.sealer.seal(team.id, reason_text), stamp=stamp)
            return Outcome([team], {"id": member_id}, team.id, stamp)

        self._run("remove_member", by, None, work)

    # Meetings and decisions

    def record_meeting(
        self,
        team_id: UUID,
        *,
        held_on: date,
        kind: str,
        place: str,
        by: str,
        attendee_ids: Iterable[UUID] = (),
        guests_female: int = 0,
        guests_male: int = 0,
        visiting_team_ids: Iterable[UUID] = (),
        agenda: Iterable[str] = (),
        minutes: str = "",
        minutes_visibility: str = Visibility.TEAM,
        decisions: Iterable[DecisionDraft] = (),
        idempotency_key: str | None = None,
    ) -> MeetingRecorded:
        """Record a held meeting with its decisions and commitments, all in one atomic write."""
        meeting_kind = parse(MeetingKind, kind, "kind")
        visibility = parse(Visibility, minutes_visibility, "minutes_visibility")
        agenda_items = [_text(item, "agenda", SHORT_TEXT) for item in agenda if item.strip()]
        minutes_text = _text(minutes, "minutes", LONG_TEXT, required=False)
        drafts = list(decisions)
        visiting = list(visiting_team_ids)

        def work() -> Outcome:
            team = self._read(Team, team_id)
            for visiting_id in visiting:
                self._read(Team, visiting_id)
            meeting_id = new_id()
            self.sealer.new_item(meeting_id)
            stamp = Stamp(held_on, by)
            meeting = Meeting.hold(
                meeting_id=meeting_id,
                team=team,
                kind=meeting_kind,
                place=place,
                attendee_ids=list(attendee_ids),
                guests_female=guests_female,
                guests_male=guests_male,
                visiting_team_ids=visiting,
                agenda=[self.sealer.seal(meeting_id, item) for item in agenda_items],
                minutes=self.sealer.seal(meeting_id, minutes_text),
                minutes_visibility=visibility,
                today=self._today(team),
                stamp=stamp,
            )
            decision_ids, commitments = self._record_decisions(team, meeting, drafts, stamp)
            result = {
                "id": meeting_id,
                "decision_ids": decision_ids,
                "commitment_ids": [commitment.id for commitment in commitments],
            }
            return Outcome([meeting, *commitments], result, team.id, stamp)

        result = self._run("record_meeting", by, idempotency_key, work)
        return MeetingRecorded(result["id"], list(result["decision_ids"]), list(result["commitment_ids"]))

    def record_decision(
        self, meeting_id: UUID, draft: DecisionDraft, *, on: date, by: str, idempotency_key: str | None = None
    ) -> MeetingRecorded:
        """Record a decision (with its commitments) of a meeting already recorded: a late entry."""

        def work() -> Outcome:
            meeting = self._get(Meeting, meeting_id)
            team = self._read(Team, meeting.team_id)
            stamp = Stamp(on, by)
            decision_ids, commitments = self._record_decisions(team, meeting, [draft], stamp)
            result = {"id": meeting.id, "decision_ids": decision_ids, "commitment_ids": [c.id for c in commitments]}
            return Outcome([meeting, *commitments], result, team.id, stamp)

        result = self._run("record_decision", by, idempotency_key, work)
        return MeetingRecorded(result["id"], list(result["decision_ids"]), list(result["commitment_ids"]))

    def correct_minutes(self, meeting_id: UUID, *, minutes: str, reason: str, on: date, by: str) -> None:
        minutes_text, reason_text = _text(minutes, "minutes", LONG_TEXT), _reason(reason)
        self._change(
            "correct_minutes",
            Meeting,
            meeting_id,
            on=on,
            by=by,
            act=lambda meeting, stamp: meeting.correct_minutes(
                minutes=self.sealer.seal(meeting.id, minutes_text),
                reason=self.sealer.seal(meeting.id, reason_text),
                stamp=stamp,
            ),
        )

    def annul_meeting(self, meeting_id: UUID, *, reason: str, on: date, by: str) -> None:
        reason_text = _reason(reason)
        self._change(
            "annul_meeting",
            Meeting,
            meeting_id,
            on=on,
            by=by,
            act=lambda meeting, stamp: meeting.annul(reason=self.sealer.seal(meeting.id, reason_text), stamp=stamp),
        )

    def change_minutes_visibility(self, meeting_id: UUID, *, visibility: str, reason: str, on: date, by: str) -> None:
        new_visibility, reason_text = parse(Visibility, visibility, "visibility"), _reason(reason)
        self._change(
            "change_minutes_visibility",
            Meeting,
            meeting_id,
            on=on,
            by=by,
            act=lambda meeting, stamp: meeting.change_minutes_visibility(
                visibility=new_visibility, reason=self.sealer.seal(meeting.id, reason_text), stamp=stamp
            ),
        )

    def change_decision_visibility(
        self, meeting_id: UUID, decision_id: UUID, *, visibility: str, reason: str, on: date, by: str
    ) -> None:
        new_visibility, reason_text = parse(Visibility, visibility, "visibility"), _reason(reason)
        self._change(
            "change_decision_visibility",
            Meeting,
            meeting_id,
            on=on,
            by=by,
            act=lambda meeting, stamp: meeting.change_decision_visibility(
                decision_id, visibility=new_visibility, reason=self.sealer.seal(decision_id, reason_text), stamp=stamp
            ),
        )

    # Commitments

    def make_commitment(
        self,
        meeting_id: UUID,
        decision_id: UUID,
        draft: CommitmentDraft,
        *,
        by: str,
        idempotency_key: str | None = None,
    ) -> UUID:
        def work() -> Outcome:
            meeting = self._get(Meeting, meeting_id)
            team = self._read(Team, meeting.team_id)
            commitment = self._make_commitment(team, meeting, decision_id, draft, by)
            return Outcome([commitment], {"id": commitment.id}, team.id, Stamp(meeting.held_on, by))

        return self._run("make_commitment", by, idempotency_key, work)["id"]

    def report_follow_up(
        self,
        commitment_id: UUID,
        *,
        on: date,
        status: str,
        by: str,
        note: str = "",
        meeting_id: UUID | None = None,
        idempotency_key: str | None = None,
    ) -> UUID:
        new_status = parse(CommitmentStatus, status, "status")
        note_text = _text(note, "note", SHORT_TEXT, required=False)

        def work() -> Outcome:
            commitment = self._get(Commitment, commitment_id)
            team = self._read(Team, commitment.team_id)
            if meeting_id is not None and self._get(Meeting, meeting_id).team_id != commitment.team_id:
                raise MeetingOfAnotherTeam("the follow-up meeting is another team's")
            stamp = Stamp(on, by)
            commitment.report_follow_up(
                origin=self._get(Meeting, commitment.meeting_id),
                status=new_status,
                note=self.sealer.seal(commitment.decision_id, note_text),
                meeting_id=meeting_id,
                today=self._today(team),
                stamp=stamp,
            )
            return Outcome([commitment], {"id": commitment.id}, team.id, stamp)

        return self._run("report_follow_up", by, idempotency_key, work)["id"]

    def revise_due_date(
        self, commitment_id: UUID, *, due_on: date, reason: str, on: date, by: str, idempotency_key: str | None = None
    ) -> UUID:
        reason_text = _reason(reason)
        return self._change(
            "revise_due_date",
            Commitment,
            commitment_id,
            on=on,
            by=by,
            idempotency_key=idempotency_key,
            act=lambda commitment, stamp: commitment.revise_due_date(
                origin=self._get(Meeting, commitment.meeting_id),
                due_on=due_on,
                reason=self.sealer.seal(commitment.decision_id, reason_text),
                stamp=stamp,
            ),
        )

    def hand_over(
        self,
        commitment_id: UUID,
        *,
        reason: str,
        on: date,
        by: str,
        owner_member_id: UUID | None = None,
        owner_body: str | None = None,
        idempotency_key: str | None = None,
    ) -> UUID:
        reason_text = _reason(reason)
        body_text = _text(owner_body, "owner_body", SHORT_TEXT) if owner_body else None
        return self._change(
            "hand_over",
            Commitment,
            commitment_id,
            on=on,
            by=by,
            idempotency_key=idempotency_key,
            act=lambda commitment, stamp: commitment.hand_over(
                origin=self._get(Meeting, commitment.meeting_id),
                team=self._read(Team, commitment.team_id),
                owner_member_id=owner_member_id,
                owner_body=self.sealer.seal(commitment.decision_id, body_text) if body_text else None,
                reason=self.sealer.seal(commitment.decision_id, reason_text),
                stamp=stamp,
            ),
        )

    def reopen_commitment(self, commitment_id: UUID, *, reason: str, on: date, by: str) -> None:
        reason_text = _reason(reason)
        self._change(
            "reopen_commitment",
            Commitment,
            commitment_id,
            on=on,
            by=by,
            act=lambda commitment, stamp: commitment.reopen(
                origin=self._get(Meeting, commitment.meeting_id),
                reason=self.sealer.seal(commitment.decision_id, reason_text),
                stamp=stamp,
            ),
        )

    def change_commitment_visibility(
        self, commitment_id: UUID, *, visibility: str, reason: str, on: date, by: str
    ) -> None:
        new_visibility, reason_text = parse(Visibility, visibility, "visibility"), _reason(reason)
        self._change(
            "change_commitment_visibility",
            Commitment,
            commitment_id,
            on=on,
            by=by,
            act=lambda commitment, stamp: commitment.change_visibility(
                visibility=new_visibility, reason=self.sealer.seal(commitment.decision_id, reason_text), stamp=stamp
            ),
        )

    # Users and roles

    def register_user(self, *, username: str, display_name: str, password: str, by: str) -> UUID:
        """An account: the registration is in the log, the password hash only in the credentials store."""
        user_id = User.id_for(username)
        if self._exists(User, user_id):
            raise InvalidValue("username", f"the username {username.strip()} is taken")

        def work() -> Outcome:
            stamp = Stamp(self.clock().date(), by)
            user = User.register(username=username, display_name=display_name, stamp=stamp)
            user.record_password_change(stamp)
            return Outcome([user], {"id": user.id}, NO_TEAM, stamp)

        User.register(username=username, display_name=display_name, stamp=Stamp(self.clock().date(), by))  # validates
        self.credentials.set_password(user_id, password)  # before the event: an orphan hash is harmless
        return self._run("register_user", by, None, work)["id"]

    def grant_role(self, user_id: UUID, *, role: str, team_id: UUID | None, by: str) -> None:
        user_role = parse(UserRole, role, "role")
        if team_id is not None:
            self._read(Team, team_id)

        def work() -> Outcome:
            user = self._get(User, user_id)
            stamp = Stamp(self.clock().date(), by)
            user.grant(user_role, team_id, stamp)
            return Outcome([user], {"id": user.id}, team_id or NO_TEAM, stamp)

        self._run("grant_role", by, None, work)

    def revoke_role(self, user_id: UUID, *, role: str, team_id: UUID | None, by: str) -> None:
        user_role = parse(UserRole, role, "role")

        def work() -> Outcome:
            user = self._get(User, user_id)
            stamp = Stamp(self.clock().date(), by)
            user.revoke(user_role, team_id, stamp)
            return Outcome([user], {"id": user.id}, team_id or NO_TEAM, stamp)

        self._run("revoke_role", by, None, work)

    def change_password(self, user_id: UUID, *, password: str, by: str) -> None:
        self._get(User, user_id)
        self.credentials.set_password(user_id, password)

        def work() -> Outcome:
            user = self._get(User, user_id)
            stamp = Stamp(self.clock().date(), by)
            user.record_password_change(stamp)
            return Outcome([user], {"id": user.id}, NO_TEAM, stamp)

        self._run("change_password", by, None, work)

    def authenticate(self, username: str, password: str) -> User | None:
        user_id = User.id_for(username)
        if not self.credentials.check_password(user_id, password):
            return None
        return self._get(User, user_id)

    def team_id_for(self, reference: str) -> UUID:
        """A team named by its id or by its short code (MIR)."""
        try:
            return self._get(Team, UUID(reference)).id
        except ValueError:
            return self._get(TeamCode, TeamCode.id_for(reference.strip().upper())).team_id

    def user(self, user_id: UUID) -> User:
        return self._get(User, user_id)

    def user_named(self, username: str) -> User:
        return self._get(User, User.id_for(username))

    def viewer_for(self, user: User | None) -> Viewer:
        if user is None:
            return PUBLIC
        return Viewer(
            name=f"user:{user.username}",
            member_of=user.teams_with(UserRole.MEMBER),
            secretary_of=user.teams_with(UserRole.SECRETARY),
            auditor_of=user.teams_with(UserRole.AUDITOR),
            auditor_of_all_teams=user.has_global(UserRole.AUDITOR),
        )

    # Erasure

    def erase_item(self, item_id: UUID, *, reason: str, by: str) -> UUID:
        """Destroy an item's data key for good, then record ItemErased; safe to run again if interrupted.

        The item is a meeting (its minutes and agenda), a decision, or a commitment (its decision's text, shared
        with the decision's other commitments). Returns the id of the item whose key was destroyed.
        """
        reason_code = parse(ErasureReason, reason, "reason")
        meeting, key_id = self._erasable(item_id)
        self.sealer.key_store.destroy(key_id)

        def work() -> Outcome:
            fresh = self._get(Meeting, meeting.id)
            stamp = Stamp(self._today(self._read(Team, fresh.team_id)), by)
            fresh.erase_item(key_id, reason=reason_code, stamp=stamp)
            return Outcome([fresh], {"id": key_id}, fresh.team_id, stamp)

        if not meeting.is_erased(key_id):
            self._run("erase_item", by, None, work)
        return key_id

    def _erasable(self, item_id: UUID) -> tuple[Meeting, UUID]:
        try:
            aggregate = self.repository.get(item_id)
        except AggregateNotFoundError:
            aggregate = None
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
        raise NotFound(f"no meeting, decision or commitment {item_id}")

    # Reading

    def read_meeting(self, meeting_id: UUID, *, viewer: Viewer, page: str) -> MeetingView:
        return self.reader.meeting(meeting_id, viewer, page)

    def read_texts(
        self, team_id: UUID, items: list[tuple[str, UUID, str, bool, str | None]], *, viewer: Viewer, page: str
    ) -> list[Text | None]:
        """Open read-model texts (kind, item id, visibility, erased, sealed) for a viewer; confidential reads logged."""
        return self.reader.texts(viewer, page, team_id, items)

    def read_commitment(self, commitment_id: UUID, *, viewer: Viewer, page: str) -> CommitmentView:
        return self.reader.commitment(commitment_id, viewer, page)

    def team(self, team_id: UUID) -> Team:
        return self._get(Team, team_id)

    def meeting(self, meeting_id: UUID) -> Meeting:
        return self._get(Meeting, meeting_id)

    def commitment(self, commitment_id: UUID) -> Commitment:
        return self._get(Commitment, commitment_id)

    def today_for(self, team_id: UUID) -> date:
        return self._today(self._get(Team, team_id))

    # The machinery every command shares

    def _run(self, command: str, by: str, idempotency_key: str | None, work: Callable[[], Outcome]) -> dict[str, Any]:
        """Do a command's work and save it in one write; retry on a concurrent edit; answer repeats of a key once."""
        if not by.strip():
            raise InvalidValue("recorded_by", "every record says who made it")
        receipt_id = Receipt.id_for(by, idempotency_key) if idempotency_key else None
        for attempt in range(MAX_ATTEMPTS):
            if receipt_id is not None and (earlier := self._earlier_result(receipt_id, command)) is not None:
                return earlier
            try:
                with self.sealer.command() as new_keys:
                    outcome = work()
            except DomainError:
                # A repeat of the key may have been refused only because its first sending just landed.
                if receipt_id is not None and (earlier := self._earlier_result(receipt_id, command)) is not None:
                    return earlier
                raise
            if idempotency_key:
                outcome.aggregates.append(
                    Receipt.issue(
                        idempotency_key=idempotency_key,
                        command=command,
                        result=outcome.result,
                        team_id=outcome.team_id,
                        stamp=outcome.stamp,
                    )
                )
            try:
                self.save(*outcome.aggregates, data_keys=self.sealer.key_store.rows(new_keys))
            except IntegrityError:
                time.sleep(random.uniform(0, 0.005 * 2**attempt))
                continue
            for listener in self.after_save:
                listener()
            return outcome.result
        raise ConcurrentEditConflict(f"{command}: the record kept changing under us; nothing was saved, try again")

    def _change(
        self,
        command: str,
        aggregate_class: type[A],
        aggregate_id: UUID,
        *,
        on: date,
        by: str,
        act: Callable[[A, Stamp], object],
        idempotency_key: str | None = None,
    ) -> UUID:
        """The shape of most commands: load one meeting or commitment, let `act` record on it, save it."""

        def work() -> Outcome:
            aggregate = self._get(aggregate_class, aggregate_id)
            stamp = Stamp(on, by)
            act(aggregate, stamp)
            return Outcome([aggregate], {"id": aggregate.id}, aggregate.team_id, stamp)

        return self._run(command, by, idempotency_key, work)["id"]

    def _earlier_result(self, receipt_id: UUID, command: str) -> dict[str, Any] | None:
        try:
            receipt = self.repository.get(receipt_id)
        except AggregateNotFoundError:
            return None
        if receipt.command != command:
            raise IdempotencyKeyReused(f"this idempotency key was used for {receipt.command}, not {command}")
        return receipt.result

    def _record_decisions(
        self, team: Team, meeting: Meeting, drafts: list[DecisionDraft], stamp: Stamp
    ) -> tuple[list[UUID], list[Commitment]]:
        decision_ids: list[UUID] = []
        commitments: list[Commitment] = []
        for index, draft in enumerate(drafts):
            text = _text(draft.text, f"decisions[{index}].text", SHORT_TEXT)
            visibility = parse(Visibility, draft.visibility, f"decisions[{index}].visibility")
            decision_id = new_id()
            self.sealer.new_item(decision_id)
            meeting.record_decision(
                decision_id=decision_id, text=self.sealer.seal(decision_id, text), visibility=visibility, stamp=stamp
            )
            decision_ids.append(decision_id)
            for position, commitment in enumerate(draft.commitments):
                try:
                    commitments.append(self._make_commitment(team, meeting, decision_id, commitment, stamp.recorded_by))
                except DomainError as error:
                    if error.field:
                        error.field = f"decisions[{index}].commitments[{position}].{error.field}"
                    raise
        return decision_ids, commitments

    def _make_commitment(
        self, team: Team, meeting: Meeting, decision_id: UUID, draft: CommitmentDraft, by: str
    ) -> Commitment:
        description = _text(draft.description, "description", SHORT_TEXT)
        body = _text(draft.owner_body, "owner_body", SHORT_TEXT) if draft.owner_body else None
        return Commitment.make(
            commitment_id=new_id(),
            team=team,
            meeting=meeting,
            decision_id=decision_id,
            owner_member_id=draft.owner_member_id,
            owner_body=self.sealer.seal(decision_id, body) if body else None,
            description=self.sealer.seal(decision_id, description),
            due_on=draft.due_on,
            visibility=parse(Visibility, draft.visibility, "visibility"),
            recorded_by=by,
        )

    def _history(self, aggregate_id: UUID) -> list[Any]:
        return list(self.events.get(aggregate_id))

    def _get(self, aggregate_class: type[A], aggregate_id: UUID, *, to_change: bool = True) -> A:
        """An aggregate from the cache, brought up to date from the log. One a command may change is a copy, so a
        failed command leaves the cache as it was; one only looked at (`_read`) is the cached object itself."""
        try:
            aggregate = self.repository.get(
                aggregate_id, projector_func=self._fast_forward, deepcopy_from_cache=to_change
            )
        except AggregateNotFoundError:
            aggregate = None
        if not isinstance(aggregate, aggregate_class):
            raise NotFound(f"no {aggregate_class.__name__.lower()} {aggregate_id}")
        return aggregate

    def _fast_forward(self, aggregate: Any, events: Iterable[Any]) -> Any:
        """Apply newer events to a copy and cache the copy: a cached aggregate is never changed in place, so a
        thread still reading one (Flask's server is threaded) never sees it change under it."""
        events = list(events)
        if aggregate is None or not events:
            return project_aggregate(aggregate, events)
        current = project_aggregate(deepcopy(aggregate), events)
        if current is not None and self.repository.cache is not None:
            self.repository.cache.put(current.id, current)
        return current

    def _read(self, aggregate_class: type[A], aggregate_id: UUID) -> A:
        """An aggregate to look at, never to change or save."""
        return self._get(aggregate_class, aggregate_id, to_change=False)

    def _exists(self, aggregate_class: type[Aggregate], aggregate_id: UUID) -> bool:
        try:
            self._read(aggregate_class, aggregate_id)
        except NotFound:
            return False
        return True

    def _free_code(self, derived: str) -> str:
        if not self._exists(TeamCode, TeamCode.id_for(derived)):
            return derived
        for suffix in "BCDEFGHJKLMNPQRSTUVWXYZ":
            candidate = derived + suffix
            if not self._exists(TeamCode, TeamCode.id_for(candidate)):
                return candidate
        raise TeamCodeTaken(f"every code starting {derived} is taken; give one")

    def _today(self, team: Team) -> date:
        return self.clock().astimezone(ZoneInfo(team.time_zone)).date()


def _text(value: str | None, field: str, limit: int, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidValue(field, "this cannot be empty")
    if len(text) > limit:
        raise InvalidValue(field, f"at most {limit} characters")
    return text


def _reason(value: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ReasonRequired("say why: every correction carries its reason")
    return _text(text, "reason", SHORT_TEXT)


def _check_time_zone(zone: str) -> None:
    try:
        ZoneInfo(zone)
    except (KeyError, ValueError):
        raise InvalidValue("time_zone", f"unknown time zone {zone!r}") from None
