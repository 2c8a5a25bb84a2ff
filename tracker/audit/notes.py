"""C2SP signed notes (Ed25519) and the tlog-checkpoint they carry: keys, signing, verifying, opening."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Self

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tracker.audit.errors import AuditError

ED25519 = b"\x01"


@dataclass(frozen=True)
class NoteKey:
    """A signed-note Ed25519 key: its name (the log's origin) and public key; the vkey string pins both."""

    name: str
    public: Ed25519PublicKey
    algorithm: ClassVar[bytes] = ED25519  # the signature type byte in the key id and the vkey
    kind: ClassVar[str] = "verifier key"
    field: ClassVar[str] = "key"

    @property
    def public_bytes(self) -> bytes:
        return self.public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    @property
    def key_id(self) -> bytes:
        return hashlib.sha256(self.name.encode() + b"\n" + self.algorithm + self.public_bytes).digest()[:4]

    @property
    def vkey(self) -> str:
        """`name+keyid+base64(alg || key)`: the verifier key to pin, print on paper, or pass to `--key`."""
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(self.algorithm + self.public_bytes).decode()}"

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(ED25519 + self.public_bytes).hexdigest()
        return " ".join(digest[i : i + 4] for i in range(0, 32, 4))

    @classmethod
    def parse(cls, vkey: str) -> Self:
        try:
            name, key_id, encoded = vkey.strip().split("+", 2)
            raw = base64.b64decode(encoded, validate=True)
            key = cls(name, Ed25519PublicKey.from_public_bytes(raw[1:]))
        except (ValueError, TypeError) as error:
            raise AuditError(f"not a {cls.kind} (name+keyid+base64): {error}", cls.field) from None
        if raw[:1] != cls.algorithm or key.key_id.hex() != key_id:
            raise AuditError(cls._mismatch(), cls.field)
        return key

    @classmethod
    def _mismatch(cls) -> str:
        return "the verifier key's id does not match its name and key"


def new_signing_key_pem() -> str:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem.decode().strip()


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    if not path.exists():
        raise AuditError(f"no log signing key: run `tracker init` to create {path}")
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise AuditError(f"{path} is not an Ed25519 key")
    return key


def checkpoint_body(origin: str, size: int, root: bytes) -> str:
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


def sign_note(body: str, name: str, private: Ed25519PrivateKey) -> str:
    key = NoteKey(name, private.public_key())
    signature = private.sign(body.encode())
    return f"{body}\n\u2014 {name} {base64.b64encode(key.key_id + signature).decode()}\n"


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    note: str


def verify_note(note: str, key: NoteKey) -> str:
    """The text of a C2SP signed note whose signature by the pinned key verifies; other keys' lines are ignored."""
    body, separator, signatures = note.partition("\n\n")
    if not separator or not signatures.endswith("\n"):
        raise AuditError("not a signed note: no blank line before its signatures")
    body += "\n"
    verified = False
    for line in signatures[:-1].split("\n"):
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != "\u2014":
            raise AuditError("a signature line is malformed")
        if parts[1] != key.name:
            continue
        try:
            raw = base64.b64decode(parts[2], validate=True)
        except ValueError:
            raise AuditError("a signature is not base64") from None
        if raw[:4] != key.key_id:
            continue
        try:
            key.public.verify(raw[4:], body.encode())
        except InvalidSignature:
            raise AuditError("the signature does not verify with the pinned key") from None
        verified = True
    if not verified:
        raise AuditError("the note carries no signature by the pinned key")
    return body


def open_checkpoint(note: str, key: NoteKey) -> Checkpoint:
    """Verify a signed checkpoint with a pinned key and read its origin, size and root."""
    lines = verify_note(note, key).split("\n")
    try:
        origin, size, root = lines[0], int(lines[1]), base64.b64decode(lines[2], validate=True)
    except (IndexError, ValueError):
        raise AuditError("the checkpoint body is not origin, size and root") from None
    if origin != key.name or len(root) != 32 or size < 0:
        raise AuditError("the checkpoint is for another log, or its root is not a SHA-256 hash")
    return Checkpoint(origin, size, root, note)
