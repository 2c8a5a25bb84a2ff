"""The log asks its witnesses to cosign each new checkpoint (C2SP tlog-witness), in the background, and keeps the
cosignatures they answer, served with the checkpoint at /ledger/checkpoint.

Witnesses are configured in TRACKER_WITNESSES: one `URL KEY` pair a line (or separated by commas), the URL the
witness's submission prefix and KEY its cosigner vkey (name+keyid+base64(0x04 || key)). For each, the log sends
`old <size it last cosigned>`, a consistency proof from there, and the checkpoint; a 409 tells the size the witness
knows, and the request is sent once more from it. Failures are logged; the next checkpoint tries again.
"""

from __future__ import annotations

import logging
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from tracker.audit.cosign import CosignerKey, add_checkpoint_request, cosigned_by
from tracker.audit.errors import AuditError
from tracker.audit.notes import Checkpoint
from tracker.audit.signed_log import SignedLog

log = logging.getLogger("tracker.audit")
Post = Callable[[str, str], tuple[int, str]]  # (url, body) -> (status, body)


@dataclass(frozen=True)
class WitnessConfig:
    url: str
    key: CosignerKey


def witnesses_from_env() -> list[WitnessConfig]:
    configured = os.environ.get("TRACKER_WITNESSES", "").replace(",", "\n")
    witnesses = []
    for entry in configured.splitlines():
        if entry.strip():
            url, _, key = entry.strip().partition(" ")
            witnesses.append(WitnessConfig(url.rstrip("/"), CosignerKey.parse(key)))
    return witnesses


class Cosigning:
    def __init__(self, signed_log: SignedLog, witnesses: list[WitnessConfig], post: Post | None = None) -> None:
        self.signed_log, self.witnesses, self.post = signed_log, witnesses, post or _post
        self.threads: list[threading.Thread] = []

    def in_background(self, checkpoint: Checkpoint) -> threading.Thread | None:
        if not self.witnesses:
            return None
        thread = threading.Thread(target=self.ask_all, args=(checkpoint,), name="cosigning", daemon=True)
        thread.start()
        self.threads = [*(t for t in self.threads if t.is_alive()), thread]
        return thread

    def finish(self, timeout: float = 60.0) -> None:
        """Wait for the requests under way (a process about to exit: the projector, a command)."""
        for thread in self.threads:
            thread.join(timeout)

    def ask_all(self, checkpoint: Checkpoint) -> int:
        """Ask every witness; returns how many cosigned. Never raises."""
        cosigned = 0
        for witness in self.witnesses:
            try:
                cosigned += self.ask(witness, checkpoint)
            except Exception as error:  # a witness down or wrong must not stop the others, nor the log
                log.warning("witness %s: %s: %s", witness.key.name, type(error).__name__, error)
        return cosigned

    def ask(self, witness: WitnessConfig, checkpoint: Checkpoint) -> bool:
        old = min(self.signed_log.witness_size(witness.key.name), checkpoint.size)
        for _attempt in range(2):
            proof = self.signed_log.consistency(old, checkpoint.size) if old else []
            body = add_checkpoint_request(old, proof, checkpoint.note)
            status, answer = self.post(f"{witness.url}/add-checkpoint", body)
            if status == 409 and answer.strip().isdigit() and int(answer) != old:
                old = int(answer)
                self.signed_log.witness_said(witness.key.name, old)
                if old > checkpoint.size:
                    raise AuditError(f"it has cosigned size {old}, larger than this checkpoint's {checkpoint.size}")
                continue
            if status != 200:
                raise AuditError(f"answered {status}: {answer.strip()[:200]}")
            lines = [line + "\n" for line in answer.splitlines() if line.startswith("\u2014 ")]
            for line in lines:
                if cosigned_by(checkpoint.note + line, [witness.key]):
                    self.signed_log.keep_cosignature(checkpoint.size, witness.key.name, line)
                    return True
            raise AuditError("answered no cosignature that verifies with its key")
        raise AuditError("kept answering 409")


def _post(url: str, body: str) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body.encode(), method="POST", headers={"Content-Type": "text/plain"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
