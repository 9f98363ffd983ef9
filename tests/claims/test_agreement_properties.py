"""Agreement statistics against independent implementations on random data (hypothesis).

Oracles: the `krippendorff` package (alpha, all levels), NLTK's AnnotationTask (nominal
alpha, Cohen's kappa, multi-pi = Fleiss' kappa, observed agreement) and statsmodels
(`fleiss_kappa`, `cohens_kappa`).
"""

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.metrics.agreement import AnnotationTask
from statsmodels.stats.inter_rater import cohens_kappa as sm_cohens_kappa
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from claims.agreement import (
    LEVELS,
    cohen_kappa,
    confusion_matrix,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
)

checks = settings(max_examples=60, deadline=None)


@st.composite
def labelled_units(draw, *, complete=False, coders=None):
    """(data, K): units x coders category indices, -1 for missing unless ``complete``."""
    k = draw(st.integers(2, 5))
    n_coders = coders or draw(st.integers(1, 6))
    units = draw(st.integers(1, 25))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    # Agreement structure: most coders copy a per-unit "truth", so alpha spans its range.
    copy_rate = draw(st.sampled_from([0.0, 0.5, 0.9]))
    truth = rng.integers(0, k, units)
    data = np.where(rng.random((units, n_coders)) < copy_rate, truth[:, None], rng.integers(0, k, (units, n_coders)))
    if not complete:
        data[rng.random((units, n_coders)) < draw(st.sampled_from([0.0, 0.2, 0.5]))] = -1
    return data, k


def package_alpha(data, k, level, scale):
    """The package's alpha on coders x units floats with NaN; None where it has no answer."""
    reliability = np.where(data < 0, np.nan, scale[np.clip(data, 0, None)]).T
    if (np.sum(~np.isnan(reliability), axis=0) < 2).all():
        return None  # the package raises: no unit labelled by two coders
    with np.errstate(divide="ignore", invalid="ignore"):
        value = krippendorff.alpha(reliability, value_domain=scale, level_of_measurement=level)
    return None if np.isnan(value) else float(value)


@checks
@given(labelled_units(), st.sampled_from(LEVELS), st.data())
def test_alpha_matches_krippendorff_package(sample, level, extra):
    data, k = sample
    scale = np.arange(k, dtype=float)
    values = None
    if level == "interval":
        drawn = extra.draw(st.lists(st.integers(-50, 50), min_size=k, max_size=k, unique=True))
        values = scale = np.array(sorted(drawn), dtype=float)
    ours = krippendorff_alpha(data, n_categories=k, level=level, values=values).alpha
    theirs = package_alpha(data, k, level, scale)
    if ours is None:
        assert theirs is None
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)


@checks
@given(labelled_units())
def test_nominal_alpha_matches_nltk(sample):
    data, k = sample
    ours = krippendorff_alpha(data, n_categories=k).alpha
    triples = [(str(c), str(u), int(data[u, c])) for u, c in zip(*np.nonzero(data >= 0), strict=True)]
    if ours is None:
        return  # NLTK answers 1.0 or raises where alpha is undefined (0/0)
    assert ours == pytest.approx(AnnotationTask(data=triples).alpha(), abs=1e-9)


def task(data):
    return AnnotationTask(data=[(str(c), str(u), int(v)) for (u, c), v in np.ndenumerate(data)])


@checks
@given(labelled_units(complete=True, coders=2))
def test_cohen_kappa_matches_nltk_and_statsmodels(sample):
    data, k = sample
    ours = cohen_kappa(data[:, 0], data[:, 1], n_categories=k)
    table = confusion_matrix(data[:, 0], data[:, 1], n_categories=k)
    if ours is None:
        assert len(set(data.ravel().tolist())) == 1
        return
    assert ours == pytest.approx(sm_cohens_kappa(table, return_results=False), abs=1e-9)
    assert ours == pytest.approx(task(data).kappa(), abs=1e-9)


@checks
@given(labelled_units(complete=True).filter(lambda s: s[0].shape[1] >= 2))
def test_fleiss_kappa_matches_statsmodels_and_nltk_multi_pi(sample):
    data, k = sample
    result = fleiss_kappa(data, n_categories=k)
    assert (result.units, result.pairable_units) == (data.shape[0], data.shape[0])
    if result.value is None:
        assert len(set(data.ravel().tolist())) == 1
        return
    table = np.stack([(data == c).sum(axis=1) for c in range(k)], axis=1)
    assert result.value == pytest.approx(sm_fleiss_kappa(table), abs=1e-9)
    assert result.value == pytest.approx(task(data).pi(), abs=1e-9)


@checks
@given(labelled_units(complete=True).filter(lambda s: s[0].shape[1] >= 2))
def test_percent_agreement_matches_nltk_average_observed_agreement(sample):
    data, _ = sample
    assert percent_agreement(data) == pytest.approx(task(data).avg_Ao(), abs=1e-9)


@checks
@given(labelled_units(), st.sampled_from(LEVELS), st.integers(0, 2**32 - 1))
def test_alpha_does_not_depend_on_unit_or_coder_order(sample, level, seed):
    data, k = sample
    rng = np.random.default_rng(seed)
    shuffled = data[rng.permutation(len(data))][:, rng.permutation(data.shape[1])]
    first = krippendorff_alpha(data, n_categories=k, level=level).alpha
    second = krippendorff_alpha(shuffled, n_categories=k, level=level).alpha
    assert (first is None) == (second is None)
    if first is not None:
        assert first == pytest.approx(second, abs=1e-12)


@checks
@given(labelled_units(), st.integers(0, 2**32 - 1))
def test_nominal_alpha_does_not_depend_on_category_names(sample, seed):
    data, k = sample
    relabel = np.random.default_rng(seed).permutation(k)
    renamed = np.where(data < 0, -1, relabel[np.clip(data, 0, None)])
    first = krippendorff_alpha(data, n_categories=k).alpha
    second = krippendorff_alpha(renamed, n_categories=k).alpha
    assert (first is None) == (second is None)
    if first is not None:
        assert first == pytest.approx(second, abs=1e-12)
