"""The annotation screen's article as HTML: every sentence a focusable span with its label chip.

Built here rather than in the template's loop: Django's template engine spends most of the
screen's time on an article of thousands of sentences, a plain join a fraction of it.
"""

from itertools import groupby

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def _sentence(pk: int, text: str, label: str, decided: str | None) -> str:
    label = escape(label)
    link = f' <a class="decided" href="#feedback-{pk}">decided: {escape(decided)}</a>' if decided else ""
    return (
        f'<span class="sentence{" labelled" if label else ""}" id="s{pk}" data-id="{pk}" data-label="{label}" '
        f'tabindex="-1"><span class="text">{escape(text)}</span> '
        f'<span class="chip" aria-hidden="{"false" if label else "true"}">{label}</span>{link}</span> '
    )


def article_html(sentences, labels: dict[int, str], decided: dict[int, str] | None = None) -> SafeString:
    """`sentences` (with `pk`, `paragraph`, `text`, in order) as paragraphs; `labels`: label name by sentence id;
    `decided`: the decided label by sentence id where the reviewer sees feedback on it."""
    decided = decided or {}
    return mark_safe(  # every value is escaped in _sentence
        "\n".join(
            '<p class="paragraph" dir="auto">'
            + "".join(_sentence(s.pk, s.text, labels.get(s.pk, ""), decided.get(s.pk)) for s in group)
            + "</p>"
            for _, group in groupby(sentences, key=lambda s: s.paragraph)
        )
    )
