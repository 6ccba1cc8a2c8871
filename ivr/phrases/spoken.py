"""Dates and hours as people say them, where Babel's written forms read badly aloud.

Babel gives the weekday in the nominative ("среда") and the hour as a numeral ("8"). A sentence such
as "it opens again on Wednesday at eight" needs the weekday in the case its preposition takes (ru
"в среду", uk "у середу") and, in some languages, the hour as a word with the time of day (ar
"الثامنة صباحًا", fa "۸ صبح"). Each language that needs it gets its own small table here; the others
keep Babel's forms. The forms follow the language review (shared with translators); a native speaker
confirms them with the rest of the texts (`reviewed:` in the menu).
"""

from __future__ import annotations

import datetime as dt

AT, FROM, TO = "at", "from", "to"  # where the hour stands: "at 8", "from 8", "to 15"

# Accusative weekdays with their preposition ("on Wednesday"), Monday first.
_ON_DAY = {
    "ru": ("в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу", "в воскресенье"),
    "uk": ("у понеділок", "у вівторок", "у середу", "у четвер", "у пʼятницю", "у суботу", "у неділю"),
}

# Ukrainian hours are ordinals (feminine: "година"): genitive after з/до, locative after о.
_UK_ORDINAL_STEMS = ("нульов", "перш", "друг", "трет", "четверт", "пʼят", "шост", "сьом", "восьм", "девʼят",
                     "десят", "одинадцят", "дванадцят", "тринадцят", "чотирнадцят", "пʼятнадцят",
                     "шістнадцят", "сімнадцят", "вісімнадцят", "девʼятнадцят", "двадцят")

# Arabic hours: feminine ordinals (الساعة is feminine) and the part of the day, on a 12-hour clock.
_AR_HOURS = ("الثانية عشرة", "الواحدة", "الثانية", "الثالثة", "الرابعة", "الخامسة", "السادسة", "السابعة",
             "الثامنة", "التاسعة", "العاشرة", "الحادية عشرة")

_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def on_day(code: str, day: dt.date, weekday: str, month_day: str) -> str | None:
    """"On <weekday>, <date>" as the language says it, or None for Babel's own form."""
    lang = code.split("_")[0]
    if lang in _ON_DAY:
        return f"{_ON_DAY[lang][day.weekday()]}, {month_day}"
    if lang == "sv":  # "onsdag den 9 december"
        return f"{weekday} den {month_day}"
    return None


def hour(code: str, time: dt.time, where: str) -> str | None:
    """A whole hour as said after its preposition, or None for the numeral (Babel's form)."""
    if time.minute:
        return None  # half hours keep the numeral form ("8.30"): no language here reads it wrongly
    lang, h = code.split("_")[0], time.hour
    if lang == "uk":
        return _uk_hour(h, locative=where == AT)
    if lang == "ru" and where == AT:
        return f"{h} {_ru_hours_word(h)}"
    if lang == "ar":
        return f"{_AR_HOURS[h % 12]} {_ar_part(h)}"
    if lang == "fa":
        said = f"{(h % 12 or 12)}".translate(_FA_DIGITS) + " " + _fa_part(h)
        return f"ساعت {said}" if where == FROM else said
    return None


def _uk_hour(h: int, locative: bool) -> str:
    tens, stem = ("двадцять ", _UK_ORDINAL_STEMS[h - 20]) if h > 20 else ("", _UK_ORDINAL_STEMS[h])
    if locative:
        return tens + stem + "ій"
    return tens + stem + ("ьої" if stem == "трет" else "ої")  # третьої: the one soft stem


def _ru_hours_word(h: int) -> str:
    if h % 10 == 1 and h % 100 != 11:
        return "час"
    if 2 <= h % 10 <= 4 and not 12 <= h % 100 <= 14:
        return "часа"
    return "часов"


def _ar_part(h: int) -> str:
    if 5 <= h < 12:
        return "صباحًا"
    if h == 12:
        return "ظهرًا"
    if 13 <= h < 18:
        return "بعد الظهر"
    if 18 <= h < 24:
        return "مساءً"
    return "ليلًا"


def _fa_part(h: int) -> str:
    if 5 <= h < 12:
        return "صبح"
    if 12 <= h < 17:
        return "بعد از ظهر"
    if 17 <= h < 20:
        return "شام"
    return "شب"
