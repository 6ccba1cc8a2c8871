"""The line's own phrases, as gettext messages, and dates and times in each language.

Service content lives in the menu YAML; these are the words around it
("press", "closed", "goodbye"). The catalogs are `ivr/phrases/locale/<code>/LC_MESSAGES/messages.po`,
compiled in memory at start-up so the repo holds no build artefacts.
"""

from __future__ import annotations

import datetime as dt
import io
import pathlib

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, get_day_names
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from . import spoken

LOCALE_DIR = pathlib.Path(__file__).parent / "locale"


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is said."""
    return message


PRESS = N_("%(label)s, press %(key)s.")
SLOW = N_("To hear this again slowly, press 8.")
NOT_IN_MENU = N_("That key is not in the menu.")
NO_KEY = N_("Please choose by pressing a key on your phone.")
GOODBYE = N_("Thank you for calling. Goodbye.")
NUMBER = N_("%(label)s: %(number)s.")
NUMBER_AGAIN = N_("Again: %(number)s.")
CALL_BACK = N_("The phone number: %(number)s.")  # a transfer with no contact of its own number
OPEN_HOURS = N_("Open %(days)s, from %(start)s to %(end)s.")
DAY_RANGE = N_("%(first)s to %(last)s")
# The usual range as one phrase: many languages inflect both weekdays in it
# (maanantaista perjantaihin, с понедельника по пятницу).
WORKING_WEEK = N_("Monday to Friday")
HOLIDAYS_CLOSED = N_("Closed on public holidays.")
CONNECTING = N_("Connecting you to %(name)s. Please wait.")
EMERGENCY = N_("In a life-threatening emergency, hang up and call %(number)s.")
CLOSED_NOW = N_("%(name)s is closed now.")
OPENS_AT = N_("It opens again on %(day)s at %(time)s.")
NO_ANSWER = N_("Sorry, nobody could answer the call.")
LOST = N_("Sorry, something went wrong. Returning to the start.")
TRY_AGAIN = N_("To try again, press %(key)s.")
NAVIGATION = N_("Star repeats, 0 goes back, 9 changes the language.")

# `ivr hours`: what staff read in the language they chose; never said on a call, so never recorded.
HOURS_OPEN = N_("open %(start)s-%(end)s")
HOURS_CLOSED = N_("closed: %(reasons)s")
HOURS_WEEKEND = N_("weekend")
HOURS_NO_HOURS = N_("no hours on this weekday")
HOURS_HOLIDAY = N_("%(name)s (public holiday)")
HOURS_CLOSURE = N_("closure day (%(where)s)")
STAFF = (HOURS_OPEN, HOURS_CLOSED, HOURS_WEEKEND, HOURS_NO_HOURS, HOURS_HOLIDAY, HOURS_CLOSURE)

# The number by text message (ivr/sms): written, never said, so never recorded. Short: two SMS
# segments hold 134 characters in Arabic or Russian, and the line's name, label and hours fill most.
# The duty number by text message, on the duty's page (said; SMS_BODY is the message itself).
SMS_OFFER = N_("To get this number by text message, press %(key)s.")
SMS_SENT = N_("The text message is on its way.")
SMS_ALREADY = N_("A text message was already sent to this phone today.")
SMS_FAILED = N_("Sorry, the text message could not be sent.")
SMS_BODY = N_("%(name)s: %(number)s. %(hours)s")  # name: the transfer's `sms` text (the place and the town)
WRITTEN = (SMS_BODY,)

EMERGENCY_NUMBER = "1 1 2"


class Phrases:
    """The phrases and date formats of one language."""

    def __init__(self, code: str, translations: NullTranslations, locale: Locale) -> None:
        self.code = code
        self.locale = locale
        self._translations = translations

    def __call__(self, message: str, **values: str) -> str:
        text = self._translations.gettext(message)
        return text % values if values else text

    def day(self, day: dt.date) -> str:
        """A date as said in a sentence: "Monday 4 January"; in Russian and Ukrainian with its preposition
        and in the accusative ("в среду, 9 декабря"), as the sentence needs it (phrases.spoken)."""
        # The weekday in its in-sentence form (Finnish "maanantaina"), then day and month.
        weekday = format_date(day, 'EEEE', locale=self.locale)
        month_day = format_skeleton('MMMMd', day, locale=self.locale)
        return spoken.on_day(str(self.locale), day, weekday, month_day) or f"{weekday} {month_day}"

    def time(self, time: dt.time, where: str = spoken.AT) -> str:
        """A time as people say it, on the 24-hour clock: "8", "15", "8.30"; never "08:00". `where` is the
        hour's place in its sentence (spoken.AT, FROM, TO): some languages say it as a word there."""
        # Voices and recordings read "08:00" as "zero eight colon zero zero".
        word = spoken.hour(str(self.locale), time, where)
        if word:
            return word
        if time.minute == 0:
            return format_decimal(time.hour, locale=self.locale)
        text = format_skeleton("Hm", time, locale=self.locale)
        return text[1:] if text[:1] == "0" and text[1:2].isdigit() else text

    def weekday(self, index: int) -> str:
        """Monday is 0, as in `datetime`."""
        return get_day_names("wide", context="stand-alone", locale=self.locale)[index]

    def days(self, first: int, last: int) -> str:
        """Weekdays `first` to `last` (Monday is 0), in the language's own range form."""
        if first == last:
            return self.weekday(first)
        if (first, last) == (0, 4):
            return self(WORKING_WEEK)
        return self(DAY_RANGE, first=self.weekday(first), last=self.weekday(last))

    def hours(self, start: dt.time, end: dt.time) -> dict[str, str]:
        """The values of OPEN_HOURS for one span: the hour it opens and the hour it closes."""
        return {"start": self.time(start, spoken.FROM), "end": self.time(end, spoken.TO)}

    def join(self, items: list[str]) -> str:
        return format_list(items, locale=self.locale)


def capital(text: str) -> str:
    """A sentence that starts with a value ("ji duşemê heta înê, ...") starts with a capital."""
    return text[:1].upper() + text[1:]


def catalog_path(code: str) -> pathlib.Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / "messages.po"


def load(code: str, locale_name: str | None = None) -> Phrases:
    """The phrases of language `code`; raises LookupError when there is no catalog or locale."""
    path = catalog_path(code)
    if not path.is_file():
        raise LookupError(f"no phrase catalog for language {code!r} (expected {path})")
    try:
        locale = Locale.parse(locale_name or code)
    except (ValueError, UnknownLocaleError) as exc:
        raise LookupError(f"unknown locale {locale_name or code!r}: {exc}") from None
    with path.open("rb") as fp:
        catalog = read_po(fp, locale=locale)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    loaded = Phrases(code, Translations(fp=buf), locale)
    # Babel reads its locale data on first use: do it now, at start-up (before gunicorn
    # forks, so workers share it), not during a caller's first request in this language.
    loaded.day(dt.date(2026, 1, 5)), loaded.time(dt.time(8)), loaded.weekday(0)
    return loaded


# Each phrase's short, stable name: its recording is audio/<code>/phrase.<id>.wav.
ID = {
    PRESS: "press", SLOW: "slow",
    NOT_IN_MENU: "not_in_menu", NO_KEY: "no_key", GOODBYE: "goodbye", NUMBER: "number",
    NUMBER_AGAIN: "number_again", OPEN_HOURS: "open_hours", DAY_RANGE: "day_range",
    HOLIDAYS_CLOSED: "holidays_closed", CONNECTING: "connecting", EMERGENCY: "emergency",
    CLOSED_NOW: "closed_now", OPENS_AT: "opens_at", NO_ANSWER: "no_answer",
    LOST: "lost", WORKING_WEEK: "working_week", TRY_AGAIN: "try_again",
    NAVIGATION: "navigation", CALL_BACK: "call_back",
    SMS_OFFER: "sms_offer", SMS_SENT: "sms_sent", SMS_ALREADY: "sms_already", SMS_FAILED: "sms_failed",
}
ALL = tuple(ID) + STAFF + WRITTEN  # every phrase, once: the catalogs must translate each
