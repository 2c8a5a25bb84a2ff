"""The secretary's pages for problems (routes of the secretary blueprint): a team's board, reporting a problem, and
working it through the SARA cycle: analysis, stages, the action plan, activities, funding, assessment, reopening."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from tracker.application.drafts import MeasureDraft
from tracker.domain.errors import DomainError, IdempotencyKeyReused
from tracker.projections.problems import team_of_problem
from tracker.queries.commitments import commitment_lines, still_open
from tracker.queries.problems import problem_page, problem_views
from tracker.web.drafts import ALREADY_OTHER, forget_key, kept_form, note_recorded
from tracker.web.errors import attach
from tracker.web.forms import (
    NO_CHOICE,
    ActivityForm,
    AnalysisForm,
    AssessmentForm,
    FundingForm,
    PlanItemForm,
    ProblemForm,
    ReopenProblemForm,
    StageForm,
)
from tracker.web.guards import require_secretary_of, team_or_404
from tracker.web.members import member_choices
from tracker.web.offline import reading_viewer
from tracker.web.secretary import _status, blueprint
from tracker.web.services import services

NEXT_STAGE = {"scanning": "analysis", "analysis": "response", "response": "assessment"}
FORMS: dict[str, tuple[type[Any], str]] = {  # each action's form, and the command it runs
    "analysis": (AnalysisForm, "amend_problem_analysis"),
    "stage": (StageForm, "change_problem_stage"),
    "plan": (PlanItemForm, "add_plan_item"),
    "activity": (ActivityForm, "record_problem_activity"),
    "funding": (FundingForm, "add_funding_line"),
    "assessment": (AssessmentForm, "assess_problem"),
    "reopen": (ReopenProblemForm, "reopen_problem"),
}


@blueprint.get("/teams/<uuid:team_id>/problems")
def problems(team_id: UUID) -> str:
    require_secretary_of(team_id)
    team = team_or_404(team_id)
    with services().engine.connect() as conn:
        today = services().app.today_for(team_id)
        views = problem_views(conn, services().reader, reading_viewer(), request.path, team_id, as_of=today)
    stages = ["scanning", "analysis", "response", "assessment"]
    return render_template("secretary/problems.html", team=team, views=views, stages=stages)


@blueprint.route("/teams/<uuid:team_id>/problems/new", methods=["GET", "POST"])
def report_problem(team_id: UUID) -> Any:
    require_secretary_of(team_id)
    form = ProblemForm()
    if request.method == "GET":
        kept = kept_form(request.path)
        form = ProblemForm(formdata=kept) if kept is not None else ProblemForm(formdata=None)
        if kept is None:
            form.idempotency_key.data = uuid4().hex
            form.on.data = services().app.today_for(team_id)
    form.raised_by_member_id.choices = member_choices(team_id)
    if request.method == "POST" and form.validate_on_submit():
        try:
            problem_id = services().app.report_problem(
                team_id,
                **form.command_values(),
                by=current_user.recorder,
                idempotency_key=form.idempotency_key.data or None,
            )
        except IdempotencyKeyReused:
            forget_key(form)
            flash(ALREADY_OTHER)
            return redirect(url_for(".problems", team_id=team_id))
        except DomainError as error:
            attach(form, error)
        else:
            flash(_("The problem was reported."))
            note_recorded(url_for(".problem", problem_id=problem_id))
            return redirect(url_for(".problem", problem_id=problem_id))
    return render_template("secretary/problem_form.html", team=team_or_404(team_id), form=form), _status(form)


@blueprint.get("/problems/<uuid:problem_id>")
def problem(problem_id: UUID) -> str:
    return _problem_page(problem_id, _team(problem_id))


def work_on_problem(problem_id: UUID, action: str) -> Any:
    """One of the problem page's forms: run its command, then back to the page; or the page with its messages."""
    team_id = _team(problem_id)
    form_class, command = FORMS[action]
    form = form_class(prefix=action)  # several forms on one page: each field's name and id carry its form's
    _offer(form, team_id)
    if form.validate_on_submit():
        try:
            getattr(services().app, command)(
                problem_id,
                **VALUES.get(action, _plain)(form),
                by=current_user.recorder,
                idempotency_key=form.idempotency_key.data or None,
            )
        except IdempotencyKeyReused:
            forget_key(form)
            flash(ALREADY_OTHER)
            return redirect(url_for(".problem", problem_id=problem_id))
        except DomainError as error:
            attach(form, error, {"measures": "what"})
        else:
            flash(_("Recorded."))
            note_recorded(url_for(".problem", problem_id=problem_id))
            return redirect(url_for(".problem", problem_id=problem_id))
    return _problem_page(problem_id, team_id, **{action: form}), 422


def _view_of(action: str) -> Callable[[UUID], Any]:
    def view(problem_id: UUID) -> Any:
        return work_on_problem(problem_id, action)

    view.__name__ = f"problem_{action}"
    return view


for _action in FORMS:  # one route per form: POST /secretary/problems/<id>/stage, .../plan, ...
    blueprint.add_url_rule(f"/problems/<uuid:problem_id>/{_action}", view_func=_view_of(_action), methods=["POST"])


def _plain(form: Any) -> dict[str, Any]:
    return form.command_values()


def _assessment(form: Any) -> dict[str, Any]:
    values = form.command_values()
    parts = [values.pop(name) for name in ("what", "before", "after", "before_period", "after_period", "source")]
    measures = [MeasureDraft(*(part or "" for part in parts))] if parts[0] else []
    return {**values, "measures": measures}


VALUES: dict[str, Callable[[Any], dict[str, Any]]] = {"assessment": _assessment}


def _team(problem_id: UUID) -> UUID:
    with services().engine.connect() as conn:
        team = team_of_problem(conn, problem_id.hex)
    if team is None:
        abort(404)
    team_id = UUID(team)
    require_secretary_of(team_id)
    return team_id


def _offer(form: Any, team_id: UUID) -> None:
    if isinstance(form, PlanItemForm):
        form.commitment_id.choices = [NO_CHOICE, *_open_commitments(team_id)]


def _open_commitments(team_id: UUID) -> list[SelectChoice]:
    team, today = team_or_404(team_id), services().app.today_for(team_id)
    with services().engine.connect() as conn:
        rows = still_open(conn, team_id, today)
    lines = commitment_lines(services().reader, reading_viewer(), request.path, team_id, team.code, rows, today)
    return [
        SelectChoice(line.row.commitment_id, f"{line.reference}: {(line.description.value or '')[:60]}")
        for line in lines
    ]


def _problem_page(problem_id: UUID, team_id: UUID, **posted: Any) -> str:
    team, today = team_or_404(team_id), services().app.today_for(team_id)
    with services().engine.connect() as conn:
        shown = problem_page(conn, services().reader, reading_viewer(), request.path, team, problem_id.hex, today)
    if shown is None:
        abort(404)
    forms = {}
    for action, (form_class, _command) in FORMS.items():
        form = posted.get(action)
        if form is None:
            path = url_for(f".problem_{action}", problem_id=problem_id)
            kept = kept_form(path)
            form = form_class(formdata=kept, prefix=action) if kept else form_class(formdata=None, prefix=action)
            if kept is None:
                form.idempotency_key.data = uuid4().hex
                form.on.data = today
                if action == "stage":  # the usual move: on to the next stage
                    form.stage.data = NEXT_STAGE.get(shown.view.line.stage, shown.view.line.stage)
        _offer(form, team_id)
        forms[action] = form
    return render_template(
        "secretary/problem.html", team=team, page=shown, view=shown.view, commitments=shown.commitments, forms=forms
    )
