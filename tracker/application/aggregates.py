"""Loading aggregates for commands and reads: from the cache, brought up to date from the log, copy-on-write."""

from __future__ import annotations

from collections.abc import Iterable
from copy import deepcopy
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, project_aggregate
from eventsourcing.domain import Aggregate

from tracker.domain.errors import NotFound

A = TypeVar("A", bound=Aggregate)


class Aggregates:
    """Mixed into the Tracker application: `_get` an aggregate to change, `_read` one only to look at."""

    def _get(self: Any, aggregate_class: type[A], aggregate_id: UUID, *, to_change: bool = True) -> A:
        """An aggregate from the cache, brought up to date from the log. One a command may change is a copy, so a
        failed command leaves the cache as it was; one only looked at (`_read`) is the cached object itself."""
        try:
            aggregate = self.repository.get(
                aggregate_id, projector_func=self._fast_forward, deepcopy_from_cache=to_change
            )
        except AggregateNotFoundError:
            aggregate = None
        if not isinstance(aggregate, aggregate_class):
            raise NotFound(f"no {aggregate_class.__name__.lower()} {aggregate_id}")
        return aggregate

    def _fast_forward(self: Any, aggregate: Any, events: Iterable[Any]) -> Any:
        """Apply newer events to a copy and cache the copy: a cached aggregate is never changed in place, so a
        thread still reading one (Flask's server is threaded) never sees it change under it."""
        events = list(events)
        if aggregate is None or not events:
            return project_aggregate(aggregate, events)
        current = project_aggregate(deepcopy(aggregate), events)
        if current is not None and self.repository.cache is not None:
            self.repository.cache.put(current.id, current)
        return current

    def _read(self, aggregate_class: type[A], aggregate_id: UUID) -> A:
        """An aggregate to look at, never to change or save."""
        return self._get(aggregate_class, aggregate_id, to_change=False)

    def _exists(self, aggregate_class: type[Aggregate], aggregate_id: UUID) -> bool:
        try:
            self._read(aggregate_class, aggregate_id)
        except NotFound:
            return False
        return True

    def _history(self: Any, aggregate_id: UUID) -> list[Any]:
        return list(self.events.get(aggregate_id))
