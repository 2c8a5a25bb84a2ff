"""Public reports: no non-public text in any format, counts right, as-of differences, PDFs that print and cache."""

from __future__ import annotations

import csv
import io
import json
import stat
import subprocess
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.story import BY, add_member
from tracker.documents import report as reports
from tracker.documents.report import ReportCache, layout_fingerprint
from tracker.web import create_app
from tracker.web import reports as reports_web
from tracker.web.limits import limiter

ROOT = Path(__file__).resolve().parents[2]
NON_PUBLIC = ["Мектепте акча", "Ата-энелер", "Протокол", "Көчө жарыгы"]  # confidential decision, commitment; minutes
PUBLIC = ["Борбордук көчөгө жарык орнотуу", "12 чырак сатып алууну суроо", "Чырактарды орнотуу"]


@pytest.fixture
def told(services, world):
    app = services.app
    lamps, _install, parents = world.a.meeting.commitment_ids
    app.report_follow_up(parents, on=date(2015, 3, 30), status="kept", note="Үч үй-бүлө менен сүйлөштү", by=BY)
    app.report_follow_up(lamps, on=date(2015, 4, 20), status="in_progress", note="Чырактар сатылып алынды", by=BY)
    app.report_follow_up(lamps, on=date(2015, 6, 1), status="kept", note="Баары орнотулду", by=BY)
    return world


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_no_non_public_text_reaches_the_page_the_pdf_the_csv_or_the_json(web, told):
    client = web.test_client()
    base = f"/teams/{told.a.team_id}/report"
    page = client.get(base).get_data(as_text=True)
    pdf = client.get(base + ".pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    exported = client.get(base + ".csv").data.decode("utf-8-sig")
    as_json = client.get(base + ".json").get_data(as_text=True)
    for document in (page, " ".join(text.split()), exported, as_json):
        for secret in [*NON_PUBLIC, "Үч үй-бүлө", "MIR-2015-03"]:  # the confidential note and its reference
            assert secret not in document
        for public in ("12 чырак сатып алууну суроо", "Мирный айыл өкмөтү"):
            assert public in document
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [row["reference"] for row in rows] == ["MIR-2015-01", "MIR-2015-02"]
    assert rows[0]["status"] == "kept" and rows[1]["owner"] == "Мирный айыл өкмөтү"
    report = json.loads(as_json)
    assert report["summary"]["kept"] == 1 and report["non_public"]["count"] == 1
    assert report["non_public"]["summary"]["kept"] == 1


def test_a_report_as_of_two_dates_differs_by_what_happened_between(web, told):
    client = web.test_client()
    base = f"/teams/{told.a.team_id}/report.json"
    may = client.get(base, query_string={"as_of": "2015-05-31"}).json
    june = client.get(base, query_string={"as_of": "2015-06-01"}).json
    assert may["summary"]["in_progress"] == 1 and may["summary"]["kept"] == 0
    assert june["summary"]["in_progress"] == 0 and june["summary"]["kept"] == 1
    changed = [
        (a["reference"], a["status"], b["status"])
        for a, b in zip(may["commitments"], june["commitments"], strict=True)
        if a != b
    ]
    assert changed == [("MIR-2015-01", "in_progress", "kept")]


def test_the_csv_opens_in_spreadsheets_with_cyrillic(web, told):
    response = web.test_client().get(f"/teams/{told.a.team_id}/report.csv")
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("variant", [None, "a", "ua"])
def test_every_pdf_variant_passes_qpdf(web, told, tmp_path, variant):
    query = {"variant": variant} if variant else {}
    response = web.test_client().get(
        f"/teams/{told.a.team_id}/report.pdf", query_string=query, headers={"Accept-Language": "ky"}
    )
    path = tmp_path / "report.pdf"
    path.write_bytes(response.data)
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
    text = pdf_text(response.data)
    assert all(letter in text for letter in "өү")  # Kyrgyz letters printed as text, by a real font


def test_a_pdf_is_rendered_once_and_then_read_from_the_cache(web, told, monkeypatch):
    calls = []
    real = reports.render_pdf

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr("tracker.web.reports.render_pdf", counting)
    url = f"/teams/{told.a.team_id}/report.pdf?as_of=2015-06-30"
    results = []

    def fetch():
        results.append(web.test_client().get(url).data)

    threads = [threading.Thread(target=fetch) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and len(set(results)) == 1
    fetch()
    assert len(calls) == 1
    # a write to the team makes a new report; another team's writes do not
    web.extensions["tracker"].app.report_follow_up(told.b_commitment, on=date(2015, 4, 1), status="kept", by=BY)
    fetch()
    assert len(calls) == 1
    web.extensions["tracker"].app.report_follow_up(
        told.a.meeting.commitment_ids[1], on=date(2015, 4, 1), status="in_progress", by=BY
    )
    fetch()
    assert len(calls) == 2


def test_a_report_page_is_rendered_once_per_change_of_the_teams_record(web, told, monkeypatch):
    # given a report page that was read once
    calls = []
    real = reports_web._opened

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(reports_web, "_opened", counting)
    client = web.test_client()
    url = f"/teams/{told.a.team_id}/report"
    first = client.get(url).get_data(as_text=True)
    # when many more readers come, then the body is not built again
    assert client.get(url).get_data(as_text=True) == first and len(calls) == 1
    # when the team's record changes, then the next reader sees the change
    web.extensions["tracker"].app.report_follow_up(
        told.a.meeting.commitment_ids[1], on=date(2015, 4, 1), status="not_kept", note="Болбой калды", by=BY
    )
    changed = client.get(url).get_data(as_text=True)
    assert len(calls) == 2 and "Болбой калды" in changed and "Болбой калды" not in first


def test_an_erasure_forgets_every_rendered_report_that_held_the_text(web, services, told):
    # given a public decision's text on the team's rendered page and PDF
    client = web.test_client()
    decision = told.a.meeting.decision_ids[0]
    assert PUBLIC[0] in client.get(f"/teams/{told.a.team_id}/report").get_data(as_text=True)
    assert PUBLIC[0] in pdf_text(client.get(f"/teams/{told.a.team_id}/report.pdf").data)
    cache = services.settings.report_cache_dir
    assert any(cache.iterdir())
    # when the decision is erased
    services.erase_item(decision, reason="person_request", by="cli:admin")
    # then no rendered report is kept that could still hold the text, and the page no longer shows it
    assert not cache.exists() or not any(PUBLIC[0].encode() in f.read_bytes() for f in cache.iterdir())
    assert not cache.exists() or not list(cache.iterdir())
    assert PUBLIC[0] not in client.get(f"/teams/{told.a.team_id}/report").get_data(as_text=True)


def test_bad_report_parameters_are_a_400(web, told):
    client = web.test_client()
    assert client.get(f"/teams/{told.a.team_id}/report?as_of=2015-02-30").status_code == 400
    assert client.get(f"/teams/{told.a.team_id}/report.pdf?variant=x").status_code == 400
    assert client.get(f"/teams/{told.a.team_id}/report?from=2015-06-01&to=2015-01-01").status_code == 400


def test_the_open_data_download_holds_every_teams_public_records(web, told):
    import zipfile

    response = web.test_client().get("/open-data/download")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == [
        "MIR/commitments.csv",
        "MIR/problems.csv",
        "MIR/problems.json",
        "MIR/report.json",
        "VOR/commitments.csv",
        "VOR/problems.csv",
        "VOR/problems.json",
        "VOR/report.json",
    ]
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8-sig")
    assert all(secret not in everything for secret in NON_PUBLIC)


def test_member_ledger_pages_show_public_commitments_only(web, told):
    html = web.test_client().get(f"/teams/{told.a.team_id}/members/{told.a.police}").get_data(as_text=True)
    assert "Бакыт Токтогулов" in html and "Ата-энелер" not in html and "and 1 not public" in html


def test_a_report_names_the_first_checkpoint_that_covers_it_so_it_changes_once(web, services, told):
    client = web.test_client()
    url = f"/teams/{told.a.team_id}/report"
    # given a team's record written after the log's first checkpoint (signed at once, at the first write)
    assert services.signed_log.latest().size < services.app.recorder.max_notification_id()
    before = client.get(f"{url}.json").json["built_from"]
    assert before["checkpoint_size"] is None and before["events"] > services.signed_log.latest().size
    assert "No signed checkpoint covers these events yet." in " ".join(pdf_text(client.get(f"{url}.pdf").data).split())
    # when a checkpoint is signed over it
    checkpoint = services.signed_log.sign_head()
    # then every form of the report names it, and the log's key
    text = " ".join(pdf_text(client.get(f"{url}.pdf").data).split())
    assert f"Covered by the signed checkpoint of {checkpoint.size} events" in text
    assert services.signed_log.key.fingerprint in text
    covered = client.get(f"{url}.json").json["built_from"]
    assert covered == before | {"checkpoint_size": checkpoint.size, "checkpoint_root": covered["checkpoint_root"]}
    # and when the log grows elsewhere and later checkpoints are signed, it still names that one: not rendered again
    rendered = client.get(url).get_data(as_text=True)
    add_member(services.app, told.b_team, "Жаңы мүчө", "youth_committee", "female", "18_29")
    assert services.signed_log.sign_head().size > checkpoint.size
    assert client.get(f"{url}.json").json["built_from"] == covered
    assert client.get(url).get_data(as_text=True) == rendered


def test_a_change_of_visibility_forgets_the_team_s_rendered_reports_and_renders_are_the_owner_s_only(web, told):
    # given a rendered page and PDF of a team, holding the text of a public decision
    services = web.extensions["tracker"]
    client = web.test_client()
    assert client.get(f"/teams/{told.a.team_id}/report").status_code == 200
    assert client.get(f"/teams/{told.a.team_id}/report.pdf").status_code == 200
    folder = services.settings.report_cache_dir
    renders = [path for path in folder.iterdir() if path.suffix in (".html", ".pdf")]
    assert renders and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in renders)
    # when the decision is made confidential
    services.app.change_decision_visibility(
        told.a.meeting.id,
        told.a.meeting.decision_ids[0],
        visibility="confidential",
        reason="names a victim",
        on=date(2015, 4, 2),
        by=BY,
    )
    # then no earlier render of the team is left on disk
    assert not [path for path in folder.iterdir() if path.name.startswith(told.a.team_id.hex)]


def test_the_report_cache_forgets_the_least_recently_read_when_full(tmp_path):
    cache = ReportCache(tmp_path / "cache", max_bytes=35)
    team = "0" * 32
    for number in range(3):
        cache.get_or_render(("pdf", team, number), lambda: b"x" * 10)
    cache.get_or_render(("pdf", team, 0), lambda: b"never rendered again")  # read: now the most recent
    assert cache.get_or_render(("pdf", team, 3), lambda: b"y" * 10) == (b"y" * 10, True)
    assert cache.get_or_render(("pdf", team, 0), lambda: b"z") == (b"x" * 10, False)
    assert cache.get_or_render(("pdf", team, 1), lambda: b"z")[1]  # the least recently read went first


def test_renders_are_rate_limited_per_address_but_reads_from_the_cache_are_not(services, told):
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "RATELIMIT_ENABLED": True}, services=services)
    limiter.reset()
    client = app.test_client()
    url = f"/teams/{told.a.team_id}/report"
    assert all(client.get(url).status_code == 200 for _ in range(40))  # one render, then the cache
    starts = [date(2015, 1, 1) + timedelta(days=day) for day in range(35)]
    statuses = [client.get(url, query_string={"from": start.isoformat()}).status_code for start in starts]
    assert statuses[0] == 200 and 429 in statuses  # 35 renders in a minute: past the limit of 30
    limiter.reset()


def test_a_render_made_with_another_layout_is_never_served(tmp_path):
    # given a report rendered before an upgrade changed its templates, stylesheet or words
    before = ReportCache(tmp_path / "cache", layout="before")
    before.get_or_render(("pdf", "0" * 32, 1), lambda: b"old columns")
    # when the upgraded server asks for the same report, it renders it anew
    after = ReportCache(tmp_path / "cache", layout="after")
    assert after.get_or_render(("pdf", "0" * 32, 1), lambda: b"new columns") == (b"new columns", True)
    assert ReportCache(tmp_path / "cache").layout == layout_fingerprint() != ""
