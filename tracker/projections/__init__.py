"""Read models built from the log, each a function of the events it consumes, rebuildable at any time."""

from tracker.projections.event_index import EventIndex
from tracker.projections.team_directory import TeamDirectory


def all_projections() -> list:
    return [EventIndex(), TeamDirectory()]
