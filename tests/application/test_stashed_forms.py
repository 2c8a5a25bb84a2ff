"""Forms kept when their session ended: sealed, given back once on their own page, gone after two hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tracker.confidentiality import MasterKey
from tracker.stashed_forms import STASH_LIFETIME, StashedForm, StashedForms, stashed_forms


def test_a_kept_form_is_sealed_given_back_once_on_its_page_and_forgotten_after_its_lifetime(services):
    now = [datetime(2025, 6, 30, 9, 0, tzinfo=UTC)]
    stash = StashedForms(services.engine, MasterKey.generate().derive(b"test"), clock=lambda: now[0])
    form = StashedForm("/secretary/teams/x/meetings/new", "/secretary/teams/x/meetings/new", [("minutes", "Айгүл")])
    # Given a form kept under a token
    token = stash.keep(form)
    # Then the database holds neither the text nor the token
    with services.engine.connect() as conn:
        stored = conn.execute(select(stashed_forms)).one()
    assert "Айгүл".encode() not in stored.sealed and token not in stored.token_hash
    # and it is given back only on its own page, and only once
    assert stash.take(token, "/secretary/") is None
    assert stash.take(token, form.page) == form
    assert stash.take(token, form.page) is None
    # When another is kept and its lifetime passes, it is gone (and its row with it)
    late = stash.keep(form)
    now[0] += STASH_LIFETIME + timedelta(seconds=1)
    assert stash.take(late, form.page) is None
    with services.engine.connect() as conn:
        assert conn.execute(select(stashed_forms)).first() is None
