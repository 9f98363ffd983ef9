"""Sentence boundaries in one paragraph of news English, and of other scripts: Lede's rules at each full stop,
? ! and ellipsis, and at the sentence ends of Chinese, Japanese and Devanagari text.

Pure Python, no Django. `sentence_starts(paragraph)` gives the offset where each sentence
begins; a sentence runs to the next start, so offsets into the paragraph stay exact.

A boundary is a candidate wherever terminal punctuation (with any closing quotes or brackets)
is followed by space. It holds when the next sentence starts with a capital or an opening
quote, except (docs/segmentation.md has the test set, the comparison with syntok and pysbd,
and why rules alone won; every rule is measured on tests/annotator/data/sentence_boundaries.txt):

- never before a lower-case word: "Why?" he asked; "the U.S. on Jan. 5";
- never after a title or an initial: "said Rep. Nancy Pelosi", "Lt. Gen. Mark Jones",
  "John F. Kennedy", "St. Louis";
- after an initialism or another known abbreviation (U.S., D.C., Calif., Univ.) only before a
  word that starts sentences far more often than it follows a name ("The", "He", "But"...),
  because "the U.S. Army said" is common;
- after a.m./p.m., company and name suffixes (Inc., Corp., Jr.) and numbers with units ($3bn.),
  also before a capitalised word followed by a lower-case one, unless it is a day, month or
  time zone ("9 a.m. Monday") or another abbreviation follows ("Co. Inc.");
- before a digit only after a plain lower-case word ("Jan. 5", "No. 10" stay whole);
- after an ellipsis before any capital but "I"; after an e-mail or web address or a month
  abbreviation before any capital ("press@example.org. Calls", "in Jan. February was").

A letter of a script without capitals (Arabic, Persian, Hebrew, Devanagari...) after a full
stop and a space starts a sentence as a capital would, unless the stop ends a Latin
abbreviation or initial; the Arabic question mark ؟ counts as "?".

Chinese and Japanese 。！？ (full and half width) and Devanagari's danda । and double danda ॥
end a sentence with or without a space after them. After a quotation closed behind such a
stop (“…。”, 「…。」) with no space, the text that follows is the quotation's attribution and
stays with it when it is short (up to `ATTRIBUTION_LENGTH` characters to the next stop:
“…。”他说。, 「…。」と述べた。) or starts with the quoting particle と/って; a longer one is a
sentence of its own.

Then no sentence begins with a closing quote or bracket, or with a lower-case attribution
after a quoted question, and no sentence is bare punctuation.
"""

from __future__ import annotations

import re

# Abbreviations that stand before a name and never end a sentence in news copy.
TITLES = frozenset(
    """
    adm amb atty brig capt cmdr col cpl del det dr drs fmr fr ft gen gens gov govs hon insp lt
    maj messrs mmes mr mrs ms mt pres prof pvt rep reps rev sec sen sens sgt st supt ald
    mon tue tues wed thu thur thurs fri
    """.split()  # noqa: SIM905
)
# Abbreviations after which a capitalised word followed by a lower-case one starts a sentence.
ENDING_ABBREVIATIONS = frozenset(
    "a.m p.m inc corp co ltd llc plc jr sr ave blvd rd bros etc pct approx".split()  # noqa: SIM905
)
# Capitalised words that follow a time or a name far more often than they start a sentence.
NOT_SENTENCE_STARTS = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december jan feb mar apr jun jul aug sep sept
    oct nov dec eastern pacific central mountain local gmt utc et est edt ct cst cdt pt pst pdt
    mt bst cet
    """.split()  # noqa: SIM905
)
# Words that start sentences far more often than they follow an abbreviation mid-sentence.
SENTENCE_STARTERS = frozenset(
    """
    a after all an and as at before both but by each for from he her his however i if in it its
    few many most my no not on one our she so some that the their then there these they this those
    though to two under we what when where which while who why yet you
    """.split()  # noqa: SIM905
)

OTHER_ABBREVIATIONS = frozenset(
    """
    no nos art arts sec secs vol vols p pp ch fig figs est vs v cf univ dept avg al e.g i.e
    ala ariz ark calif colo conn fla ga ill ind kan kans ky la md mass mich minn miss mo mont neb
    nev okla ore pa tenn tex va vt wash wis wyo n.y n.j d.c
    """.split()  # noqa: SIM905
)
MONTHS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())  # noqa: SIM905

_CLOSING_QUOTES = "”\u2019»」』"
_STRAIGHT_QUOTES = "\"'"
# Terminal punctuation, closing marks, space, then the next sentence's opening marks and first character.
_BOUNDARY = re.compile(r"(?P<stop>[.!?…؟]+)[\"'”\u2019»)\]]*\s+(?P<start>[\"“\u2018'(\[]*(?P<first>\S))")
_FOLLOWING = re.compile(r"[\w'\u2019\-.]*")
_AFTER_NEXT = re.compile(r"[\"“\u2018(]?[A-Z][\w'\u2019\-]*[,;:]?\s+(?P<then>\S)")
_INITIALISM = re.compile(r"(?:[A-Za-z]\.){1,4}[A-Za-z]")
_ALNUM = re.compile(r"[^\W_]")  # what str.isalnum() accepts: \w is those and "_"
_ADDRESS = re.compile(r"(?:\S+@)?(?:[a-z0-9\-]+\.)+[a-z]{2,}(?:/\S*)?")
_NUMBER_WITH_UNIT = re.compile(r"[$€£¥]?\d[\d.,]*(?:bn|m|k|tn|kg|km|mph)")
# Sentence ends that need no space after them, any closing marks, then the space if any.
_SCRIPT_BOUNDARY = re.compile(r"[。｡！？।॥]+(?P<close>[」』”’\"'）)\]】〕》〉»]*)(?P<space>\s*)(?=\S)")
_SCRIPT_STOPS = "。｡！？।॥"
_SCRIPT_STOP = re.compile(f"[{_SCRIPT_STOPS}]")
_OPENING_MARKS = "「『“‘\"'（(【〔《〈«"
ATTRIBUTION_LENGTH = 16


def sentence_starts(paragraph: str) -> list[int]:
    """The offset of each sentence's first character, the first being 0."""
    found = [match.start("start") for match in _BOUNDARY.finditer(paragraph) if _ends_sentence(paragraph, match)]
    found = sorted({*found, *_script_ends(paragraph)})
    kept = [0]
    for start, end in zip(found, [*found[1:], len(paragraph)], strict=False):
        previous = paragraph[kept[-1] : start].rstrip()
        if 0 < start < len(paragraph) and not _wrongly_split(paragraph, previous, start, end):
            kept.append(start)
    return kept


def _ends_sentence(paragraph: str, match: re.Match) -> bool:
    """Whether the terminal punctuation of `match` ends a sentence (see the module docstring)."""
    stop, first = match["stop"], match["first"]
    if first.islower():
        return False
    if "?" in stop or "!" in stop or "؟" in stop:
        return True
    word = paragraph[paragraph.rfind(" ", 0, match.start()) + 1 : match.start()].lstrip("(\"“\u2018'[")
    if first.isalpha() and not first.isupper():  # a script without capitals
        return not (len(word) == 1 or _abbreviation(word.lower()) or _INITIALISM.fullmatch(word))
    if "…" in stop or stop.startswith(".."):
        return first.isupper() and not paragraph.startswith("I ", match.start("first"))
    if not first.isupper():  # a digit, currency sign or symbol: "Jan. 5", "No. 10", "approx. $5"
        return word.isalpha() and word.islower() and len(word) > 2 and not _abbreviation(word.lower())
    following = _FOLLOWING.match(paragraph, match.start("first"))[0]
    lower = word.lower()
    if lower in TITLES or (len(word) == 1 and word.isalpha()):
        return False
    if _ADDRESS.fullmatch(word) or lower in MONTHS:
        return True
    can_end = lower in ENDING_ABBREVIATIONS or bool(_NUMBER_WITH_UNIT.fullmatch(word))
    if (can_end or _INITIALISM.fullmatch(word)) and following.endswith(".") and len(following) <= 5:
        return False  # another abbreviation follows: "Dole Food Co. Inc.", "the U.S. Gen."
    if can_end:
        if following.lower() in SENTENCE_STARTERS:
            return True
        after = _AFTER_NEXT.match(paragraph, match.start("start"))
        return following.lower() not in NOT_SENTENCE_STARTS and bool(after and after["then"].islower())
    if _INITIALISM.fullmatch(word) or lower in OTHER_ABBREVIATIONS:
        return following.lower() in SENTENCE_STARTERS
    return True


def _script_ends(paragraph: str) -> list[int]:
    """Where sentences start after 。！？ । ॥ (see the module docstring)."""
    starts = []
    if paragraph.isascii() or not any(stop in paragraph for stop in _SCRIPT_STOPS):  # faster than the regex's scan
        return starts
    for match in _SCRIPT_BOUNDARY.finditer(paragraph):
        start = match.end()
        if match["close"] and not match["space"] and paragraph[start] not in _OPENING_MARKS:
            following = _SCRIPT_STOP.search(paragraph, start)
            tail = paragraph[start : following.start() if following else len(paragraph)]
            if paragraph.startswith(("と", "って"), start) or (
                len(tail) <= ATTRIBUTION_LENGTH and not any(mark in tail for mark in _OPENING_MARKS)
            ):
                continue
        starts.append(start)
    return starts


def _abbreviation(word: str) -> bool:
    return word in TITLES or word in ENDING_ABBREVIATIONS or word in OTHER_ABBREVIATIONS or word in MONTHS


def _wrongly_split(paragraph: str, previous: str, start: int, end: int) -> bool:
    """No sentence begins with a closing quote or a lower-case attribution after a quoted
    question or exclamation ("Why?" he asked), no sentence is bare punctuation (syntok splits
    "0()[]." before the full stop), and no sentence ends with a title ("said Rep. | Nancy")."""
    if not _ALNUM.search(paragraph, start, end):
        return True
    last_word = previous.rsplit(None, 1)[-1] if previous else ""
    if last_word.endswith(".") and last_word[:-1].lstrip("(\"“\u2018'").lower() in TITLES:
        return True
    first = paragraph[start]
    after = paragraph[start + 1 : start + 2]
    if first in _CLOSING_QUOTES:
        return True
    if first in _STRAIGHT_QUOTES and (not after or after.isspace() or after in ",.;:!?)"):
        return True
    return first.islower() and bool(re.search(r"[?!][\"'”\u2019»]*$|[\"”\u2019»]$", previous))


def quotation_starts(paragraph: str, starts: list[int]) -> list[int]:
    """`starts` without the ones inside a quotation, so a quotation that spans sentences is one unit.

    A quotation is open after a sentence that leaves more opening than closing curly quotes, or
    an odd number of straight double quotes. When it closes later in the paragraph, the
    sentences up to the closing one (with its attribution) become one; a quotation that never
    closes keeps its sentences apart, since where it ends is unknown.
    """
    ends = [*starts[1:], len(paragraph)]
    kept: list[int] = []
    curly, straight_open, quoting = 0, False, False
    for start, end in zip(starts, ends, strict=True):
        if not quoting:
            kept.append(start)
        piece = paragraph[start:end]
        opened = piece.count("“") + piece.count("「") + piece.count("『")
        curly = max(0, curly + opened - piece.count("”") - piece.count("」") - piece.count("』"))
        straight_open ^= piece.count('"') % 2 == 1
        quoting = curly > 0 or straight_open
    if quoting:  # never closed: keep the sentences after the opening one apart
        kept += [start for start in starts if start > kept[-1]]
    return kept
