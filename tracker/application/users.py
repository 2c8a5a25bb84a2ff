"""Commands on accounts: register a user, grant and revoke roles, change a password; and signing in."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from tracker.application.unit_of_work import Save, command
from tracker.credentials import MIN_PASSWORD_LENGTH
from tracker.domain import Stamp, Team, User
from tracker.domain.access import PUBLIC, Viewer
from tracker.domain.errors import InvalidValue, WeakPassword
from tracker.domain.user import NO_TEAM
from tracker.domain.values import UserRole, parse


class UserCommands:
    def register_user(self: Any, *, username: str, display_name: str, password: str, by: str) -> UUID:
        """An account: the registration is in the log, the password hash only in the credentials store."""
        user_id = User.id_for(username)
        if self._exists(User, user_id):
            raise InvalidValue("username", f"the username {username.strip()} is taken")
        User.register(username=username, display_name=display_name, stamp=Stamp(self.clock().date(), by))  # validates
        check_password(password, username, display_name)
        self.credentials.set_password(user_id, password)  # before the event: an orphan hash is harmless
        return self._register_user(username=username, display_name=display_name, by=by)

    @command(name="register_user")
    def _register_user(self: Any, *, username: str, display_name: str, by: str) -> Save:
        stamp = Stamp(self.clock().date(), by)
        user = User.register(username=username, display_name=display_name, stamp=stamp)
        user.record_password_change(stamp)
        return Save(user, stamp=stamp, team_id=NO_TEAM)

    @command(answer=lambda answer: None)
    def grant_role(self: Any, user_id: UUID, *, role: str, team_id: UUID | None, by: str) -> Save:
        user_role = parse(UserRole, role, "role")
        if team_id is not None:
            self._read(Team, team_id)
        user, stamp = self._get(User, user_id), Stamp(self.clock().date(), by)
        user.grant(user_role, team_id, stamp)
        return Save(user, stamp=stamp, team_id=team_id or NO_TEAM)

    @command(answer=lambda answer: None)
    def revoke_role(self: Any, user_id: UUID, *, role: str, team_id: UUID | None, by: str) -> Save:
        user_role = parse(UserRole, role, "role")
        user, stamp = self._get(User, user_id), Stamp(self.clock().date(), by)
        user.revoke(user_role, team_id, stamp)
        return Save(user, stamp=stamp, team_id=team_id or NO_TEAM)

    def change_password(self: Any, user_id: UUID, *, password: str, by: str) -> None:
        user = self._read(User, user_id)
        check_password(password, user.username, user.display_name)
        self.credentials.set_password(user_id, password)
        self._record_password_change(user_id, by=by)

    @command(answer=lambda answer: None, name="change_password")
    def _record_password_change(self: Any, user_id: UUID, *, by: str) -> Save:
        user, stamp = self._get(User, user_id), Stamp(self.clock().date(), by)
        user.record_password_change(stamp)
        return Save(user, stamp=stamp, team_id=NO_TEAM)

    def authenticate(self: Any, username: str, password: str) -> User | None:
        user_id = User.id_for(username)
        if not self.credentials.check_password(user_id, password):
            return None
        return self._get(User, user_id)

    def user(self: Any, user_id: UUID) -> User:
        return self._get(User, user_id)

    def user_named(self: Any, username: str) -> User:
        return self._get(User, User.id_for(username))

    @staticmethod
    def viewer_for(user: User | None) -> Viewer:
        if user is None:
            return PUBLIC
        return Viewer(
            name=f"user:{user.username}",
            member_of=user.teams_with(UserRole.MEMBER),
            secretary_of=user.teams_with(UserRole.SECRETARY),
            auditor_of=user.teams_with(UserRole.AUDITOR),
            auditor_of_all_teams=user.has_global(UserRole.AUDITOR),
        )


def check_password(password: str, username: str, display_name: str) -> None:
    """Refuse a password that is short, common (zxcvbn's lists of leaked passwords and words), the user's own name,
    or a simple pattern: zxcvbn's score of at least 2 ("somewhat guessable" and better)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidValue("password", f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    from zxcvbn import zxcvbn  # its word lists cost 60 ms and 13 MB: loaded when a password is set

    if zxcvbn(password[:100], user_inputs=[username, display_name, "partnership", "tracker"])["score"] < 2:
        raise WeakPassword("password", "this password is too easy to guess: a common password, a name or a pattern")
