"""A language tag → how that language writes dates, date ranges, counted nouns, numbers and quotations (Babel/CLDR).

Templates get these as filters (`make_env`): `date`, `date_range`, `plural`, `number`, `quote`. UI strings
that count something are CLDR plural tables in `templates/strings/LANG.toml` (`{one = "{n} claim", other =
"{n} claims"}`); a plain string serves every number (Indonesian nouns do not inflect). A third language needs
only its strings file: Babel knows its dates, plural rules and digits.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_date, format_interval, format_skeleton
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from .model import Date

# CLDR's <delimiters> (quotationStart/End), which Babel does not carry: primary quotation marks by language.
QUOTES = {
    "id": ("\u201c", "\u201d"), "en": ("\u201c", "\u201d"), "ms": ("\u201c", "\u201d"), "nl": ("\u2018", "\u2019"),
    "de": ("\u201e", "\u201c"), "fr": ("\u00ab\u00a0", "\u00a0\u00bb"), "es": ("\u00ab", "\u00bb"),
    "pt": ("\u201c", "\u201d"), "it": ("\u00ab", "\u00bb"), "ru": ("\u00ab", "\u00bb"), "uk": ("\u00ab", "\u00bb"),
    "pl": ("\u201e", "\u201d"), "ja": ("\u300c", "\u300d"), "zh": ("\u201c", "\u201d"), "ko": ("\u201c", "\u201d"),
    "vi": ("\u201c", "\u201d"), "th": ("\u201c", "\u201d"), "tl": ("\u201c", "\u201d"), "ar": ("\u201d", "\u201c"),
    "tr": ("\u201c", "\u201d"), "sv": ("\u201d", "\u201d"), "cs": ("\u201e", "\u201c"),
}


@dataclass(frozen=True, slots=True)
class Language:
    """The CLDR locale of a site's language, and the formats the templates use."""

    locale: Locale
    quotes: tuple[str, str]

    def date(self, date: Date | None) -> str:
        """'19 Juni 2024' / 'June 19, 2024'; 'September 2023' where only the month is known."""
        return _date(self.locale, date) if date else ""

    def date_range(self, first: Date | None, last: Date | None) -> str:
        """'Sep–Nov 2023', 'Sep 2023 – Jun 2024', '12–19 Sep 2023'; one date when both are the same."""
        if first is None or last is None or first == last:
            return self.date(first or last)
        return _date_range(self.locale, first, last)

    def number(self, n: int | float) -> str:
        return _number(self.locale, n)

    def plural(self, message: str | dict, n: int, strong: bool = False) -> str | Markup:
        """The form of `message` (a string, or a table of CLDR plural categories) for n, with n in it as `{n}`."""
        if isinstance(message, dict):
            message = message.get(self.locale.plural_form(n)) or message.get("other") or next(iter(message.values()))
        if strong:  # the number set apart (the home page's figures)
            return Markup(escape(message).replace("{n}", Markup("<strong>%s</strong>") % self.number(n)))
        return message.replace("{n}", self.number(n))

    def quote(self, text: str) -> str:
        return f"{self.quotes[0]}{text}{self.quotes[1]}"

    def country(self, code: str) -> str:
        """An ISO 3166 code by its name in this language: 'ID' → 'Indonesia', 'GB' → 'Inggris Raya'."""
        return self.locale.territories.get(code.upper(), code)


# Double quotation marks: which open, which close, and the mark that pairs with each. A low „ makes “ a closing mark
# (German, Czech); a straight " opens after a space (or at the start) and closes otherwise. Single marks are left
# alone: ’ is mostly an apostrophe.
OPENS, CLOSES = {"\u201c": "\u201d", "\u201e": "\u201c", "\u00ab": "\u00bb", '"': '"'}, {"\u201d": "\u201c", "\u00bb": "\u00ab", '"': '"'}


def balance_quotes(text: str) -> str:
    """A passage as a reader expects a quotation: the opening mark of a quotation it starts inside of (`…Ukraina,"
    kata Blinken` → `"…Ukraina," kata Blinken`), the closing mark of one it ends inside of. Only for showing: the
    anchored passage stays as the article has it."""
    low = "\u201e" in text
    opened: list[str] = []  # marks open at this point
    unopened: list[str] = []  # closing marks whose opening stands before the passage
    for i, ch in enumerate(text):
        if ch == '"':
            opens = i == 0 or text[i - 1].isspace() or text[i - 1] in "([{\u2014\u2013-/"
        elif ch == "\u201c":
            opens = not low
        elif ch in OPENS or ch in CLOSES:
            opens = ch in OPENS
        else:
            continue
        if opens:
            opened.append(ch)
        elif opened:
            opened.pop()
        else:
            unopened.append("\u201e" if ch == "\u201c" else CLOSES[ch])
    return "".join(reversed(unopened)) + text + "".join(OPENS[ch] for ch in reversed(opened))


NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"})  # CLDR's two-letter regions that are no country


def country_problem(code: str) -> str:
    """Why `code` is not an ISO 3166 country code ('' when it is one), with the code of a country named in full."""
    names = Locale.parse("en").territories
    if len(code) == 2 and code.isascii() and code.upper() in names and code.upper() not in NOT_COUNTRIES:
        return ""
    by_name = {name.casefold(): c for c, name in names.items() if len(c) == 2 and c not in NOT_COUNTRIES}
    hint = f" (did you mean {by_name[code.casefold()]!r}?)" if code.casefold() in by_name else ""
    shown = code if len(code) <= 40 else code[:37] + "..."
    return f"'country' must be an ISO 3166 country code such as 'ID' or 'GB': {shown!r}{hint}"


def language(tag: str) -> Language:
    """The Language for a BCP 47 tag ('id', 'en-GB', 'pt-BR'); English where CLDR does not know it."""
    try:
        locale = Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    return Language(locale, QUOTES.get(locale.language, QUOTES["en"]))


# A site shows the same few hundred dates and numbers on thousands of pages: each is formatted once.
@lru_cache(maxsize=8192)
def _date(locale: Locale, date: Date) -> str:
    if date.day:
        return babel_date(_day(date), "long", locale=locale)
    return format_skeleton("yMMMM", _day(date), locale=locale)


@lru_cache(maxsize=8192)
def _date_range(locale: Locale, first: Date, last: Date) -> str:
    return format_interval(_day(first), _day(last), "yMMMd" if first.day and last.day else "yMMM", locale=locale)


@lru_cache(maxsize=8192, typed=True)
def _number(locale: Locale, n: int | float) -> str:
    return format_decimal(n, locale=locale)


def _day(date: Date) -> datetime.date:
    return datetime.date(date.year, date.month, date.day or 1)
