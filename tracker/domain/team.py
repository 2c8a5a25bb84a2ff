"""The partnership team aggregate: registration, name, and its members' comings and goings."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from tracker.domain.errors import (
    InvalidValue,
    LeftBeforeJoined,
    MemberAlreadyErased,
    MemberAlreadyLeft,
    RegionUnchanged,
    UnknownMember,
)
from tracker.domain.events import Sealed, Stamp, TrackedEvent
from tracker.domain.values import (
    TEAM_CODE_PATTERN,
    AgeBand,
    Country,
    ErasureReason,
    Gender,
    PublicDisplay,
    Region,
    Role,
    Sector,
    TeamKind,
    region_of,
)


@dataclass(frozen=True)
class Member:
    """A member as the team knows them. `name` is as stored: sealed under the member's own key for members who
    joined from MemberJoined version 3, in the clear for those recorded before; empty once the member is erased."""

    id: UUID
    name: Sealed
    role: Role
    sector: Sector
    gender: Gender
    age_band: AgeBand
    public_display: PublicDisplay
    joined_on: date
    left_on: date | None = None
    erased: bool = False

    def is_member_on(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)


class Team(Aggregate):
    class Event(TrackedEvent):
        pass

    class Registered(Event, Aggregate.Created):
        """A partnership team was registered. Its region is a code from the country's list (`Region`); teams
        registered before the list hold the region as it was written, until one is chosen (RegionChosen)."""

        name: str
        code: str
        kind: str
        country: str
        region: str
        district: str
        municipality: str
        time_zone: str

        def apply(self, team: Team) -> None:
            team.name = self.name
            team.code = self.code
            team.kind_code = self.kind  # plain strings in state, so a snapshot (JSON) keeps them exactly
            team.country_code = self.country
            team.region = self.region
            team.district = self.district
            team.municipality = self.municipality
            team.time_zone = self.time_zone
            team.registered_on = self.business_date
            team.members: dict[str, Member] = {}  # keyed by str(member id), so snapshots are JSON

    class Renamed(Event):
        """The team took a new name; its code stays."""

        name: str

        def apply(self, team: Team) -> None:
            team.name = self.name

    class RegistrationDateCorrected(Event):
        """The team's registration date had been recorded wrongly; this is the date it was registered."""

        is_correction = True
        registered_on: date
        reason: Sealed

        def apply(self, team: Team) -> None:
            team.registered_on = self.registered_on

    class RegionChosen(Event):
        """The team's region was chosen from its country's list (for a team registered with a region written by
        hand, or to put right a region chosen wrongly); its district stays as written."""

        region: str

        def apply(self, team: Team) -> None:
            team.region = self.region

    class MemberJoined(Event):
        """A person joined the team, representing a sector. The name is sealed under the member's own key (the
        member id), so the member can be erased (MemberErased); version 2 and before held it in the clear."""

        class_version = 3
        member_id: UUID
        name: Sealed
        role: str
        sector: str
        gender: str
        age_band: str
        public_display: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            """Version 1 had no public display: members then always appeared by full name."""
            state["public_display"] = PublicDisplay.FULL_NAME.value

        @staticmethod
        def upcast_v2_v3(state: dict[str, object]) -> None:
            """Version 2 held the name in the clear: it is read as it was stored (is_sealed tells the two apart)."""

        def apply(self, team: Team) -> None:
            team.members[str(self.member_id)] = Member(
                id=self.member_id,
                name=self.name,
                role=Role(self.role),
                sector=Sector(self.sector),
                gender=Gender(self.gender),
                age_band=AgeBand(self.age_band),
                public_display=PublicDisplay(self.public_display),
                joined_on=self.business_date,
            )

    class MemberRoleChanged(Event):
        """A member took another role on the team, or now represents another sector."""

        member_id: UUID
        role: str
        sector: str

        def apply(self, team: Team) -> None:
            member = team.members[str(self.member_id)]
            team.members[str(self.member_id)] = replace(member, role=Role(self.role), sector=Sector(self.sector))

    class MemberDisplayChanged(Event):
        """A member chose how public reports show them: full name, or role and initials."""

        member_id: UUID
        public_display: str

        def apply(self, team: Team) -> None:
            member = team.members[str(self.member_id)]
            team.members[str(self.member_id)] = replace(member, public_display=PublicDisplay(self.public_display))

    class MemberLeft(Event):
        """A member left the team; the reason is sealed under the team's key."""

        member_id: UUID
        reason: Sealed

        def apply(self, team: Team) -> None:
            member = team.members[str(self.member_id)]
            team.members[str(self.member_id)] = replace(member, left_on=self.business_date)

    class MemberErased(Event):
        """A member was erased at their request (or a court's): their name's key was destroyed, and reports name
        them "erased member" from now on, as of any date. Their role, sector, dates, attendance and commitments
        stay. For a member who joined before names were sealed, the name stays in that stored event: every read
        model, page and export for the public drops it (see docs/confidentiality.md)."""

        is_correction = True
        member_id: UUID
        reason_code: str

        def apply(self, team: Team) -> None:
            member = team.members[str(self.member_id)]
            team.members[str(self.member_id)] = replace(member, name="", erased=True)

    @classmethod
    def register(
        cls,
        *,
        team_id: UUID,
        name: str,
        code: str,
        kind: TeamKind,
        country: Country,
        region: str,
        district: str,
        municipality: str,
        time_zone: str,
        stamp: Stamp,
    ) -> Team:
        if not name.strip():
            raise InvalidValue("name", "a team needs a name")
        if not TEAM_CODE_PATTERN.match(code):
            raise InvalidValue("code", "a team code is 2 to 8 Latin capital letters")
        return cls._create(
            cls.Registered,
            id=team_id,
            name=name.strip(),
            code=code,
            kind=kind.value,
            country=country.value,
            region=region_of(country, region).value,
            district=district.strip(),
            municipality=municipality.strip(),
            time_zone=time_zone,
            **stamp.fields(team_id),
        )

    @property
    def kind(self) -> TeamKind:
        return TeamKind(self.kind_code)

    @property
    def country(self) -> Country:
        return Country(self.country_code)

    @property
    def region_code(self) -> Region | None:
        """The region chosen from the list; None for a team whose region was only written by hand."""
        return Region(self.region) if self.region in Region._value2member_map_ else None

    def choose_region(self, region: str, stamp: Stamp) -> None:
        chosen = region_of(self.country, region)
        if chosen is self.region_code:
            raise RegionUnchanged("region", f"team {self.code} is already in {chosen.value}")
        self.trigger_event(self.RegionChosen, region=chosen.value, **stamp.fields(self.id))

    def rename(self, name: str, stamp: Stamp) -> None:
        if not name.strip():
            raise InvalidValue("name", "a team needs a name")
        self.trigger_event(self.Renamed, name=name.strip(), **stamp.fields(self.id))

    def correct_registration_date(self, registered_on: date, *, reason: Sealed, stamp: Stamp) -> None:
        if registered_on == self.registered_on:
            raise InvalidValue("registered_on", "the team's registration date is already this date")
        self.trigger_event(
            self.RegistrationDateCorrected, registered_on=registered_on, reason=reason, **stamp.fields(self.id)
        )

    def add_member(
        self,
        *,
        member_id: UUID,
        name: Sealed,
        role: Role,
        sector: Sector,
        gender: Gender,
        age_band: AgeBand,
        public_display: PublicDisplay,
        stamp: Stamp,
    ) -> None:
        """`name` comes sealed under the member's key; an empty name (nothing to seal) is refused."""
        if not name.strip():
            raise InvalidValue("name", "a member needs a name")
        if str(member_id) in self.members:
            raise InvalidValue("member_id", f"{member_id} is already a member of team {self.code}")
        self.trigger_event(
            self.MemberJoined,
            member_id=member_id,
            name=name.strip(),
            role=role.value,
            sector=sector.value,
            gender=gender.value,
            age_band=age_band.value,
            public_display=public_display.value,
            **stamp.fields(self.id),
        )

    def change_member_role(self, member_id: UUID, *, role: Role, sector: Sector, stamp: Stamp) -> None:
        self._current_member(member_id)
        self.trigger_event(
            self.MemberRoleChanged, member_id=member_id, role=role.value, sector=sector.value, **stamp.fields(self.id)
        )

    def change_member_display(self, member_id: UUID, *, public_display: PublicDisplay, stamp: Stamp) -> None:
        self._current_member(member_id)
        self.trigger_event(
            self.MemberDisplayChanged,
            member_id=member_id,
            public_display=public_display.value,
            **stamp.fields(self.id),
        )

    def remove_member(self, member_id: UUID, *, reason: Sealed, stamp: Stamp) -> None:
        member = self._current_member(member_id)
        if stamp.business_date < member.joined_on:
            raise LeftBeforeJoined(f"the member joined on {member.joined_on}, after {stamp.business_date}")
        self.trigger_event(self.MemberLeft, member_id=member_id, reason=reason, **stamp.fields(self.id))

    def erase_member(self, member_id: UUID, *, reason: ErasureReason, stamp: Stamp) -> None:
        """Record that the member's name was erased (its key destroyed first, by the application)."""
        if self.member(member_id).erased:
            raise MemberAlreadyErased(f"member {member_id} of team {self.code} was already erased")
        self.trigger_event(self.MemberErased, member_id=member_id, reason_code=reason.value, **stamp.fields(self.id))

    def member(self, member_id: UUID) -> Member:
        try:
            return self.members[str(member_id)]
        except KeyError:
            raise UnknownMember(f"no member {member_id} in team {self.code}") from None

    def members_on(self, day: date) -> set[UUID]:
        return {member.id for member in self.members.values() if member.is_member_on(day)}

    def _current_member(self, member_id: UUID) -> Member:
        member = self.member(member_id)
        if member.left_on is not None:
            raise MemberAlreadyLeft(f"the member left the team on {member.left_on}")
        return member


TEAM_CODE_NAMESPACE = UUID("5b0a3c1e-7f4d-4c51-9a57-2f3c1d0e8b11")


class TeamCode(Aggregate):
    """A team's short code, claimed once: its id derives from the code, so a second claim conflicts."""

    class Event(TrackedEvent):
        pass

    class Claimed(Event, Aggregate.Created):
        """A short code was taken by a team."""

        code: str

        def apply(self, claim: TeamCode) -> None:
            claim.code = self.code
            claim.team_id = self.team_id

    @staticmethod
    def id_for(code: str) -> UUID:
        return uuid5(TEAM_CODE_NAMESPACE, code)

    @classmethod
    def claim(cls, team: Team, stamp: Stamp) -> TeamCode:
        return cls._create(cls.Claimed, id=cls.id_for(team.code), code=team.code, **stamp.fields(team.id))
