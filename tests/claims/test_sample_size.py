"""Krippendorff's sample-size table for reliability data, checked against its published values."""

import pytest

from claims import sample_size


def test_four_equal_categories_at_800_need_139_values_as_published():
    # Krippendorff (2019), quoted in ATLAS.ti's manual (Sample size and decision rules): p_c = .25, p = .05.
    assert sample_size.required_values(0.8, 0.25, significance=0.05) == 139


def test_four_equal_categories_at_667_need_81_values_as_published():
    assert sample_size.required_values(0.667, 0.25, significance=0.05) == 81


def test_more_coders_multiply_the_values_and_rarer_categories_need_more():
    assert sample_size.required_values(0.8, 0.25, coders=3) > 139
    assert sample_size.required_values(0.8, 0.1) > sample_size.required_values(0.8, 0.25)
    assert sample_size.required_values(0.9, 0.25) > 139
    assert sample_size.required_values(0.8, 0.25, significance=0.01) > 139


def test_plan_takes_the_rarest_used_label_and_counts_what_is_missing():
    planned = sample_size.plan(0.8, [30, 30, 30, 30, 0], pairable_units=50)
    assert planned["rarest_share"] == 0.25
    assert planned["units"] == 70
    assert planned["more_units"] == 20
    assert sample_size.plan(0.8, [10, 0], pairable_units=5) is None


@pytest.mark.parametrize(("alpha_min", "rarest", "significance"), [(1.0, 0.2, 0.05), (0.8, 0.0, 0.05), (0.8, 0.2, 0.7)])
def test_out_of_range_parameters_are_refused(alpha_min, rarest, significance):
    with pytest.raises(ValueError, match="between"):
        sample_size.required_values(alpha_min, rarest, significance=significance)
