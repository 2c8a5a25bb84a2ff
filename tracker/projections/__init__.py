"""Read models built from the log, each a function of the events it consumes, rebuildable at any time."""

from tracker.projections.commitments import Commitments
from tracker.projections.dashboard import Dashboard
from tracker.projections.event_index import EventIndex
from tracker.projections.ledger import Ledger
from tracker.projections.meetings import Meetings
from tracker.projections.merkle_tree import MerkleTree
from tracker.projections.problems import Problems
from tracker.projections.roster import Roster
from tracker.projections.runner import Projection
from tracker.projections.team_directory import TeamDirectory
from tracker.projections.types import OpenTexts, clear_texts_only
from tracker.projections.user_directory import UserDirectory


def team_projections(open_texts: OpenTexts = clear_texts_only) -> list[Projection]:
    """The read models of a team's record: also what an as-of view folds the team's events into. `open_texts`
    opens members' names and meetings' places (Sealer.open_erasable)."""
    return [TeamDirectory(), Roster(open_texts), Meetings(open_texts), Commitments(), Problems(), Ledger()]


def all_projections(open_texts: OpenTexts = clear_texts_only) -> list[Projection]:
    return [EventIndex(), *team_projections(open_texts), Dashboard(), UserDirectory(), MerkleTree()]
