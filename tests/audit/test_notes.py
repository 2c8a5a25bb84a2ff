"""C2SP signed notes and tlog checkpoints: Go's reference vector, our own checkpoints, and what a verifier refuses."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tracker.audit.errors import AuditError
from tracker.audit.notes import NoteKey, checkpoint_body, open_checkpoint, sign_note, verify_note

# golang.org/x/mod/sumdb/note, note_test.go (BSD licence): Peter Neumann's key and signed note.
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
PETER_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
PETER_NOTE = (
    PETER_TEXT
    + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvq"
    + "fqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_go_s_signed_note_vector_verifies():
    key = NoteKey.parse(PETER_VKEY)
    assert key.key_id.hex() == "c74f20a3"
    assert verify_note(PETER_NOTE, key) == PETER_TEXT
    with pytest.raises(AuditError):
        verify_note(PETER_NOTE.replace("cryptography", "cryptogrAphy"), key)


def test_a_signed_checkpoint_opens_with_its_key_only():
    private = Ed25519PrivateKey.generate()
    key = NoteKey("tracker.example/log", private.public_key())
    note = sign_note(checkpoint_body(key.name, 7, b"\x01" * 32), key.name, private)
    checkpoint = open_checkpoint(note, NoteKey.parse(key.vkey))
    assert (checkpoint.size, checkpoint.root) == (7, b"\x01" * 32)
    other = NoteKey("tracker.example/log", Ed25519PrivateKey.generate().public_key())
    with pytest.raises(AuditError):
        open_checkpoint(note, other)
    with pytest.raises(AuditError):
        open_checkpoint(note.replace("\n7\n", "\n8\n"), key)
    unknown = sign_note(checkpoint_body(key.name, 7, b"\x01" * 32), "someone.else/log", Ed25519PrivateKey.generate())
    cosigned = note + unknown.split("\n\n")[1]
    assert open_checkpoint(cosigned, key).size == 7  # a verifier ignores signatures by keys it does not know


def test_a_verifier_key_whose_id_does_not_match_is_refused():
    key = NoteKey("tracker.example/log", Ed25519PrivateKey.generate().public_key())
    name, _key_id, encoded = key.vkey.split("+", 2)
    with pytest.raises(AuditError):
        NoteKey.parse(f"{name}+{'0' * 8}+{encoded}")
