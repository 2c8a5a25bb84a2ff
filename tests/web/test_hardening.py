"""Hardening: redirects stay on this site, and no spreadsheet runs a formula from a public CSV."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest

from tests.story import BY
from tests.web.conftest import PASSWORD
from tracker.application.drafts import CommitmentDraft, DecisionDraft
from tracker.web.redirects import local_path


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example",
        "/\t/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/%2F%2Fevil.example",
        "javascript:alert(1)",
        "/%5Cevil.example",
        "",
    ],
)
def test_a_redirect_never_leaves_the_site(target):
    assert local_path(target) is None


def test_a_path_on_the_site_is_kept_with_its_query():
    assert local_path("/teams/1/report?from=2015-01-01") == "/teams/1/report?from=2015-01-01"


def test_login_with_a_next_that_points_away_lands_at_home(web, world):
    # given a link crafted to send the user elsewhere after logging in
    client = web.test_client()
    # when they log in through it
    response = client.post("/login?next=/%09/evil.example", data={"username": "secretary_a", "password": PASSWORD})
    # then they land on their own home page
    assert response.status_code == 302
    assert response.headers["Location"] == "/secretary/"


def test_the_language_switch_never_sends_the_reader_away(web):
    response = web.test_client().post("/language", data={"language": "ky", "next": "/\t/evil.example"})
    assert response.headers["Location"] == "/"
    kept = web.test_client().post("/language", data={"language": "ky", "next": "/teams"})
    assert kept.headers["Location"] == "/teams"


def test_public_csv_cells_that_look_like_formulas_are_made_inert(web, services, world):
    # given public commitments whose text starts like spreadsheet formulas
    texts = ['=HYPERLINK("http://evil.example")', "+1+2", "-3", "@SUM(A1)"]  # (leading tabs are trimmed)
    drafts = [CommitmentDraft(text, date(2015, 7, 1), "public", world.a.chair) for text in texts]
    services.app.record_meeting(
        world.a.team_id,
        held_on=date(2015, 5, 20),
        kind="regular",
        place="Зал",
        decisions=[DecisionDraft("=1+1", "public", drafts)],
        by=BY,
    )
    # when anyone downloads the report's CSV and the open data
    report = web.test_client().get(f"/teams/{world.a.team_id}/report.csv").data.decode("utf-8-sig")
    bundle = zipfile.ZipFile(io.BytesIO(web.test_client().get("/open-data/download").data))
    from_zip = bundle.read("MIR/commitments.csv").decode("utf-8-sig")
    # then no cell starts with a formula character, and each text is still there after an apostrophe
    for document in (report, from_zip):
        cells = [cell for row in csv.reader(io.StringIO(document)) for cell in row]
        assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
        for text in texts:
            assert f"'{text}" in cells
