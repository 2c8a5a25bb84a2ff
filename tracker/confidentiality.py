"""Free text sealed under per-item data keys; the keys wrapped by a master key, in a store outside the log."""

from __future__ import annotations

import base64
import os
import secrets
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from sqlalchemy import Column, Engine, LargeBinary, MetaData, String, Table, insert, select, update

from tracker.domain.errors import DomainError
from tracker.domain.events import SEALED_FORM
from tracker.persistence import write_transaction
from tracker.projections.types import UTCDateTime

SEAL_PREFIX = "v1"
_MASTER_CHECK_PLAINTEXT = b"partnership-tracker master key check"

key_store_metadata = MetaData()
data_keys = Table(
    "data_keys",
    key_store_metadata,
    Column("key_id", String(32), primary_key=True),
    Column("wrapped", LargeBinary, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("erased_at", UTCDateTime(), nullable=True),
)
key_store_settings = Table(
    "key_store_settings",
    key_store_metadata,
    Column("name", String(64), primary_key=True),
    Column("value", LargeBinary, nullable=False),
)


ERASED_KEY = b""
"""Stands for a destroyed key in KeyStore.get_many's answer."""


class MasterKeyError(DomainError):
    """The master key is missing, malformed or not the one the key store was made with."""


class KeyErased(DomainError):
    """The item's data key was destroyed: its text is gone for good."""


class MasterKey:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise MasterKeyError("the master key must be 32 bytes (44 characters of base64)")
        self.key = key

    @classmethod
    def generate(cls) -> MasterKey:
        return cls(secrets.token_bytes(32))

    @classmethod
    def from_text(cls, text: str) -> MasterKey:
        try:
            return cls(base64.b64decode(text.strip(), validate=True))
        except ValueError:
            raise MasterKeyError("the master key is not valid base64") from None

    @classmethod
    def load(cls, environ_value: str | None, key_file: Path) -> MasterKey:
        """From TRACKER_MASTER_KEY if set, else from the key file that `tracker init` wrote."""
        if environ_value:
            return cls.from_text(environ_value)
        if not key_file.exists():
            raise MasterKeyError(f"no master key: set TRACKER_MASTER_KEY or run `tracker init` to create {key_file}")
        return cls.from_text(key_file.read_text())

    def as_text(self) -> str:
        return base64.b64encode(self.key).decode()

    def derive(self, purpose: bytes) -> bytes:
        """A key of its own for one purpose (HKDF-SHA256), so the master key itself signs nothing."""
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(self.key)

    def write(self, key_file: Path) -> None:
        key_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(self.as_text() + "\n")


class KeyStore:
    """Data keys wrapped (RFC 3394) by the master key; never part of the event log or its exports."""

    def __init__(self, engine: Engine, master_key: MasterKey) -> None:
        self.engine = engine
        self.master_key = master_key
        key_store_metadata.create_all(engine)
        # the column's own conversion, so rows written beside the log read back like any other
        self._stored_time = data_keys.c.created_at.type.bind_processor(engine.dialect) or (lambda value: value)
        self._check_master_key()

    def _check_master_key(self) -> None:
        with write_transaction(self.engine) as conn:
            check = conn.execute(
                select(key_store_settings.c.value).where(key_store_settings.c.name == "master_check")
            ).scalar()
            if check is None:
                conn.execute(
                    insert(key_store_settings).values(name="master_check", value=_master_check(self.master_key))
                )
                return
        try:
            AESGCM(self.master_key.key).decrypt(check[:12], check[12:], None)
        except InvalidTag:
            message = "wrong master key: it is not the key this database's data keys were wrapped with"
            raise MasterKeyError(message) from None

    def create(self, key_id: UUID) -> bytes:
        """Make and store a new data key; an existing one is kept (an orphan key is harmless)."""
        existing = self.get(key_id)
        if existing is not None:
            return existing
        key = AESGCM.generate_key(bit_length=256)
        self.store({key_id: key})
        return key

    def store(self, keys: dict[UUID, bytes]) -> None:
        """Write new data keys, wrapped, in one transaction of their own, before the events sealed with them are
        saved (whose commit makes these keys durable too: see write_transaction). A command's keys go with its
        events instead (`rows`)."""
        now = datetime.now(UTC)
        with write_transaction(self.engine, wait_for_disk=False) as conn:
            conn.execute(
                insert(data_keys),
                [
                    {"key_id": key_id.hex, "wrapped": aes_key_wrap(self.master_key.key, key), "created_at": now}
                    for key_id, key in keys.items()
                ],
            )

    def rows(self, keys: dict[UUID, bytes]) -> list[tuple[str, bytes, Any]]:
        """New data keys, wrapped, as rows of `data_keys` for the log's recorder to insert in the transaction that
        saves the events sealed with them (SQLiteRecorderWithKeys, PostgresRecorderWithKeys): both commit, or
        neither."""
        now = self._stored_time(datetime.now(UTC))
        return [(key_id.hex, aes_key_wrap(self.master_key.key, key), now) for key_id, key in keys.items()]

    def get(self, key_id: UUID) -> bytes | None:
        """The data key, or None if there never was one; raises KeyErased if it was destroyed."""
        key = self.get_many([key_id]).get(key_id)
        if key == ERASED_KEY:
            raise KeyErased(f"the text of item {key_id} was erased")
        return key

    def get_many(self, key_ids: list[UUID]) -> dict[UUID, bytes]:
        """Many data keys in one query (ERASED_KEY for a destroyed one; absent if there never was one)."""
        wanted = {key_id.hex: key_id for key_id in key_ids}
        keys: dict[UUID, bytes] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = list(wanted)[start : start + 500]
                for row in conn.execute(
                    select(data_keys.c.key_id, data_keys.c.wrapped).where(data_keys.c.key_id.in_(chunk))
                ):
                    keys[wanted[row.key_id]] = ERASED_KEY if row.wrapped is None else self._unwrap(row.wrapped)
        return keys

    def _unwrap(self, wrapped: bytes) -> bytes:
        try:
            return aes_key_unwrap(self.master_key.key, wrapped)
        except InvalidUnwrap:
            raise MasterKeyError("a data key does not unwrap under this master key") from None

    def destroy(self, key_id: UUID) -> None:
        """Shred a data key: overwrite it in the table (secure_delete) and flush the SQLite WAL that held it."""
        with self.engine.begin() as conn:
            conn.execute(
                update(data_keys)
                .where(data_keys.c.key_id == key_id.hex, data_keys.c.wrapped.is_not(None))
                .values(wrapped=None, erased_at=datetime.now(UTC))
            )
        self.flush()

    def flush(self) -> None:
        """Write SQLite's WAL back into the database file and empty it, so overwritten pages leave no copy behind
        (secure_delete zeroes what was deleted in the file itself); nothing to do on PostgreSQL."""
        if self.engine.dialect.name == "sqlite":
            raw = self.engine.raw_connection()  # outside any transaction, as a checkpoint must be
            try:
                raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()

    def rewrap(self, new_master_key: MasterKey) -> int:
        """Re-wrap every data key under a new master key, in one transaction; the log is not touched."""
        with write_transaction(self.engine) as conn:
            rows = list(
                conn.execute(select(data_keys.c.key_id, data_keys.c.wrapped).where(data_keys.c.wrapped.is_not(None)))
            )
            for row in rows:
                key = aes_key_unwrap(self.master_key.key, row.wrapped)
                conn.execute(
                    update(data_keys)
                    .where(data_keys.c.key_id == row.key_id)
                    .values(wrapped=aes_key_wrap(new_master_key.key, key))
                )
            conn.execute(
                update(key_store_settings)
                .where(key_store_settings.c.name == "master_check")
                .values(value=_master_check(new_master_key))
            )
        self.master_key = new_master_key
        return len(rows)

    def export_keys(self) -> dict[str, str]:
        """Every live data key, unwrapped (hex key id to base64 key): only ever written out encrypted."""
        with self.engine.connect() as conn:
            rows = list(
                conn.execute(select(data_keys.c.key_id, data_keys.c.wrapped).where(data_keys.c.wrapped.is_not(None)))
            )
        return {row.key_id: base64.b64encode(aes_key_unwrap(self.master_key.key, row.wrapped)).decode() for row in rows}

    def import_keys(self, keys: dict[str, str]) -> int:
        """Restore data keys from a backup; keys already here (live or erased) are left as they are."""
        with write_transaction(self.engine) as conn:
            known = set(conn.execute(select(data_keys.c.key_id)).scalars())
            fresh = [
                {
                    "key_id": key_id,
                    "wrapped": aes_key_wrap(self.master_key.key, base64.b64decode(key)),
                    "created_at": datetime.now(UTC),
                }
                for key_id, key in keys.items()
                if key_id not in known
            ]
            if fresh:
                conn.execute(insert(data_keys), fresh)
        return len(fresh)


class Sealer:
    """Seals and opens free text: AES-256-GCM under the item's data key, bound to the key id.

    Inside `command()`, keys are looked up once per command, and the keys of items the command creates are
    handed back to be written in the transaction that saves the command's events (KeyStore.rows).
    """

    def __init__(self, key_store: KeyStore) -> None:
        self.key_store = key_store
        self._command = threading.local()

    @contextmanager
    def command(self) -> Iterator[dict[UUID, bytes]]:
        """Seal within one command; yields the keys of the items it creates, to be saved with its events."""
        self._command.keys, self._command.new = {}, {}
        try:
            yield self._command.new
        finally:
            del self._command.keys, self._command.new

    def new_item(self, key_id: UUID) -> None:
        """Declare an item this command creates: its key is made here, with no lookup."""
        key = AESGCM.generate_key(bit_length=256)
        if getattr(self._command, "keys", None) is None:
            self.key_store.store({key_id: key})
            return
        self._command.keys[key_id] = self._command.new[key_id] = key

    def seal(self, key_id: UUID, text: str) -> str:
        if not text:
            return ""  # nothing to hide, and no key needed (so an erased item can still take a bare status)
        nonce = secrets.token_bytes(12)
        ciphertext = AESGCM(self._key(key_id)).encrypt(nonce, text.encode(), key_id.bytes)
        return f"{SEAL_PREFIX}:{key_id.hex}:{base64.b64encode(nonce + ciphertext).decode()}"

    def _key(self, key_id: UUID) -> bytes:
        keys = getattr(self._command, "keys", None)
        if keys is None:
            return self.key_store.create(key_id)
        if key_id not in keys:
            keys[key_id] = self.key_store.create(key_id)
        return keys[key_id]

    def open(self, sealed: str, keys: dict[UUID, bytes] | None = None) -> str:
        """The text, with its key from `keys` (prefetched by key_ids_of and KeyStore.get_many) or the store."""
        if not sealed:
            return ""
        key_id, blob = parse_sealed(sealed)
        key = keys.get(key_id) if keys is not None else self.key_store.get(key_id)
        if key == ERASED_KEY:
            raise KeyErased(f"the text of item {key_id} was erased")
        if key is None:
            raise KeyErased(f"no data key for item {key_id}")
        try:
            return AESGCM(key).decrypt(blob[:12], blob[12:], key_id.bytes).decode()
        except InvalidTag:
            raise MasterKeyError(f"sealed text under {key_id} does not open with its key") from None

    def open_erasable(self, texts: list[str]) -> list[str | None]:
        """Names and places as stored (tracker.projections.types.OpenTexts): sealed ones opened with their keys,
        fetched in one query (None for a destroyed key); ones recorded in the clear as they are."""
        sealed = [text for text in texts if is_sealed(text)]
        keys = self.key_store.get_many(list({parse_sealed(text)[0] for text in sealed})) if sealed else {}
        opened: list[str | None] = []
        for text in texts:
            try:
                opened.append(self.open(text, keys) if is_sealed(text) else text)
            except KeyErased:
                opened.append(None)
        return opened


def _master_check(master_key: MasterKey) -> bytes:
    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(master_key.key).encrypt(nonce, _MASTER_CHECK_PLAINTEXT, None)


BACKUP_MAGIC = b"PTKEYS1\n"


def seal_backup(payload: bytes, passphrase: str) -> bytes:
    """Encrypt a key backup under a passphrase: scrypt (n=2^15) then AES-256-GCM; salt and nonce in front."""
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    ciphertext = AESGCM(_passphrase_key(passphrase, salt)).encrypt(nonce, payload, BACKUP_MAGIC)
    return BACKUP_MAGIC + base64.b64encode(salt + nonce + ciphertext) + b"\n"


def open_backup(blob: bytes, passphrase: str) -> bytes:
    if not blob.startswith(BACKUP_MAGIC):
        raise MasterKeyError("not a Partnership Tracker key backup")
    raw = base64.b64decode(blob.removeprefix(BACKUP_MAGIC).strip())
    salt, nonce, ciphertext = raw[:16], raw[16:28], raw[28:]
    try:
        return AESGCM(_passphrase_key(passphrase, salt)).decrypt(nonce, ciphertext, BACKUP_MAGIC)
    except InvalidTag:
        raise MasterKeyError("wrong passphrase, or the key backup was altered") from None


def _passphrase_key(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())


def is_sealed(value: object) -> bool:
    """Whether a stored value is sealed text (as `Sealer.seal` writes it)."""
    return isinstance(value, str) and SEALED_FORM.fullmatch(value) is not None


def parse_sealed(sealed: str) -> tuple[UUID, bytes]:
    prefix, key_hex, payload = sealed.split(":", 2)
    if prefix != SEAL_PREFIX:
        raise ValueError(f"unknown sealed text format {prefix!r}")
    return UUID(hex=key_hex), base64.b64decode(payload)


class SQLiteRecorderWithKeys(SQLiteApplicationRecorder):
    """eventsourcing's SQLite recorder, also inserting a command's new data keys (`save(..., data_keys=rows)`) in
    the transaction that inserts its events: an event is never stored without the key to its text, and a key is
    never stored for events that were not."""

    def _insert_events(
        self, c: Any, stored_events: Sequence[Any], *, data_keys: Sequence[tuple] = (), **kwargs: Any
    ) -> Any:
        if data_keys:
            c.executemany("INSERT INTO data_keys (key_id, wrapped, created_at) VALUES (?, ?, ?)", data_keys)
        return super()._insert_events(c, stored_events, **kwargs)


class PostgresRecorderWithKeys(PostgresApplicationRecorder):
    """eventsourcing's PostgreSQL recorder, with a command's new data keys in the same transaction (and the same
    pipeline) as its events: see SQLiteRecorderWithKeys."""

    def _insert_events(
        self, curs: Any, stored_events: Sequence[Any], *, data_keys: Sequence[tuple] = (), **kwargs: Any
    ) -> None:
        if data_keys:
            curs.executemany("INSERT INTO data_keys (key_id, wrapped, created_at) VALUES (%s, %s, %s)", data_keys)
        super()._insert_events(curs, stored_events, **kwargs)


RECORDERS_WITH_KEYS = {
    "eventsourcing.sqlite": SQLiteRecorderWithKeys,
    "eventsourcing.postgres": PostgresRecorderWithKeys,
}
