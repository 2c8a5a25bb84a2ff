"""Stories of a partnership team: registration, its code, its name, and its members' comings and goings."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from tests.domain.given import BY, JOINED_ON, REGISTERED_ON, join, on, register_team
from tracker.domain import Team, TeamCode
from tracker.domain.errors import (
    InvalidValue,
    LeftBeforeJoined,
    MemberAlreadyErased,
    MemberAlreadyLeft,
    RegionOfAnotherCountry,
    RegionUnchanged,
    UnknownMember,
)
from tracker.domain.events import Stamp
from tracker.domain.values import (
    AgeBand,
    Country,
    ErasureReason,
    Gender,
    PublicDisplay,
    Region,
    Role,
    Sector,
    TeamKind,
    regions_of,
)

# Registration


def test_given_a_new_team_when_it_is_registered_then_it_is_recorded_with_its_place_and_business_date(only_event):
    # given
    team_id = uuid4()
    # when
    team = Team.register(
        team_id=team_id,
        name="  Мирный  ",
        code="MIR",
        kind=TeamKind.LCPC,
        country=Country.KG,
        region=" KG-C ",
        district="Sokuluk ",
        municipality=" Mirny ayil okmotu",
        time_zone="Asia/Bishkek",
        stamp=Stamp(date(2024, 1, 1), "cli:test"),
    )
    # then
    registered = only_event(team, Team.Registered)
    assert registered.originator_id == team_id
    assert (registered.team_id, registered.business_date) == (team_id, date(2024, 1, 1))
    assert registered.recorded_by == "cli:test"
    assert (registered.name, registered.code, registered.kind, registered.country) == ("Мирный", "MIR", "LCPC", "KG")
    assert (registered.region, registered.district, registered.municipality) == ("KG-C", "Sokuluk", "Mirny ayil okmotu")
    assert registered.time_zone == "Asia/Bishkek"
    # and
    assert team.id == team_id
    assert (team.name, team.code, team.kind, team.country) == ("Мирный", "MIR", TeamKind.LCPC, Country.KG)
    assert team.registered_on == date(2024, 1, 1)
    assert team.members == {}
    assert team.members_on(date(2024, 1, 1)) == set()


def test_given_a_blank_name_when_a_team_is_registered_then_it_is_refused():
    with pytest.raises(InvalidValue) as refused:
        register_team(name="   ")
    assert refused.value.field == "name"


@pytest.mark.parametrize("code", ["", "M", "mir", "MIR1", "MIR-OSH", "МИР", "ABCDEFGHI", " MIR"])
def test_given_a_code_that_is_not_2_to_8_latin_capitals_when_a_team_is_registered_then_it_is_refused(code):
    with pytest.raises(InvalidValue) as refused:
        register_team(code=code)
    assert refused.value.field == "code"


@pytest.mark.parametrize("code", ["OS", "MIR", "JALALABA"])
def test_given_a_code_of_2_to_8_latin_capitals_when_a_team_is_registered_then_it_keeps_the_code(code):
    assert register_team(code=code).code == code


def test_given_a_registered_team_when_its_code_is_claimed_then_the_claim_is_named_by_the_code(team, only_event):
    # when
    claim = TeamCode.claim(team, Stamp(date(2024, 1, 1), "cli:test"))
    # then
    claimed = only_event(claim, TeamCode.Claimed)
    assert claimed.originator_id == TeamCode.id_for("MIR")
    assert (claimed.team_id, claimed.business_date, claimed.recorded_by) == (team.id, date(2024, 1, 1), "cli:test")
    assert claimed.code == "MIR"
    assert (claim.id, claim.code, claim.team_id) == (TeamCode.id_for("MIR"), "MIR", team.id)


def test_given_two_teams_with_the_same_code_when_they_claim_it_then_both_claims_have_one_id():
    # given
    first, second = register_team(code="MIR"), register_team(code="MIR")
    # when
    claims = [TeamCode.claim(first, on(REGISTERED_ON)), TeamCode.claim(second, on(REGISTERED_ON))]
    # then the store refuses the second one as a conflict, whatever order they come in
    assert claims[0].id == claims[1].id
    assert TeamCode.id_for("OSH") != TeamCode.id_for("MIR")


# Name


def test_given_a_team_when_it_is_renamed_then_the_name_changes_and_the_code_stays(team, only_event):
    # when
    team.rename("  Мирный-2 ", Stamp(date(2024, 5, 1), "user:7"))
    # then
    renamed = only_event(team, Team.Renamed)
    assert (renamed.team_id, renamed.business_date, renamed.recorded_by) == (team.id, date(2024, 5, 1), "user:7")
    assert renamed.name == "Мирный-2"
    assert (team.name, team.code) == ("Мирный-2", "MIR")


def test_given_a_team_when_it_is_renamed_to_a_blank_name_then_it_is_refused(team):
    # when
    with pytest.raises(InvalidValue) as refused:
        team.rename(" ", on(date(2024, 5, 1)))
    # then
    assert refused.value.field == "name"
    assert team.pending_events == []
    assert team.name == "Мирный"


# Members


def test_given_a_team_when_a_member_joins_then_they_are_a_member_from_that_day(team, only_event):
    # given
    member_id = uuid4()
    # when
    team.add_member(
        member_id=member_id,
        name=" Гүлнара Ҷӯраева ",
        role=Role.MEMBER,
        sector=Sector.YOUTH_COMMITTEE,
        gender=Gender.FEMALE,
        age_band=AgeBand.FROM_18_TO_29,
        public_display=PublicDisplay.INITIALS,
        stamp=Stamp(date(2024, 2, 15), "user:7"),
    )
    # then
    joined = only_event(team, Team.MemberJoined)
    assert (joined.team_id, joined.business_date, joined.recorded_by) == (team.id, date(2024, 2, 15), "user:7")
    assert (joined.member_id, joined.name) == (member_id, "Гүлнара Ҷӯраева")
    assert (joined.role, joined.sector, joined.gender) == ("member", "youth_committee", "female")
    assert (joined.age_band, joined.public_display) == ("18_29", "initials")
    # and
    member = team.member(member_id)
    assert (member.name, member.role, member.sector) == ("Гүлнара Ҷӯраева", Role.MEMBER, Sector.YOUTH_COMMITTEE)
    assert (member.gender, member.age_band) == (Gender.FEMALE, AgeBand.FROM_18_TO_29)
    assert member.public_display is PublicDisplay.INITIALS
    assert (member.joined_on, member.left_on) == (date(2024, 2, 15), None)
    assert member_id not in team.members_on(date(2024, 2, 14))
    assert member_id in team.members_on(date(2024, 2, 15))


def test_given_a_team_when_a_member_with_a_blank_name_joins_then_it_is_refused(team):
    # when
    with pytest.raises(InvalidValue) as refused:
        team.add_member(
            member_id=uuid4(),
            name="  ",
            role=Role.MEMBER,
            sector=Sector.ELDERS,
            gender=Gender.MALE,
            age_band=AgeBand.FROM_60,
            public_display=PublicDisplay.FULL_NAME,
            stamp=on(date(2024, 2, 15)),
        )
    # then
    assert refused.value.field == "name"
    assert team.pending_events == []


def test_given_a_member_when_their_role_changes_then_they_hold_the_new_role_and_sector(team, chair_id, only_event):
    # when
    team.change_member_role(chair_id, role=Role.SECRETARY, sector=Sector.SCHOOL, stamp=Stamp(date(2024, 4, 1), BY))
    # then
    changed = only_event(team, Team.MemberRoleChanged)
    assert (changed.team_id, changed.business_date, changed.recorded_by) == (team.id, date(2024, 4, 1), BY)
    assert (changed.member_id, changed.role, changed.sector) == (chair_id, "secretary", "school")
    assert (team.member(chair_id).role, team.member(chair_id).sector) == (Role.SECRETARY, Sector.SCHOOL)


def test_given_a_member_when_they_choose_another_public_display_then_reports_show_them_so(team, chair_id, only_event):
    # when
    team.change_member_display(chair_id, public_display=PublicDisplay.INITIALS, stamp=Stamp(date(2024, 4, 2), BY))
    # then
    changed = only_event(team, Team.MemberDisplayChanged)
    assert (changed.team_id, changed.business_date, changed.recorded_by) == (team.id, date(2024, 4, 2), BY)
    assert (changed.member_id, changed.public_display) == (chair_id, "initials")
    assert team.member(chair_id).public_display is PublicDisplay.INITIALS


def test_given_a_member_when_they_leave_then_they_are_no_longer_a_member_from_that_day(team, chair_id, only_event):
    # when
    team.remove_member(chair_id, reason="sealed:moved to Bishkek", stamp=Stamp(date(2024, 5, 1), BY))
    # then
    left = only_event(team, Team.MemberLeft)
    assert (left.team_id, left.business_date, left.recorded_by) == (team.id, date(2024, 5, 1), BY)
    assert (left.member_id, left.reason) == (chair_id, "sealed:moved to Bishkek")
    assert team.member(chair_id).left_on == date(2024, 5, 1)
    assert chair_id in team.members_on(date(2024, 4, 30))
    assert chair_id not in team.members_on(date(2024, 5, 1))


def test_given_a_member_who_left_when_they_are_removed_again_then_it_is_refused(team, chair_id):
    # given
    team.remove_member(chair_id, reason="sealed:reason", stamp=on(date(2024, 5, 1)))
    team.collect_events()
    # when
    with pytest.raises(MemberAlreadyLeft) as refused:
        team.remove_member(chair_id, reason="sealed:again", stamp=on(date(2024, 6, 1)))
    # then
    assert refused.value.field == "member_id"
    assert team.pending_events == []
    assert team.member(chair_id).left_on == date(2024, 5, 1)


@pytest.mark.parametrize(
    "act",
    [
        lambda team, member_id: team.change_member_role(
            member_id, role=Role.CHAIR, sector=Sector.POLICE, stamp=on(date(2024, 6, 1))
        ),
        lambda team, member_id: team.change_member_display(
            member_id, public_display=PublicDisplay.INITIALS, stamp=on(date(2024, 6, 1))
        ),
    ],
    ids=["role", "display"],
)
def test_given_a_member_who_left_when_their_role_or_display_changes_then_it_is_refused(team, chair_id, act):
    # given
    team.remove_member(chair_id, reason="sealed:reason", stamp=on(date(2024, 5, 1)))
    team.collect_events()
    # when
    with pytest.raises(MemberAlreadyLeft):
        act(team, chair_id)
    # then
    assert team.pending_events == []
    assert team.member(chair_id).role is Role.CHAIR


def test_given_a_member_when_they_are_recorded_as_leaving_before_they_joined_then_it_is_refused(team, chair_id):
    # when
    with pytest.raises(LeftBeforeJoined) as refused:
        team.remove_member(chair_id, reason="sealed:reason", stamp=on(date(2024, 1, 9)))
    # then
    assert refused.value.field == "on"
    assert team.pending_events == []
    assert team.member(chair_id).left_on is None


@pytest.mark.parametrize(
    "act",
    [
        lambda team, member_id: team.change_member_role(
            member_id, role=Role.CHAIR, sector=Sector.POLICE, stamp=on(date(2024, 6, 1))
        ),
        lambda team, member_id: team.change_member_display(
            member_id, public_display=PublicDisplay.INITIALS, stamp=on(date(2024, 6, 1))
        ),
        lambda team, member_id: team.remove_member(member_id, reason="sealed:reason", stamp=on(date(2024, 6, 1))),
        lambda team, member_id: team.member(member_id),
    ],
    ids=["role", "display", "remove", "look up"],
)
def test_given_someone_who_never_joined_when_they_are_named_as_a_member_then_it_is_refused(team, act):
    # when
    with pytest.raises(UnknownMember) as refused:
        act(team, uuid4())
    # then
    assert refused.value.field == "member_id"
    assert team.pending_events == []


def test_given_members_coming_and_going_then_the_members_on_a_day_are_those_who_joined_and_had_not_left(team):
    # given
    early, late = join(team, date(2024, 2, 1)), join(team, date(2024, 4, 1))
    team.remove_member(early, reason="sealed:reason", stamp=on(date(2024, 3, 15)))
    # then
    assert team.members_on(date(2024, 1, 9)) == set()
    assert early in team.members_on(date(2024, 3, 14))
    assert team.members_on(date(2024, 3, 15)) & {early, late} == set()
    assert team.members_on(date(2024, 4, 1)) & {early, late} == {late}


# Reload


def test_given_a_team_with_a_history_when_it_is_saved_and_reloaded_then_it_is_the_same_team(record):
    # given
    team = register_team()
    claim = TeamCode.claim(team, on(REGISTERED_ON))
    chair, newcomer = join(team, JOINED_ON, role=Role.CHAIR), join(team, date(2024, 2, 1))
    team.rename("Мирный-2", on(date(2024, 2, 2)))
    team.change_member_role(chair, role=Role.MEMBER, sector=Sector.ELDERS, stamp=on(date(2024, 3, 1)))
    team.change_member_display(newcomer, public_display=PublicDisplay.FULL_NAME, stamp=on(date(2024, 3, 2)))
    team.remove_member(chair, reason="sealed:reason", stamp=on(date(2024, 4, 1)))
    # when
    record.save(team, claim)
    reloaded = record.repository.get(team.id)
    # then
    assert reloaded.version == team.version == 7
    assert (reloaded.name, reloaded.code) == ("Мирный-2", "MIR")
    assert (reloaded.kind, reloaded.country) == (TeamKind.LCPC, Country.KG)
    assert (reloaded.region, reloaded.district) == ("KG-C", "Sokuluk")
    assert (reloaded.municipality, reloaded.time_zone) == ("Mirny ayil okmotu", "Asia/Bishkek")
    assert reloaded.registered_on == REGISTERED_ON
    assert reloaded.members == team.members
    assert reloaded.member(chair).left_on == date(2024, 4, 1)
    assert reloaded.members_on(date(2024, 3, 31)) == {chair, newcomer}
    assert record.repository.get(TeamCode.id_for("MIR")).team_id == team.id


def test_given_a_member_who_joined_before_the_public_display_existed_when_reloaded_then_they_show_in_full(team, record):
    # given a version 1 record of a member joining: it had no public display
    member_id = join(team, date(2024, 2, 1))
    (joined,) = team.collect_events()
    stored = record.mapper.to_stored_event(joined)
    state = record.mapper.transcoder.decode(stored.state)
    del state["public_display"], state["class_version"]
    stored_v1 = type(stored)(
        stored.originator_id, stored.originator_version, stored.topic, record.mapper.transcoder.encode(state)
    )
    # when
    upcast = record.mapper.to_domain_event(stored_v1)
    # then
    assert isinstance(upcast, Team.MemberJoined)
    assert (upcast.member_id, upcast.public_display) == (member_id, "full_name")


def test_given_a_team_reloaded_from_a_snapshot_then_its_kind_and_country_are_still_its_vocabularies(record):
    # given a team whose state was snapshotted (the tracker snapshots teams every 50 events)
    team = register_team()
    join(team, JOINED_ON)
    record.save(team)
    record.take_snapshot(team.id)
    # when
    reloaded = record.repository.get(team.id)
    # then
    assert reloaded.members == team.members
    assert reloaded.country.time_zone == "Asia/Bishkek"
    assert reloaded.country is Country.KG
    assert reloaded.kind is TeamKind.LCPC


def test_given_a_member_when_the_same_member_id_joins_again_then_it_is_refused(team, chair_id):
    # given the chair, already a member
    joined_on = team.member(chair_id).joined_on
    # when the same member id is added again
    with pytest.raises(InvalidValue) as refused:
        join(team, date(2024, 5, 1), member_id=chair_id)
    # then it is refused, and the member's history is kept
    assert refused.value.field == "member_id"
    assert team.member(chair_id).joined_on == joined_on


def test_given_a_team_registered_on_a_wrong_date_when_the_date_is_corrected_then_the_team_keeps_the_new_one():
    # given
    team = register_team()
    # when
    team.correct_registration_date(date(2014, 12, 1), reason="v1:sealed", stamp=on(date(2015, 2, 1)))
    # then
    corrected = team.collect_events()[-1]
    assert isinstance(corrected, Team.RegistrationDateCorrected) and corrected.is_correction
    assert (corrected.registered_on, corrected.business_date) == (date(2014, 12, 1), date(2015, 2, 1))
    assert team.registered_on == date(2014, 12, 1)


def test_given_a_team_when_its_registration_date_is_corrected_to_the_same_date_then_it_is_refused():
    team = register_team()
    with pytest.raises(InvalidValue):
        team.correct_registration_date(REGISTERED_ON, reason="v1:sealed", stamp=on(date(2015, 2, 1)))


# Region: a code from the country's list


def test_given_a_region_of_another_country_when_a_team_is_registered_then_it_is_refused():
    with pytest.raises(RegionOfAnotherCountry) as refused:
        register_team(country=Country.KG, region="TJ-SU")
    assert refused.value.field == "region"


def test_given_a_region_not_on_any_list_when_a_team_is_registered_then_it_is_refused():
    with pytest.raises(InvalidValue) as refused:
        register_team(region="Ош облусу")
    assert refused.value.field == "region"


def _registered_before_the_list() -> Team:
    """A team as recorded before regions came from a list: its region written by hand."""
    fields = {"name": "Мирный", "code": "MIR", "kind": "LCPC", "country": "KG", "region": "Ош облусу"}
    place = {"district": "Кара-Суу", "municipality": "Мирный", "time_zone": "Asia/Bishkek"}
    return Team._create(Team.Registered, id=uuid4(), **fields, **place, **on(REGISTERED_ON).fields(uuid4()))


def test_given_a_team_with_a_written_region_when_its_region_is_chosen_then_the_dashboard_can_place_it(only_event):
    # given
    team = _registered_before_the_list()
    assert team.region_code is None
    team.collect_events()
    # when
    team.choose_region(" KG-O ", on(date(2024, 2, 1)))
    # then
    chosen = only_event(team, Team.RegionChosen)
    assert (chosen.region, chosen.business_date) == ("KG-O", date(2024, 2, 1))
    assert team.region_code is Region.KG_OSH and team.district == "Кара-Суу"


def test_given_a_team_in_a_region_when_the_same_region_is_chosen_then_nothing_is_recorded():
    team = register_team(region="KG-C")
    with pytest.raises(RegionUnchanged):
        team.choose_region("KG-C", on(date(2024, 2, 1)))


def test_given_a_kyrgyz_team_when_a_region_of_uzbekistan_is_chosen_then_it_is_refused():
    team = register_team(region="KG-C")
    with pytest.raises(RegionOfAnotherCountry):
        team.choose_region("UZ-FA", on(date(2024, 2, 1)))


def test_every_country_has_its_regions_and_its_capital():
    assert len(regions_of(Country.KG)) == 9 and Region.KG_BISHKEK_CITY in regions_of(Country.KG)
    assert len(regions_of(Country.TJ)) == 5 and Region.TJ_DUSHANBE_CITY in regions_of(Country.TJ)
    assert len(regions_of(Country.UZ)) == 14 and Region.UZ_TASHKENT_CITY in regions_of(Country.UZ)


# Erasure of a member


def test_given_a_member_when_they_are_erased_then_their_name_goes_and_their_sector_and_dates_stay(team, chair_id):
    # given a member who chose to appear by initials and left
    team.change_member_display(chair_id, public_display=PublicDisplay.INITIALS, stamp=on(date(2024, 3, 1)))
    team.remove_member(chair_id, reason="sealed:moved", stamp=on(date(2024, 5, 1)))
    team.collect_events()
    before = team.member(chair_id)
    # when they are erased at their request
    team.erase_member(chair_id, reason=ErasureReason.PERSON_REQUEST, stamp=on(date(2024, 6, 1)))
    # then one event says so, with the reason from the list and no name
    (erased,) = team.collect_events()
    assert isinstance(erased, Team.MemberErased) and erased.is_correction
    assert (erased.member_id, erased.reason_code) == (chair_id, "person_request")
    assert erased.business_date == date(2024, 6, 1)
    # and the team knows them with no name, their role, sector, display and dates as they were
    after = team.member(chair_id)
    assert after.erased and after.name == ""
    assert (after.role, after.sector, after.public_display) == (before.role, before.sector, before.public_display)
    assert (after.joined_on, after.left_on) == (before.joined_on, before.left_on)
    assert chair_id in team.members_on(date(2024, 4, 1))


def test_given_an_erased_member_when_they_are_erased_again_then_it_is_refused(team, chair_id):
    # given
    team.erase_member(chair_id, reason=ErasureReason.COURT_ORDER, stamp=on(date(2024, 6, 1)))
    team.collect_events()
    # when
    with pytest.raises(MemberAlreadyErased) as refused:
        team.erase_member(chair_id, reason=ErasureReason.COURT_ORDER, stamp=on(date(2024, 6, 2)))
    # then
    assert refused.value.field == "member_id" and team.pending_events == []


def test_given_an_erased_member_when_the_team_is_reloaded_from_a_snapshot_then_they_are_still_erased(record):
    # given a team with an erased member, snapshotted
    team = register_team()
    member_id = join(team, JOINED_ON)
    team.erase_member(member_id, reason=ErasureReason.PERSON_REQUEST, stamp=on(date(2024, 6, 1)))
    record.save(team)
    record.take_snapshot(team.id)
    # when
    reloaded = record.repository.get(team.id)
    # then
    assert reloaded.member(member_id).erased and reloaded.member(member_id).name == ""


def test_given_a_version_2_member_joined_with_the_name_in_the_clear_when_reloaded_then_the_name_is_read_as_stored(
    team, record
):
    # given a version 2 record of a member joining: the name in the clear, not sealed
    member_id = join(team, date(2024, 2, 1))
    (joined,) = team.collect_events()
    stored = record.mapper.to_stored_event(joined)
    state = record.mapper.transcoder.decode(stored.state)
    state["class_version"], state["name"] = 2, "Эрмек Сыдыков"
    stored_v2 = type(stored)(
        stored.originator_id, stored.originator_version, stored.topic, record.mapper.transcoder.encode(state)
    )
    # when
    upcast = record.mapper.to_domain_event(stored_v2)
    # then
    assert isinstance(upcast, Team.MemberJoined)
    assert (upcast.member_id, upcast.name) == (member_id, "Эрмек Сыдыков")
