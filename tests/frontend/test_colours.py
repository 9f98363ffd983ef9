"""Chip text drawn on a label's colour stays readable whatever colour the lead picks."""

from hypothesis import given
from hypothesis import strategies as st

from frontend.colours import DARK_INK, LIGHT_INK, contrast, ink_for

HEX_COLOURS = st.integers(min_value=0, max_value=0xFFFFFF).map(lambda n: f"#{n:06x}")


@given(HEX_COLOURS)
def test_the_ink_chosen_for_any_colour_reaches_wcag_aa_contrast(colour):
    assert contrast(ink_for(colour), colour) >= 4.5


def test_the_default_quote_green_gets_dark_ink_and_the_claim_blue_light_ink():
    assert ink_for("#2ca02c") == DARK_INK
    assert ink_for("#1f77b4") == LIGHT_INK


def test_a_colour_css_cannot_read_gets_the_ink_of_the_page():
    assert ink_for("green") == DARK_INK
