"""New ids sort in the order they were made (UUID version 7), so indexes keyed by them grow at their end."""

from __future__ import annotations

import time
from uuid import UUID

from tests.story import register_team
from tracker.domain.ids import new_id


def test_ids_made_later_sort_later_and_are_plain_uuids():
    # given ids made one after another, some a few milliseconds apart
    made = []
    for _ in range(50):
        made.append(new_id())
        time.sleep(0.001)
    made += [new_id() for _ in range(1000)]
    # then they are distinct, version 7, of the standard library's type, and already in order
    assert len(set(made)) == len(made)
    assert {uuid.version for uuid in made} == {7}
    assert {type(uuid) for uuid in made} == {UUID}
    assert made == sorted(made) and [u.hex for u in made] == sorted(u.hex for u in made)


def test_the_application_gives_new_teams_time_ordered_ids(services):
    # when two teams are registered one after the other
    first, second = register_team(services.app, code="ORDA"), register_team(services.app, code="ORDB")
    # then both ids are version 7, the second after the first
    assert (first.version, second.version) == (7, 7)
    assert first.hex < second.hex
