"""Lede's own sentence classifier and its model card: texts and label indices in, a fitted pipeline and figures out.

No Django here, and no downloaded weights: word and character n-gram TF-IDF feed a linear model
whose scores are calibrated probabilities. `bench/model_speed.py` times training and labelling;
`tests/machine/test_classifier.py` picks the linear model by cross-validated macro-F1 on BABE.
"""

import io
import pickle
import re
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from claims.agreement import krippendorff_alpha

FEATURES = "word 1-2-grams and character 2-4-grams within words (TF-IDF, sublinear counts)"
LINEAR_MODELS = ("sgd", "logistic", "svm")
# Logistic loss fitted by stochastic gradient descent. On BABE's opinion labels (3,700 sentences,
# 5 folds by article) macro-F1 was 0.614 against 0.628 for lbfgs logistic regression and 0.596 for
# a calibrated linear SVM, at a seventh of logistic regression's CPU time: the one that lets a
# 50,000-sentence project's version (five folds and the final fit) train within a minute.
DEFAULT_LINEAR = "sgd"
FOLDS = 5


class WordCharNgrams(TransformerMixin, BaseEstimator):
    """Character n-gram counts within words, as scikit-learn's `char_wb` analyzer counts them, made fast.

    A sentence's `char_wb` counts are the sum of its words' (each word padded with a space on
    either side), so each distinct word's n-grams are counted once, into a words-by-n-grams matrix,
    and a batch of sentences is its word counts times that matrix: Python touches each token once,
    not each character. Words first met at labelling time are counted the same way for that batch.
    N-grams in fewer than `min_df` training sentences are dropped, as `min_df` does.
    """

    def __init__(self, ngram_range=(2, 4), min_df=2):
        self.ngram_range = ngram_range
        self.min_df = min_df

    def _word_counts(self, texts, words: dict, grow: bool):
        rows, cols, new, known = [], [], {}, len(words)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                j = words.get(word)
                if j is None:
                    if grow:
                        j = words[word] = len(words)
                    else:
                        j = known + new.setdefault(word, len(new))
                rows.append(i)
                cols.append(j)
        return rows, cols, new

    def _gram_matrix(self, words: list[str], grams: dict, grow: bool) -> sparse.csr_matrix:
        analyze = TfidfVectorizer(analyzer="char_wb", ngram_range=self.ngram_range, lowercase=False).build_analyzer()
        rows, cols = [], []
        for i, word in enumerate(words):
            for gram in analyze(word):
                j = grams.setdefault(gram, len(grams)) if grow else grams.get(gram)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
        return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(words), len(grams)))

    def fit(self, texts, y=None):
        self.transform_fitted(texts)
        return self

    def transform_fitted(self, texts):
        words: dict[str, int] = {}
        rows, cols, _ = self._word_counts(texts, words, grow=True)
        counts = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), len(words)))
        grams: dict[str, int] = {}
        by_word = self._gram_matrix(list(words), grams, grow=True)
        found = counts @ by_word
        kept = np.flatnonzero(np.asarray((found > 0).sum(axis=0)).ravel() >= self.min_df)
        names = np.array(list(grams), dtype=object)[kept]
        self.grams_ = {gram: j for j, gram in enumerate(names)}
        self.words_ = words
        self.by_word_ = by_word[:, kept].tocsr()
        return found[:, kept]

    def fit_transform(self, texts, y=None):
        return self.transform_fitted(texts)

    def transform(self, texts):
        words = self.words_
        rows, cols, new = self._word_counts(texts, words, grow=False)
        by_word = self.by_word_
        if new:
            by_word = sparse.vstack([by_word, self._gram_matrix(list(new), self.grams_, grow=False)]).tocsr()
        counts = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), by_word.shape[0]))
        return counts @ by_word


TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


class WordNgrams(TransformerMixin, BaseEstimator):
    """Word 1- and 2-gram counts, as scikit-learn's word analyzer with `ngram_range=(1, 2)` counts them, made fast.

    Python only finds the tokens (one regular expression per sentence) and looks each up once;
    a bigram is the pair of its words' numbers, looked up among the training bigrams by NumPy. A
    bigram with a word never seen in training cannot be a training bigram, so such words are dropped.
    """

    def __init__(self, min_df=2):
        self.min_df = min_df

    def _ids(self, texts, tokens: dict, grow: bool):
        ids, lengths = [], np.empty(len(texts), dtype=np.int64)
        for i, text in enumerate(texts):
            found = TOKEN.findall(text.lower())
            lengths[i] = len(found)
            if grow:
                ids.extend([tokens.setdefault(token, len(tokens)) for token in found])
            else:
                ids.extend([tokens.get(token, -1) for token in found])
        return np.asarray(ids, dtype=np.int64), lengths

    def _pairs(self, ids, lengths, n_tokens):
        """Each token's sentence, and each bigram's key (first * n + second) and sentence."""
        sentence = np.repeat(np.arange(len(lengths)), lengths)
        same = sentence[1:] == sentence[:-1]
        first, second = ids[:-1][same], ids[1:][same]
        known = (first >= 0) & (second >= 0)
        return sentence, first[known] * n_tokens + second[known], sentence[:-1][same][known]

    def fit(self, texts, y=None):
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts, y=None):
        self.tokens_ = {}
        ids, lengths = self._ids(texts, self.tokens_, grow=True)
        n = len(self.tokens_)
        sentence, keys, key_sentence = self._pairs(ids, lengths, n)
        uni_df = np.bincount(np.unique(sentence * n + ids) % n, minlength=n)
        bigrams, inverse = np.unique(keys, return_inverse=True)
        pairs = np.unique(key_sentence * len(bigrams) + inverse)
        bi_df = np.bincount(pairs % max(len(bigrams), 1), minlength=len(bigrams))
        self.unigrams_ = np.full(n, -1, dtype=np.int64)
        kept_uni = np.flatnonzero(uni_df >= self.min_df)
        self.unigrams_[kept_uni] = np.arange(len(kept_uni))
        self.bigrams_ = bigrams[bi_df >= self.min_df]
        return self._counts(ids, lengths, len(texts))

    def _counts(self, ids, lengths, n_texts):
        n = len(self.tokens_)
        sentence, keys, key_sentence = self._pairs(ids, lengths, n)
        known = ids >= 0
        columns = self.unigrams_[ids[known]]
        rows = sentence[known][columns >= 0]
        columns = columns[columns >= 0]
        where = np.searchsorted(self.bigrams_, keys)
        found = where < len(self.bigrams_)
        found[found] = self.bigrams_[where[found]] == keys[found]
        n_uni = int(self.unigrams_.max()) + 1 if len(self.unigrams_) else 0
        rows = np.concatenate([rows, key_sentence[found]])
        columns = np.concatenate([columns, n_uni + where[found]])
        return sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, columns)), shape=(n_texts, n_uni + len(self.bigrams_))
        )

    def transform(self, texts):
        ids, lengths = self._ids(texts, self.tokens_, grow=False)
        return self._counts(ids, lengths, len(texts))


def features() -> FeatureUnion:
    """Word 1-2-grams and character 2-4-grams within words, each TF-IDF weighted with sublinear counts."""
    word = Pipeline([("counts", WordNgrams()), ("tfidf", TfidfTransformer(sublinear_tf=True))])
    char = Pipeline([("counts", WordCharNgrams()), ("tfidf", TfidfTransformer(sublinear_tf=True))])
    return FeatureUnion([("word", word), ("char", char)])


def pipeline(linear: str = DEFAULT_LINEAR, *, seed: int = 0) -> Pipeline:
    """The unfitted model: features, then the linear model named (`logistic` or `svm`)."""
    if linear == "sgd":
        model = SGDClassifier(
            loss="log_loss", alpha=1e-4, class_weight="balanced", max_iter=15, tol=None, random_state=seed
        )
    elif linear == "logistic":
        model = LogisticRegression(C=1.0, max_iter=300, class_weight="balanced")
    elif linear == "svm":
        model = CalibratedClassifierCV(LinearSVC(C=0.5, class_weight="balanced", random_state=seed), cv=3)
    else:
        raise ValueError(f"unknown linear model {linear!r}; one of {LINEAR_MODELS}")
    return Pipeline([("features", features()), ("model", model)])


def fit(texts: list[str], labels: np.ndarray, linear: str = DEFAULT_LINEAR) -> Pipeline:
    """A pipeline fitted on `texts` with `labels` (category indices)."""
    return pipeline(linear).fit(texts, np.asarray(labels))


def predict(fitted: Pipeline, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each text's most probable category index and its probability (the score a reviewer sees)."""
    if not texts:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    probabilities = fitted.predict_proba(texts)
    best = probabilities.argmax(axis=1)
    return fitted.classes_[best].astype(np.int64), probabilities[np.arange(len(texts)), best]


def dumps(fitted: Pipeline) -> bytes:
    buffer = io.BytesIO()
    pickle.dump(fitted, buffer, protocol=pickle.HIGHEST_PROTOCOL)
    return buffer.getvalue()


def loads(data: bytes) -> Pipeline:
    """The pipeline from `dumps`. Only ever called on bytes Lede's own worker wrote to its own database:
    unpickling runs code, so model bytes from anywhere else must never reach it (docs/leads/models.md)."""
    return pickle.loads(data)


@dataclass
class CrossValidation:
    predicted: np.ndarray  # each sentence's out-of-fold category index
    folds: int


def cross_validate(
    texts: list[str], labels: np.ndarray, groups: np.ndarray, linear: str = DEFAULT_LINEAR
) -> CrossValidation:
    """Out-of-fold predictions, the folds split by article (`groups`) so no article is in two folds."""
    labels, groups = np.asarray(labels), np.asarray(groups)
    folds = min(FOLDS, len(np.unique(groups)))
    if folds < 2:
        raise ValueError("cross-validation needs sentences from at least two articles")
    predicted = np.empty(len(labels), dtype=np.int64)
    for train, test in GroupKFold(n_splits=folds).split(texts, labels, groups):
        if len(np.unique(labels[train])) < 2:
            predicted[test] = labels[train][0]
            continue
        fitted = fit([texts[i] for i in train], labels[train], linear)
        predicted[test] = fitted.predict([texts[i] for i in test])
    return CrossValidation(predicted=predicted, folds=folds)


def macro_f1(truth: np.ndarray, predicted: np.ndarray, n_categories: int) -> float:
    """The mean over the categories present in `truth` or `predicted` of each one's F1."""
    scores = []
    for category in range(n_categories):
        tp = np.sum((predicted == category) & (truth == category))
        fp = np.sum((predicted == category) & (truth != category))
        fn = np.sum((predicted != category) & (truth == category))
        if tp + fp + fn:
            scores.append(2 * tp / (2 * tp + fp + fn))
    return float(np.mean(scores)) if scores else 0.0


def _precision_recall(truth, predicted, category) -> tuple[float | None, float | None]:
    tp = np.sum((predicted == category) & (truth == category))
    said, there = np.sum(predicted == category), np.sum(truth == category)
    return (float(tp / said) if said else None, float(tp / there) if there else None)


def _by_article_rows(groups: np.ndarray) -> list[np.ndarray]:
    _, inverse = np.unique(groups, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    bounds = np.flatnonzero(np.diff(inverse[order])) + 1
    return np.split(order, bounds)


def card_figures(
    truth: np.ndarray,
    predicted: np.ndarray,
    groups: np.ndarray,
    categories: list[str],
    *,
    resamples: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> dict:
    """The model card's figures from out-of-fold predictions: training n per label, accuracy, macro-F1,
    each label's precision and recall with percentile intervals from resampling articles (a sentence's
    errors go with its article's), and alpha between the model and the gold as two coders."""
    truth, predicted, groups = np.asarray(truth), np.asarray(predicted), np.asarray(groups)
    k = len(categories)
    articles = _by_article_rows(groups)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(articles), (resamples, len(articles)))
    draws = [np.concatenate([articles[i] for i in pick]) for pick in picks]
    tail = (1 - confidence) / 2 * 100
    labels = []
    for category, name in enumerate(categories):
        precision, recall = _precision_recall(truth, predicted, category)
        sampled = np.array(
            [[np.nan if v is None else v for v in _precision_recall(truth[d], predicted[d], category)] for d in draws]
        )
        intervals = []
        for column in range(2):
            values = sampled[:, column][~np.isnan(sampled[:, column])]
            intervals.append(
                [float(np.percentile(values, tail)), float(np.percentile(values, 100 - tail))] if len(values) else None
            )
        labels.append(
            {
                "label": name,
                "training_n": int(np.sum(truth == category)),
                "precision": precision,
                "precision_ci95": intervals[0],
                "recall": recall,
                "recall_ci95": intervals[1],
            }
        )
    alpha = krippendorff_alpha(np.stack([truth, predicted], axis=1), n_categories=k).alpha
    return {
        "training_n": len(truth),
        "articles": len(articles),
        "accuracy": float(np.mean(truth == predicted)) if len(truth) else None,
        "macro_f1": macro_f1(truth, predicted, k),
        "alpha_against_gold": alpha,
        "labels": labels,
    }
