"""The domain: partnership teams, meetings, decisions, commitments and problems, as aggregates of immutable events."""

from tracker.domain.commitment import Commitment
from tracker.domain.events import Sealed, Stamp, TrackedEvent
from tracker.domain.meeting import Decision, Meeting
from tracker.domain.problem import Problem
from tracker.domain.receipt import Receipt
from tracker.domain.team import Member, Team, TeamCode
from tracker.domain.user import User

AGGREGATES = (Team, TeamCode, Meeting, Commitment, Problem, Receipt, User)

__all__ = [
    "AGGREGATES",
    "Commitment",
    "Decision",
    "Meeting",
    "Member",
    "Problem",
    "Receipt",
    "Sealed",
    "Stamp",
    "Team",
    "TeamCode",
    "TrackedEvent",
    "User",
]
