"""An auditor's mirror of the log: a full copy in a directory, kept up to date by `tracker mirror URL DIR`, and
checked with `tracker verify --mirror DIR`, with no database of ours and no signing key.

Each run fetches the log's checkpoint and checks its signature with the pinned key (and a quorum of witnesses'
cosignatures, if asked); then fetches the stored events from the first leaf it lacks (`/ledger/events`, an auditor
of every team's bearer token), appending each to `events.ndjson` as it comes, so an interrupted run resumes where
it stopped; recomputes every new leaf from its event, checks the hash tiles anyone else is served for those leaves
(`/ledger/tile/0/...`) are the same, and recomputes the root at the new size and at the last checkpoint kept. Only
then is the checkpoint kept (`checkpoints/<size>.note`, `log.json`). On a split view (the log shrank; its events
or tiles do not hash to its signed root; it rewrote what an earlier checkpoint covered) the run stops non-zero and
keeps the evidence in `evidence-<time>/`: both checkpoints, and what was fetched.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from tracker.audit.cosign import CosignerKey, check_quorum
from tracker.audit.errors import AuditError
from tracker.audit.merkle import leaf_hash, root_of
from tracker.audit.notes import Checkpoint, NoteKey, open_checkpoint
from tracker.audit.tiles import WIDTH as TILE
from tracker.audit.tiles import Tile
from tracker.projections.merkle_tree import leaf_bytes

Fetch = Callable[[str, dict[str, str]], bytes]  # (url, headers) -> body; raises on a status other than 200
PAGE = 1000


class SplitView(AuditError):
    """The log showed this mirror something other than what it signed, or rewrote what it signed before."""


@dataclass(frozen=True)
class MirrorReport:
    size: int
    previous_size: int
    fetched: int  # events fetched in this run


def mirror(
    url: str,
    directory: Path,
    key: NoteKey,
    token: str,
    witnesses: list[CosignerKey] | None = None,
    quorum: int = 0,
    fetch: Fetch | None = None,
) -> MirrorReport:
    fetch, base = fetch or _fetch, url.rstrip("/")
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "checkpoints").mkdir(exist_ok=True)
    state = _state(directory)
    note = fetch(f"{base}/ledger/checkpoint", {}).decode()
    checkpoint = open_checkpoint(note, key)
    check_quorum(note, witnesses or [], quorum)
    if checkpoint.size < state["size"]:
        _split(directory, state, note, f"the log shrank from {state['size']} to {checkpoint.size}")
    events = directory / "events.ndjson"
    leaves = _leaves(events)
    if len(leaves) > checkpoint.size:  # fetched past an older checkpoint, then the log shrank below them
        _split(directory, state, note, f"the log now signs {checkpoint.size} leaves; {len(leaves)} were fetched")
    fetched = 0
    with events.open("a", encoding="utf-8") as out:
        while len(leaves) < checkpoint.size:
            limit = min(PAGE, checkpoint.size - len(leaves))
            page = fetch(
                f"{base}/ledger/events?start={len(leaves)}&limit={limit}", {"Authorization": f"Bearer {token}"}
            )
            lines = page.decode().splitlines()
            if not lines:
                _split(directory, state, note, f"the log signs {checkpoint.size} leaves but serves {len(leaves)}")
            for line in lines:
                event = json.loads(line)
                if event.get("leaf_index") != len(leaves):
                    _split(
                        directory, state, note, f"event for leaf {event.get('leaf_index')} where {len(leaves)} was due"
                    )
                leaves.append(_leaf_of(event))
                out.write(line + "\n")
                fetched += 1
            out.flush()
            os.fsync(out.fileno())
    if root_of(leaves[: checkpoint.size]) != checkpoint.root:
        if state["size"] and root_of(leaves[: state["size"]]) == base64.b64decode(state["root"]):
            why = f"the log rewrote what its checkpoint of size {state['size']} covered: its new root is not of it"
        else:
            why = f"the events served do not hash to the signed root of size {checkpoint.size}"
        _split(directory, state, note, why)
    _check_tiles(base, fetch, leaves, state["size"], checkpoint.size, directory, state, note)
    _keep(directory, url, key, checkpoint)
    return MirrorReport(checkpoint.size, state["size"], fetched)


def verify_mirror(directory: Path, key: NoteKey | None = None) -> tuple[int, bytes]:
    """Recompute every leaf from the mirrored events and the root at every checkpoint kept, each checked with the
    pinned key (default: the key the mirror was made with). No database, no signing key."""
    state = _state(directory)
    if not state["size"]:
        raise AuditError(f"{directory} holds no mirrored checkpoint yet")
    key = key or NoteKey.parse(state["key"])
    leaves = _leaves(directory / "events.ndjson")
    for path in sorted((directory / "checkpoints").glob("*.note"), key=lambda p: int(p.stem)):
        checkpoint = open_checkpoint(path.read_text(), key)
        if checkpoint.size > len(leaves):
            raise AuditError(f"the mirror holds {len(leaves)} events; its checkpoint covers {checkpoint.size}")
        if root_of(leaves[: checkpoint.size]) != checkpoint.root:
            raise AuditError(f"the mirrored events do not hash to the checkpoint of size {checkpoint.size}")
    return state["size"], root_of(leaves[: state["size"]])


def _leaf_of(event: dict[str, Any]) -> bytes:
    try:
        data = leaf_bytes(
            UUID(event["originator_id"]),
            int(event["originator_version"]),
            event["topic"],
            base64.b64decode(event["state"], validate=True),
        )
    except (KeyError, ValueError, TypeError) as error:
        raise AuditError(f"an event line is not in the export format: {error}") from None
    return leaf_hash(data)


def _leaves(events: Path) -> list[bytes]:
    """The leaf of every event mirrored so far, read a line at a time (only the 32-byte leaves are kept in memory);
    a last line cut short by an interruption is dropped."""
    if not events.exists():
        return []
    with events.open("rb+") as handle:
        size = handle.seek(0, os.SEEK_END)
        if size:
            handle.seek(size - 1)
            if handle.read(1) != b"\n":  # find where the last whole line ends, and cut there
                end = size - 1
                while end > 0:
                    step = min(65536, end)
                    handle.seek(end - step)
                    chunk = handle.read(step)
                    newline = chunk.rfind(b"\n")
                    if newline >= 0:
                        end = end - step + newline + 1
                        break
                    end -= step
                handle.truncate(end)
    leaves = []
    with events.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            event = json.loads(line)
            if event.get("leaf_index") != number:
                raise AuditError(f"{events} is out of order at line {number + 1}")
            leaves.append(_leaf_of(event))
    return leaves


def _check_tiles(
    base: str, fetch: Fetch, leaves: list[bytes], old: int, new: int, directory: Path, state: dict, note: str
) -> None:
    """The level-0 hash tiles everyone is served for the new leaves hold the leaves of the events served here."""
    for tile in range(old // TILE, -(-new // TILE)):
        width = min(TILE, new - tile * TILE)
        body = fetch(f"{base}/ledger/{Tile(0, tile, width).path}", {})
        if body != b"".join(leaves[tile * TILE : tile * TILE + width]):
            _split(directory, state, note, f"hash tile 0/{tile} differs from the events served to this mirror")


def _state(directory: Path) -> dict[str, Any]:
    path = directory / "log.json"
    return json.loads(path.read_text()) if path.exists() else {"size": 0, "root": None, "key": None}


def _keep(directory: Path, url: str, key: NoteKey, checkpoint: Checkpoint) -> None:
    (directory / "checkpoints" / f"{checkpoint.size}.note").write_text(checkpoint.note)
    state = {"url": url, "key": key.vkey, "size": checkpoint.size, "root": base64.b64encode(checkpoint.root).decode()}
    temporary = directory / "log.json.tmp"
    temporary.write_text(json.dumps(state, indent=1))
    os.replace(temporary, directory / "log.json")


def _split(directory: Path, state: dict[str, Any], note: str, why: str) -> None:
    evidence = directory / f"evidence-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}"
    evidence.mkdir()
    if state["size"]:
        shutil.copy(directory / "checkpoints" / f"{state['size']}.note", evidence / "previous-checkpoint")
    (evidence / "latest-checkpoint").write_text(note)
    if (directory / "events.ndjson").exists():
        shutil.copy(directory / "events.ndjson", evidence / "events.ndjson")
    (evidence / "why").write_text(why + "\n")
    raise SplitView(f"{why}; the evidence is kept in {evidence}")


def _fetch(url: str, headers: dict[str, str]) -> bytes:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        raise AuditError(f"{url} answered {error.code}: {error.read().decode(errors='replace')[:300]}") from None
    except urllib.error.URLError as error:
        raise AuditError(f"{url} cannot be reached: {error.reason}") from None
