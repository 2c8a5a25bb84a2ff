"""The event catalogue: every event type with its fields, generated from the domain's classes (docs/events.md)."""

from __future__ import annotations

import dataclasses
import inspect

from tracker.domain import AGGREGATES
from tracker.domain.events import TrackedEvent

_LIBRARY_FIELDS = ("originator_id", "originator_version", "timestamp", "originator_topic")
_COMMON_FIELDS = tuple(TrackedEvent.__annotations__)

_FIELD_MEANINGS = {
    "originator_id": "UUID of the aggregate (team, meeting, commitment, ...) the event belongs to",
    "originator_version": "the event's place in its aggregate's history, from 1, without gaps",
    "timestamp": "recorded time: when the event was written, UTC",
    "team_id": "the team the event belongs to (indexed in `event_index`)",
    "business_date": "business time: the local date (team's time zone) the event refers to",
    "recorded_by": "who recorded it: `user:<id>` or `cli:<os user>`",
    "name": "a name as given: a team's in plain text; a member's sealed under the member's key (MemberJoined"
    " version 3; plain text before), public unless the member was erased",
    "registered_on": "the date the team was registered, as corrected",
    "code": "the team's short Latin code, 2 to 8 capitals, unique (e.g. `MIR`), used in commitment references",
    "kind": "`CPPT` or `LCPC` for a team; `regular`, `extraordinary`, `town_meeting` or `exchange` for a meeting;"
    " `campaign`, `meeting_with_at_risk_groups`, `training`, `patrol`, `repair` or `other` for a problem's activity",
    "country": "`KG`, `TJ` or `UZ`",
    "region": "region (oblast / viloyat / viloyat)",
    "district": "district (rayon / tuman / nohiya)",
    "municipality": "municipality (ayil okmotu, jamoat, mahalla, town)",
    "time_zone": "IANA time zone of the team's business dates, from the country unless given",
    "member_id": "UUID of the member within the team",
    "role": "on a team: `chair`, `secretary` or `member`; for a user: `admin`, `secretary`, `member` or `auditor`",
    "sector": "what the member represents: `police`, `local_government`, `elders`, `womens_committee`, "
    "`youth_committee`, `religious_leader`, `school`, `civil_society`, `activist`",
    "gender": "`female` or `male`",
    "age_band": "`under_18`, `18_29`, `30_44`, `45_59` or `60_plus` (the first two count as young people)",
    "public_display": "`full_name`, or `initials` (public reports then show role and initials only)",
    "reason": "why (sealed under the item's key: the team's, the meeting's, the decision's or the problem's)",
    "place": "where the meeting was held: sealed under the meeting's key (Held version 2; plain text before), read"
    " by everyone who reads the meeting, erased with it",
    "attendee_ids": "member ids present (members of the team on the meeting's date)",
    "guests_female": "number of women guests",
    "guests_male": "number of men guests",
    "visiting_team_ids": "for an experience exchange: the teams that took part",
    "agenda": "agenda items, each sealed under the meeting's key",
    "minutes": "the minutes, sealed under the meeting's key",
    "minutes_visibility": "`public`, `team` or `confidential`: who may read the minutes",
    "decision_id": "UUID of a decision of the meeting; also the data key of its commitments' text",
    "text": "the decision's text, sealed under the decision's key",
    "visibility": "`public`, `team` or `confidential`: who may read the item's text",
    "meeting_id": "UUID of the meeting (for a follow-up, a problem or a plan item: the meeting it was reported or"
    " added at, if any)",
    "owner_member_id": "the member who owns the commitment, or null when a body owns it",
    "owner_body": "the named body that owns it (e.g. the ayil okmotu), sealed; null when a member owns it",
    "description": "what was promised, sealed under the decision's key; for a problem's activity, what was done,"
    " sealed under the problem's key",
    "due_on": "the (new) due date",
    "status": "`in_progress`, `kept`, `partly_kept`, `not_kept` or `withdrawn`",
    "note": "what was reported, sealed under the decision's key",
    "item_id": "the erased item: a meeting's id (its minutes and agenda) or a decision's id (with its commitments)",
    "reason_code": "`person_request`, `published_by_mistake` or `court_order`; never free text",
    "username": "the account's login name (unique, case-insensitive); the user's id derives from it",
    "display_name": "the name shown for the account",
    "title": "the problem's name, sealed under the problem's own key (erasable on its own)",
    "category": "`early_marriage`, `domestic_violence` (domestic and gender-based), `extremism` (and radicalisation),"
    " `inter_ethnic_tension`, `youth_conflict`, `extortion_in_schools`, `drugs`, `theft`, `road_safety`,"
    " `street_lighting` or `other`",
    "where": "the village or mahalla of the problem, sealed under the problem's key; null when not given",
    "raised_by_member_id": "the member who raised the problem, or null",
    "raised_by": "who raised it when not a member (a committee, residents), sealed under the problem's key",
    "first_noticed_on": "when the problem was first noticed, if known (not after it was reported)",
    "offender": "analysis triangle: who causes the harm, sealed under the problem's key",
    "victim": "analysis triangle: who suffers it, sealed under the problem's key",
    "location": "analysis triangle: where and when it happens, sealed under the problem's key",
    "sources": "where the analysis comes from: `residents_survey`, `police_data`, `school`, `elders`, `other`",
    "notes": "the analysis's notes, sealed under the problem's key",
    "stage": "SARA stage: `scanning`, `analysis`, `response` or `assessment`",
    "commitment_id": "UUID of a commitment of the same team in the problem's action plan",
    "weight": "the commitment's weight in the plan's progress, 1 to 100 (1 unless given)",
    "activity_id": "UUID of the activity",
    "line_id": "UUID of the funding line",
    "source": "where the money comes from: `local_budget`, `donor_grant`, `ngo`, `community` or `none`",
    "funder": "the funder's name, sealed under the problem's key; null when not given",
    "amount": "a decimal string, 0 or more, at most two decimal places, in `currency`; never converted",
    "currency": "`KGS`, `TJS`, `UZS`, `USD` or `EUR`",
    "state": "`committed` or `received`",
    "measures": "each: `what` (sealed under the problem's key), `before` and `after` (decimal strings),"
    " `before_period`, `after_period` (plain, e.g. `2014`) and `source` (as in `sources`)",
    "conclusion": "`solved`, `reduced`, `displaced`, `unchanged` or `worse`",
    "review_on": "when to look at the problem again, or null",
    "command": "the use case that was recorded under the idempotency key",
    "result": "the ids the first recording answered, given again to any repeat of the key",
    "digest": "HMAC-SHA256 of the command's input under a key derived from the master key (none before version 2):"
    " a repeat of the key with other content is refused",
}


def event_classes() -> list[type[TrackedEvent]]:
    classes = []
    for aggregate in AGGREGATES:
        for name, value in vars(aggregate).items():
            if (
                isinstance(value, type)
                and issubclass(value, TrackedEvent)
                and name not in ("Event", "Created")
                and value.__qualname__ == f"{aggregate.__name__}.{name}"
            ):
                classes.append(value)
    return classes


def render_catalogue() -> str:
    lines = [
        "# Event catalogue",
        "",
        "Generated by `tracker events catalogue` from `tracker/domain/`; a test fails when this file is stale.",
        "Events are immutable facts, named in the past tense. A field typed `Sealed` holds free text encrypted",
        "under its item's data key (`v1:<key id>:<base64 nonce+ciphertext>`); dates are ISO `YYYY-MM-DD`.",
        "",
        "## Fields every event carries",
        "",
        "| field | meaning |",
        "| --- | --- |",
    ]
    lines += [f"| `{name}` | {_FIELD_MEANINGS[name]} |" for name in (*_LIBRARY_FIELDS[:3], *_COMMON_FIELDS)]
    lines += [
        "",
        "Events marked *correction* change what was recorded before rather than report something new; reports",
        "show them as corrections and apply them whatever the as-of date.",
    ]
    for cls in event_classes():
        lines += ["", f"## `{cls.__qualname__}`", ""]
        version = getattr(cls, "class_version", 1)
        tags = [f"version {version}", f"topic `{cls.__module__}:{cls.__qualname__}`"]
        if cls.is_correction:
            tags.append("*correction*")
        lines += [inspect.getdoc(cls) or "", "", " · ".join(tags), ""]
        own_fields = [
            field
            for field in dataclasses.fields(cls)
            if field.name not in _LIBRARY_FIELDS and field.name not in _COMMON_FIELDS
        ]
        if own_fields:
            lines += ["| field | type | meaning |", "| --- | --- | --- |"]
            lines += [f"| `{field.name}` | `{field.type}` | {_FIELD_MEANINGS[field.name]} |" for field in own_fields]
        else:
            lines.append("No fields beyond the common ones.")
    return "\n".join(lines) + "\n"
