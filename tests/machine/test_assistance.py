"""The anchoring estimate: a seeded simulated study with a planted effect, and its interval's coverage."""

import numpy as np
import pytest

from machine.assistance import Labels, assistance_effect

CLAIM, QUOTE, OPINION = 0, 1, 2
OWN_ACCURACY = 0.8  # a reviewer's own label is right this often, else one of the two others at random
ACCEPT = 0.4  # an assisted reviewer takes the suggestion this often, whatever it says
TURNED = 0.3  # the model turns this share of opinions into claims


def planted_effect() -> float:
    """How much more often assisted labels equal the model's: ACCEPT * P(own label differs from the model's).

    The model is wrong on 0.4 * TURNED of sentences (opinions, on average 40% of an article); there a
    reviewer's own label equals it (claim) with (1 - OWN_ACCURACY) / 2, elsewhere with OWN_ACCURACY."""
    wrong = 0.4 * TURNED
    own_equals_model = (1 - wrong) * OWN_ACCURACY + wrong * (1 - OWN_ACCURACY) / 2
    return ACCEPT * (1 - own_equals_model)


def simulated_study(seed: int, articles: int = 200, sentences: int = 10, reviewers: int = 3) -> Labels:
    rng = np.random.default_rng(seed)
    rows = []
    for article in range(articles):
        opinion_share = 0.8 * rng.beta(4, 4)  # articles differ: some are mostly opinion (mean 0.4)
        shares = np.array([0.8 - opinion_share, 0.2, opinion_share])
        truth = rng.choice(3, size=sentences, p=shares)
        model = np.where((truth == OPINION) & (rng.random(sentences) < TURNED), CLAIM, truth)
        for _ in range(reviewers):
            assisted = rng.random() < 0.5  # drawn per reviewer and article, as assignments are
            own = np.where(rng.random(sentences) < OWN_ACCURACY, truth, (truth + rng.integers(1, 3, sentences)) % 3)
            label = np.where(assisted & (rng.random(sentences) < ACCEPT), model, own)
            for index in range(sentences):
                rows.append((article, article * sentences + index, label[index], assisted, model[index], truth[index]))
    columns = np.array(rows, dtype=np.int64).T
    return Labels(
        article=columns[0],
        sentence=columns[1],
        label=columns[2],
        assisted=columns[3].astype(bool),
        model=columns[4],
        gold=columns[5],
    )


def test_the_anchoring_interval_excludes_0_and_contains_the_planted_effect():
    result = assistance_effect(simulated_study(seed=7), 3, seed=1)
    low, high = result["model_share"]["difference_ci95"]
    assert 0 < low <= planted_effect() <= high
    # Taking a suggestion changes accuracy by the model's minus the reviewer's own: ACCEPT * (0.88 - 0.8).
    low, high = result["accuracy"]["difference_ci95"]
    assert low <= ACCEPT * ((1 - 0.4 * TURNED) - OWN_ACCURACY) <= high
    assert result["agreement"]["difference"] > 0


def test_a_study_without_assisted_labels_has_no_difference():
    study = simulated_study(seed=3, articles=20)
    study.assisted = np.zeros(len(study.label), dtype=bool)
    result = assistance_effect(study, 3, resamples=50)
    assert result["model_share"]["assisted"] is None
    assert result["model_share"]["difference"] is None


def test_the_interval_covers_the_planted_effect_in_about_95_of_100_studies():
    """Coverage by seeded simulation: 100 studies of 100 articles, 500 resamples each."""
    covered = 0
    for seed in range(100):
        result = assistance_effect(simulated_study(seed=1000 + seed, articles=100), 3, resamples=500, seed=seed)
        low, high = result["model_share"]["difference_ci95"]
        covered += low <= planted_effect() <= high
    # 95 expected; with 100 studies fewer than 88 happens with probability below 1%.
    assert covered >= 88


@pytest.mark.parametrize("figure", ["agreement", "accuracy", "model_share"])
def test_each_figure_by_arm_equals_a_count_by_hand(figure):
    study = simulated_study(seed=11, articles=20)
    result = assistance_effect(study, 3, resamples=10)
    for arm, name in ((True, "assisted"), (False, "unassisted")):
        mine = study.assisted == arm
        if figure == "accuracy":
            expected = np.mean(study.label[mine] == study.gold[mine])
        elif figure == "model_share":
            expected = np.mean(study.label[mine] == study.model[mine])
        else:
            agreeing = pairs = 0
            for sentence in np.unique(study.sentence):
                labels = study.label[mine & (study.sentence == sentence)]
                for i in range(len(labels)):
                    for j in range(i + 1, len(labels)):
                        pairs += 1
                        agreeing += labels[i] == labels[j]
            expected = agreeing / pairs
        assert result[figure][name] == pytest.approx(expected)
