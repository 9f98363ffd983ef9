"""Where a sentence ends in each script, and paragraphs re-joined where a stray blank line broke a sentence."""

from __future__ import annotations

import re

from annotator.text.blocks import Block
from annotator.text.limits import current_budget

# Sentence-ending punctuation of Latin, Chinese and Japanese, Devanagari and Arabic script, and the
# closing quotes and brackets that may follow it.
_STOPS = ".!?…:;。｡！？．：；।॥؟۔"
_CLOSERS = "\"'”\u2019)]»」』）】〕》〉"
# Words that cannot end an English sentence: a paragraph ending in one was cut mid-sentence.
FUNCTION_WORDS = {
    "a", "an", "the", "of", "to", "in", "on", "at", "for", "with", "by", "from", "into",
    "and", "or", "but", "nor", "that", "which", "who", "whom", "whose", "as", "than",
    "its", "their", "his", "her", "our", "your", "my", "this", "these", "those", "is",
    "are", "was", "were", "be", "been", "has", "have", "had", "will", "would", "could",
    "should", "can", "may", "might", "must", "not", "if", "when", "while", "because",
    "about", "over", "under", "between", "against", "after", "before", "during",
}  # fmt: skip


def ends_with_stop(text: str) -> bool:
    """Whether `text` ends a sentence in some script: a stop, then only closing quotes or brackets.

    Read from the end, since paragraphs are long: a regular expression anchored at the end would
    try every stop in the paragraph. A last newline is ignored, as `$` would.
    """
    text = text.removesuffix("\n").rstrip(_CLOSERS)
    return bool(text) and text[-1] in _STOPS


def _continues(previous: str, following: str) -> bool:
    """Whether `following` is the rest of a sentence that `previous` broke off."""
    if ends_with_stop(previous):
        return False
    first = following[0]
    if first.islower() or first.isdigit() or first in ",;)]":
        return True
    last_word = re.sub(r"\W+$", "", previous.rsplit(None, 1)[-1]).lower()
    return previous.endswith(",") or last_word in FUNCTION_WORDS


def merge_broken_paragraphs(blocks: list[Block]) -> list[str]:
    paragraphs: list[list[str]] = []
    kinds: list[str] = []
    budget = current_budget()
    for number, block in enumerate(blocks):
        if number % 1000 == 0:
            budget.check_time()
        text = block.joined
        if not text:
            continue
        if (
            paragraphs
            and block.kind == kinds[-1]
            and block.kind in ("para", "quote")
            and _continues(paragraphs[-1][-1], text)
        ):
            paragraphs[-1].append(text)
        else:
            paragraphs.append([text])
            kinds.append(block.kind)
    return [" ".join(parts) for parts in paragraphs]
