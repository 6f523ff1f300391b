"""The ML gallery scenes 1-7 compute what they show: each module's computation checked against an
independent reference (scikit-learn, numpy, closed forms). No video is rendered here."""
import ast
import importlib
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris, make_blobs
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
SLUGS = ["ml_introduction", "ml_setup", "linear_regression", "gradient_descent", "decision_boundary",
         "neural_network", "kmeans"]


def read_meta(slug):
    tree = ast.parse((ROOT / "animations" / f"{slug}.py").read_text(encoding="utf-8"))
    node = next(n for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "META")
    return ast.literal_eval(node.value)


@pytest.mark.parametrize("order,slug", list(enumerate(SLUGS, start=1)))
def test_meta_is_a_literal_naming_a_real_scene(order, slug):
    meta = read_meta(slug)
    module = importlib.import_module(f"animations.{slug}")
    assert meta["order"] == order and meta["category"] == "ml"
    assert isinstance(getattr(module, meta["scene"]), type)
    assert (ROOT / "documentation" / f"{meta['notes']}.md").exists()
    assert (ROOT / "documentation" / f"{meta['notes']}.tex").exists()
    for name, spec in meta["params"].items():
        default = getattr(module, name)  # every param is a module-level constant holding its default
        assert default == spec["default"] and type(default).__name__ == spec["type"]
        if spec["type"] != "str":
            assert spec["min"] <= default <= spec["max"]


# --- 1. introduction ---------------------------------------------------------------------------------

def test_introduction_colours_are_a_real_kmeans_fit():
    from animations import ml_introduction as m
    X, km = m.first_result()
    X_ref, _ = make_blobs(n_samples=m.N_POINTS, centers=3, cluster_std=0.9, random_state=m.SEED)
    np.testing.assert_array_equal(X, X_ref)
    ref = KMeans(n_clusters=3, n_init=10, random_state=m.SEED).fit(X_ref)
    np.testing.assert_allclose(km.cluster_centers_, ref.cluster_centers_, atol=1e-9)
    # Each point's colour (its label) is its nearest drawn centre; the inertia shown is the real one.
    d2 = ((X[:, None] - km.cluster_centers_[None]) ** 2).sum(axis=2)
    np.testing.assert_array_equal(km.labels_, d2.argmin(axis=1))
    assert km.inertia_ == pytest.approx(d2.min(axis=1).sum())
    assert len(m.TOPICS) == 12 and {f for _, f in m.TOPICS} == set(m.FAMILIES)


# --- 2. set-up ----------------------------------------------------------------------------------------

def test_setup_listing_is_valid_python_and_its_output_is_real():
    from animations import ml_setup as m
    ast.parse(m.LISTING)
    lines = m.LISTING.splitlines()
    assert all(1 <= n <= len(lines) and lines[n - 1].strip() for n, _ in m.NOTES)
    # Run the listing's own data lines and compare with what the scene prints.
    namespace = {"np": np, "make_blobs": make_blobs}
    printed = []
    namespace["print"] = lambda *args: printed.append(" ".join(str(a) for a in args))
    exec("\n".join(lines[6:]), namespace)
    X, y, text = m.first_call()
    np.testing.assert_array_equal(namespace["X"], X)
    np.testing.assert_array_equal(namespace["y"], y)
    assert printed == [text]


# --- 3. linear regression -----------------------------------------------------------------------------

@pytest.mark.parametrize("n,noise", [(5, 0.0), (25, 0.8), (80, 2.0)])
def test_linear_regression_fit_is_least_squares_and_descent_reaches_it(n, noise):
    from animations import linear_regression as m
    x, y = m.make_data(n, noise)
    w, b = m.least_squares(x, y)
    # Independent references: the normal equations and numpy's polyfit.
    A = np.column_stack([x, np.ones_like(x)])
    np.testing.assert_allclose([w, b], np.linalg.solve(A.T @ A, A.T @ y), atol=1e-9)
    np.testing.assert_allclose([w, b], np.polyfit(x, y, 1), atol=1e-9)
    path, lr = m.gradient_descent(x, y)
    losses = [m.mse(*p, x, y) for p in path]
    assert all(b_ <= a_ + 1e-12 for a_, b_ in zip(losses, losses[1:]))  # step 1/L never raises the loss
    np.testing.assert_allclose(path[-1], [w, b], atol=1e-4)
    assert m.SHOWN_STEPS[0] == 0 and m.SHOWN_STEPS[-1] == m.GD_STEPS == len(path) - 1


def test_linear_regression_gradient_matches_finite_differences():
    from animations import linear_regression as m
    x, y = m.make_data()
    path, lr = m.gradient_descent(x, y, steps=1)
    g = (path[0] - path[1]) / lr
    eps = 1e-6
    numeric = [(m.mse(path[0][0] + eps, path[0][1], x, y) - m.mse(path[0][0] - eps, path[0][1], x, y)) / (2 * eps),
               (m.mse(path[0][0], path[0][1] + eps, x, y) - m.mse(path[0][0], path[0][1] - eps, x, y)) / (2 * eps)]
    np.testing.assert_allclose(g, numeric, rtol=1e-6)


def test_clip_line_stays_on_the_line_and_in_the_box():
    from animations.linear_regression import clip_line
    box = (-4.5, 4.5, -3.0, 3.0)
    for w, b in [(0.6, 0.8), (-0.8, -1.5), (5.0, 0.0), (0.0, 1.0)]:
        x0, x1 = clip_line(w, b, box)
        for x in (x0, x1):
            assert box[0] - 1e-9 <= x <= box[1] + 1e-9 and box[2] - 1e-9 <= w * x + b <= box[3] + 1e-9
    assert clip_line(0.0, 10.0, box) is None


# --- 4. gradient descent ------------------------------------------------------------------------------

def test_gradient_descent_iterates_match_the_closed_form():
    from animations import gradient_descent as m
    lr = 0.3
    path = m.descend(lr)
    step = np.eye(2) - lr * m.HESSIAN
    for k, p in enumerate(path):
        np.testing.assert_allclose(p, np.linalg.matrix_power(step, k) @ m.START, atol=1e-12)
    eps = 1e-6
    p = np.array([0.7, -1.3])
    numeric = [(m.loss(p + eps * e) - m.loss(p - eps * e)) / (2 * eps) for e in np.eye(2)]
    np.testing.assert_allclose(m.grad(p), numeric, rtol=1e-6)
    assert m.critical_rate() == pytest.approx(0.5)


@pytest.mark.parametrize("lr", [0.05, 0.2, 0.4, 0.49])
def test_gradient_descent_converges_below_two_over_L(lr):
    from animations import gradient_descent as m
    norms = np.linalg.norm(m.descend(lr, steps=400), axis=1)
    assert m.regime(lr) == "converges" and m.contraction(lr) < 1
    assert norms[-1] < 1e-6 * norms[0]


@pytest.mark.parametrize("lr", [0.51, 0.55, 0.6])
def test_gradient_descent_diverges_above_two_over_L(lr):
    from animations import gradient_descent as m
    norms = np.linalg.norm(m.descend(lr, steps=200), axis=1)
    assert m.regime(lr) == "diverges" and m.contraction(lr) > 1
    assert norms[-1] > 10 * norms[0]
    assert np.all(np.diff(norms[50:]) > 0)  # once the steep direction dominates, the norm grows every step


def test_gradient_descent_at_the_largest_rate_leaves_the_plot():
    from animations import gradient_descent as m
    path = m.descend(0.6)
    assert 2 < len(m.visible_prefix(path)) < len(path)  # a few growing zigzags, then off the map


def test_gradient_descent_edge_of_stability_oscillates():
    from animations import gradient_descent as m
    path = m.descend(0.5)
    assert m.regime(0.5) == "oscillates"
    np.testing.assert_allclose(np.abs(path[-1][1]), abs(m.START[1]))  # the steep coordinate just flips sign


# --- 5. decision boundary -----------------------------------------------------------------------------

@pytest.mark.parametrize("std", [0.5, 1.4, 3.0])
def test_decision_boundary_is_the_fitted_models(std):
    from animations import decision_boundary as m
    X, y = m.make_data(std)
    model = m.fit(X, y)
    ref = LogisticRegression().fit(*make_blobs(n_samples=m.N_SAMPLES, centers=m.CENTERS, cluster_std=std,
                                               random_state=m.SEED))
    np.testing.assert_allclose(model.coef_, ref.coef_, atol=1e-9)
    box = m.view_box(X)
    assert box[0] <= X[:, 0].min() and X[:, 0].max() <= box[1] and box[2] <= X[:, 1].min() and X[:, 1].max() <= box[3]
    ends = m.boundary_segment(model, box)
    assert ends is not None
    for t in np.linspace(0, 1, 5):  # every point of the drawn segment has probability exactly 1/2
        p = (1 - t) * ends[0] + t * ends[1]
        assert model.predict_proba([p])[0, 1] == pytest.approx(0.5, abs=1e-9)
    centres, probs = m.probability_grid(model, box)
    assert len(centres) == m.GRID[0] * m.GRID[1]
    sigmoid = 1 / (1 + np.exp(-(centres @ model.coef_[0] + model.intercept_[0])))
    np.testing.assert_allclose(probs, sigmoid, atol=1e-12)
    assert ref.score(X, y) == pytest.approx(np.mean(model.predict(X) == y))


# --- 6. neural network --------------------------------------------------------------------------------

@pytest.mark.parametrize("text,sizes,noted", [
    ("4,5,3", [4, 5, 3], False), ("4, 8, 8, 8, 3", [4, 8, 8, 8, 3], False), ("4,3", [4, 3], False),
    ("2,6,2", [4, 6, 3], True), ("4,9,3", [4, 5, 3], True), ("4,1,1,1,1,3", [4, 5, 3], True),
    ("4", [4, 5, 3], True), ("abc", [4, 5, 3], True), ("4,0,3", [4, 5, 3], True),
])
def test_neural_network_layer_parsing(text, sizes, noted):
    from animations.neural_network import parse_layers
    got, note = parse_layers(text)
    assert got == sizes and bool(note) == noted


@pytest.mark.parametrize("text", ["4,5,3", "4,3", "4,1,3", "4,8,8,8,3"])
def test_neural_network_forward_pass_is_the_trained_networks(text):
    from animations import neural_network as m
    sizes, _ = m.parse_layers(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = m.train(sizes)
    X, y, raw = m.load_data()
    iris = load_iris()
    np.testing.assert_array_equal(raw, iris.data)
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-12)
    assert [W.shape for W in net.coefs_] == list(zip(sizes[:-1], sizes[1:]))
    for sample in (0, m.SAMPLE, 149):
        acts = m.forward(net, X[sample])
        assert [len(a) for a in acts] == sizes
        # Hidden activations recomputed here by hand, and the output against sklearn's predict_proba.
        a = X[sample]
        for W, b, got in zip(net.coefs_[:-1], net.intercepts_[:-1], acts[1:-1]):
            a = 1 / (1 + np.exp(-(a @ W + b)))
            np.testing.assert_allclose(got, a, atol=1e-12)
            assert np.all((0 < got) & (got < 1))
        np.testing.assert_allclose(acts[-1], net.predict_proba(X[sample:sample + 1])[0], atol=1e-10)
    assert net.score(X, y) > 0.9


# --- 7. k-means ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("k", [2, 3, 4, 5, 6])
def test_kmeans_matches_sklearn_lloyd_from_the_same_start(k):
    from animations import kmeans as m
    X = m.make_data()
    init = m.initial_centroids(X, k)
    history = m.lloyd(X, init)
    ref = KMeans(n_clusters=k, init=init, n_init=1, algorithm="lloyd").fit(X)
    np.testing.assert_allclose(history[-1][2], ref.cluster_centers_, atol=1e-6)
    np.testing.assert_array_equal(history[-1][0], ref.labels_)
    final_labels, final_inertia = m.assign(X, history[-1][2])
    np.testing.assert_array_equal(final_labels, history[-1][0])  # converged: assignments stopped changing
    assert final_inertia == pytest.approx(ref.inertia_)
    inertias = [h[1] for h in history] + [final_inertia]
    assert all(b <= a + 1e-9 for a, b in zip(inertias, inertias[1:]))  # Lloyd never raises the inertia
    assert all(len(np.unique(labels)) == k for labels, _, _ in history)  # no empty cluster


def test_kmeans_inertia_is_the_sum_of_squared_distances():
    from animations import kmeans as m
    X = m.make_data()
    init = m.initial_centroids(X, 3)
    labels, inertia, _ = m.lloyd(X, init)[0]
    assert inertia == pytest.approx(sum(np.sum((x - init[l]) ** 2) for x, l in zip(X, labels)))
    assert len({tuple(c) for c in init}) == 3 and all(any(np.all(c == x) for x in X) for c in init)
