"""The domain's errors: each names the rule that was broken and, where one is at fault, the field."""

from __future__ import annotations


class DomainError(Exception):
    """A command broke a rule of the domain; nothing was recorded."""

    field: str | None = None

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        if field is not None:
            self.field = field

    @property
    def message(self) -> str:
        return str(self.args[0])


class InvalidValue(DomainError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field)


class TextRequired(InvalidValue):
    """A text that a record cannot do without (a decision's text, a commitment's description) was left empty."""


class RegionOfAnotherCountry(InvalidValue):
    """A region chosen for a team lies in another country than the team's."""


class RegionUnchanged(InvalidValue):
    """The team is already in the region chosen."""


class InvalidInputs(DomainError):
    """More than one rule was broken by one command's input: every error, found in one pass."""

    def __init__(self, errors: list[DomainError]) -> None:
        super().__init__("; ".join(f"{error.field or 'input'}: {error.message}" for error in errors))
        self.errors = list(errors)


class NotFound(DomainError):
    """The team, meeting, decision, commitment or member named does not exist."""


class TeamCodeTaken(DomainError):
    field = "code"


class UnknownMember(DomainError):
    field = "member_id"


class MemberAlreadyLeft(DomainError):
    field = "member_id"


class MemberAlreadyErased(DomainError):
    field = "member_id"


class LeftBeforeJoined(DomainError):
    field = "on"


class AttendeeNotAMember(DomainError):
    field = "attendees"


class DateInFuture(DomainError):
    pass


class DateTooEarly(InvalidValue):
    """Records begin in 1990: an earlier date is a typing slip (0001-01-01, 1899)."""


class WeakPassword(InvalidValue):
    """A password found among common passwords, or built from the user's own name, or a simple pattern."""


class DueDateTooFar(InvalidValue):
    """A promise is due within ten years of the day it is recorded."""


class DueDateBeforeMeeting(DomainError):
    field = "due_on"


class DateBeforeMeeting(DomainError):
    field = "on"


class FollowUpOutOfOrder(DomainError):
    field = "on"


class OwnerNotAMember(DomainError):
    field = "owner_member_id"


class OwnerRequired(DomainError):
    field = "owner"


class SameOwner(DomainError):
    field = "owner"


class CommitmentAlreadyClosed(DomainError):
    pass


class CommitmentNotClosed(DomainError):
    pass


class MeetingAnnulled(DomainError):
    pass


class UnknownDecision(DomainError):
    field = "decision_id"


class VisibilityUnchanged(DomainError):
    field = "visibility"


class ReasonRequired(DomainError):
    field = "reason"


class MeetingOfAnotherTeam(DomainError):
    field = "meeting_id"


class IdempotencyKeyReused(DomainError):
    """The same idempotency key was sent before with a different command."""

    field = "idempotency_key"


class ConcurrentEditConflict(DomainError):
    """Others kept changing the same record; the command was not recorded, and may be sent again."""


class ItemAlreadyErased(DomainError):
    field = "item_id"


class ProblemClosed(DomainError):
    """An assessed problem takes no new plan items nor stage changes until it is reopened."""


class ProblemNotClosed(DomainError):
    pass


class StageUnchanged(DomainError):
    field = "stage"


class PlanItemAlreadyThere(DomainError):
    field = "commitment_id"


class NotInPlan(DomainError):
    field = "commitment_id"


class CommitmentOfAnotherTeam(DomainError):
    field = "commitment_id"


class AssessmentWithoutMeasure(DomainError):
    """An assessment says what was measured before and after, or why nothing could be."""

    field = "measures"


class DateBeforeReported(DomainError):
    field = "on"


class StageOutOfOrder(DomainError):
    """A stage change, an assessment or a reopening dated before the problem's current stage began."""

    field = "on"
