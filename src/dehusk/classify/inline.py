"""Boilerplate inside a kept paragraph: a source tag that opens it, a credit that closes it.

Blogs that copy wire copy prefix it with their own tag ("Sgiant4u - Top US and Russian
...") and papers close a story with the agency's name ("... he said. – Reuters"). Both are
cut from the paragraph, not the paragraph from the article. A place dateline such as
"WASHINGTON (Reuters) -" is part of the story and stays.
"""

from __future__ import annotations

import re

# one capitalised token that is a name rather than a word (letters with digits, a dotted
# domain, CamelCase), a dash, and a new sentence
_SOURCE_TAG = re.compile(
    r"^(?P<tag>(?=[\w.]*[\d.]|[A-Z][a-z]+[A-Z])[A-Z][\w.]{2,30}\w)\s+[-–—|]\s+(?=[A-Z\"“])"
)
# after the last sentence: a dash and one to four capitalised words (an agency, a desk)
_CREDIT = re.compile(r"(?<=[.!?\"”’])\s+[-–—]\s*(?P<credit>[A-Z][\w.&'’]*(?:[ /][A-Z][\w.&'’]*){0,3})\s*$")


def cut_source_tag(text: str) -> tuple[str, str | None]:
    """``text`` without a leading source tag, and the tag cut (None when there was none).

    >>> cut_source_tag("Sgiant4u - Top US and Russian defence officials have held talks.")
    ('Top US and Russian defence officials have held talks.', 'Sgiant4u - ')
    >>> cut_source_tag("WASHINGTON (Reuters) - Top officials met.")[1] is None
    True
    """
    match = _SOURCE_TAG.match(text)
    if not match:
        return text, None
    return text[match.end() :], match.group(0)


def cut_credit(text: str) -> tuple[str, str | None]:
    """``text`` without a closing agency credit, and the credit cut (None when there was none).

    >>> cut_credit('"We act now," he said. – Reuters')
    ('"We act now," he said.', ' – Reuters')
    """
    match = _credit_match(text)
    if not match:
        return text, None
    return text[: match.start()], match.group(0)


def _credit_match(text: str) -> re.Match[str] | None:
    """``_CREDIT.search(text)``, tried at the one position where it can match.

    Nothing after a credit's dash is a dash, so the dash is the text's last; the match
    opens with the spaces right before it. A search would try every position of a long
    closing paragraph.
    """
    dash = max(text.rfind("-"), text.rfind("–"), text.rfind("—"))
    if dash < 0:
        return None
    return _CREDIT.match(text, len(text[:dash].rstrip()))
