"""The math gallery scenes compute what they show: each computation is checked against an independent
reference (closed forms, scipy, brute force). No video is rendered here."""
import ast
import importlib
import itertools
from pathlib import Path

import numpy as np
import pytest
from scipy import integrate, optimize, stats

from text_to_manim.scene import policy

ROOT = Path(__file__).resolve().parents[1]
SCENES = {
    "pythagorean": ("PythagoreanScene", 15),
    "optimal_transport": ("OptimalTransportScene", 16),
    "gale_shapley": ("GaleShapleyScene", 17),
    "electroweak": ("ElectroweakScene", 18),
    "qed": ("QEDScene", 19),
    "diffusion_transport": ("DiffusionTransportScene", 20),
}


def read_meta(slug):
    tree = ast.parse((ROOT / "animations" / f"{slug}.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "META" for t in node.targets):
            return ast.literal_eval(node.value), tree
    raise AssertionError(f"{slug} has no META")


# ---------------------------------------------------------------- META and module contract


@pytest.mark.parametrize("slug", sorted(SCENES))
def test_meta_is_a_valid_literal_with_the_scene_class(slug):
    meta, tree = read_meta(slug)
    scene, order = SCENES[slug]
    assert meta["scene"] == scene and meta["order"] == order and meta["category"] == "math"
    assert meta["notes"] == slug and meta["title"] and meta["summary"] and meta["keywords"]
    module = importlib.import_module(f"animations.{slug}")
    assert isinstance(getattr(module, scene), type)
    # Every parameter is a module-level `NAME = literal` with the declared default, inside [min, max].
    constants = {t.id: ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
                 for t in n.targets if isinstance(t, ast.Name) and isinstance(n.value, ast.Constant)}
    for name, p in meta["params"].items():
        assert constants[name] == p["default"] == getattr(module, name)
        assert type(p["default"]).__name__ == p["type"]
        assert p["min"] <= p["default"] <= p["max"]
    assert (ROOT / "documentation" / f"{slug}.md").exists()
    assert (ROOT / "documentation" / f"{slug}.tex").exists()


@pytest.mark.parametrize("slug", sorted(SCENES))
def test_scene_source_stays_inside_the_sandbox_policy(slug):
    """The policy every scene passes before it runs (scene/policy.py) neither refuses nor warns about it."""
    review = policy.review((ROOT / "animations" / f"{slug}.py").read_text(encoding="utf-8"))
    assert review.errors == [] and review.warnings == [], [e.short() for e in review.errors + review.warnings]


# ---------------------------------------------------------------- 15. Pythagorean theorem

from animations import pythagorean as pyth  # noqa: E402


@pytest.mark.parametrize("a,b", [(3.0, 4.0), (1.0, 5.0), (5.0, 1.0), (2.5, 2.5), (1.3, 4.7)])
def test_pythagorean_shoelace_areas_satisfy_the_identity(a, b):
    areas = pyth.areas(a, b)
    assert areas["c2"] == pytest.approx(areas["a2"] + areas["b2"], rel=1e-12)
    # The pieces tile the (a+b) square in both configurations.
    assert areas["big"] == pytest.approx(sum(areas["triangles_tilted"]) + areas["c2"], rel=1e-12)
    assert areas["big"] == pytest.approx(sum(areas["triangles_rearranged"]) + areas["a2"] + areas["b2"], rel=1e-12)
    assert areas["triangles_tilted"] == pytest.approx([a * b / 2] * 4)
    assert areas["triangles_rearranged"] == pytest.approx(areas["triangles_tilted"])
    # Shoelace agrees with the plain formulas.
    assert (areas["a2"], areas["b2"], areas["c2"]) == pytest.approx((a * a, b * b, a * a + b * b))


@pytest.mark.parametrize("a,b", [(3.0, 4.0), (1.0, 5.0), (4.2, 1.7)])
def test_pythagorean_geometry_is_what_the_proof_claims(a, b):
    triangles, inner = pyth.tilted_configuration(a, b)
    inner = np.array(inner, dtype=float)
    sides = np.roll(inner, -1, axis=0) - inner
    lengths = np.linalg.norm(sides, axis=1)
    assert lengths == pytest.approx([np.hypot(a, b)] * 4)  # the inner quadrilateral has side c ...
    corners = [np.dot(sides[i], sides[(i + 1) % 4]) for i in range(4)]
    assert corners == pytest.approx([0] * 4, abs=1e-12)  # ... and right angles: a square
    moved, offsets, _, _ = pyth.rearranged_configuration(a, b)
    for tri, new, (dx, dy) in zip(triangles, moved, offsets):  # pure translations of the same triangles
        assert np.array(new) == pytest.approx(np.array(tri, dtype=float) + [dx, dy])
        legs = sorted(np.linalg.norm(np.diff(np.array(new + new[:1], dtype=float), axis=0), axis=1))
        assert legs == pytest.approx(sorted([a, b, np.hypot(a, b)]))
    # Rearranged triangles stay inside the square and do not overlap the a- and b-squares.
    s = a + b
    pts = np.array([p for t in moved for p in t], dtype=float)
    assert pts.min() >= -1e-12 and pts.max() <= s + 1e-12


# ---------------------------------------------------------------- 16. Optimal transport

from animations import optimal_transport as ot  # noqa: E402


@pytest.mark.parametrize("m1,s1,m2,s2", [(0.0, 1.0, 1.5, 0.5), (-1.0, 0.4, 1.0, 1.5), (0.3, 0.8, 0.3, 0.8)])
def test_w2_between_gaussians_matches_the_closed_form(m1, s1, m2, s2):
    x = ot.GRID
    w2 = ot.wasserstein_p(x, ot.gaussian(x, m1, s1), ot.gaussian(x, m2, s2), 2)
    assert w2 == pytest.approx(np.hypot(m1 - m2, s1 - s2), abs=2e-3)


@pytest.mark.parametrize("mean,std", [(0.5, 0.8), (-1.5, 0.4), (1.5, 1.5)])
def test_w1_from_quantiles_matches_scipy(mean, std):
    x, rho0, rho1 = ot.densities(mean, std)
    reference = stats.wasserstein_distance(x, x, u_weights=rho0, v_weights=rho1)
    assert ot.wasserstein_p(x, rho0, rho1, 1) == pytest.approx(reference, rel=2e-3)


def test_displacement_interpolation_conserves_mass_and_is_a_geodesic():
    x, rho0, rho1 = ot.densities()
    w = ot.wasserstein_p(x, rho0, rho1, 2)
    m0, m1 = np.trapezoid(x * rho0, x), np.trapezoid(x * rho1, x)
    for t in np.linspace(0, 1, 11):
        xs, ys = ot.interpolant(x, rho0, rho1, t)
        assert np.all(np.diff(xs) > 0)  # S_t is monotone: no crossing
        assert np.trapezoid(ys, xs) == pytest.approx(1.0, abs=1e-4)  # mass conservation
        assert np.trapezoid(xs * ys, xs) == pytest.approx((1 - t) * m0 + t * m1, abs=1e-3)
        # Constant-speed geodesic: W2(rho_0, rho_t) = t W2(rho_0, rho_1).
        rho_t = np.interp(x, xs, ys, left=0, right=0)
        assert ot.wasserstein_p(x, rho0, rho_t, 2) == pytest.approx(t * w, abs=5e-3)
    # The endpoint is the target density.
    xs, ys = ot.interpolant(x, rho0, rho1, 1.0)
    assert ys == pytest.approx(np.interp(xs, x, rho1), abs=1e-3)


def test_transport_map_is_monotone_and_pushes_rho0_to_rho1():
    x, rho0, rho1 = ot.densities()
    T = ot.transport_map(x, rho0, rho1)
    assert np.all(np.diff(T) >= 0)
    F0, F1 = ot.cdf(x, rho0), ot.cdf(x, rho1)
    inside = (F0 > 1e-6) & (F0 < 1 - 1e-6)
    assert np.interp(T[inside], x, F1) == pytest.approx(F0[inside], abs=1e-4)  # F_1(T(x)) = F_0(x)


# ---------------------------------------------------------------- 17. Gale-Shapley

from animations import gale_shapley as gs  # noqa: E402


def all_stable_matchings(P, R):
    proposers, receivers = list(P), list(R)
    found = []
    for perm in itertools.permutations(receivers):
        m = dict(zip(proposers, perm))
        if not gs.blocking_pairs(m, P, R) and not brute_force_blocking(m, P, R):
            found.append(m)
    return found


def brute_force_blocking(m, P, R):
    """Independent check: every (p, r) pair, both strictly preferring each other to their partners."""
    partner = {r: p for p, r in m.items()}
    return [(p, r) for p in P for r in R if m[p] != r
            and P[p].index(r) < P[p].index(m[p]) and R[r].index(p) < R[r].index(partner[r])]


def test_gale_shapley_matching_is_stable_and_proposer_optimal():
    matching, events = gs.gale_shapley(gs.PROPOSER_PREFS, gs.RECEIVER_PREFS)
    assert sorted(matching.values()) == sorted(gs.RECEIVER_PREFS)  # a perfect matching
    assert brute_force_blocking(matching, gs.PROPOSER_PREFS, gs.RECEIVER_PREFS) == []
    stable = all_stable_matchings(gs.PROPOSER_PREFS, gs.RECEIVER_PREFS)
    assert matching in stable
    assert len(stable) >= 2  # the instance is interesting: optimality is a real claim
    for p, prefs in gs.PROPOSER_PREFS.items():  # no stable matching gives any proposer someone better
        assert prefs.index(matching[p]) == min(prefs.index(m[p]) for m in stable)
    for r, prefs in gs.RECEIVER_PREFS.items():  # ... and every receiver gets its worst stable partner
        partner = {v: k for k, v in matching.items()}[r]
        assert prefs.index(partner) == max(prefs.index({v: k for k, v in m.items()}[r]) for m in stable)


def test_gale_shapley_events_follow_the_rules():
    _, events = gs.gale_shapley(gs.PROPOSER_PREFS, gs.RECEIVER_PREFS)
    asked = {p: [] for p in gs.PROPOSER_PREFS}
    held = {}
    for p, r, outcome, dumped in events:
        asked[p].append(r)
        assert asked[p] == gs.PROPOSER_PREFS[p][:len(asked[p])]  # proposals go down the list in order
        rank = gs.RECEIVER_PREFS[r].index
        if r not in held:
            assert outcome == "accept"
            held[r] = p
        elif rank(p) < rank(held[r]):
            assert outcome == "trade" and dumped == held[r]
            held[r] = p
        else:
            assert outcome == "reject"
    assert {o for _, _, o, _ in events} == {"accept", "trade", "reject"}  # the scene shows all three


# ---------------------------------------------------------------- 18. Electroweak

from animations import electroweak as ew  # noqa: E402

EW_PARAMS = [(1.0, 0.5, 0.6), (0.5, 0.1, 0.2), (2.0, 2.0, 3.0), (0.5, 2.0, 3.0), (2.0, 0.1, 0.2)]


@pytest.mark.parametrize("mu,lam,gamma", EW_PARAMS)
def test_damped_roll_converges_to_the_vacuum(mu, lam, gamma):
    times, path = ew.roll(mu, lam, gamma)
    r = np.linalg.norm(path, axis=1)
    v = ew.vacuum_radius(mu, lam)
    assert r[0] < 0.02 * v  # starts next to the unstable origin
    assert r[-1] == pytest.approx(v, rel=1e-4)
    assert v == pytest.approx(np.sqrt(mu ** 2 / (2 * lam))) and v == pytest.approx(ew.vev(mu, lam) / np.sqrt(2))


def test_rk4_path_matches_scipy_solve_ivp():
    mu, lam, gamma = ew.MU, ew.LAMBDA, ew.DAMPING
    times, path = ew.roll()
    v = ew.vacuum_radius()

    def rhs(_, y):
        phi, vel = y[:2], y[2:]
        return np.concatenate([vel, (mu ** 2 - 2 * lam * phi @ phi) * phi - gamma * vel])

    y0 = [ew.START[0] * v, ew.START[1] * v, ew.KICK[0] * mu * v, ew.KICK[1] * mu * v]
    check = np.searchsorted(times, [5.0, 10.0, 20.0, 40.0])
    sol = integrate.solve_ivp(rhs, (0, times[-1]), y0, t_eval=times[check], rtol=1e-11, atol=1e-13)
    assert path[check] == pytest.approx(sol.y[:2].T, abs=1e-6)


@pytest.mark.parametrize("mu,lam", [(1.0, 0.5), (0.5, 0.1), (2.0, 2.0), (1.3, 0.7)])
def test_potential_minimum_and_higgs_mass_match_the_formulas(mu, lam):
    r_min, v_min = ew.numerical_minimum(mu, lam)
    assert r_min == pytest.approx(np.sqrt(mu ** 2 / (2 * lam)), rel=1e-4)
    assert v_min == pytest.approx(-mu ** 4 / (4 * lam), rel=1e-8)
    res = optimize.minimize_scalar(lambda r: ew.potential(r, mu, lam), bounds=(0, 10), method="bounded",
                                   options={"xatol": 1e-10})
    assert res.x == pytest.approx(ew.vacuum_radius(mu, lam), rel=1e-5)
    assert ew.higgs_mass_from_curvature(mu, lam) == pytest.approx(np.sqrt(2) * mu, rel=1e-5)


# ---------------------------------------------------------------- 19. QED

from animations import qed  # noqa: E402


def test_moller_cross_section_matches_the_closed_form():
    theta = np.radians(np.linspace(qed.THETA_MIN, qed.THETA_MAX, 57))
    s, c = np.sin(theta / 2), np.cos(theta / 2)
    expected = (1 / s ** 4 + 1 / c ** 4 - 1 / (s * s * c * c)) / 16  # NR Moller (Mott), Born approximation
    assert qed.moller_cross_section(theta) == pytest.approx(expected, rel=1e-12)
    assert qed.rutherford_cross_section(theta) == pytest.approx(1 / (16 * s ** 4), rel=1e-12)
    qt2, qu2 = qed.momentum_transfers(theta, p=2.0)
    assert qt2 == pytest.approx(16 * s ** 2) and qu2 == pytest.approx(16 * c ** 2)  # |q|^2 = 4 p^2 sin^2(theta/2)


def test_moller_is_symmetric_and_rutherford_is_not():
    theta = np.radians(np.linspace(20, 80, 13))
    assert qed.moller_cross_section(theta) == pytest.approx(qed.moller_cross_section(np.pi - theta), rel=1e-12)
    assert np.all(qed.rutherford_cross_section(theta) > qed.rutherford_cross_section(np.pi - theta))
    # Identical fermions interfere destructively: below the incoherent sum t + u.
    mt, mu = qed.amplitudes(theta)
    assert np.all(qed.moller_cross_section(theta) < mt ** 2 + mu ** 2)
    # The shape is momentum independent up to the overall 1/p^4.
    assert qed.moller_cross_section(theta, p=3.0) == pytest.approx(qed.moller_cross_section(theta) / 81)
    assert qed.normalised(qed.moller_cross_section, np.array([90.0])) == pytest.approx([1.0])


# ---------------------------------------------------------------- 20. Diffusion and optimal transport

from animations import diffusion_transport as dt  # noqa: E402


def test_diffusion_variance_grows_as_2Dt():
    d = 0.5
    paths = dt.simulate(n=20000, d=d)
    t = np.linspace(0, dt.T_END, dt.N_STEPS + 1)
    displacement_var = np.var(paths - paths[0], axis=1)
    assert displacement_var[1:] == pytest.approx(2 * d * t[1:], rel=0.05)
    gain = np.var(paths, axis=1) - np.var(paths[0])
    assert gain == pytest.approx(2 * d * t, abs=0.12)
    # The scene's own few hundred particles, looser.
    small = dt.simulate()
    assert np.var(small[-1]) - np.var(small[0]) == pytest.approx(2 * dt.D * dt.T_END, abs=0.35)


def test_empirical_density_matches_the_heat_kernel_solution():
    d, n = 0.5, 20000
    final = dt.simulate(n=n, d=d)[-1]

    def cdf(x):  # the mixture convolved with N(0, 2 D t)
        return sum(w * stats.norm.cdf(x, m, np.sqrt(s * s + 2 * d * dt.T_END)) for w, m, s in dt.MIXTURE)

    assert stats.kstest(final, cdf).pvalue > 0.01
    x = np.linspace(-8, 8, 4001)
    assert np.trapezoid(dt.exact_density(x, 0.7, d), x) == pytest.approx(1.0, abs=1e-8)


def test_ot_map_is_monotone_quantile_matching_and_optimal():
    paths = dt.simulate()
    x0, x1 = paths[0], paths[-1]
    T = dt.ot_map(x0, x1)
    order = np.argsort(x0)
    assert np.all(np.diff(T[order]) >= 0)  # monotone
    assert np.sort(T) == pytest.approx(np.sort(x1))  # a rearrangement of the final cloud
    ranks = stats.rankdata(x0, method="ordinal") - 1  # empirical F_0, then F_1^{-1}
    assert T == pytest.approx(np.sort(x1)[ranks])
    # Independent optimality check: the assignment problem on the squared cost gives the same matching.
    rows, cols = optimize.linear_sum_assignment((x0[:, None] - x1[None, :]) ** 2)
    assert x1[cols[np.argsort(rows)]] == pytest.approx(T)
    assert dt.swapped_pairs(x0, T) == 0 and dt.swapped_pairs(x0, x1) > 0


def test_swapped_pairs_counts_crossings():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=30), rng.normal(size=30)
    brute = sum((a[i] - a[j]) * (b[i] - b[j]) < 0 for i in range(30) for j in range(i + 1, 30))
    assert dt.swapped_pairs(a, b) == brute
