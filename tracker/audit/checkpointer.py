"""Checkpoints that sign themselves: after the read models catch up, the process that keeps them (inline after a
command, or the projector) signs the log's head when it has grown and TRACKER_CHECKPOINT_INTERVAL seconds (default
60) have passed since the last checkpoint; the first write of a fresh log is signed at once.

Safe by construction (tracker.audit.signed_log.SignedLog.sign_if_due): each checkpoint is checked consistent with
the last before it is signed; nothing is signed while the tree is smaller than the last checkpoint (a rebuild in
progress), during an import, or where there is no signing key (an auditor's mirror); signers take turns, so sizes
only grow. Time is the application's clock. A failure is logged and tried again at the next catch-up: it never
fails a command that has saved, nor the projector.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta

from tracker.audit.cosigning import Cosigning
from tracker.audit.notes import Checkpoint
from tracker.audit.signed_log import SignedLog

log = logging.getLogger("tracker.audit")


def interval_from_env() -> timedelta:
    try:
        seconds = float(os.environ.get("TRACKER_CHECKPOINT_INTERVAL") or 60)
    except ValueError:
        log.warning("TRACKER_CHECKPOINT_INTERVAL is not a number of seconds: signing every 60 s")
        seconds = 60
    return timedelta(seconds=max(seconds, 0))


class Checkpointer:
    def __init__(
        self, signed_log: SignedLog, interval: timedelta | None = None, cosigning: Cosigning | None = None
    ) -> None:
        self.signed_log = signed_log
        self.interval = interval_from_env() if interval is None else interval
        self.cosigning = cosigning  # asks the configured witnesses to cosign each new checkpoint, in the background
        self._latest_signed_at: datetime | None = None  # remembered: until the interval has passed, no query

    def __call__(self) -> Checkpoint | None:
        """Sign the head if it is due; never raises."""
        if not self.signed_log.can_sign:
            return None
        if self._latest_signed_at is not None and self.signed_log.clock() - self._latest_signed_at < self.interval:
            return None
        try:
            checkpoint, self._latest_signed_at = self.signed_log.sign_if_due(self.interval)
        except Exception as error:  # whatever it is, the command has saved: log it, try again later
            log.error("could not sign a checkpoint (%s: %s); trying again later", type(error).__name__, error)
            return None
        if checkpoint is not None:
            log.info("signed checkpoint", extra={"size": checkpoint.size})
            if self.cosigning is not None:
                self.cosigning.in_background(checkpoint)
        return checkpoint
