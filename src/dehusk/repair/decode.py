"""Bytes to text: a byte-order mark, then strict UTF-8, then a declared charset, then a guess.

Most pages are UTF-8 and validate at once (a page cut inside its last character, or with a few
stray bytes among many UTF-8 characters, is still UTF-8). A declaration (HTTP header, ``<meta>``)
is read as browsers read it (WHATWG labels: ``iso-8859-1`` means windows-1252, ``gb2312`` means
gb18030...) and trusted when the bytes decode under it *and* the text looks like text
(:func:`oddness`): servers and templates often declare a charset the page is not in. Otherwise
the declaration, the common charsets (cp1252, cp1251) and charset-normalizer's guesses are
weighed: the least odd text wins, a tie goes to the text whose words a word list knows, then to
the declaration, the common charset, the detector's order. cp1252 with replacement is the last
resort, so decoding never fails on a page that is text at all; binary data raises NotText.
The choices were measured, not guessed: scripts/measure_decoding.py.
"""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dehusk.repair.lexicon import Lexicon

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip


class NotText(ValueError):
    """The bytes are binary data, not text in any charset."""


_MAGIC = {
    b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"%PDF": "a PDF",
    b"PK\x03\x04": "a ZIP archive", b"\x1f\x8b": "gzip data", b"(\xb5/\xfd": "zstd data",
    b"RIFF": "a RIFF file", b"\x7fELF": "an executable", b"OggS": "an Ogg file",
}  # fmt: skip
# C0 controls that never occur in text (tab, newlines, form feed and escape do)
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0c\x1b")


def binary_reason(head: bytes) -> str | None:
    """Why ``head`` (a file's first bytes, no byte-order mark) is not text, or None.

    Text in any charset holds hardly any NUL or other C0 control byte; a file format
    announces itself by its magic number. Stray control bytes in what is otherwise valid
    UTF-8 (a scraper's leftovers) do not make a page binary: the repair removes them.
    """
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            return f"binary content ({what})"
    controls = len(head) - len(head.translate(None, _CONTROL))
    nuls = head.count(b"\x00")
    if not nuls and controls <= max(4, len(head) // 100):
        return None
    if controls <= len(head) // 4 and _mostly_valid_utf8(head):
        return None
    if nuls:
        return f"binary content ({nuls} NUL bytes in the first {len(head)})"
    return f"binary content ({controls} control bytes in the first {len(head)})"


def _mostly_valid_utf8(head: bytes) -> bool:
    """Whether ``head`` reads as UTF-8 but for a character cut at its end or a few stray bytes."""
    return head.decode("utf-8", "replace").count("\ufffd") <= 2 + len(head) // 500


def has_bom(data: bytes) -> bool:
    """Whether ``data`` opens with a byte-order mark (UTF-8, UTF-16 or UTF-32)."""
    return any(data.startswith(bom) for bom, _ in _BOMS)


# --- labels -------------------------------------------------------------------------------------------

#: WHATWG encoding labels (encoding.spec.whatwg.org, "Encodings") by the Python codec that decodes
#: like a browser: Latin-1 and ASCII labels mean windows-1252, GB2312/GBK mean gb18030, EUC-KR means
#: windows-949, Shift_JIS means windows-31J. Labels not listed go to Python's codecs.
_WHATWG_LABELS = {
    "utf-8": "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8",
    "cp866": "866 cp866 csibm866 ibm866",
    "iso8859-2": "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2",
    "iso8859-3": "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3",
    "iso8859-4": "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4",
    "iso8859-5": "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 "
                 "iso_8859-5:1988",
    "iso8859-6": "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e "
                 "iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987",
    "iso8859-7": "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 "
                 "iso_8859-7 iso_8859-7:1987 sun_eu_greek",
    "iso8859-8": "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 "
                 "iso_8859-8 iso_8859-8:1988 visual csiso88598i iso-8859-8-i logical",
    "iso8859-10": "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6",
    "iso8859-13": "iso-8859-13 iso8859-13 iso885913",
    "iso8859-14": "iso-8859-14 iso8859-14 iso885914",
    "iso8859-15": "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9",
    "iso8859-16": "iso-8859-16",
    "koi8-r": "cskoi8r koi koi8 koi8-r koi8_r",
    "koi8-u": "koi8-ru koi8-u",
    "mac-roman": "csmacintosh mac macintosh x-mac-roman",
    "mac-cyrillic": "x-mac-cyrillic x-mac-ukrainian",
    "cp874": "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874",
    "cp1250": "cp1250 windows-1250 x-cp1250",
    "cp1251": "cp1251 windows-1251 x-cp1251",
    "cp1252": "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 iso88591 "
              "iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252 x-user-defined",
    "cp1253": "cp1253 windows-1253 x-cp1253",
    "cp1254": "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5 "
              "latin5 windows-1254 x-cp1254",
    "cp1255": "cp1255 windows-1255 x-cp1255",
    "cp1256": "cp1256 windows-1256 x-cp1256",
    "cp1257": "cp1257 windows-1257 x-cp1257",
    "cp1258": "cp1258 windows-1258 x-cp1258",
    "gb18030": "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk gb18030",
    "big5hkscs": "big5 big5-hkscs cn-big5 csbig5 x-x-big5",
    "euc_jp": "cseucpkdfmtjapanese euc-jp x-euc-jp",
    "iso2022_jp_ext": "csiso2022jp iso-2022-jp",
    "cp932": "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis",
    "cp949": "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 "
             "windows-949",
    "utf-16-be": "unicodefffe utf-16be",
    "utf-16-le": "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le",
    # WHATWG's "replacement" encoding (ISO-2022-KR/CN, HZ): a declaration to ignore
    "": "csiso2022kr hz-gb-2312 iso-2022-cn iso-2022-cn-ext iso-2022-kr",
}  # fmt: skip
_LABELS = {label: codec for codec, labels in _WHATWG_LABELS.items() for label in labels.split()}
#: Python codec names whose charset browsers read as a superset (for labels WHATWG does not list).
_SUPERSET = {
    "iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254", "iso8859-11": "cp874",
    "tis-620": "cp874", "gb2312": "gb18030", "gbk": "gb18030", "euc_kr": "cp949", "shift_jis": "cp932",
    "big5": "big5hkscs", "iso2022_jp": "iso2022_jp_ext",
}  # fmt: skip
#: Python text codecs that are not charsets a page can be written in.
_NOT_CHARSETS = {"unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined", "utf-7", "mbcs",
                 "oem", "charmap", "utf-8-sig"}  # fmt: skip


@lru_cache(maxsize=256)
def charset_codec(label: str | None) -> str | None:
    """The Python codec that decodes a charset label as a browser would, or None if unknown.

    WHATWG labels first (``latin1`` is cp1252, ``euc-kr`` is cp949); other labels Python knows
    are accepted when they name an ASCII-compatible charset (a page is never in base64 or EBCDIC).
    """
    if not label:
        return None
    label = label.strip().strip("\"'").strip().lower()
    if label in _LABELS:
        return _LABELS[label] or None
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError):
        return None
    name = _SUPERSET.get(info.name, info.name)
    if not info._is_text_encoding or name in _NOT_CHARSETS:  # type: ignore[attr-defined]
        return None
    if name.startswith(("utf-16", "utf-32")):
        return name
    try:
        if '<p charset="x">\n'.encode(name) != b'<p charset="x">\n':
            return None
    except (UnicodeError, LookupError):
        return None
    return name


# --- the <meta> prescan -------------------------------------------------------------------------------

PRESCAN_BYTES = 4096  # WHATWG asks for 1024; templates with long heads put <meta> later
_HEAD_LIMIT = 65_536  # beyond PRESCAN_BYTES, the scan goes on to the end of <head>, within this
_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_META = re.compile(rb"<meta[\s/][^>]*>", re.I)
_ATTRIBUTE = re.compile(rb"""([^\s/>"'=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")
_CONTENT_CHARSET = re.compile(rb"""charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s;"']+))""", re.I)
_HEAD_END = re.compile(rb"</head[\s>]|<body[\s>]", re.I)
_XML_ENCODING = re.compile(rb"""\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([\w.:-]{1,40})["']""")


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in ``<meta>`` (the WHATWG prescan), as a Python codec name.

    A ``<meta charset>`` or ``<meta http-equiv="Content-Type" content="...; charset=...">`` in the
    first 4 KB (or, failing that, anywhere in ``<head>``); the first one naming a known charset
    wins, a UTF-16 one means UTF-8 (the bytes were read as ASCII to find it). An XML declaration's
    ``encoding`` counts when no ``<meta>`` names one (browsers ignore it; XHTML pages rely on it).
    """
    name = _prescan(data[:PRESCAN_BYTES])
    if name is None and len(data) > PRESCAN_BYTES:
        end = _HEAD_END.search(data, 0, _HEAD_LIMIT)
        if end is not None and end.start() > PRESCAN_BYTES:
            name = _prescan(data[: end.start()])
    if name is None:
        match = _XML_ENCODING.match(data, 0, 512)
        name = charset_codec(match.group(1).decode("ascii")) if match else None
    if name is not None and name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return name


def _prescan(zone: bytes) -> str | None:
    if b"<meta" not in zone.lower():
        return None
    for tag in _META.finditer(_COMMENT.sub(b"", zone)):
        attributes: dict[bytes, bytes] = {}
        for match in _ATTRIBUTE.finditer(tag.group(0), 5):
            key = match.group(1).lower()
            value = match.group(2) or match.group(3) or match.group(4) or b""
            attributes.setdefault(key, value)
        label = attributes.get(b"charset")
        if label is None and b"content" in attributes:
            if attributes.get(b"http-equiv", b"").strip().lower() != b"content-type":
                continue
            found = _CONTENT_CHARSET.search(attributes[b"content"])
            label = (found.group(1) or found.group(2) or found.group(3)) if found else None
        name = charset_codec(label.decode("ascii", "replace")) if label else None
        if name:
            return name
    return None


# --- plausibility ---------------------------------------------------------------------------------------

#: A decoding whose oddness stays under this is plausible text. Measured (scripts/measure_decoding.py
#: pages): right decodings score under 0.01, wrong ones mostly far above.
PLAUSIBLE = 0.02
#: Oddness within this (plus half the least oddness) of the least odd decoding counts as equally
#: plausible: then the declaration, or the charset most pages are in (cp1252, cp1251), is preferred
#: to the detector's guess.
TIE = 0.01
#: The charsets most non-UTF-8 pages are in: tried beside any guess, and preferred on a tie.
COMMON = ("cp1252", "cp1251")
#: Charsets a detector proposes for Latin or Cyrillic text that pages are seldom in: on a tie they
#: come last (charset-normalizer ranks iso8859_14 or mac_roman first as often as the right one).
RARE = frozenset((
    "iso8859-3", "iso8859-4", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-16", "mac-roman",
    "mac-latin2", "mac-iceland", "mac-turkish", "mac-cyrillic", "mac-greek", "cp437", "cp850", "cp852",
    "cp855", "cp857", "cp858", "cp860", "cp861", "cp862", "cp863", "cp865", "cp866", "cp775", "cp1125",
    "hp-roman8", "kz1048", "ptcp154", "cp1258", "cp1257",
))  # fmt: skip
#: Tried after the detector's guesses, before the rare ones: detectors often miss them for the
#: rare charsets that read the same letters (iso8859_10 for Polish).
SECOND = ("iso8859-2", "cp1250", "koi8-r")
#: How many of the detector's plausible charsets are weighed.
GUESSES = 6
_SAMPLE_UNITS = 2000
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_MARKUP_BYTES = re.compile(rb"[<>]")
#: Punctuation stripped from a token's ends before it is looked up as a word.
_EDGES = "\"'“”‘’«»„‚‹›()[]{}.,;:!?…*/-–—"
#: Typographic punctuation as ASCII: a word whose only non-ASCII characters are these is known.
_ASCII_PUNCTUATION = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
#: Alphabets that never share a word: a word mixing them is mojibake (Latin text read as cp1251).
_ALPHABETS = frozenset(("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "GEORGIAN", "ARABIC", "HEBREW", "THAI"))
_CJK = frozenset(("HAN", "KANA", "HALFKANA", "HANGUL"))
#: Non-letters at home between two letters of a word (l’été, l·l, well–known).
_JOINERS = frozenset("’‘ʼ·‐‑–—")
_FINE_SYMBOLS = frozenset("°©®™")


def oddness(text: str) -> float:
    """How much ``text`` looks like mojibake: 0 for clean text, up to 1 when every non-ASCII piece is odd.

    The share of odd pieces among the non-ASCII ones (a word's letters, or a lone non-ASCII
    character): control and private-use characters; symbols glued to letters (``We▓d``) and
    other non-letters inside a word (``pi±tek``, ``Leto¹ní``); box drawing; a word mixing
    alphabets (``sautйed``) or turning to capitals inside (``оПЕГХДЕМР``, KOI8-R read as
    cp1251; a text in capitals is odd too); three accented Latin letters in a row (``Ïðèâåò``,
    cp1251 read as cp1252); one CJK character inside a Latin word (``It疏``, a curly quote and
    a letter read as Shift_JIS); a word of half-width katakana (``ﾏﾓﾔﾁﾅ``, Cyrillic as Shift_JIS).
    charset-normalizer's mess ratio was measured first: it is computed over all characters, so
    a few wrong quotes in English prose vanish in it.
    """
    odd, total = _odd_pieces(text)
    return min(odd / total, 1.0) if total else 0.0


def _odd_pieces(text: str) -> tuple[int, int]:
    """(odd pieces, non-ASCII pieces) of ``text``, within the first _SAMPLE_UNITS pieces."""
    odd = total = capitals = cased = 0
    for piece in _non_ascii_pieces(text):
        for word in piece.split():
            if not word.isascii():
                o, t = _odd_word(word)
                odd += o
                total += t
                if len(word) > 1 and word.isupper():
                    capitals += 1
                    cased += 1
                elif word != word.upper():
                    cased += 1
        if total >= _SAMPLE_UNITS:
            break
    if capitals >= 5 and capitals > 0.6 * cased:  # a page in capitals: KOI8-R read as cp1251
        odd = min(odd + capitals, total)
    return odd, total


def _non_ascii_pieces(text: str) -> Iterator[str]:
    """The stretches of ``text`` between tags (``<``, ``>``) that hold a non-ASCII character, lazily.

    The search jumps from one non-ASCII character to the next: a page of ASCII markup costs a few
    C-level scans, not a Python loop over its pieces.
    """
    pos, size = 0, len(text)
    while (found := _NON_ASCII.search(text, pos)) is not None:
        at = found.start()
        start = max(text.rfind("<", pos, at), text.rfind(">", pos, at)) + 1
        end = min((i for i in (text.find("<", at), text.find(">", at)) if i >= 0), default=size)
        yield text[max(start, pos) : end]
        pos = end + 1


def _odd_word(word: str) -> tuple[int, int]:
    """(odd pieces, non-ASCII pieces) of one whitespace-separated word."""
    kinds = [_kind(c) for c in word]
    odd = total = 0
    alphabets: set[str] = set()
    i, n = 0, len(word)
    while i < n:
        kind = kinds[i]
        if kind[0] == "L":  # a run of letters, with their combining marks
            j = i
            while j < n and (kinds[j][0] == "L" or kinds[j] == "mark"):
                j += 1
            run = word[i:j]
            if not run.isascii():
                total += 1
                odd += _odd_run(run, kinds[i:j])
            alphabets.update(k[2:] for k in kinds[i:j] if k[2:] in _ALPHABETS)
            i = j
            continue
        if not word[i].isascii() and kind != "mark":
            total += 1
            before = i > 0 and kinds[i - 1][2:] in _ALPHABETS
            after = i + 1 < n and kinds[i + 1][2:] in _ALPHABETS
            if (
                kind in ("odd", "box")
                or (kind == "sym" and (before or after))
                or (kind == "mid" and before and after)
            ):
                odd += 1
        i += 1
    if len(alphabets) > 1:  # sautйed, ё71.6million
        return total, total
    return odd, total


def _odd_run(run: str, kinds: list[str]) -> int:
    """1 if a run of letters holding a non-ASCII one looks like mojibake, else 0."""
    scripts = {k[2:] for k in kinds if k[0] == "L"}
    if ("HANGUL" in scripts and scripts & {"HAN", "KANA", "HALFKANA"}) or scripts == {"HALFKANA"}:
        return 1
    # It疏: a curly quote and the next letter read as one Shift_JIS, GBK or UHC character (a
    # Korean particle after a Latin word is fine, but not a syllable outside KS X 1001)
    if (
        "LATIN" in scripts
        and scripts & _CJK
        and sum(k[2:] in _CJK for k in kinds) == 1
        and ("HAN" in scripts or ("HANGUL" in scripts and not all(map(_common_hangul, run))))
    ):
        return 1
    for a, b in itertools.pairwise(run):
        if a.islower() and b.isupper() and not (a.isascii() and b.isascii()):
            return 1
    streak = 0
    for c, kind in zip(run, kinds, strict=True):
        streak = streak + 1 if kind == "L:LATIN" and not c.isascii() else 0
        if streak >= 3:
            return 1
    return 0


@lru_cache(maxsize=4096)
def _common_hangul(c: str) -> bool:
    """Whether ``c`` is not a Hangul syllable, or one of the 2,350 in everyday use (KS X 1001)."""
    if not "\uac00" <= c <= "\ud7a3":
        return True
    try:
        return len(c.encode("euc_kr")) == 2  # Python spells the others as eight-byte jamo sequences
    except UnicodeEncodeError:
        return False


@lru_cache(maxsize=16_384)
def _kind(c: str) -> str:
    """What a character is, for :func:`oddness`.

    ``L:<script>`` a letter; ``mark`` a combining mark; ``odd`` a control, private-use or
    unassigned character; ``box`` box drawing; ``sym`` a symbol that is odd glued to a letter;
    ``mid`` a Latin-1-range sign that is odd between two letters (``pi±tek``); ``other`` the rest
    (ASCII, CJK and fullwidth punctuation, joiners such as ’ or a soft hyphen).
    """
    category = unicodedata.category(c)
    if category[0] == "L":
        if c.isascii():
            return "L:LATIN"
        script = unicodedata.name(c, "UNKNOWN").split(" ", 1)[0]
        if script == "HALFWIDTH":
            return "L:HALFKANA"
        if script in ("HIRAGANA", "KATAKANA"):
            return "L:KANA"
        return "L:HAN" if script == "CJK" else f"L:{script}"
    if category[0] == "M":
        return "mark"
    if c.isascii() or category == "Cf" or c in _JOINERS:
        return "other"
    if category in ("Cc", "Co", "Cn", "Cs") or c == "\ufffd":
        return "odd"
    if "\u2500" <= c <= "\u259f":  # never in prose, often in KOI8 and DOS mojibake
        return "box"
    if c >= "\u3000":  # CJK and fullwidth punctuation sit next to letters
        return "other"
    if category in ("So", "Sk", "Sm") and c not in _FINE_SYMBOLS:
        return "sym"
    return "mid" if c < "\u0370" else "other"


# --- the detector ---------------------------------------------------------------------------------------


def _text_bytes(data: bytes, limit: int = 200_000) -> bytes:
    """The stretches of ``data`` between tags that hold non-ASCII bytes: what the detector sees.

    Markup is ASCII and drowns the signal. Splitting at ``<`` and ``>`` never cuts a character in
    an ASCII-compatible charset (no byte of a Shift_JIS, GBK, Big5 or EUC character is 0x3C or 0x3E).
    """
    pieces, size = [], 0
    for piece in _MARKUP_BYTES.split(data[: limit * 4]):
        if not piece.isascii():
            pieces.append(piece)
            size += len(piece)
            if size >= limit:
                break
    return b"\n".join(pieces)


def _detect(sample: bytes) -> list[str]:
    """charset-normalizer's plausible charsets for ``sample``, best first (labels; maybe none)."""
    from charset_normalizer import from_bytes  # lazy: only for the rare page that is not UTF-8

    return [match.encoding for match in from_bytes(sample, preemptive_behaviour=False)][:GUESSES]


# --- decoding -------------------------------------------------------------------------------------------


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """``data`` as text, and the charset used (``declared``: a charset label from a header, if any).

    >>> decode("café".encode("cp1252"))
    ('café', 'cp1252')
    """
    return decode_explained(data, declared)[:2]


def decode_explained(data: bytes, declared: str | None = None) -> tuple[str, str, str]:
    """As :func:`decode`, with how the charset was found: ``bom``, ``utf-8``, ``header``, ``meta``,
    ``guess`` or ``fallback`` (``header``/``meta`` only when the declaration was believed).

    Raises NotText for binary data; never anything else.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name, "bom"
    header = charset_codec(declared)
    if b"\x00" in data[:4096]:  # UTF-16 without a byte-order mark (a UTF-16 header alone is not enough)
        wide = _utf16(data, header)
        if wide is not None:
            return wide[0], wide[1], "header" if header == wide[1] else "guess"
    reason = binary_reason(data[:4096])
    if reason:
        raise NotText(reason)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and not data[: exc.start].isascii():
            # a UTF-8 page cut inside its last character
            return data[: exc.start].decode("utf-8", errors="replace") + "\ufffd", "utf-8", "utf-8"
    else:
        if b"\x1b" in data and data.isascii():  # 7-bit ISO-2022-JP validates as UTF-8
            escaped = _iso2022(data, header)
            if escaped is not None:
                return escaped, "iso2022_jp_ext", "header" if header == "iso2022_jp_ext" else "guess"
        return text, "utf-8", "utf-8"
    if _mostly_utf8(data):
        return data.decode("utf-8", errors="replace"), "utf-8", "utf-8"

    declarations: list[tuple[str, str, str]] = []  # (text, charset, how)
    for name, how in ((header, "header"), (declared_charset(data), "meta")):
        if name is not None and name != "utf-8" and all(name != c[1] for c in declarations):
            text = _strict(data, name)
            if text is not None:
                declarations.append((text, name, how))
    if declarations and _plausible(*_odd_pieces(declarations[0][0])) and _known(declarations[0][0]) >= 0.5:
        return declarations[0]  # looks like text, and its words are words (or cannot be looked up)
    # the declarations failed: weigh them against the common charsets and the detector's guesses
    guesses: list[tuple[str, str, str]] = []
    names = {c[1] for c in declarations}
    for name in (*COMMON, *(charset_codec(label) for label in _detect_safely(data)), *SECOND):
        if name is None or name in names or name.startswith(("utf-16", "utf-32")):
            continue
        names.add(name)
        text = _strict(data, name) or _nearly(data, name)
        if text is not None and all(text != c[0] for c in declarations + guesses):  # same text: first wins
            guesses.append((text, name, "guess"))
    guesses.sort(key=lambda c: c[1] in RARE)  # stable: the common charsets, then the detector's order
    candidates = declarations + guesses
    if not candidates:
        return data.decode("cp1252", errors="replace"), "cp1252", "fallback"
    scores = [_odd_pieces(c[0]) for c in candidates]
    best = min(scores, key=lambda s: s[0] / s[1] if s[1] else 0.0)
    tied = [c for c, score in zip(candidates, scores, strict=True) if _as_good(score, best)]
    if len(tied) > 1:  # decodings that all look like text: the one whose words are words wins
        known = [_known(c[0]) for c in tied]
        return tied[known.index(max(known))]  # on a tie, the first: declared, common, detector's order
    return tied[0]


def _known(text: str) -> float:
    """:func:`_known_share`, 0.5 (no opinion) if the word lists fail: they must not fail the page."""
    try:
        return _known_share(text)
    except Exception:
        return 0.5


def _known_share(text: str, sample: int = 100) -> float:
    """The share of the words with a non-ASCII letter in ``text`` that a word list holds.

    Two charsets of one family (iso-8859-2 and cp1250, cp1252 and iso-8859-2) both give letters,
    only one gives words: ``škola`` is Czech, ``ąkola`` is nothing. wordfreq knows the frequent
    words of 40-odd languages; a word counts as known in the language of the text around the
    non-ASCII characters or in that of the words themselves (an English menu around a Russian
    headline). A text whose non-ASCII characters are all punctuation (English with curly quotes)
    scores 1: nothing in it is unknown; CJK or Thai text, whose words have no spaces, scores 0.5.
    """
    from dehusk.language import detect_language, script_language

    pieces: list[str] = []
    words: dict[str, None] = {}
    for piece in _non_ascii_pieces(text):
        pieces.append(piece)
        for token in piece.split():
            word = token.strip(_EDGES).translate(_ASCII_PUNCTUATION).casefold()
            if len(word) >= 2 and any(not c.isascii() and _kind(c)[:2] in ("L:", "ma") for c in word):
                words[word] = None  # a word with a non-ASCII letter or mark (not 360°)
        if len(words) >= sample:
            break
    if not words:
        return 1.0
    prose = " ".join(words)
    if script_language(prose):
        return 0.5
    lists = [
        _word_list(lang) for lang in {detect_language([" ".join(pieces[:30])]), detect_language([prose])}
    ]
    known = [k for k in lists if k]
    if not known:
        return 0.5
    return sum(any(w in k or max(w.split("'"), key=len) in k for k in known) for w in words) / len(words)


def _word_list(lang: str | None) -> Lexicon | None:
    """wordfreq's list for ``lang``: ``word in`` it as in ``get_frequency_dict(lang)``, without a
    dict of half a million words per language in every process (see repair/lexicon.py)."""
    from dehusk.repair.lexicon import lexicon

    return lexicon(lang) if lang else None


def _plausible(odd: int, total: int) -> bool:
    return odd <= PLAUSIBLE * total


def _as_good(score: tuple[int, int], best: tuple[int, int]) -> bool:
    """Whether a decoding with ``score`` (odd pieces, pieces) is about as plausible as ``best``:
    its rate within TIE plus half the best rate."""
    (odd, total), (least, of) = score, best
    return (odd / total if total else 0.0) <= (least / of if of else 0.0) * 1.5 + TIE


def _strict(data: bytes, name: str) -> str | None:
    try:
        return data.decode(name)
    except (UnicodeDecodeError, LookupError):
        return None


def _nearly(data: bytes, name: str) -> str | None:
    """``data`` in ``name`` with a few undecodable bytes replaced, if only a few are."""
    try:
        text = data.decode(name, errors="replace")
    except LookupError:
        return None
    return text if text.count("\ufffd") <= 2 + len(text) // 2000 else None


def _detect_safely(data: bytes) -> list[str]:
    try:
        return _detect(_text_bytes(data))
    except Exception:  # a detector bug must not fail the page: the common charsets are still there
        return []


def _mostly_utf8(data: bytes) -> bool:
    """Whether bytes that are not valid UTF-8 are UTF-8 with a few stray bytes.

    Pages stitched from parts (a UTF-8 page with one Latin-1 snippet) or cut are common; read
    as a legacy charset they would turn every other non-ASCII character into mojibake. Legacy
    charsets hardly ever form valid multi-byte UTF-8 sequences by chance.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")
    return good >= 20 * bad


def _utf16(data: bytes, header: str | None) -> tuple[str, str] | None:
    """UTF-16 without a byte-order mark: declared in a header, or NULs in every other byte."""
    head = data[:4096]
    name = header if header and header.startswith("utf-16") else None
    if name is None and len(head) >= 16:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if even == 0 and odd >= len(head) // 8:
            name = "utf-16-le"
        elif odd == 0 and even >= len(head) // 8:
            name = "utf-16-be"
    if name is None or not name.startswith("utf-16"):
        return None
    text = _strict(data[: len(data) // 2 * 2], name)
    if text is None or binary_reason(text[:2048].encode("utf-8")):
        return None
    return text, name


def _iso2022(data: bytes, header: str | None) -> str | None:
    """ISO-2022-JP (7-bit, with escape sequences) when declared or when its escapes are there."""
    escapes = (b"\x1b$B", b"\x1b$@", b"\x1b(J", b"\x1b(I")
    declared = "iso2022_jp_ext" in (header, declared_charset(data))
    if not declared and not any(escape in data for escape in escapes):
        return None
    return _strict(data, "iso2022_jp_ext")
