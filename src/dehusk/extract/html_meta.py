"""What a page says about itself: title, standfirst, date, address and language.

Publishers state these for search engines and social networks: Open Graph and Twitter
``<meta>`` tags, schema.org JSON-LD, ``<time datetime>``, the canonical link, ``<html
lang>``. Reading them is a dozen CSS lookups, far cheaper (and more reliable) than
guessing from the text; the date falls back to one written in the page's address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import orjson
from selectolax.lexbor import LexborHTMLParser

from dehusk.dates import find_dates

_TITLE = ("og:title", "twitter:title")
_DESCRIPTION = ("og:description", "description", "twitter:description")
_DATE = (
    "article:published_time", "datepublished", "pubdate", "publishdate", "publish-date", "date",
    "dc.date.issued", "dc.date", "sailthru.date", "parsely-pub-date", "og:published_time",
    "citation_publication_date",
)  # fmt: skip
_ISO = re.compile(r"((?:19|20)\d\d)-?([01]\d)-?([0-3]\d)")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/([01]?\d)/([0-3]?\d)(?:/|$)")
_TITLE_SUFFIX = re.compile(r"\s+[|\-–—:·]\s+[^|\-–—:·]{2,40}$")


@dataclass(slots=True)
class PageMeta:
    """The page's own statements; any field may be None."""

    title: str | None = None
    title_from_head: bool = False  # only <title> named it: too weak to overrule a headline in the page
    date_from_markup: bool = False  # read off a <time> or a byline in the page, not a statement
    description: str | None = None
    date: str | None = None
    url: str | None = None
    lang: str | None = None
    site: str | None = None


def _head_values(tree: LexborHTMLParser) -> dict[str, str]:
    """Every ``<meta>`` content and canonical link of the page by its name, in one query.

    Keys are ``property`` / ``name`` / ``itemprop`` values lowercased (``og:title``,
    ``description``...) and ``canonical``; the first occurrence wins.
    """
    values: dict[str, str] = {}
    for node in tree.css('meta[content], link[rel="canonical"][href]'):
        attrs = node.attributes
        if node.tag == "link":
            key, value = "canonical", attrs.get("href") or ""
        else:
            key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
            value = attrs.get("content") or ""
        value = " ".join(value.split())
        if key and value and key not in values:
            values[key] = value
    return values


def _first(values: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((values[key] for key in keys if key in values), None)


def iso_date(value: str | None) -> str | None:
    """``2019-11-20T10:00:00Z``, ``20191120`` or a written date as ``2019-11-20``."""
    if not value:
        return None
    match = _ISO.search(value)
    if match:
        year, month, day = match.groups()
        if 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
            return f"{year}-{month}-{day}"
    dates = find_dates(value)
    return dates[0].iso if dates else None


def _json_ld(tree: LexborHTMLParser) -> dict:
    """The first schema.org object with a headline or a date, from the JSON-LD scripts."""
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = orjson.loads(node.text())
        except orjson.JSONDecodeError:
            continue
        items = data if isinstance(data, list) else [data]
        items += [g for item in items if isinstance(item, dict) for g in item.get("@graph", []) or []]
        for item in items:
            if isinstance(item, dict) and ("datePublished" in item or "headline" in item):
                return item
    return {}


#: Elements that hold an article's date, by the markup's own words.
_DATED = (
    'time, [itemprop="datePublished"], [class*="date"], [class*="publish"], [class*="updated"], '
    '[class*="byline"], [class*="timestamp"], [id*="date"]'
)


def _date_in_markup(tree: LexborHTMLParser, most: int = 12) -> str | None:
    """The first date in a ``<time>`` or in an element its classes call a date or a byline.

    Weather strips and calendars name themselves too: their elements are passed over.
    """
    for node in tree.css(_DATED)[:most]:
        attrs = node.attributes
        words = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
        if "weather" in words or "calendar" in words or "today" in words:
            continue
        date = iso_date(attrs.get("datetime") or attrs.get("content")) or iso_date(node.text()[:200])
        if date:
            return date
    return None


def read_meta(tree: LexborHTMLParser, url: str | None = None) -> PageMeta:
    """The page's metadata; call before the head is stripped."""
    values = _head_values(tree)
    meta = PageMeta(url=url)
    meta.url = meta.url or values.get("canonical") or values.get("og:url")
    meta.title = _first(values, _TITLE)
    meta.description = _first(values, _DESCRIPTION)
    meta.date = iso_date(_first(values, _DATE))
    meta.site = values.get("og:site_name")
    if meta.date is None or meta.title is None:
        ld = _json_ld(tree)
        meta.date = meta.date or iso_date(str(ld.get("datePublished") or "") or None)
        headline = ld.get("headline")
        meta.title = meta.title or (headline.strip() if isinstance(headline, str) else None)
    if meta.date is None:
        meta.date = _date_in_markup(tree)
        meta.date_from_markup = meta.date is not None
    if meta.date is None and meta.url:
        match = _URL_DATE.search(meta.url)
        if match:
            meta.date = iso_date(f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}")
    if meta.title is None:
        node = tree.css_first("h1")
        heading = " ".join(node.text().split()) if node is not None else ""
        meta.title = heading if 2 <= len(heading.split()) <= 40 else None
    if meta.title is None:
        node = tree.css_first("title")
        title = " ".join(node.text().split()) if node is not None else ""
        meta.title = _TITLE_SUFFIX.sub("", title) or None
        meta.title_from_head = meta.title is not None
    root = tree.css_first("html")
    lang = (root.attributes.get("lang") or root.attributes.get("xml:lang") or "") if root is not None else ""
    meta.lang = lang.split("-")[0].split("_")[0].lower() or None if lang else None
    return meta
