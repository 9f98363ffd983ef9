"""How many units reliability data need before alpha can be told apart from a minimum: Krippendorff's table.

Krippendorff (2004, 2013, *Content Analysis*, ch. 12; 2019) plans the size of a reliability sample with
Bloch and Kraemer's (1989, eq. 3.7) formula for the number of units two coders must code so that
alpha can be significantly above a smallest acceptable alpha_min, at a one-sided level p, when the
rarest category has probability p_c:

    N = z_p^2 * ((1 + a)(3 - a) / (4 p_c (1 - p_c)(1 - a)) - a),   a = alpha_min

His table lists the values (codings) two coders give, 2N rounded up: for p_c = 1/4 (four equally
likely categories) and p = .05, 139 at alpha_min = .800 and 81 at .667 (the published values
`tests/claims/test_sample_size.py` checks). The formula assumes independent units; sentences
nested in articles also need the article count of `claims.article_intervals`. No Django import.
"""

import math
from statistics import NormalDist

# The conventional level of Krippendorff's table; a lead can ask for another.
SIGNIFICANCE = 0.05


def required_values(alpha_min: float, rarest: float, *, significance: float = SIGNIFICANCE, coders: int = 2) -> int:
    """The pairable values `coders` coders must give (Krippendorff's table, for two coders): coders x N, rounded up."""
    if not 0 < alpha_min < 1:
        raise ValueError(f"alpha_min must be between 0 and 1, got {alpha_min}")
    if not 0 < rarest < 1:
        raise ValueError(f"the rarest category's probability must be between 0 and 1, got {rarest}")
    if not 0 < significance < 0.5:
        raise ValueError(f"the significance level must be between 0 and 0.5, got {significance}")
    z = NormalDist().inv_cdf(1.0 - significance)
    a = alpha_min
    units = z * z * ((1 + a) * (3 - a) / (4 * rarest * (1 - rarest) * (1 - a)) - a)
    # Rounded after multiplying, as the table is: 2 x 69.26 = 138.5 gives 139.
    return math.ceil(coders * units - 1e-9)


def required_units(alpha_min: float, rarest: float, *, significance: float = SIGNIFICANCE) -> int:
    """The units (sentences with two labels) the table asks for: half its values for two coders, rounded up."""
    return math.ceil(required_values(alpha_min, rarest, significance=significance) / 2)


def plan(alpha_min: float, marginals, pairable_units: int, *, significance: float = SIGNIFICANCE) -> dict | None:
    """The sample the table asks for, given the pairable values of each category so far (`marginals`).

    The rarest category is the rarest one in use (a label nobody gave has no estimate); None with
    fewer than two categories in use. `more_units` is how many more sentences with two labels that is.
    """
    used = [float(n) for n in marginals if n > 0]
    if len(used) < 2:
        return None
    rarest = min(used) / sum(used)
    units = required_units(alpha_min, rarest, significance=significance)
    return {
        "alpha_min": alpha_min,
        "significance": significance,
        "rarest_share": round(rarest, 6),
        "units": units,
        "more_units": max(0, units - int(pairable_units)),
        "method": "Krippendorff's sample size for reliability data (Bloch & Kraemer 1989, eq. 3.7), two coders",
    }
