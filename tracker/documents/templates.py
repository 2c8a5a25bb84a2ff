"""The documents' own Jinja environment: the site's templates, our Babel catalogues, dates in the reader's locale."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, select_autoescape

from tracker.domain.values import Country, MeetingKind, Role, Sector
from tracker.vocabulary import PROBLEM_WORDS, label_of, region_name, shown_erased

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
TRANSLATIONS = ROOT / "translations"
STATIC = ROOT / "static"
LANGUAGES = ("en", "ru", "ky", "tg", "uz_Latn")


@cache
def translations(language: str) -> NullTranslations:
    if language == "en":
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [language])


@cache
def environment(language: str) -> Environment:
    """One environment per language: the same templates the web uses, translated by the same catalogues."""
    if language not in LANGUAGES:
        raise ValueError(f"no documents in {language!r}: one of {', '.join(LANGUAGES)}")
    catalogue = translations(language)
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(),
        extensions=["jinja2.ext.i18n"],
        finalize=lambda value: shown_erased(value, catalogue.gettext),
    )
    env.install_gettext_translations(catalogue, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        get_locale=lambda: language, format_date=lambda value, style="medium": _date(value, style, language)
    )
    env.filters["label"] = lambda value: catalogue.gettext(label_of(value, Role, Sector, MeetingKind))
    env.filters["region_name"] = lambda value: region_name(value, catalogue.gettext)
    env.globals["problem_word"] = lambda kind, value: catalogue.gettext(label_of(value, PROBLEM_WORDS[kind]))
    env.globals["format_amount"] = lambda value: format_decimal(value, locale=language)
    env.filters["country_name"] = lambda value: catalogue.gettext(label_of(value, Country))
    return env


def render(template: str, language: str, **context: Any) -> str:
    return environment(language).get_template(template).render(**context)


def _date(value: date | None, style: str, language: str) -> str:
    return format_date(value, style, locale=language) if value else ""
