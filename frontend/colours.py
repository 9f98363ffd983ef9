"""Text colours that stay readable on a label's colour (WCAG 2 contrast), for chips drawn in that colour."""

import re

DARK_INK = "#000000"
LIGHT_INK = "#ffffff"
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _luminance(color: str) -> float:
    """WCAG relative luminance of a `#rrggbb` colour."""
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    lighter, darker = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def ink_for(background: str) -> str:
    """Black or white, whichever contrasts more with the background: one of them always reaches 4.58:1.

    A colour CSS cannot read leaves the chip without a background, on the page's light paper.
    """
    if not HEX_COLOUR.fullmatch(background):
        return DARK_INK
    return max((DARK_INK, LIGHT_INK), key=lambda ink: contrast(ink, background))
