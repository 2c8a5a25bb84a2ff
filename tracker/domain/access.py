"""Who may read an item's text: the viewer's standing towards the item's team, against the item's visibility."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from tracker.domain.values import Visibility


@dataclass(frozen=True)
class Viewer:
    """A person reading (or the anonymous public), with the teams they belong to and their audit scope."""

    name: str
    member_of: frozenset[UUID] = field(default_factory=frozenset)
    secretary_of: frozenset[UUID] = field(default_factory=frozenset)
    auditor_of: frozenset[UUID] = field(default_factory=frozenset)
    auditor_of_all_teams: bool = False

    @property
    def is_person(self) -> bool:
        return self.name != PUBLIC.name

    def audits(self, team_id: UUID) -> bool:
        return self.auditor_of_all_teams or team_id in self.auditor_of

    def may_read(self, team_id: UUID, visibility: Visibility) -> bool:
        if visibility is Visibility.PUBLIC:
            return True
        if visibility is Visibility.TEAM:
            return team_id in self.member_of or team_id in self.secretary_of or self.audits(team_id)
        return team_id in self.secretary_of or self.audits(team_id)


PUBLIC = Viewer(name="public")
