"""The audit's one error: a log, checkpoint, key or proof that is not what it claims."""

from __future__ import annotations

from tracker.domain.errors import DomainError


class AuditError(DomainError):
    """The log does not verify, or a checkpoint, key or proof is not what it claims."""
