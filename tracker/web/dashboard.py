"""The dashboard blueprint, for donors and ministries (public, no login): teams, meetings, promises kept on time,
problems, plan progress, funding and participation, for all countries or a country, region or district, with a
drill-down to each team, a history per quarter, and both as CSV; now, or as of a past day (`?as_of=`)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _

from tracker.documents.dashboard import dashboard_csv, quarters_csv
from tracker.domain.values import Country
from tracker.queries.dashboard import CATEGORIES, NO_REGION, STAGES, DashboardView, Row, Scope, UnknownArea, dashboard
from tracker.vocabulary import label_of, region_name
from tracker.web.params import a_date
from tracker.web.services import services

blueprint = Blueprint("dashboard", __name__)


@blueprint.get("/dashboard")
def page() -> str:
    view = _view()
    return render_template(
        "dashboard/dashboard.html",
        view=view,
        name_of=_name_of(view),
        scope_args=_args(view),
        area_args=_args(view, as_of=False),
        child_args=lambda row: _child_args(view, row),
        crumbs=_crumbs(view),
        here=_here(view.scope),
        categories=CATEGORIES,
        stages=STAGES,
    )


@blueprint.get("/dashboard.csv")
def areas_csv() -> Response:
    view = _view()
    return _download(dashboard_csv(view, _name_of(view)), "dashboard", view)


@blueprint.get("/dashboard/quarters.csv")
def history_csv() -> Response:
    view = _view()
    return _download(quarters_csv(view), "dashboard-quarters", view)


def _view() -> DashboardView:
    as_of = a_date(request.args.get("as_of"), "as_of")
    try:
        scope = Scope.parse(request.args.get("country"), request.args.get("region"), request.args.get("district"))
        with services().engine.connect() as conn:
            return dashboard(conn, scope, as_of)
    except UnknownArea:
        abort(404)


def _download(body: bytes, name: str, view: DashboardView) -> Response:
    if view.as_of is not None:
        name = f"{name}-{view.as_of.isoformat()}"
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def _name_of(view: DashboardView) -> Any:
    level = view.scope.level

    def name(row: Row) -> str:
        if level == "countries":
            return _(label_of(row.key, Country))
        if level == "regions":
            return _region(row.key)
        return row.name or row.key

    return name


def _args(view: DashboardView, scope: Scope | None = None, as_of: bool = True) -> dict[str, str]:
    """A URL's parameters for the scope (the view's unless given), and the view's day unless `as_of` is false."""
    scope = scope if scope is not None else view.scope
    args = {"country": scope.country, "region": scope.region, "district": scope.district}
    if scope.region == "":
        args["region"] = NO_REGION
    if as_of and view.as_of is not None:
        args["as_of"] = view.as_of.isoformat()
    return {name: value for name, value in args.items() if value is not None}


def _child_args(view: DashboardView, row: Row) -> dict[str, str] | None:
    """The drill-down from a row: the area one level below (a team's row links to the team's page instead)."""
    level = view.scope.level
    if level == "teams":
        return None
    child = {"countries": "country", "regions": "region", "districts": "district"}[level]
    value = row.key if row.key or level != "regions" else NO_REGION
    return _args(view) | {child: value}


def _crumbs(view: DashboardView) -> list[tuple[str, dict[str, str]]]:
    """The way back up: the areas above the one shown, each a link (names in the reader's language)."""
    scope = view.scope
    crumbs: list[tuple[str, dict[str, str]]] = []
    if scope.country is not None:
        crumbs.append((_("All countries"), _args(view, Scope())))
    if scope.region is not None:
        crumbs.append((_(label_of(scope.country or "", Country)), _args(view, Scope(scope.country))))
    if scope.district is not None:
        crumbs.append((_region(scope.region or ""), _args(view, Scope(scope.country, scope.region))))
    return crumbs


def _here(scope: Scope) -> str:
    """The name of the area shown."""
    if scope.district is not None:
        return scope.district
    if scope.region is not None:
        return _region(scope.region)
    return _(label_of(scope.country, Country)) if scope.country is not None else _("All countries")


def _region(region: str) -> str:
    return region_name(region, _) if region else _("Region not chosen yet")
