"""The catalogues as a reviewer reads them: complete, placeholders kept, plural forms by Babel's rules, Uzbek
letters written with the modifier letters (oʻ, gʻ, and ʼ for the tutuq belgisi), never with quotes.

These tests read the .po files themselves (not the compiled .mo): a string added to the code fails the completeness
check until `make messages` has merged it and it is translated in every language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"
LANGUAGES = ("ru", "ky", "tg", "uz_Latn")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
QUOTE_IN_A_WORD = re.compile(r"(?<=[A-Za-z])['‘’`](?=[A-Za-z])")


def catalogue(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po)


def entries(language: str):
    """Each real entry (not the header, not obsolete) as (msgid, plural msgid or None, [msgstr, ...], fuzzy)."""
    for message in catalogue(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id, None)
        strings = list(message.string) if isinstance(message.string, tuple) else [message.string]
        yield ids[0], ids[1], strings, message.fuzzy


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    missing = [msgid for msgid, _, strings, _ in entries(language) if not all(strings)]
    fuzzy = [msgid for msgid, _, _, is_fuzzy in entries(language) if is_fuzzy]
    assert not missing, f"{language}: {len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_match_between_english_and_translation(language):
    wrong = []
    for msgid, plural, strings, _ in entries(language):
        expected = set(PLACEHOLDER.findall(msgid)) | set(PLACEHOLDER.findall(plural or ""))
        for string in strings:
            if string and set(PLACEHOLDER.findall(string)) - expected:
                wrong.append((msgid, string))  # a name the code never passes: a KeyError at render time
            if string and not plural and set(PLACEHOLDER.findall(string)) != expected:
                wrong.append((msgid, string))  # a value the reader would never see
    assert not wrong, f"{language}: {wrong[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_follow_babel_s_rules(language):
    header = catalogue(language).plural_forms
    expected = get_plural(language)
    assert f"nplurals={expected.num_plurals};" in header.replace(" ", "")
    for msgid, plural, strings, _ in entries(language):
        if plural is not None:
            assert len(strings) == expected.num_plurals, (language, msgid)


def test_uzbek_letters_are_modifier_letters_not_quotes():
    quoted = [string for _, _, strings, _ in entries("uz_Latn") for string in strings if QUOTE_IN_A_WORD.search(string)]
    assert not quoted, f"oʻ and gʻ take U+02BB, the tutuq belgisi U+02BC: {quoted[:5]}"


def test_the_uzbek_check_catches_a_quote_inside_a_word():
    for word in ("o‘zgartirish", "noto'g'ri", "ta’mir"):
        assert QUOTE_IN_A_WORD.search(word)
    for word in ("oʻzgartirish", "notoʻgʻri", "taʼmir", "'Quoted'"):
        assert not QUOTE_IN_A_WORD.search(word)


def test_words_that_misled_readers_are_gone():
    """Issue 15's review: public is not open in Kyrgyz, one word for public in Uzbek, meetings are sessions in
    Russian, the agenda is not a newspaper in Tajik."""
    ky = {msgid: strings[0] for msgid, _, strings, _ in entries("ky")}
    assert ky["Public"] == "Жалпыга ачык" and ky["Open"] == "Ачык"
    assert all("жалпыга ачык" in ky[msgid].lower() for msgid in ("Public commitments", "Not public (counted only)"))
    uz = [strings[0] for _, _, strings, _ in entries("uz_Latn")]
    assert not any("hammaga ochiq" in string.lower() for string in uz)
    ru = [strings[0] for _, _, strings, _ in entries("ru")]
    assert not any("встреч" in string.lower() for string in ru)
    tg = {msgid: strings[0] for msgid, _, strings, _ in entries("tg")}
    assert tg["Agenda"] == "Рӯзномаи ҷаласа"
