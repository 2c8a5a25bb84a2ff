"""The witness an auditor runs on their own machine: it checks that the log only ever grows."""

from __future__ import annotations

import base64
import json
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tracker.audit.errors import AuditError
from tracker.audit.merkle import ProofError, verify_consistency
from tracker.audit.notes import NoteKey, open_checkpoint


@dataclass(frozen=True)
class WitnessReport:
    size: int
    previous_size: int | None
    evidence: Path | None = None


class LogMisbehaved(AuditError):
    """The log forked, shrank or was rewritten: both checkpoints are kept as evidence."""


def witness(url: str, key: NoteKey, state: Path, fetch=None) -> WitnessReport:
    """Check the log's latest checkpoint against the one seen last (kept in `state`), with a key pinned from the
    first use or from paper, never taken from the server it checks."""
    fetch = fetch or _fetch
    state.mkdir(parents=True, exist_ok=True)
    note = fetch(f"{url.rstrip('/')}/ledger/checkpoint")
    latest = open_checkpoint(note, key)
    seen = state / "checkpoint"
    if not seen.exists():
        seen.write_text(note)
        return WitnessReport(latest.size, None)
    previous = open_checkpoint(seen.read_text(), key)
    try:
        if latest.size < previous.size:
            raise ProofError(f"the log shrank from {previous.size} to {latest.size}")
        proof: list[bytes] = []
        if latest.size > previous.size:
            answer = json.loads(
                fetch(f"{url.rstrip('/')}/ledger/proof/consistency?from={previous.size}&to={latest.size}")
            )
            proof = [base64.b64decode(h) for h in answer["proof"]]
        verify_consistency(previous.size, latest.size, previous.root, latest.root, proof)
    except (ProofError, KeyError, ValueError) as error:
        evidence = state / f"evidence-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
        evidence.mkdir()
        (evidence / "previous-checkpoint").write_text(seen.read_text())
        (evidence / "latest-checkpoint").write_text(note)
        raise LogMisbehaved(f"{error}; both checkpoints kept in {evidence}") from None
    seen.write_text(note)
    return WitnessReport(latest.size, previous.size)


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()
