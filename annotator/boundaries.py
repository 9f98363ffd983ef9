"""Sentence boundaries in one paragraph of news English: syntok plus Lede's rules for newsroom abbreviations.

Pure Python, no Django. `sentence_starts(paragraph)` gives the offset where each sentence
begins; a sentence runs to the next start, so offsets into the paragraph stay exact.

syntok (see docs/segmentation.md for why it was chosen) is right on most text; the rules
below fix what it gets wrong in news copy, each measured on tests/annotator/data/
sentence_boundaries.txt:

- Titles never end a sentence: syntok splits "said Rep. | Nancy Pelosi" and "Lt. | Gen.".
- An abbreviation that can end a sentence does end it when a sentence plainly starts after
  it: "at 9 a.m. They agreed", "returned to the U.S. He", "Meta Platforms Inc. Meta denied".
  After an initialism (U.S., D.C.) only a word that starts sentences far more often than it
  follows a name counts ("The", "He", "But"...), because "the U.S. Army said" is common; after
  a.m./p.m., company and name suffixes and numbers with units, a capitalised word followed by
  a lower-case one also counts, unless it is a day, month or time zone ("9 a.m. Monday").
- An e-mail address or web address ends a sentence before a capitalised word
  ("press@example.org. Calls were not returned").
- An ellipsis character before a capitalised word ends a sentence ("She waited… The phone").
- No sentence begins with a closing quote or bracket, or with a lower-case attribution after a
  quoted question ("Why?" he asked), and no sentence is bare punctuation.
"""

from __future__ import annotations

import re

from syntok import segmenter as syntok_segmenter

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
    many most my no not on one our she so some that the their then there these they this those
    though to two under we what when where which while who why yet you
    """.split()  # noqa: SIM905
)

_CLOSING_QUOTES = "”\u2019»"
_STRAIGHT_QUOTES = "\"'"
_LEADING_CLOSER = re.compile(r"(?:[.!?…,;:)\]]+[\"'”\u2019»)\]]*\s+)?")
# A full stop or ellipsis, closing marks, space, then what may be a sentence's first word.
_CANDIDATE = re.compile(
    r"(?P<word>\S+?)(?P<stop>\.|…)[\"'”\u2019»)\]]*\s+"
    r"(?=[\"“\u2018(]?(?P<next>[A-Z][\w'\u2019\-]*))"
)
_AFTER_NEXT = re.compile(r"[\"“\u2018(]?[A-Z][\w'\u2019\-]*[,;:]?\s+(?P<then>\S)")
_INITIALISM = re.compile(r"(?:[A-Za-z]\.){1,4}[A-Za-z]")
_ADDRESS = re.compile(r"(?:\S+@)?(?:[a-z0-9\-]+\.)+[a-z]{2,}(?:/\S*)?")
_NUMBER_WITH_UNIT = re.compile(r"[$€£¥]?\d[\d.,]*(?:bn|m|k|tn|kg|km|mph)")


def sentence_starts(paragraph: str) -> list[int]:
    """The offset of each sentence's first character, the first being 0."""
    starts = [sentence[0].offset for tokens in syntok_segmenter.analyze(paragraph) for sentence in tokens if sentence]
    # Closing punctuation that syntok put at the start of a sentence belongs to the one before.
    starts = {_LEADING_CLOSER.match(paragraph, s).end() for s in starts}
    starts |= set(_missed_starts(paragraph))
    starts = sorted({0, *(s for s in starts if 0 < s < len(paragraph))})
    kept = [0]
    for start, end in zip(starts[1:], [*starts[2:], len(paragraph)], strict=False):
        if not _wrongly_split(paragraph, paragraph[kept[-1] : start].rstrip(), start, end):
            kept.append(start)
    return kept


def _missed_starts(paragraph: str):
    """Sentence starts after an abbreviation, address or ellipsis that syntok joins on."""
    for match in _CANDIDATE.finditer(paragraph):
        word, following = match["word"].lstrip("(\"“\u2018'"), match["next"]
        if match["stop"] == "…" or word.endswith(".."):
            ends = following != "I"
        elif _ADDRESS.fullmatch(word):
            ends = True
        else:
            ends = _ends_before(word, following, _AFTER_NEXT.match(paragraph, match.end()))
        if ends:
            yield match.end()


def _ends_before(word: str, following: str, after_next: re.Match | None) -> bool:
    abbreviation = word.lower()
    if abbreviation in TITLES or len(word) == 1 or "." in following:
        return False
    if following.lower() in SENTENCE_STARTERS:
        return bool(_INITIALISM.fullmatch(word) or abbreviation in ENDING_ABBREVIATIONS or _number(word))
    if abbreviation in ENDING_ABBREVIATIONS or _number(word):
        return following.lower() not in NOT_SENTENCE_STARTS and bool(after_next and after_next["then"].islower())
    return False


def _number(word: str) -> bool:
    return bool(_NUMBER_WITH_UNIT.fullmatch(word))


def _wrongly_split(paragraph: str, previous: str, start: int, end: int) -> bool:
    """No sentence begins with a closing quote or a lower-case attribution after a quoted
    question or exclamation ("Why?" he asked), no sentence is bare punctuation (syntok splits
    "0()[]." before the full stop), and no sentence ends with a title ("said Rep. | Nancy")."""
    if not any(char.isalnum() for char in paragraph[start:end]):
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
        curly = max(0, curly + piece.count("“") - piece.count("”"))
        straight_open ^= piece.count('"') % 2 == 1
        quoting = curly > 0 or straight_open
    if quoting:  # never closed: keep the sentences after the opening one apart
        kept += [start for start in starts if start > kept[-1]]
    return kept
