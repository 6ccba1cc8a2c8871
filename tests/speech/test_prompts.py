"""The words callers hear: hours said as people say them, duty-phone words, the duty phone first."""

import datetime as dt
import re

import pytest
import yaml
from babel.messages.pofile import read_po

from ivr import create_app
from ivr import menu as menus
from ivr import phrases as P
from ivr.menu import model
from ivr.settings import BUNDLED_MENU, Settings

from ..answers import parse
from ..conftest import OPEN, Clock

ALL_CODES = ["fi", "sv", "ar", "uk", "ru", "fa", "so", "kmr", "ckb"]  # en is the source: msgid is the text

HOURS = """\
name: hours
timezone: Europe/Helsinki
start: top
languages:
  - {code: en, key: "1", name: For English, voice: Polly.Amy-Neural, locale: en_GB}
  - {code: fi, key: "2", name: Suomeksi, voice: Polly.Suvi-Neural}
  - {code: ru, key: "3", name: На русском, voice: Polly.Tatyana}
  - {code: uk, key: "4", name: Українською, voice: Google.uk-UA-Standard-A}
schedules:
  week: {weekly: {monday: "08:00-15:00", tuesday: "08:00-15:00", wednesday: "08:00-15:00",
                  thursday: "08:00-15:00", friday: "08:00-15:00"}}
  short: {weekly: {monday: "08:30-12:00", tuesday: "08:30-12:00", wednesday: "08:30-12:00"}}
nodes:
  top:
    type: menu
    say: {en: Top., fi: Alku., ru: Начало., uk: Початок.}
    options: {"1": week, "2": short}
  week:
    type: page
    label: {en: Week, fi: Viikko, ru: Неделя, uk: Тиждень}
    say: {en: Week., fi: Viikko., ru: Неделя., uk: Тиждень.}
    contacts:
      - {type: phone, label: {en: Phone, fi: Puhelin, ru: Телефон, uk: Телефон}, number: (08) 6155 2760, schedule: week}
  short:
    type: page
    label: {en: Short, fi: Lyhyt, ru: Коротко, uk: Коротко}
    say: {en: Short., fi: Lyhyt., ru: Коротко., uk: Коротко.}
    contacts:
      - {type: phone, label: {en: Phone, fi: Puhelin, ru: Телефон, uk: Телефон}, number: (08) 6155 2760, schedule: short}
"""


@pytest.fixture
def small():
    menu = menus.loads(HOURS, "hours.yaml")
    return create_app(Settings(require_token=False, call_log=False), menu=menu, clock=Clock(OPEN)).test_client()


def said(client, url):
    return parse(client.post(url)).text


@pytest.mark.parametrize("code, expected", [
    ("en", "Open Monday to Friday, from 8 to 15."),
    ("fi", "Avoinna maanantaista perjantaihin kello 8–15."),
    ("ru", "Работает с понедельника по пятницу, с 8 до 15 часов."),
    ("uk", "Працює з понеділка по пʼятницю, з восьмої до пʼятнадцятої години."),
])
def test_working_week_hours_are_said_as_people_say_them(small, code, expected):
    """Whole hours without ':00', and Monday to Friday in the language's own range form."""
    text = said(small, f"/voice/{code}/week")
    assert expected in text
    assert "08" not in text.replace("0 8", "")  # the number read digit by digit is not an hour


@pytest.mark.parametrize("code, expected", [
    ("en", "Open Monday to Wednesday, from 8:30 to 12."),
    ("fi", "Avoinna maanantai – keskiviikko kello 8.30–12."),
])
def test_other_ranges_and_minutes_keep_the_general_forms(small, code, expected):
    assert expected in said(small, f"/voice/{code}/short")


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_language_translates_every_phrase_with_its_placeholders(code):
    with P.catalog_path(code).open("rb") as fp:
        translated = {m.id: m.string for m in read_po(fp) if m.id}
    assert set(translated) == set(P.ALL)
    for message in P.ALL:
        assert translated[message], f"{code}: {message!r} has no translation"
        assert sorted(re.findall(r"%\((\w+)\)s", translated[message])) == sorted(re.findall(r"%\((\w+)\)s", message))


def test_time_is_the_hour_alone_when_it_is_whole():
    fi, en = P.load("fi"), P.load("en", "en_GB")
    assert [fi.time(dt.time(8)), fi.time(dt.time(15)), fi.time(dt.time(8, 30))] == ["8", "15", "8.30"]
    assert [en.time(dt.time(8)), en.time(dt.time(8, 5))] == ["8", "8:05"]


# -- The bundled menu's content ------------------------------------------------

@pytest.fixture(scope="module")
def bundled():
    return menus.load(BUNDLED_MENU)


def test_the_duty_phone_is_the_first_option_and_the_first_number(bundled):
    """Key 1 of the first menu is the duty itself (open: it connects at once); its page, while closed,
    gives its own number with its hours first, the fax after; the Refugee Advice Centre has its own key."""
    duty = bundled.nodes[bundled.nodes["services"].options["1"]]
    assert duty.id == "duty" and duty.kind == "transfer" and bundled.first_transfer() == duty
    assert [c.kind for c in duty.contacts] == ["phone", "fax"]
    assert duty.contacts[0].number == duty.number and duty.contacts[0].schedule == duty.schedule
    assert "refugee_advice" in bundled.nodes["services"].options.values()
    assert len(bundled.nodes["services"].options) <= 5


# Words that mean emergency services: a caller would take the duty phone for one that closes at 15.
EMERGENCY_WORDS = {"en": "emergency", "ar": "طوارئ", "ru": "экстрен", "uk": "екстрен", "fa": "عاجل",
                   "so": "degdeg", "kmr": "acîl", "ckb": "فریاکەوتن"}


def test_the_duty_is_named_with_duty_words_not_emergency_words(bundled):
    duty = bundled.nodes["duty"]
    for code, word in EMERGENCY_WORDS.items():
        texts = [duty.label[code], duty.name[code], duty.closed_label[code], duty.say[code], duty.contacts[0].label[code]]
        assert not any(word in t.lower() for t in texts), (code, texts)


def test_the_services_title_is_not_an_option(bundled):
    services = bundled.nodes["services"]
    for code, title in services.say.items():
        labels = [bundled.nodes[target].label[code] for target in services.options.values()]
        assert not any(title.rstrip(".").lower() in label.lower() for label in labels), code


def test_who_the_duty_is_for_is_one_short_sentence(bundled):
    """Said before its number: one sentence, under 5 seconds."""
    for code, text in bundled.nodes["duty"].say.items():
        assert len(text.split()) / model.WORDS_PER_SECOND < 5, code
        assert text.count(".") == 1 and text.endswith("."), code


def test_greeting_and_placeholder_languages_as_the_menu_file_writes_them():
    raw = yaml.safe_load(BUNDLED_MENU.read_text(encoding="utf-8"))
    assert list(raw["greeting"]) == ["fi", "en"]
    assert all(len(text.split()) / model.WORDS_PER_SECOND <= 2.5 for text in raw["greeting"].values())
    allowed = {lang["code"] for lang in raw["languages"] if lang.get("placeholders") == "allowed"}
    assert allowed == {"fa", "kmr"}
    assert not any(lang.get("reviewed") for lang in raw["languages"]), "drafts until a native speaker signs off"
