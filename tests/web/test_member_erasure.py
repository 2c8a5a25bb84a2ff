"""An admin erases a member at their request: from then on every page, PDF, CSV, API answer and export for the
public names them "erased member", with their sector, dates and commitments; every proof still verifies.

Two cases. A member who joined after names were sealed (MemberJoined version 3): their name is also gone from the
raw database file, since its key is destroyed. A member recorded before (version 2, the name in the clear in a
stored event that cannot change without breaking every proof): the name leaves every read model, page, PDF, CSV,
API answer, public export, cached render and snapshot; the stored event keeps it (docs/confidentiality.md).
"""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from datetime import date
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from sqlalchemy import func, select

from tests.application.test_persistence import raw_database_bytes
from tests.story import BY, add_member
from tests.web.conftest import logged_in
from tracker.application.drafts import CommitmentDraft, DecisionDraft
from tracker.audit.verify import verify_log
from tracker.projections.merkle_tree import merkle_leaves

NEW_NAME = "Жылдыз Эркинбаева"
OLD_NAME = "Эрмек Сыдыков"
ENGLISH, RUSSIAN = {"Accept-Language": "en"}, {"Accept-Language": "ru"}


def promise_of(services, team_id, member_id, held_on=date(2015, 4, 20)):
    """A public commitment the member owns, made at a meeting they attended."""
    services.app.record_meeting(
        team_id,
        held_on=held_on,
        kind="regular",
        place="Мектеп",
        attendee_ids=[member_id],
        decisions=[
            DecisionDraft(
                "Ата-энелер жыйыны", "public", [CommitmentDraft("Жыйын өткөрүү", date(2015, 6, 1), "public", member_id)]
            )
        ],
        by=BY,
    )


def everything_public(web, services, world, member_id, as_of="2015-05-01"):
    """Every page, PDF, CSV, API answer and export for the public that could name the member, as text."""
    client, team_id = web.test_client(), world.a.team_id
    texts = {}
    for path in (
        f"/teams/{team_id}",
        f"/teams/{team_id}/report",
        f"/teams/{team_id}/report?as_of={as_of}",
        f"/teams/{team_id}/members/{member_id}",
        f"/teams/{team_id}/members/{member_id}?as_of={as_of}",
        f"/teams/{team_id}/report.csv",
        f"/teams/{team_id}/report.json",
        f"/api/v1/teams/{team_id}",
        f"/api/v1/teams/{team_id}/report",
        f"/api/v1/members/{member_id}/ledger",
    ):
        answer = client.get(path, headers=ENGLISH)
        assert answer.status_code == 200, path
        texts[path] = answer.data.decode("utf-8-sig")
    pdf = client.get(f"/teams/{team_id}/report.pdf", headers=ENGLISH).data
    texts["pdf"] = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    archive = zipfile.ZipFile(io.BytesIO(client.get("/open-data/download").data))
    texts["open data"] = "".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    return texts


def last_leaf(services):
    with services.engine.connect() as conn:
        return conn.execute(select(func.max(merkle_leaves.c.leaf_index))).scalar()


def everything_inside(web, world, member_id, leaf):
    """The pages of the team's secretary, member and auditor that name members; the replay as known at `leaf`."""
    team_id, texts = world.a.team_id, {}
    for role, path in (
        ("secretary_a", f"/secretary/teams/{team_id}"),
        ("secretary_a", f"/secretary/teams/{team_id}/follow-ups"),
        ("secretary_a", f"/secretary/teams/{team_id}/meetings/new"),
        ("member_a", f"/member/teams/{team_id}"),
        ("auditor_a", f"/audit/?team={team_id}"),
        ("auditor_a", f"/audit/records/{team_id}"),
        ("auditor_a", f"/audit/replay?team={team_id}&leaf={leaf}"),
    ):
        answer = logged_in(web, role).get(path, headers=ENGLISH)
        assert answer.status_code == 200, path
        texts[path] = answer.get_data(as_text=True)
    return texts


def erase_through_the_admin_page(web, world, member_id):
    admin = logged_in(web, "admin")
    address = f"http://127.0.0.1:5000/teams/{world.a.team_id}/members/{member_id}"
    first = admin.post("/admin/erase", data={"item_id": address, "reason": "person_request"}, headers=ENGLISH)
    assert first.status_code == 200 and "Member: their name" in first.get_data(as_text=True)
    confirmed = admin.post(
        "/admin/erase",
        data={"item_id": address, "reason": "person_request", "confirmed": member_id.hex},
        headers=ENGLISH,
    )
    assert confirmed.status_code == 302
    assert "reports show an erased member" in admin.get("/admin/erase", headers=ENGLISH).get_data(as_text=True)


def test_a_member_who_joined_with_a_sealed_name_is_erased_everywhere_and_from_the_database_file(
    web, services, settings, world
):
    # given a member who joined after names were sealed, owner of a public commitment, whose reports were rendered
    app, team_id = services.app, world.a.team_id
    member_id = add_member(app, team_id, NEW_NAME, "school", "female", "30_44")
    promise_of(services, team_id, member_id)
    before = everything_public(web, services, world, member_id)
    assert all(NEW_NAME in before[path] for path in (f"/teams/{team_id}", "pdf", f"/teams/{team_id}/report.csv"))
    assert all(NEW_NAME.encode() not in n.state for n in app.recorder.select_notifications(1, 10_000))
    leaf = last_leaf(services)
    # when an admin erases them, named by the address of their page
    erase_through_the_admin_page(web, world, member_id)
    # then the name is on no page, PDF, CSV, API answer or export, public or not, now or as of an earlier date
    after = everything_public(web, services, world, member_id) | everything_inside(web, world, member_id, leaf)
    assert [path for path, text in after.items() if NEW_NAME in text] == []
    assert "erased member" in after[f"/teams/{team_id}"] and "erased member" in after["pdf"]
    assert "School" in after[f"/teams/{team_id}/members/{member_id}"]  # their sector and commitments stay
    assert "erased member · School" in after[f"/secretary/teams/{team_id}/meetings/new"]  # still a member
    assert "Жыйын өткөрүү" in after[f"/teams/{team_id}/members/{member_id}"]
    ledger = json.loads(after[f"/api/v1/members/{member_id}/ledger"])
    assert ledger["name"] is None and ledger["summary"]["made"] == 1
    shown = {m["id"]: m["name"] for m in json.loads(after[f"/api/v1/teams/{team_id}"])["members"]}
    assert shown[str(member_id)] is None
    assert "стёрт" in web.test_client().get(f"/teams/{team_id}", headers=RUSSIAN).get_data(as_text=True)
    # and not in the raw database file either (the log, the read models, the snapshots, the key store)
    assert NEW_NAME.encode() not in raw_database_bytes(settings.database_url)
    # and every leaf of the log still verifies against a checkpoint signed now
    services.projections.catch_up()
    checkpoint = services.signed_log.sign_head()
    size, _ = verify_log(services.engine, app, [checkpoint.note], services.signed_log.key)
    assert size == app.recorder.max_notification_id()


def joined_before_names_were_sealed(services, team_id, member_id, name):
    """A MemberJoined of version 2, as stored before names were sealed: the name in the clear."""
    app = services.app
    state = {
        "timestamp": {"_type_": "datetime_iso", "_data_": "2015-01-11T08:00:00+00:00"},
        "team_id": {"_type_": "uuid_hex", "_data_": team_id.hex},
        "business_date": {"_type_": "date_iso", "_data_": "2015-01-11"},
        "recorded_by": BY,
        "member_id": {"_type_": "uuid_hex", "_data_": member_id.hex},
        "name": name,
        "role": "member",
        "sector": "elders",
        "gender": "male",
        "age_band": "60_plus",
        "public_display": "full_name",
        "class_version": 2,
    }
    topic, version = "tracker.domain.team:Team.MemberJoined", app.team(team_id).version + 1
    app.recorder.insert_events([StoredEvent(team_id, version, topic, json.dumps(state, ensure_ascii=False).encode())])
    services.projections.catch_up()


def test_a_member_recorded_before_names_were_sealed_is_erased_from_everything_but_the_stored_event(
    web, services, world
):
    # given a member whose MemberJoined holds their name in the clear, with a commitment, and a team long enough
    # to be snapshotted after they joined (the snapshot holds the name)
    app, team_id = services.app, world.a.team_id
    member_id = UUID("0193a1b2-0000-7000-8000-00000000e4e1")
    joined_before_names_were_sealed(services, team_id, member_id, OLD_NAME)
    promise_of(services, team_id, member_id)
    for day in range(1, 60):
        app.rename_team(team_id, name=f"Мирный {day}", on=date(2015, 5, 1), by=BY)
    assert any(OLD_NAME.encode() in s.state for s in app.snapshots.recorder.select_events(team_id))
    before, leaf = everything_public(web, services, world, member_id), last_leaf(services)
    assert OLD_NAME in before[f"/teams/{team_id}"] and OLD_NAME in before["open data"]
    # when they are erased (as the CLI and the admin page do)
    services.erase_item(member_id, reason="court_order", by="cli:admin")
    # then no page, PDF, CSV, API answer or public export names them, nor any page of the team's own people
    after = everything_public(web, services, world, member_id) | everything_inside(web, world, member_id, leaf)
    assert [path for path, text in after.items() if OLD_NAME in text] == []
    assert "erased member" in after[f"/audit/?team={team_id}"]
    # and no snapshot or read model holds the name (the stored event does: it is part of every proof)
    assert all(OLD_NAME.encode() not in s.state for s in app.snapshots.recorder.select_events(team_id))
    assert app.team(team_id).member(member_id).erased and app.team(team_id).member(member_id).name == ""
    assert any(OLD_NAME.encode() in n.state for n in app.recorder.select_notifications(1, 10_000))
    # and a rebuild of the read models from the log gives the erased member again
    services.projections.rebuild()
    rebuilt = web.test_client().get(f"/teams/{team_id}", headers=ENGLISH).get_data(as_text=True)
    assert OLD_NAME not in rebuilt and "erased member" in rebuilt
    # and erasing again records nothing more
    head = app.recorder.max_notification_id()
    services.erase_item(member_id, reason="court_order", by="cli:admin")
    assert app.recorder.max_notification_id() == head


def test_two_erased_members_keep_their_own_rows_and_counts_in_the_auditors_replay(web, services, world):
    # given two members, each owning a public commitment, both erased
    app, team_id = services.app, world.a.team_id
    first = add_member(app, team_id, NEW_NAME, "school", "female", "30_44")
    second = add_member(app, team_id, "Тилек Асанов", "religious_leader", "male", "45_59")
    promise_of(services, team_id, first)
    promise_of(services, team_id, second, held_on=date(2015, 4, 21))
    leaf = last_leaf(services)
    for member_id in (first, second):
        services.erase_item(member_id, reason="person_request", by="cli:admin")
    # when an auditor replays the log as it was before the erasures
    page = logged_in(web, "auditor_a").get(f"/audit/replay?team={team_id}&leaf={leaf}", headers=ENGLISH)
    # then each erased member has a row of their own, with their own count
    ledgers = page.get_data(as_text=True).split("Member ledgers", 1)[1]
    assert ledgers.count("<th>erased member</th>") == 2
    assert NEW_NAME not in ledgers and "Тилек Асанов" not in ledgers


def test_a_name_recorded_in_the_clear_that_looks_sealed_is_read_as_written(web, services, world):
    # given a member recorded before names were sealed, whose name happens to start like a sealed text
    member_id = UUID("0193a1b2-0000-7000-8000-00000000e4e2")
    joined_before_names_were_sealed(services, world.a.team_id, member_id, "v1:Бакыт")
    # then the read models take it as it was written, and the team's page shows it
    page = web.test_client().get(f"/teams/{world.a.team_id}", headers=ENGLISH).get_data(as_text=True)
    assert "v1:Бакыт" in page
