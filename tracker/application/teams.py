"""Commands on teams and their members: register, rename, members joining, changing and leaving."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from tracker.application import inputs
from tracker.application.unit_of_work import Save, command
from tracker.domain import Stamp, Team, TeamCode
from tracker.domain import values as vocabularies
from tracker.domain.errors import TeamCodeTaken
from tracker.domain.ids import new_id
from tracker.domain.values import derive_team_code, parse


class TeamCommands:
    @command()
    def register_team(
        self: Any,
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
    ) -> Save:
        team_kind, team_country = (
            parse(vocabularies.TeamKind, kind, "kind"),
            parse(vocabularies.Country, country, "country"),
        )
        zone = inputs.time_zone(time_zone or team_country.time_zone)
        team_code = (code or "").strip().upper() or self._free_code(derive_team_code(name))
        if self._exists(TeamCode, TeamCode.id_for(team_code)):
            raise TeamCodeTaken(f"the team code {team_code} is taken; choose another")
        today = self.clock().astimezone(ZoneInfo(zone)).date()
        stamp = Stamp(inputs.business_date(registered_on, "registered_on", today=today), by)
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
        return Save(team, TeamCode.claim(team, stamp), stamp=stamp, team_id=team.id)

    @command(answer=lambda answer: None)
    def rename_team(self: Any, team_id: UUID, *, name: str, on: date, by: str) -> Save:
        team, stamp = self._get(Team, team_id), inputs.stamp(on, by)
        team.rename(name, stamp)
        return Save(team, stamp=stamp, team_id=team.id)

    @command(answer=lambda answer: None)
    def choose_team_region(self: Any, team_id: UUID, *, region: str, by: str, on: date | None = None) -> Save:
        """Put the team in a region of its country's list (teams registered before the list wrote it by hand);
        dated the team's today unless a date is given."""
        team = self._get(Team, team_id)
        stamp = inputs.stamp(on or self._today(team), by)
        team.choose_region(region, stamp)
        return Save(team, stamp=stamp, team_id=team.id)

    @command(answer=lambda answer: None)
    def correct_registration_date(
        self: Any, team_id: UUID, *, registered_on: date, reason: str, on: date, by: str
    ) -> Save:
        """The team's registration date was recorded wrongly (a typing slip, or a date in the future)."""
        reason_text = inputs.reason(reason)
        team, stamp = self._get(Team, team_id), inputs.stamp(on, by)
        registered = inputs.business_date(registered_on, "registered_on", today=self._today(team))
        team.correct_registration_date(registered, reason=self.sealer.seal(team.id, reason_text), stamp=stamp)
        return Save(team, stamp=stamp, team_id=team.id)

    @command()
    def add_member(
        self: Any,
        team_id: UUID,
        *,
        name: str,
        role: str,
        sector: str,
        gender: str,
        age_band: str,
        joined_on: date,
        by: str,
        public_display: str = vocabularies.PublicDisplay.FULL_NAME,
    ) -> Save:
        """The name is sealed under the member's own key, so that erasing the member destroys it."""
        team, stamp, member_id = self._get(Team, team_id), inputs.stamp(joined_on, by, "joined_on"), new_id()
        self.sealer.new_item(member_id)
        team.add_member(
            member_id=member_id,
            name=self.sealer.seal(member_id, name.strip()),
            role=parse(vocabularies.Role, role, "role"),
            sector=parse(vocabularies.Sector, sector, "sector"),
            gender=parse(vocabularies.Gender, gender, "gender"),
            age_band=parse(vocabularies.AgeBand, age_band, "age_band"),
            public_display=parse(vocabularies.PublicDisplay, public_display, "public_display"),
            stamp=stamp,
        )
        return Save(team, stamp=stamp, team_id=team.id, id=member_id)

    @command(answer=lambda answer: None)
    def change_member_role(
        self: Any, team_id: UUID, member_id: UUID, *, role: str, sector: str, on: date, by: str
    ) -> Save:
        team, stamp = self._get(Team, team_id), inputs.stamp(on, by)
        team.change_member_role(
            member_id,
            role=parse(vocabularies.Role, role, "role"),
            sector=parse(vocabularies.Sector, sector, "sector"),
            stamp=stamp,
        )
        return Save(team, stamp=stamp, team_id=team.id, id=member_id)

    @command(answer=lambda answer: None)
    def change_member_display(
        self: Any, team_id: UUID, member_id: UUID, *, public_display: str, on: date, by: str
    ) -> Save:
        team, stamp = self._get(Team, team_id), inputs.stamp(on, by)
        display = parse(vocabularies.PublicDisplay, public_display, "public_display")
        team.change_member_display(member_id, public_display=display, stamp=stamp)
        return Save(team, stamp=stamp, team_id=team.id, id=member_id)

    @command(answer=lambda answer: None)
    def remove_member(self: Any, team_id: UUID, member_id: UUID, *, reason: str, on: date, by: str) -> Save:
        reason_text = inputs.reason(reason)
        team, stamp = self._get(Team, team_id), inputs.stamp(on, by)
        team.remove_member(member_id, reason=self.sealer.seal(team.id, reason_text), stamp=stamp)
        return Save(team, stamp=stamp, team_id=team.id, id=member_id)

    def _free_code(self: Any, derived: str) -> str:
        if not self._exists(TeamCode, TeamCode.id_for(derived)):
            return derived
        for suffix in "BCDEFGHJKLMNPQRSTUVWXYZ":
            candidate = derived + suffix
            if not self._exists(TeamCode, TeamCode.id_for(candidate)):
                return candidate
        raise TeamCodeTaken(f"every code starting {derived} is taken; give one")
