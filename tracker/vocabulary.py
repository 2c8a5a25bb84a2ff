"""The domain's vocabularies as people read them: an English label for each value, translated where it is shown.

Forms' choices, the API's validators and the templates' `label` filter all derive from the enums in
`tracker.domain.values`: a value added there appears everywhere; give it a label here (else its value shows).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from tracker.domain.values import (
    ActivityKind,
    AgeBand,
    AnalysisSource,
    CommitmentStatus,
    Conclusion,
    Country,
    ErasureReason,
    FundingSource,
    FundingState,
    Gender,
    MeetingKind,
    ProblemCategory,
    PublicDisplay,
    Region,
    Role,
    SaraStage,
    Sector,
    TeamKind,
    UserRole,
    Visibility,
)
from tracker.projections.types import Erased


def N_(message: str) -> str:
    """Mark a label for extraction (`pybabel extract -k N_`); it is translated where it is shown."""
    return message


LABELS: dict[type[StrEnum], dict[str, str]] = {
    TeamKind: {"CPPT": "CPPT", "LCPC": "LCPC"},
    Country: {"KG": N_("Kyrgyzstan"), "TJ": N_("Tajikistan"), "UZ": N_("Uzbekistan")},
    Role: {"member": N_("Member"), "chair": N_("Chair"), "secretary": N_("Secretary")},
    Sector: {
        "police": N_("Police"),
        "local_government": N_("Local government"),
        "elders": N_("Elders' court"),
        "womens_committee": N_("Women's committee"),
        "youth_committee": N_("Youth committee"),
        "religious_leader": N_("Religious leader"),
        "school": N_("School"),
        "civil_society": N_("Civil society"),
        "activist": N_("Community activist"),
    },
    Gender: {"female": N_("Woman"), "male": N_("Man")},
    AgeBand: {
        "under_18": N_("Under 18"),
        "18_29": "18–29",
        "30_44": "30–44",
        "45_59": "45–59",
        "60_plus": N_("60 and over"),
    },
    PublicDisplay: {"full_name": N_("Full name"), "initials": N_("Role and initials only")},
    UserRole: {
        "secretary": N_("Secretary"),
        "member": N_("Member"),
        "auditor": N_("Auditor"),
        "admin": N_("Administrator"),
    },
    MeetingKind: {
        "regular": N_("Regular"),
        "extraordinary": N_("Extraordinary"),
        "town_meeting": N_("Town meeting"),
        "exchange": N_("Experience exchange"),
    },
    Visibility: {"public": N_("Public"), "team": N_("Team only"), "confidential": N_("Confidential")},
    ErasureReason: {
        "person_request": N_("A person named in it asked"),
        "published_by_mistake": N_("Published by mistake"),
        "court_order": N_("Court order"),
    },
    CommitmentStatus: {
        "open": N_("Open"),
        "in_progress": N_("In progress"),
        "kept": N_("Kept"),
        "partly_kept": N_("Partly kept"),
        "not_kept": N_("Not kept"),
        "withdrawn": N_("Withdrawn"),
    },
    ProblemCategory: {
        "early_marriage": N_("Early marriage"),
        "domestic_violence": N_("Domestic and gender-based violence"),
        "extremism": N_("Extremism and radicalisation"),
        "inter_ethnic_tension": N_("Inter-ethnic tension"),
        "youth_conflict": N_("Conflict between young people"),
        "extortion_in_schools": N_("Extortion in schools"),
        "drugs": N_("Drugs"),
        "theft": N_("Theft"),
        "road_safety": N_("Road safety"),
        "street_lighting": N_("Street lighting"),
        "other": N_("Other"),
    },
    SaraStage: {
        "scanning": N_("Scanning"),
        "analysis": N_("Analysis"),
        "response": N_("Response"),
        "assessment": N_("Assessment"),
    },
    ActivityKind: {
        "campaign": N_("Campaign"),
        "meeting_with_at_risk_groups": N_("Meeting with at-risk groups"),
        "training": N_("Training"),
        "patrol": N_("Patrol"),
        "repair": N_("Repair"),
        "other": N_("Other"),
    },
    FundingSource: {
        "local_budget": N_("Local budget"),
        "donor_grant": N_("Donor grant"),
        "ngo": N_("NGO"),
        "community": N_("Community"),
        "none": N_("No funding"),
    },
    FundingState: {"committed": N_("Committed"), "received": N_("Received")},
    Conclusion: {
        "solved": N_("Solved"),
        "reduced": N_("Reduced"),
        "displaced": N_("Displaced"),
        "unchanged": N_("Unchanged"),
        "worse": N_("Worse"),
    },
    Region: {
        "KG-B": N_("Batken Region"),
        "KG-C": N_("Chüy Region"),
        "KG-Y": N_("Issyk-Kul Region"),
        "KG-J": N_("Jalal-Abad Region"),
        "KG-N": N_("Naryn Region"),
        "KG-O": N_("Osh Region"),
        "KG-T": N_("Talas Region"),
        "KG-GB": N_("Bishkek (city)"),
        "KG-GO": N_("Osh (city)"),
        "TJ-SU": N_("Sughd Region"),
        "TJ-KT": N_("Khatlon Region"),
        "TJ-GB": N_("Gorno-Badakhshan Autonomous Region"),
        "TJ-RA": N_("Districts of Republican Subordination"),
        "TJ-DU": N_("Dushanbe (city)"),
        "UZ-AN": N_("Andijan Region"),
        "UZ-BU": N_("Bukhara Region"),
        "UZ-FA": N_("Fergana Region"),
        "UZ-JI": N_("Jizzakh Region"),
        "UZ-QA": N_("Kashkadarya Region"),
        "UZ-XO": N_("Khorezm Region"),
        "UZ-NG": N_("Namangan Region"),
        "UZ-NW": N_("Navoiy Region"),
        "UZ-SA": N_("Samarkand Region"),
        "UZ-SI": N_("Sirdaryo Region"),
        "UZ-SU": N_("Surkhandarya Region"),
        "UZ-TO": N_("Tashkent Region"),
        "UZ-QR": N_("Republic of Karakalpakstan"),
        "UZ-TK": N_("Tashkent (city)"),
    },
    AnalysisSource: {
        "residents_survey": N_("Residents' survey"),
        "police_data": N_("Police data"),
        "school": N_("School"),
        "elders": N_("Elders"),
        "other": N_("Other"),
    },
}

PROBLEM_WORDS: dict[str, type[StrEnum]] = {
    "category": ProblemCategory,
    "stage": SaraStage,
    "activity": ActivityKind,
    "source": FundingSource,
    "state": FundingState,
    "conclusion": Conclusion,
    "evidence": AnalysisSource,
}


def values(vocabulary: type[StrEnum]) -> list[str]:
    return [member.value for member in vocabulary]


def labelled(vocabulary: type[StrEnum]) -> list[tuple[str, str]]:
    """Every value of a vocabulary with its English label, in the enum's order."""
    labels = LABELS.get(vocabulary, {})
    return [(member.value, labels.get(member.value, member.value)) for member in vocabulary]


ERASED_WORDS = {"member": N_("erased member"), "place": N_("erased")}
"""What stands in, in the reader's language, for a text that was erased (tracker.projections.types.Erased)."""


def shown_erased(value: object, translate: Callable[[str], str]) -> object:
    """Jinja's `finalize` for every printed value: an erased name or place as its word, anything else as it is."""
    if isinstance(value, Erased):
        return translate(ERASED_WORDS[value.kind])
    return value


def region_name(value: str, translate: Callable[[str], str]) -> str:
    """A region from the list in the reader's language (through `translate`); a region written by hand (a team
    registered before the list) as it was written."""
    return translate(LABELS[Region][value]) if value in LABELS[Region] else value


def label_of(value: str, *vocabularies: type[StrEnum]) -> str:
    """The English label of a value from the first of `vocabularies` that has it (the value itself if none)."""
    for vocabulary in vocabularies:
        if value in LABELS.get(vocabulary, {}):
            return LABELS[vocabulary][value]
    return value
