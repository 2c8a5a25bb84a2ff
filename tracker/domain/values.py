"""The domain's vocabularies: kinds, countries, roles, sectors, statuses and visibility."""

from __future__ import annotations

import re
from enum import StrEnum

from tracker.domain.errors import InvalidValue, RegionOfAnotherCountry


class TeamKind(StrEnum):
    CPPT = "CPPT"
    LCPC = "LCPC"


class Country(StrEnum):
    KG = "KG"
    TJ = "TJ"
    UZ = "UZ"

    @property
    def time_zone(self) -> str:
        return {"KG": "Asia/Bishkek", "TJ": "Asia/Dushanbe", "UZ": "Asia/Tashkent"}[self.value]


class Role(StrEnum):
    CHAIR = "chair"
    SECRETARY = "secretary"
    MEMBER = "member"


class Sector(StrEnum):
    POLICE = "police"
    LOCAL_GOVERNMENT = "local_government"
    ELDERS = "elders"
    WOMENS_COMMITTEE = "womens_committee"
    YOUTH_COMMITTEE = "youth_committee"
    RELIGIOUS_LEADER = "religious_leader"
    SCHOOL = "school"
    CIVIL_SOCIETY = "civil_society"
    ACTIVIST = "activist"


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"


class AgeBand(StrEnum):
    UNDER_18 = "under_18"
    FROM_18_TO_29 = "18_29"
    FROM_30_TO_44 = "30_44"
    FROM_45_TO_59 = "45_59"
    FROM_60 = "60_plus"

    @property
    def is_young(self) -> bool:
        return self in (AgeBand.UNDER_18, AgeBand.FROM_18_TO_29)


class PublicDisplay(StrEnum):
    FULL_NAME = "full_name"
    INITIALS = "initials"


class UserRole(StrEnum):
    ADMIN = "admin"
    SECRETARY = "secretary"
    MEMBER = "member"
    AUDITOR = "auditor"


class MeetingKind(StrEnum):
    REGULAR = "regular"
    EXTRAORDINARY = "extraordinary"
    TOWN_MEETING = "town_meeting"
    EXCHANGE = "exchange"


class Visibility(StrEnum):
    PUBLIC = "public"
    TEAM = "team"
    CONFIDENTIAL = "confidential"


class ErasureReason(StrEnum):
    """Why an item's text was destroyed: a fixed list, so a reason never repeats what was erased."""

    PERSON_REQUEST = "person_request"
    PUBLISHED_BY_MISTAKE = "published_by_mistake"
    COURT_ORDER = "court_order"


class CommitmentStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    KEPT = "kept"
    PARTLY_KEPT = "partly_kept"
    NOT_KEPT = "not_kept"
    WITHDRAWN = "withdrawn"

    @property
    def is_closed(self) -> bool:
        return self in CLOSED_STATUSES


CLOSED_STATUSES = frozenset(
    {CommitmentStatus.KEPT, CommitmentStatus.PARTLY_KEPT, CommitmentStatus.NOT_KEPT, CommitmentStatus.WITHDRAWN}
)
FOLLOW_UP_STATUSES = frozenset(set(CommitmentStatus) - {CommitmentStatus.OPEN})


class ProblemCategory(StrEnum):
    EARLY_MARRIAGE = "early_marriage"
    DOMESTIC_VIOLENCE = "domestic_violence"  # domestic and gender-based violence
    EXTREMISM = "extremism"  # extremism and radicalisation
    INTER_ETHNIC_TENSION = "inter_ethnic_tension"
    YOUTH_CONFLICT = "youth_conflict"
    EXTORTION_IN_SCHOOLS = "extortion_in_schools"
    DRUGS = "drugs"
    THEFT = "theft"
    ROAD_SAFETY = "road_safety"
    STREET_LIGHTING = "street_lighting"
    OTHER = "other"


class SaraStage(StrEnum):
    """Where a problem stands in the SARA cycle, in order."""

    SCANNING = "scanning"
    ANALYSIS = "analysis"
    RESPONSE = "response"
    ASSESSMENT = "assessment"

    @property
    def order(self) -> int:
        return list(SaraStage).index(self)


class AnalysisSource(StrEnum):
    RESIDENTS_SURVEY = "residents_survey"
    POLICE_DATA = "police_data"
    SCHOOL = "school"
    ELDERS = "elders"
    OTHER = "other"


class ActivityKind(StrEnum):
    CAMPAIGN = "campaign"
    MEETING_WITH_AT_RISK_GROUPS = "meeting_with_at_risk_groups"
    TRAINING = "training"
    PATROL = "patrol"
    REPAIR = "repair"
    OTHER = "other"


class FundingSource(StrEnum):
    LOCAL_BUDGET = "local_budget"
    DONOR_GRANT = "donor_grant"
    NGO = "ngo"
    COMMUNITY = "community"
    NONE = "none"


class Currency(StrEnum):
    KGS = "KGS"
    TJS = "TJS"
    UZS = "UZS"
    USD = "USD"
    EUR = "EUR"


class FundingState(StrEnum):
    COMMITTED = "committed"
    RECEIVED = "received"


class Conclusion(StrEnum):
    """What an assessment found: modelled on problem-oriented policing's outcomes."""

    SOLVED = "solved"
    REDUCED = "reduced"
    DISPLACED = "displaced"
    UNCHANGED = "unchanged"
    WORSE = "worse"


class Region(StrEnum):
    """The first-level divisions a team belongs to, by their ISO 3166-2 codes: the oblasts of Kyrgyzstan and the
    viloyats of Tajikistan and Uzbekistan, with the capital cities (and Osh, a city of republican status)."""

    KG_BATKEN = "KG-B"
    KG_CHUY = "KG-C"
    KG_ISSYK_KUL = "KG-Y"
    KG_JALAL_ABAD = "KG-J"
    KG_NARYN = "KG-N"
    KG_OSH = "KG-O"
    KG_TALAS = "KG-T"
    KG_BISHKEK_CITY = "KG-GB"
    KG_OSH_CITY = "KG-GO"
    TJ_SUGHD = "TJ-SU"
    TJ_KHATLON = "TJ-KT"
    TJ_GORNO_BADAKHSHAN = "TJ-GB"
    TJ_REPUBLICAN_SUBORDINATION = "TJ-RA"
    TJ_DUSHANBE_CITY = "TJ-DU"
    UZ_ANDIJAN = "UZ-AN"
    UZ_BUKHARA = "UZ-BU"
    UZ_FERGANA = "UZ-FA"
    UZ_JIZZAKH = "UZ-JI"
    UZ_KASHKADARYA = "UZ-QA"
    UZ_KHOREZM = "UZ-XO"
    UZ_NAMANGAN = "UZ-NG"
    UZ_NAVOIY = "UZ-NW"
    UZ_SAMARKAND = "UZ-SA"
    UZ_SIRDARYO = "UZ-SI"
    UZ_SURKHANDARYA = "UZ-SU"
    UZ_TASHKENT = "UZ-TO"
    UZ_KARAKALPAKSTAN = "UZ-QR"
    UZ_TASHKENT_CITY = "UZ-TK"

    @property
    def country(self) -> Country:
        return Country(self.value[:2])


def regions_of(country: Country) -> list[Region]:
    """A country's regions in the order of the list above (the capital last)."""
    return [region for region in Region if region.country is country]


def region_of(country: Country, value: object) -> Region:
    """The region a value names in a country, or InvalidValue on the field `region`."""
    region = parse(Region, value.strip() if isinstance(value, str) else value, "region")
    if region.country is not country:
        raise RegionOfAnotherCountry("region", f"{value!r} is not a region of {country.value}")
    return region


def parse(vocabulary: type[StrEnum], value: object, field: str) -> StrEnum:
    """Turn a raw value into a member of a vocabulary, or raise InvalidValue naming the field."""
    try:
        return vocabulary(value)
    except ValueError:
        allowed = ", ".join(member.value for member in vocabulary)
        raise InvalidValue(field, f"{value!r} is not one of: {allowed}") from None


_CYRILLIC_TO_LATIN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяңөүғӣқҳҷӯ",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
            "n",
            "o",
            "u",
            "g",
            "i",
            "q",
            "h",
            "j",
            "u",
        ],
        strict=True,
    )
)


def derive_team_code(name: str) -> str:
    """A short Latin code from a team's name: the first three letters of its first word (Mirny -> MIR)."""
    latin = "".join(_CYRILLIC_TO_LATIN.get(ch, ch) for ch in name.lower())
    words = re.findall(r"[a-z]+", latin)
    if not words:
        raise InvalidValue("name", "a team name needs at least one letter")
    letters = words[0] if len(words[0]) >= 3 or len(words) == 1 else "".join(words)
    return letters[:3].upper().ljust(3, "X")


TEAM_CODE_PATTERN = re.compile(r"^[A-Z]{2,8}$")
