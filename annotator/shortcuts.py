"""Every keyboard shortcut of every screen, said once: the screens take their keys from here, and no label key
may take one (a label's key decides that label on the annotation and the curator screens alike)."""

from __future__ import annotations

import string
from dataclasses import dataclass

# How a key's name (KeyboardEvent.key) is shown on a page.
SHOWN = {"ArrowDown": "↓", "ArrowUp": "↑", "ArrowRight": "→", "ArrowLeft": "←", "Escape": "Esc"}


@dataclass(frozen=True)
class Shortcut:
    """Pressing any of `keys` (KeyboardEvent.key; one character stands for its upper case too) does `action`."""

    action: str
    keys: tuple[str, ...]
    does: str

    @property
    def shown(self) -> list[str]:
        return [SHOWN.get(key, key) for key in self.keys]


SCREENS: dict[str, tuple[Shortcut, ...]] = {
    "annotate": (
        Shortcut("next", ("j", "ArrowDown", "ArrowRight"), "next sentence"),
        Shortcut("previous", ("k", "ArrowUp", "ArrowLeft"), "previous sentence"),
        Shortcut("first", ("Home",), "first sentence"),
        Shortcut("last", ("End",), "last sentence"),
        Shortcut("next-unlabelled", ("n",), "next unlabelled sentence"),
        Shortcut("clear", ("Delete", "Backspace"), "remove the label"),
        Shortcut("sources", ("s",), "sources and speaker of this sentence"),
        Shortcut("undo", ("u",), "undo the last change"),
        Shortcut("suggestion", ("a",), "take the model's suggestion for this sentence, where one is shown"),
        Shortcut("guidelines", ("g",), "the project's guidelines and what each label means"),
        Shortcut("keys", ("?",), "this help"),
        Shortcut("close", ("Escape",), "close a panel"),
    ),
    "curate": (
        Shortcut("next", ("j", "ArrowDown"), "next sentence"),
        Shortcut("previous", ("k", "ArrowUp"), "previous sentence"),
        Shortcut("first", ("Home",), "first sentence"),
        Shortcut("last", ("End",), "last sentence"),
        Shortcut("accept", ("a",), "accept the plurality and move on"),
        Shortcut("unresolved", ("x",), "mark unresolved"),
        Shortcut("details", ("r",), "the decision's details: speaker, sources, category, rationale"),
        Shortcut("undecide", ("Delete", "Backspace"), "remove the decision"),
        Shortcut("keys", ("?",), "this help; Esc closes it"),
    ),
}

# The characters a label key cannot be: every one-character shortcut of any screen, in either case.
RESERVED_KEYS = frozenset(
    case for shortcuts in SCREENS.values() for s in shortcuts for key in s.keys if len(key) == 1
    for case in (key.lower(), key.upper())
)  # fmt: skip
# What a lead may pick from, as the forms say: digits, then letters, none of them a shortcut.
FREE_KEYS = [key for key in string.digits + string.ascii_lowercase if key not in RESERVED_KEYS]


def key_map(screen: str) -> dict[str, str]:
    """Key name -> action of one screen, for its script (`data.shortcuts`)."""
    return {key: shortcut.action for shortcut in SCREENS[screen] for key in shortcut.keys}


def taken_by(key: str) -> str:
    """What `key` already does, on every screen that uses it ("u is the key for “undo the last change” on
    the annotation screen"), or ''."""
    names = {"annotate": "annotation screen", "curate": "curator screen"}
    uses = [
        f"“{shortcut.does}” on the {names[screen]}"
        for screen, shortcuts in SCREENS.items()
        for shortcut in shortcuts
        if key.lower() in (k.lower() for k in shortcut.keys)
    ]
    return f"{key} is the key for {' and for '.join(uses)}" if uses else ""


def reserved_said() -> str:
    """The reserved characters as forms and errors list them."""
    return " ".join(sorted({key.lower() for key in RESERVED_KEYS}))
