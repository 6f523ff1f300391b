"""The ML gallery scenes 8-14 compute what they show: each module's computation is checked against an
independent reference (scikit-learn, scipy, a hand-written loop, a separate QP solve). No video here."""
import ast
import importlib
import math
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.signal import convolve2d, correlate2d
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE
from sklearn.neighbors import KNeighborsClassifier

ROOT = Path(__file__).resolve().parents[1]
SLUGS = {"pca": 8, "convolution": 9, "rnn": 10, "tsne": 11, "svm": 12, "image_classification": 13,
         "sentiment": 14}


def read_meta(slug):
    tree = ast.parse((ROOT / "animations" / f"{slug}.py").read_text(encoding="utf-8"))
    node = next(n for n in tree.body if isinstance(n, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "META" for t in n.targets))
    return ast.literal_eval(node.value)


@pytest.mark.parametrize("slug", sorted(SLUGS))
def test_meta_is_a_literal_matching_the_module(slug):
    meta = read_meta(slug)
    mod = importlib.import_module(f"animations.{slug}")
    assert meta["order"] == SLUGS[slug] and meta["category"] == "ml"
    assert meta["title"] and meta["summary"] and meta["keywords"]
    assert isinstance(getattr(mod, meta["scene"]), type)
    assert (ROOT / "documentation" / f"{meta['notes']}.md").exists()
    assert (ROOT / "documentation" / f"{meta['notes']}.tex").exists()
    for name, p in meta["params"].items():
        assert getattr(mod, name) == p["default"]  # the module-level constant the provider rewrites
        assert type(p["default"]).__name__ == p["type"]
        if "min" in p:
            assert p["min"] <= p["default"] <= p["max"]


# --- PCA -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n,rho", [(60, 0.8), (20, -0.9), (150, 0.0), (150, 0.9)])
def test_pca_axes_and_variance_match_sklearn(n, rho):
    from animations import pca
    X = pca.make_data(n, rho, pca.SEED)
    mean, cov, values, comps = pca.pca(X)
    ref = PCA(n_components=2).fit(X)
    np.testing.assert_allclose(mean, ref.mean_, atol=1e-12)
    np.testing.assert_allclose(cov, np.cov(X.T), atol=1e-12)
    for c, r in zip(comps, ref.components_):  # same axes up to sign
        assert min(np.abs(c - r).max(), np.abs(c + r).max()) < 1e-8
    np.testing.assert_allclose(values, ref.explained_variance_, rtol=1e-10)
    np.testing.assert_allclose(values / values.sum(), ref.explained_variance_ratio_, rtol=1e-10)
    # projection onto PC1 == sklearn's reconstruction from its first score alone
    t = ref.transform(X)[:, 0]
    recon = ref.mean_ + np.outer(t, ref.components_[0])
    np.testing.assert_allclose(pca.project(X, mean, comps[0]), recon, atol=1e-10)
    # the data stays inside the plotted axes for every allowed parameter value
    assert np.all(np.abs(X[:, 0]) < 6) and np.all(np.abs(X[:, 1]) < 4)


# --- convolution -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["edge", "blur", "sharpen", "vertical", "horizontal"])
@pytest.mark.parametrize("index", [0, 7, 1796])
def test_convolution_is_valid_cross_correlation(name, index):
    from animations import convolution as conv
    image, label = conv.load_image(index)
    digits = load_digits()
    np.testing.assert_array_equal(image, digits.images[index])
    assert label == digits.target[index]
    k = conv.kernel(name)
    out = conv.cross_correlate_valid(image, k)
    assert out.shape == (6, 6)
    np.testing.assert_allclose(out, correlate2d(image, k, mode="valid"), atol=1e-12)


def test_convolution_kernels_and_choices():
    from animations import convolution as conv
    assert read_meta("convolution")["params"]["KERNEL"]["choices"] == list(conv.KERNELS)
    # with an asymmetric kernel, cross-correlation (what CNNs compute) differs from true convolution
    image, _ = conv.load_image(0)
    k = conv.kernel("vertical")
    assert not np.allclose(conv.cross_correlate_valid(image, k), convolve2d(image, k, mode="valid"))
    with pytest.raises(ValueError):
        conv.kernel("emboss")


# --- RNN -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("steps", [3, 4, 5, 6])
def test_rnn_hidden_states_match_a_hand_written_loop(steps):
    from animations import rnn
    W_h, W_x, b = rnn.rnn_weights(rnn.SEED, rnn.HIDDEN)
    xs = rnn.SEQUENCE[:steps]
    pre, hs = rnn.rnn_forward(xs, W_h, W_x, b)
    h = [0.0] * rnn.HIDDEN
    expected_h, expected_a = [list(h)], []
    for x in xs:
        a = [sum(W_h[i][j] * h[j] for j in range(len(h))) + W_x[i][0] * x + b[i] for i in range(len(h))]
        h = [math.tanh(v) for v in a]
        expected_a.append(a)
        expected_h.append(h)
    np.testing.assert_allclose(pre, expected_a, atol=1e-12)
    np.testing.assert_allclose(hs, expected_h, atol=1e-12)
    assert hs.shape == (steps + 1, rnn.HIDDEN) and np.all(np.abs(hs) < 1)


def test_rnn_weights_are_fixed_by_the_seed():
    from animations import rnn
    a, b = rnn.rnn_weights(rnn.SEED, 2), rnn.rnn_weights(rnn.SEED, 2)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert a[0].shape == (2, 2) and a[1].shape == (2, 1) and a[2].shape == (2,)
    assert len(rnn.SEQUENCE) >= read_meta("rnn")["params"]["STEPS"]["max"]


# --- t-SNE -----------------------------------------------------------------------------------------

def test_tsne_embedding_is_sklearns_from_its_own_pca_init():
    from animations import tsne
    X, y = tsne.subsample(tsne.N_POINTS, tsne.SEED)
    start = tsne.pca_init(X, tsne.SEED)
    assert abs(np.std(start[:, 0]) - 1e-4) < 1e-9
    E, kl = tsne.embed(X, tsne.PERPLEXITY, tsne.SEED, tsne.SNAPSHOTS[-1], start)
    ref = TSNE(n_components=2, perplexity=tsne.PERPLEXITY, init="pca", max_iter=tsne.SNAPSHOTS[-1],
               random_state=tsne.SEED)
    np.testing.assert_allclose(E, ref.fit_transform(X), atol=1e-5)
    assert kl == pytest.approx(ref.kl_divergence_, rel=1e-5)
    # the classes separate: nearest neighbours in 2-D agree with the true digit
    assert tsne.knn_accuracy(E, y) > 0.9
    half = len(y) // 2
    knn = KNeighborsClassifier(n_neighbors=5).fit(E[:half], y[:half])
    assert knn.score(E[half:], y[half:]) > 0.9
    assert set(y) == set(range(10))


def test_tsne_snapshots_are_states_of_the_full_run(monkeypatch):
    """The scene shows runs stopped at 250 and 350 iterations as stages of the final run: record the
    parameters the full run's optimiser passes to its objective (sklearn's private Barnes-Hut KL) and
    compare."""
    import sklearn.manifold._t_sne as t_sne

    from animations import tsne
    X, _ = tsne.subsample(tsne.N_POINTS, tsne.SEED)
    start = tsne.pca_init(X, tsne.SEED)
    seen, objective = [], t_sne._kl_divergence_bh

    def spy(params, *args, **kwargs):
        seen.append(params.copy())
        return objective(params, *args, **kwargs)

    monkeypatch.setattr(t_sne, "_kl_divergence_bh", spy)
    tsne.embed(X, tsne.PERPLEXITY, tsne.SEED, tsne.SNAPSHOTS[-1], start)
    monkeypatch.undo()
    assert len(seen) == tsne.SNAPSHOTS[-1]
    for k in tsne.SNAPSHOTS[:-1]:
        E, _ = tsne.embed(X, tsne.PERPLEXITY, tsne.SEED, k, start)
        np.testing.assert_allclose(seen[k].reshape(-1, 2), E, atol=1e-6)


def test_tsne_subsample_is_real_digits():
    from animations import tsne
    X, y = tsne.subsample(200, tsne.SEED)
    digits = load_digits()
    rows = {tuple(r): t for r, t in zip(digits.data, digits.target)}
    assert all(rows[tuple(r)] == t for r, t in zip(X, y))


# --- SVM -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("c", [0.05, 1.0, 100.0])
def test_svm_support_vectors_and_margins(c):
    from animations import svm
    X, y = svm.make_data(svm.N_POINTS, svm.SEED)
    model, w, b, sv = svm.fit_svm(X, y, c)
    np.testing.assert_array_equal(X[sv], model.support_vectors_)
    np.testing.assert_allclose(w, (model.dual_coef_ @ model.support_vectors_)[0], atol=1e-10)
    f = X @ w + b
    np.testing.assert_allclose(f, model.decision_function(X), atol=1e-10)
    alpha = np.zeros(len(X))
    alpha[sv] = np.abs(model.dual_coef_[0])
    free = (alpha > 1e-8) & (alpha < c - 1e-8)
    assert free.any()
    np.testing.assert_allclose(np.abs(f[free]), 1.0, atol=5e-3)  # free support vectors lie on the margins
    outside = alpha < 1e-8
    assert np.all(y[outside] * f[outside] >= 1 - 5e-3)  # every other point is on or beyond its margin
    assert svm.margin_width(w) == pytest.approx(2 / np.linalg.norm(w))
    for level in (-1, 0, 1):
        ends = svm.level_segment(w, b, level)
        assert ends is not None
        for q in ends:
            assert q @ w + b == pytest.approx(level, abs=1e-9)
            assert svm.X_RANGE[0] - 1e-9 <= q[0] <= svm.X_RANGE[1] + 1e-9
            assert svm.Y_RANGE[0] - 1e-9 <= q[1] <= svm.Y_RANGE[1] + 1e-9


def test_svm_matches_an_independent_dual_qp():
    from animations import svm
    X, y = svm.make_data(svm.N_POINTS, svm.SEED)
    c = svm.C
    _, w, b, sv = svm.fit_svm(X, y, c)
    K = (y[:, None] * X) @ (y[:, None] * X).T
    res = minimize(lambda a: 0.5 * a @ K @ a - a.sum(), np.zeros(len(y)), jac=lambda a: K @ a - 1,
                   bounds=[(0, c)] * len(y), constraints=[{"type": "eq", "fun": lambda a: a @ y}],
                   method="SLSQP", options={"ftol": 1e-12, "maxiter": 1000})
    a = res.x
    w_qp = (a * y) @ X
    free = (a > 1e-4) & (a < c - 1e-4)
    b_qp = np.mean(y[free] - X[free] @ w_qp)
    np.testing.assert_allclose(w, w_qp, atol=1e-2)
    assert b == pytest.approx(b_qp, abs=1e-2)
    assert set(np.flatnonzero(a > 1e-4)) == set(sv)


# --- image classification --------------------------------------------------------------------------

def test_image_classifier_probabilities_are_its_softmax():
    from animations import image_classification as ic
    X_train, X_test, y_train, y_test = ic.split_digits(ic.SEED)
    assert len(y_test) == read_meta("image_classification")["params"]["DIGIT_INDEX"]["max"] + 1
    assert len(y_train) + len(y_test) == 1797 and X_test.max() <= 1.0
    model = ic.train(X_train, y_train)
    z = X_test @ model.coef_.T + model.intercept_
    soft = np.exp(z - z.max(axis=1, keepdims=True))
    soft /= soft.sum(axis=1, keepdims=True)
    for i in (0, 38, 449):
        probs, pred = ic.classify(model, X_test[i])
        np.testing.assert_allclose(probs, soft[i], atol=1e-10)
        assert pred == int(np.argmax(soft[i])) == model.predict(X_test[i:i + 1])[0]
    acc = np.mean(soft.argmax(axis=1) == y_test)
    assert acc == pytest.approx(model.score(X_test, y_test)) and acc > 0.9


# --- sentiment -------------------------------------------------------------------------------------

SENTENCES = [None, "a dull and boring movie with terrible acting",
             "the plot was predictable but the cast is wonderful!", "zzz qqq unseen words", "",
             "Wonderful wonderful WONDERFUL, well-made film"]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_sentiment_contributions_add_up_to_the_decision_function(sentence):
    from animations import sentiment as st
    sentence = st.SENTENCE if sentence is None else sentence
    vectorizer, model = st.train(st.REVIEWS, st.C)
    parts = st.contributions(sentence, vectorizer, model)
    assert [w for w, _ in parts] == sentence.split()
    z = model.intercept_[0] + sum(c for _, c in parts)
    x = vectorizer.transform([sentence])
    assert z == pytest.approx(model.decision_function(x)[0], abs=1e-10)
    assert st.sigmoid(z) == pytest.approx(model.predict_proba(x)[0, 1], abs=1e-12)
    assert (z > 0) == (model.predict(x)[0] == 1)
    analyse = vectorizer.build_analyzer()
    for word, c in parts:  # words the model never saw are neutral
        if not any(t in vectorizer.vocabulary_ for t in analyse(word)):
            assert c == 0.0


def test_sentiment_training_set_and_default():
    from animations import sentiment as st
    labels = [label for _, label in st.REVIEWS]
    assert 40 <= len(st.REVIEWS) <= 60 and labels.count(1) == labels.count(0)
    vectorizer, model = st.train(st.REVIEWS, st.C)
    assert model.predict(vectorizer.transform([st.SENTENCE]))[0] == 1
    assert model.predict(vectorizer.transform(["a dull and boring movie with terrible acting"]))[0] == 0
    assert dict(st.contributions(st.SENTENCE, vectorizer, model))["surprisingly"] == 0.0
