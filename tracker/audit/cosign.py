"""Witnesses that cosign (C2SP tlog-witness, tlog-cosignature): cosigner keys and cosignatures, the witness's
`add-checkpoint` checks with its stored last size per log, and a quorum of cosignatures checked offline.

A cosignature is a signed-note line `— <witness name> base64(key id || u64 timestamp || Ed25519 signature)` over
`cosignature/v1\\ntime <timestamp>\\n` followed by the checkpoint's body; the key id is
SHA-256(name || "\\n" || 0x04 || public key)[:4]. The witness server's HTTP face is tracker.web.witness_server.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import os
import re
import struct
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tracker.audit.errors import AuditError
from tracker.audit.merkle import ProofError, verify_consistency
from tracker.audit.notes import Checkpoint, NoteKey, load_signing_key, new_signing_key_pem, open_checkpoint

COSIGNATURE_V1 = b"\x04"
MAX_PROOF_LINES = 63


@dataclass(frozen=True)
class CosignerKey(NoteKey):
    """A witness's Ed25519 cosigning key: a note key whose key id and vkey use signature type 0x04."""

    algorithm: ClassVar[bytes] = COSIGNATURE_V1
    kind: ClassVar[str] = "witness key"
    field: ClassVar[str] = "witness"

    @classmethod
    def _mismatch(cls) -> str:
        return "not a cosignature/v1 key, or its id does not match its name and key"


def _message(body: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n".encode() + body.encode()


def cosignature_line(body: str, name: str, private: Ed25519PrivateKey, timestamp: int) -> str:
    key = CosignerKey(name, private.public_key())
    signed = key.key_id + struct.pack(">Q", timestamp) + private.sign(_message(body, timestamp))
    return f"\u2014 {name} {base64.b64encode(signed).decode()}\n"


def cosigned_by(note: str, keys: Iterable[CosignerKey]) -> set[str]:
    """The names of the given witnesses whose cosignature on the note's body verifies; other lines are ignored."""
    body, _, signatures = note.partition("\n\n")
    body += "\n"
    by_id = {(key.name, key.key_id): key for key in keys}
    verified = set()
    for line in signatures.splitlines():
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != "\u2014":
            continue
        try:
            raw = base64.b64decode(parts[2], validate=True)
        except ValueError:
            continue
        key = by_id.get((parts[1], raw[:4]))
        if key is None or len(raw) != 4 + 8 + 64:
            continue
        (timestamp,) = struct.unpack(">Q", raw[4:12])
        try:
            key.public.verify(raw[12:], _message(body, timestamp))
        except InvalidSignature:
            continue
        verified.add(key.name)
    return verified


def check_quorum(note: str, witnesses: list[CosignerKey], quorum: int) -> set[str]:
    """At least `quorum` of the witnesses cosigned the note; AuditError naming how many did otherwise."""
    cosigned = cosigned_by(note, witnesses)
    if len(cosigned) < quorum:
        raise AuditError(f"{len(cosigned)} of the {quorum} witness cosignatures needed verify", "quorum")
    return cosigned


class WitnessRefused(AuditError):
    """What `add-checkpoint` answers instead of a cosignature: an HTTP status and a body."""

    def __init__(self, status: int, message: str, body: str = "", content_type: str = "text/plain") -> None:
        super().__init__(message)
        self.status, self.body, self.content_type = status, body or f"{message}\n", content_type


class Witness:
    """A witness: its own key, the logs it follows (their keys), and per log the last checkpoint it cosigned,
    kept in `state` (one JSON file per log, replaced atomically under a lock)."""

    def __init__(
        self,
        name: str,
        key_file: Path,
        logs: list[NoteKey],
        state: Path,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if not key_file.exists():
            key_file.write_text(new_signing_key_pem() + "\n")
            key_file.chmod(0o600)
        self.name, self.private = name, load_signing_key(key_file)
        self.key = CosignerKey(name, self.private.public_key())
        self.logs = {log.name: log for log in logs}
        self.state = state
        self.state.mkdir(parents=True, exist_ok=True)
        self.clock = clock or (lambda: datetime.now(UTC))

    def add_checkpoint(self, request: str) -> str:
        """Check a request (old size, consistency proof, checkpoint) and cosign; WitnessRefused otherwise."""
        old, proof, note = _parse(request)
        origin = note.split("\n", 1)[0]
        log = self.logs.get(origin)
        if log is None:
            raise WitnessRefused(404, f"unknown log {origin!r}")
        try:
            checkpoint = open_checkpoint(note, log)
        except AuditError as error:
            raise WitnessRefused(403, f"no signature by the log's key verifies: {error}") from None
        if old > checkpoint.size:
            raise WitnessRefused(400, f"the old size {old} is larger than the checkpoint's {checkpoint.size}")
        with self._locked():
            known_size, known_root = self._known(origin)
            if old != known_size:
                raise WitnessRefused(409, f"the witness knows size {known_size}", f"{known_size}\n", "text/x.tlog.size")
            if old == checkpoint.size and known_root is not None and known_root != checkpoint.root:
                raise WitnessRefused(
                    409, "same size, another root: the log forked", f"{known_size}\n", "text/x.tlog.size"
                )
            if old == 0 and proof:
                raise WitnessRefused(422, "a consistency proof from size 0 must be empty")
            if old > 0:
                try:
                    verify_consistency(old, checkpoint.size, known_root or b"", checkpoint.root, proof)
                except ProofError as error:
                    raise WitnessRefused(422, f"the consistency proof does not verify: {error}") from None
            self._keep(checkpoint)
            body = note.partition("\n\n")[0] + "\n"
            return cosignature_line(body, self.name, self.private, int(self.clock().timestamp()))

    def _path(self, origin: str) -> Path:
        return self.state / f"{hashlib.sha256(origin.encode()).hexdigest()[:32]}.json"

    def _known(self, origin: str) -> tuple[int, bytes | None]:
        path = self._path(origin)
        if not path.exists():
            return 0, None
        try:
            kept = json.loads(path.read_text())
            return int(kept["size"]), base64.b64decode(kept["root"])
        except (ValueError, KeyError, TypeError):
            raise WitnessRefused(503, f"the witness's state for {origin!r} is unreadable: cosigning nothing") from None

    def _keep(self, checkpoint: Checkpoint) -> None:
        path = self._path(checkpoint.origin)
        kept = {
            "origin": checkpoint.origin,
            "size": checkpoint.size,
            "root": base64.b64encode(checkpoint.root).decode(),
        }
        temporary = path.with_suffix(".tmp")
        with temporary.open("w", encoding="utf-8") as out:
            out.write(json.dumps(kept | {"checkpoint": checkpoint.note}))
            out.flush()
            os.fsync(out.fileno())  # on disk before the cosignature is answered: a power cut cannot roll it back
        os.replace(temporary, path)  # the check above and this write happen under one lock: no rollback race
        directory = os.open(self.state, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with (self.state / "lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
            yield


def _parse(request: str) -> tuple[int, list[bytes], str]:
    head, separator, note = request.partition("\n\n")
    lines = head.split("\n")
    if not separator or not lines[0].startswith("old ") or len(lines) - 1 > MAX_PROOF_LINES:
        raise WitnessRefused(400, "the request is not: old size line, proof lines, an empty line, a checkpoint")
    size = lines[0][4:]
    if not re.fullmatch(r"0|[1-9][0-9]{0,18}", size):  # ASCII, no leading zeroes, below 2**63
        raise WitnessRefused(400, "the old size is not a decimal with no leading zeroes")
    try:
        proof = [base64.b64decode(line, validate=True) for line in lines[1:]]
    except ValueError:
        raise WitnessRefused(400, "a consistency proof line is not base64") from None
    if any(len(hash_) != 32 for hash_ in proof):
        raise WitnessRefused(400, "a consistency proof line is not a SHA-256 hash")
    return int(size), proof, note


def add_checkpoint_request(old: int, proof: list[bytes], note: str) -> str:
    """The body a log sends to a witness."""
    return f"old {old}\n" + "".join(base64.b64encode(h).decode() + "\n" for h in proof) + "\n" + note
