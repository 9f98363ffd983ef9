"""Fleiss' kappa (generalized), Gwet's AC1/AC2 and weighted Cohen's kappa against irrCAC and Gwet's handbook."""

import numpy as np
import pandas as pd
import pytest
from irrCAC.datasets import raw_4raters, raw_5observers
from irrCAC.raw import CAC
from irrCAC.table import CAC as TableCAC
from irrCAC.weights import Weights

from claims import kappas


def counts_of(frame: pd.DataFrame, categories: list) -> np.ndarray:
    ratings = frame.to_numpy()
    return np.stack([(ratings == category).sum(axis=1) for category in categories], axis=1)


def test_gwet_handbook_four_raters_ac1_and_fleiss():
    """Gwet (2014), Table 2.16 (irrCAC's raw_4raters): AC1 0.7754 (se 0.1430), Fleiss' kappa 0.7612 (se 0.1530)."""
    counts = counts_of(raw_4raters(), [1.0, 2.0, 3.0, 4.0, 5.0])
    identity = kappas.weights_for("nominal", 5).matrix

    ac1 = kappas.gwet_ac(counts, identity)
    fleiss = kappas.fleiss_kappa(counts, identity)

    assert ac1.value == pytest.approx(0.7754, abs=5e-5)
    assert ac1.se == pytest.approx(0.1430, abs=1e-4)
    assert fleiss.value == pytest.approx(0.7612, abs=5e-5)
    assert fleiss.se == pytest.approx(0.1530, abs=1e-4)
    assert (fleiss.units, fleiss.pairable_units) == (12, 11)


@pytest.mark.parametrize(("level", "irr_weights"), [("ordinal", "linear"), ("interval", "quadratic")])
def test_weighted_coefficients_match_irrcac_on_the_handbooks_five_observers(level, irr_weights):
    frame = raw_5observers()
    categories = [0.0, 1.0, 2.0, 3.0, 4.0]
    counts = counts_of(frame, categories)
    weights = kappas.weights_for(level, 5, categories).matrix
    oracle = CAC(frame, weights=irr_weights, categories=categories)

    for ours, theirs in (
        (kappas.gwet_ac(counts, weights), oracle.gwet()),
        (kappas.fleiss_kappa(counts, weights), oracle.fleiss()),
    ):
        assert round(ours.value, 4) == round(theirs["est"]["coefficient_value"], 4)
        assert round(ours.se, 4) == round(theirs["est"]["se"], 4)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize(
    ("level", "irr_weights"), [("nominal", "identity"), ("ordinal", "linear"), ("interval", "quadratic")]
)
def test_coefficients_match_irrcac_on_generated_incomplete_data(seed, level, irr_weights):
    rng = np.random.default_rng(seed)
    units, coders, k = 40, int(rng.integers(2, 6)), int(rng.integers(2, 6))
    truth = rng.integers(0, k, units)
    labels = np.where(rng.random((units, coders)) < 0.6, truth[:, None], rng.integers(0, k, (units, coders)))
    labels = np.where(rng.random((units, coders)) < 0.25, -1, labels)
    labels[:, 0] = truth  # every unit keeps a label
    values = np.sort(rng.choice(np.arange(1, 20), k, replace=False)).astype(float)
    categories = values.tolist() if level == "interval" else [float(c) for c in range(k)]
    frame = pd.DataFrame(np.where(labels >= 0, np.asarray(categories)[labels], np.nan))
    counts = counts_of(frame, categories)
    weights = kappas.weights_for(level, k, values).matrix
    oracle = CAC(frame, weights=irr_weights, categories=categories, digits=12)

    for ours, theirs in (
        (kappas.gwet_ac(counts, weights), oracle.gwet()),
        (kappas.fleiss_kappa(counts, weights), oracle.fleiss()),
    ):
        assert ours.value == pytest.approx(theirs["est"]["coefficient_value"], abs=1e-9)
        assert ours.se == pytest.approx(theirs["est"]["se"], abs=1e-9)


@pytest.mark.parametrize(("level", "irr_weights"), [("ordinal", "linear"), ("interval", "quadratic")])
def test_weighted_cohen_kappa_matches_irrcac(level, irr_weights):
    confusion = np.array([[11, 3, 1, 0], [2, 9, 4, 1], [0, 3, 10, 2], [1, 0, 2, 12]])
    values = [1.0, 2.0, 4.0, 8.0] if level == "interval" else [0.0, 1.0, 2.0, 3.0]
    frame = pd.DataFrame(confusion, index=values, columns=values)
    oracle_weights = Weights(values)[irr_weights]
    expected = TableCAC(frame, weights=oracle_weights, digits=12).cohen()["est"]["coefficient_value"]

    assert kappas.weighted_cohen_kappa(confusion, kappas.weights_for(level, 4, values).matrix) == pytest.approx(
        expected, abs=1e-9
    )


def test_null_coefficients_say_why():
    identity = np.eye(2)
    assert kappas.fleiss_kappa(np.array([[1, 0], [0, 1]]), identity).reason == "not_enough_units"
    assert kappas.fleiss_kappa(np.array([[2, 0], [3, 0]]), identity).reason == "no_variation"
    assert kappas.gwet_ac(np.array([[2], [3]]), np.eye(1)).reason == "one_category"
    assert kappas.weighted_cohen_kappa(np.zeros((2, 2)), identity) is None


def test_an_unused_label_of_the_scheme_changes_ac1_as_irrcac_computes_it_and_the_report_names_it():
    """Gwet's chance agreement counts the scheme's categories, so a sixth label nobody gave moves AC1 of the
    handbook's four raters; the report says how many categories AC used and which went unused."""
    from claims.agreement import compute_agreement

    frame = raw_4raters()
    categories = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    oracle = CAC(frame, categories=categories, digits=12).gwet()["est"]["coefficient_value"]
    data = np.nan_to_num(frame.to_numpy(), nan=0).astype(int) - 1  # 1..5 -> 0..4, missing -> -1
    names = ["a", "b", "c", "d", "e", "f"]
    report = compute_agreement(data, coders=list(frame.columns), categories=names)

    assert report["gwet"]["value"] == pytest.approx(oracle, abs=1e-9)
    assert report["gwet"]["value"] != pytest.approx(0.7754, abs=1e-3)  # the five-category figure
    assert (report["gwet"]["categories"], report["gwet"]["unused_labels"]) == (6, ["f"])
