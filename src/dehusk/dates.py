"""Dates written in running text, in the forms news pages use, in several languages.

A text dump keeps no <time> element and no metadata, only strings such as "19 Sep 2015",
"Sep 18 2015, 5:10pm", "Updated: Sep 19, 2015 12:38 IST", "18. September 2015",
"18 de setembro de 2015", "18 сентября 2015" or "2015年9月18日". This module finds them and
returns ISO dates; choosing which one is the article's own date is metadata's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dehusk.memo import text_cache

_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "januar", "jänner", "janvier", "janv", "enero", "ene", "janeiro", "gennaio", "gen",
        "januari", "januar", "styczeń", "stycznia", "ocak", "января", "январь", "янв"),
    2: ("february", "feb", "februar", "février", "févr", "fevrier", "febrero", "fevereiro", "fev", "febbraio",
        "februari", "luty", "lutego", "şubat", "февраля", "февраль", "фев"),
    3: ("march", "mar", "märz", "maerz", "mars", "marzo", "março", "marco", "maart", "marzec", "marca",
        "mart", "maret", "марта", "март", "мар"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile", "kwiecień", "kwietnia", "nisan", "апреля",
        "апрель", "апр"),
    5: ("may", "mai", "mayo", "maio", "maggio", "mag", "mei", "maj", "maja", "mayıs", "мая", "май"),
    6: ("june", "jun", "juni", "juin", "junio", "junho", "giugno", "giu", "czerwiec", "czerwca", "haziran",
        "июня", "июнь", "июн"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio", "julho", "luglio", "lug", "lipiec", "lipca",
        "temmuz", "июля", "июль", "июл"),
    8: ("august", "aug", "août", "aout", "agosto", "ago", "augustus", "sierpień", "sierpnia", "ağustos",
        "agustus", "августа", "август", "авг"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "setembro", "set", "settembre", "wrzesień",
        "września", "eylül", "сентября", "сентябрь", "сен", "сент"),
    10: ("october", "oct", "oktober", "okt", "octobre", "octubre", "outubro", "out", "ottobre", "ott",
         "październik", "października", "ekim", "oktober", "октября", "октябрь", "окт"),
    11: ("november", "nov", "novembre", "noviembre", "novembro", "listopad", "listopada", "kasım", "ноября",
         "ноябрь", "ноя"),
    12: ("december", "dec", "dezember", "dez", "décembre", "decembre", "diciembre", "dic", "dezembro",
         "dicembre", "grudzień", "grudnia", "aralık", "desember", "декабря", "декабрь", "дек"),
}  # fmt: skip
MONTH_NUMBER = {name: number for number, names in _MONTHS.items() for name in names}

_MONTH = "(?P<month>" + "|".join(sorted(map(re.escape, MONTH_NUMBER), key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|º|°)?\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DE = r"(?:\s+de)?"  # "18 de setembro de 2015"

_PATTERNS = [
    # 2015-09-18, 2015/09/18, 2015.09.18
    re.compile(r"(?<!\d)" + _YEAR + r"[-/.](?P<m>[01]?\d)[-/.](?P<d>[0-3]?\d)(?!\d)"),
    # 2015年9月18日, 2015년 9월 18일
    re.compile(_YEAR + r"\s*[年년]\s*(?P<m>[01]?\d)\s*[月월]\s*(?P<d>[0-3]?\d)\s*[日일]?"),
    # 18 September 2015, 18. September 2015, 18 de setembro de 2015, 18 сентября 2015 г.
    re.compile(r"(?<![\w])" + _DAY + _DE + r"\s+" + _MONTH + _DE + r",?\s+" + _YEAR + r"(?!\d)", re.I),
    # September 18, 2015, Sep 18 2015, Sept. 18th, 2015
    re.compile(r"(?<![\w])" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"(?!\d)", re.I),
    # 18.09.2015, 18/09/2015, 09/18/2015 (day and month told apart when one is over 12)
    re.compile(r"(?<![\d.])(?P<a>[0-3]?\d)[./](?P<b>[0-3]?\d)[./]" + _YEAR + r"(?![\d])"),
]
#: Every pattern above holds a year: a text without one has no date, and is not searched.
_ANY_YEAR = re.compile(r"(?:19|20)\d\d")
_TIME = re.compile(r"(?<!\d)([01]?\d|2[0-3])[:h]([0-5]\d)(?::[0-5]\d)?\s*(?:[ap]\.?m\.?)?(?!\d)", re.I)


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in a text: where it stands and what day it names."""

    start: int
    end: int
    day: date

    @property
    def iso(self) -> str:
        return self.day.isoformat()


def _make(year: str, month: int, day: str) -> date | None:
    try:
        return date(int(year), month, int(day))
    except ValueError:
        return None


@text_cache(maxsize=4096)
def find_dates(text: str) -> tuple[DateMatch, ...]:
    """Every date in ``text``, in order, overlapping matches resolved by the first pattern.

    Cached: features, kind names and the date finder ask about the same short blocks.

    >>> [m.iso for m in find_dates("Sep 18 2015, 5:10pm and 19 September 2015")]
    ['2015-09-18', '2015-09-19']
    """
    if _ANY_YEAR.search(text) is None:
        return ()
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            groups = m.groupdict()
            if groups.get("month"):
                day = _make(groups["year"], MONTH_NUMBER[groups["month"].lower()], groups["day"])
            elif groups.get("m"):
                day = _make(groups["year"], int(groups["m"]), groups["d"])
            else:
                a, b = int(groups["a"]), int(groups["b"])
                day = None
                if a > 12 >= b or ("." in m.group(0) and b <= 12):  # 18/09/2015, 18.09.2015
                    day = _make(groups["year"], b, str(a))
                elif b > 12 >= a:  # 09/18/2015
                    day = _make(groups["year"], a, str(b))
            if day is not None:
                found.append(DateMatch(m.start(), m.end(), day))
                taken.append((m.start(), m.end()))
    return tuple(sorted(found, key=lambda d: d.start))


def has_time(text: str) -> bool:
    """True when ``text`` holds a clock time such as 12:38, 5:10pm or 14h30."""
    return _TIME.search(text) is not None
