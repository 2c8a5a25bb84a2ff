"""The vocabularies: parsing raw values, closed statuses, and team codes derived from names in every script."""

from __future__ import annotations

import pytest

from tracker.domain.errors import InvalidValue
from tracker.domain.values import (
    FOLLOW_UP_STATUSES,
    AgeBand,
    CommitmentStatus,
    Country,
    ErasureReason,
    Gender,
    MeetingKind,
    PublicDisplay,
    Role,
    Sector,
    TeamKind,
    Visibility,
    derive_team_code,
    parse,
)


def test_given_a_known_value_when_it_is_parsed_then_it_becomes_the_vocabulary_member():
    # when
    visibility = parse(Visibility, "confidential", "visibility")
    # then
    assert visibility is Visibility.CONFIDENTIAL


@pytest.mark.parametrize(
    ("vocabulary", "value", "field"),
    [
        (TeamKind, "NGO", "kind"),
        (Country, "KZ", "country"),
        (Role, "treasurer", "role"),
        (Sector, "army", "sector"),
        (Gender, "", "gender"),
        (AgeBand, "70_plus", "age_band"),
        (PublicDisplay, "nickname", "public_display"),
        (MeetingKind, "party", "kind"),
        (Visibility, "secret", "minutes_visibility"),
        (CommitmentStatus, "broken", "status"),
        (ErasureReason, "no reason", "reason"),
        (Visibility, "TEAM", "visibility"),
        (Visibility, ["team"], "visibility"),
        (Visibility, None, "decisions[0].visibility"),
    ],
)
def test_given_an_unknown_value_when_it_is_parsed_then_it_is_refused_naming_the_field(vocabulary, value, field):
    # when
    with pytest.raises(InvalidValue) as refused:
        parse(vocabulary, value, field)
    # then
    assert refused.value.field == field
    assert repr(value) in refused.value.message
    assert all(member.value in refused.value.message for member in vocabulary)


@pytest.mark.parametrize(
    ("status", "closed"),
    [
        (CommitmentStatus.OPEN, False),
        (CommitmentStatus.IN_PROGRESS, False),
        (CommitmentStatus.KEPT, True),
        (CommitmentStatus.PARTLY_KEPT, True),
        (CommitmentStatus.NOT_KEPT, True),
        (CommitmentStatus.WITHDRAWN, True),
    ],
)
def test_given_a_status_then_kept_partly_kept_not_kept_and_withdrawn_close_a_commitment(status, closed):
    assert status.is_closed is closed


def test_given_the_follow_up_statuses_then_every_status_but_open_can_be_reported():
    assert set(CommitmentStatus) - FOLLOW_UP_STATUSES == {CommitmentStatus.OPEN}


@pytest.mark.parametrize(
    ("country", "time_zone"),
    [(Country.KG, "Asia/Bishkek"), (Country.TJ, "Asia/Dushanbe"), (Country.UZ, "Asia/Tashkent")],
)
def test_given_a_country_then_its_business_dates_are_in_its_time_zone(country, time_zone):
    assert country.time_zone == time_zone


def test_given_the_age_bands_then_only_those_under_30_count_as_young_people():
    assert {band for band in AgeBand if band.is_young} == {AgeBand.UNDER_18, AgeBand.FROM_18_TO_29}


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # Russian and Kyrgyz Cyrillic
        ("Мирный", "MIR"),
        ("Ош шаары", "OSH"),
        ("Жалал-Абад", "ZHA"),
        ("Өзгөн", "OZG"),
        ("Үч-Коргон", "UCH"),
        ("Ак-Суу", "AKS"),
        ("Хорог", "KHO"),
        # Tajik Cyrillic
        ("Ҷиликӯл", "JIL"),
        ("Ғафуров", "GAF"),
        ("Қубодиён", "QUB"),
        ("Ҳисор", "HIS"),
        ("Ӯротеппа", "URO"),
        ("Ӣсфара", "ISF"),
        # Latin, including Uzbek oʻ and gʻ
        ("Osh", "OSH"),
        ("kara-suu", "KAR"),
        ("Gʻijduvon", "GIJ"),
        ("Qoʻqon", "QOQ"),
        # a name shorter than three letters is padded
        ("Ай", "AIX"),
    ],
)
def test_given_a_team_name_when_a_code_is_derived_then_it_is_three_latin_capitals(name, code):
    assert derive_team_code(name) == code


@pytest.mark.parametrize("name", ["", "   ", "12 / 3"])
def test_given_a_name_without_letters_when_a_code_is_derived_then_it_is_refused(name):
    with pytest.raises(InvalidValue) as refused:
        derive_team_code(name)
    assert refused.value.field == "name"
