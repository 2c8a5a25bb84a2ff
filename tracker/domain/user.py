"""The user aggregate: who may use the tracker, and which roles they were granted and when (never a secret)."""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from tracker.domain.errors import DomainError, InvalidValue
from tracker.domain.events import Stamp, TrackedEvent
from tracker.domain.values import UserRole

USER_NAMESPACE = UUID("7c1e9a52-4d0b-4f3e-b6a8-1d2e3f405162")
NO_TEAM = UUID(int=0)
"""The team id of events that concern no one team: a user's registration, a global role."""


class RoleNotHeld(DomainError):
    field = "role"


class User(Aggregate):
    class Event(TrackedEvent):
        pass

    class Registered(Event, Aggregate.Created):
        """A person was given an account; the password is kept outside the log."""

        username: str
        display_name: str

        def apply(self, user: User) -> None:
            user.username = self.username
            user.display_name = self.display_name
            user.grants: list[list[str]] = []  # [role, team id hex or ""], JSON-friendly for snapshots

    class RoleGranted(Event):
        """A role was granted: on one team (team_id), or on every team (team_id is the nil UUID)."""

        role: str

        def apply(self, user: User) -> None:
            user.grants.append([self.role, _scope(self.team_id)])

    class RoleRevoked(Event):
        """A role was taken back, on one team or on every team."""

        role: str

        def apply(self, user: User) -> None:
            user.grants.remove([self.role, _scope(self.team_id)])

    class PasswordChanged(Event):
        """The user's password was set or changed: only the fact is recorded, never the password or its hash."""

        def apply(self, user: User) -> None:
            pass

    @staticmethod
    def id_for(username: str) -> UUID:
        return uuid5(USER_NAMESPACE, username.strip().lower())

    @classmethod
    def register(cls, *, username: str, display_name: str, stamp: Stamp) -> User:
        name = username.strip()
        if not name or len(name) > 64 or any(ch.isspace() for ch in name):
            raise InvalidValue("username", "a username is 1 to 64 characters without spaces")
        return cls._create(
            cls.Registered,
            id=cls.id_for(name),
            username=name,
            display_name=display_name.strip() or name,
            **stamp.fields(NO_TEAM),
        )

    def grant(self, role: UserRole, team_id: UUID | None, stamp: Stamp) -> None:
        team = _checked_scope(role, team_id)
        if [role.value, _scope(team)] in self.grants:
            raise InvalidValue("role", f"{self.username} already has that role")
        self.trigger_event(self.RoleGranted, role=role.value, **stamp.fields(team))

    def revoke(self, role: UserRole, team_id: UUID | None, stamp: Stamp) -> None:
        team = team_id or NO_TEAM
        if [role.value, _scope(team)] not in self.grants:
            raise RoleNotHeld(f"{self.username} has no such role to revoke")
        self.trigger_event(self.RoleRevoked, role=role.value, **stamp.fields(team))

    def record_password_change(self, stamp: Stamp) -> None:
        self.trigger_event(self.PasswordChanged, **stamp.fields(NO_TEAM))

    def teams_with(self, role: UserRole) -> frozenset[UUID]:
        return frozenset(UUID(team) for granted, team in self.grants if granted == role.value and team)

    def has_global(self, role: UserRole) -> bool:
        return [role.value, ""] in self.grants


def _scope(team_id: UUID) -> str:
    return "" if team_id == NO_TEAM else team_id.hex


def _checked_scope(role: UserRole, team_id: UUID | None) -> UUID:
    if role is UserRole.ADMIN and team_id is not None:
        raise InvalidValue("team_id", "an admin's role covers every team")
    if role in (UserRole.SECRETARY, UserRole.MEMBER) and team_id is None:
        raise InvalidValue("team_id", f"a {role.value} belongs to one team: name it")
    return team_id or NO_TEAM
