"""The Tracker application: one method per use case, the only way events get into the log.

Commands live by aggregate family (teams, meetings, commitments, problems, users, erasure), each a mixin of the one
`Tracker` application (its name fixes the PostgreSQL table and the one Merkle log); the unit of work that saves
them is `tracker.application.unit_of_work`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import ClassVar
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder
from eventsourcing.utils import get_topic

from tracker.access_log import AccessLog
from tracker.application.aggregates import Aggregates
from tracker.application.commitments import CommitmentCommands
from tracker.application.erasure import Erasure
from tracker.application.meetings import MeetingCommands
from tracker.application.problems import ProblemCommands
from tracker.application.teams import TeamCommands
from tracker.application.unit_of_work import UnitOfWork
from tracker.application.users import UserCommands
from tracker.confidentiality import RECORDERS_WITH_KEYS, Sealer
from tracker.credentials import Credentials
from tracker.domain import Commitment, Meeting, Team, TeamCode
from tracker.domain.access import Viewer
from tracker.reading import CommitmentView, MeetingView, Reader
from tracker.transcodings import TRANSCODINGS


class Tracker(
    TeamCommands,
    MeetingCommands,
    CommitmentCommands,
    ProblemCommands,
    UserCommands,
    Erasure,
    UnitOfWork,
    Aggregates,
    Application[UUID],
):
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
        self.after_team_change: list[Callable[[UUID], None]] = []  # e.g. forget the team's rendered reports
        self.access_log = access_log
        self.credentials = credentials
        self.reader = Reader(self._get, self._history, sealer, access_log, self.clock)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        for transcoding in TRANSCODINGS:
            transcoder.register(transcoding)

    def team_id_for(self, reference: str) -> UUID:
        """A team named by its id or by its short code (MIR)."""
        try:
            return self._get(Team, UUID(reference)).id
        except ValueError:
            return self._get(TeamCode, TeamCode.id_for(reference.strip().upper())).team_id

    def team(self, team_id: UUID) -> Team:
        return self._get(Team, team_id)

    def meeting(self, meeting_id: UUID) -> Meeting:
        return self._get(Meeting, meeting_id)

    def commitment(self, commitment_id: UUID) -> Commitment:
        return self._get(Commitment, commitment_id)

    def read_meeting(self, meeting_id: UUID, *, viewer: Viewer, page: str) -> MeetingView:
        return self.reader.meeting(meeting_id, viewer, page)

    def read_commitment(self, commitment_id: UUID, *, viewer: Viewer, page: str) -> CommitmentView:
        return self.reader.commitment(commitment_id, viewer, page)

    def today_for(self, team_id: UUID) -> date:
        return self._today(self._get(Team, team_id))

    def _today(self, team: Team) -> date:
        """The team's local date by the application's clock: business dates are local dates."""
        return self.clock().astimezone(ZoneInfo(team.time_zone)).date()
