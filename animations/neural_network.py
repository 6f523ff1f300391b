"""A feed-forward neural network trained on iris, run forward on one real flower, layer by layer.

scikit-learn's MLPClassifier (logistic hidden units, softmax output, L2 penalty, lbfgs, fixed seed) is
trained on the 150 standardised iris flowers with the hidden layers asked for. The scene then runs one
flower through the network with numpy, using the trained coefs_ and intercepts_: each layer's
activations a = sigmoid(W^T a_prev + b) light up its nodes (fill = activation), edges are coloured by the
sign of their trained weight, and the softmax output gives the class probabilities, equal to
predict_proba.
"""
from manim import *
import numpy as np
from sklearn.datasets import load_iris
from sklearn.neural_network import MLPClassifier

META = {
    "title": "Neural network forward pass",
    "summary": "A small MLP trained on iris, run forward on one flower: activations layer by layer and "
               "the output class probabilities.",
    "keywords": ["neural network", "mlp", "perceptron", "forward pass", "activations", "feed-forward",
                 "deep learning", "layers", "neurons", "iris", "softmax", "sigmoid"],
    "scene": "NeuralNetworkScene",
    "category": "ml",
    "order": 6,
    "notes": "neural_network",
    "params": {
        "LAYER_SIZES": {"default": "4,5,3", "type": "str", "aliases": ["layers", "architecture", "sizes"],
                        "help": "nodes per layer, input first: 2 to 5 layers of 1 to 8 nodes; iris fixes "
                                "the input at 4 and the output at 3"},
        "SAMPLE": {"default": 68, "type": "int", "min": 0, "max": 149,
                   "aliases": ["flower", "sample", "index", "example"], "help": "which iris flower to feed in"},
    },
}

LAYER_SIZES = "4,5,3"
SAMPLE = 68
SEED = 0

DEFAULT_SIZES = [4, 5, 3]
ALPHA = 0.1  # mild L2 penalty: softer output probabilities, and every allowed shape still trains
N_FEATURES, N_CLASSES = 4, 3
FEATURE_NAMES = ["sepal length", "sepal width", "petal length", "petal width"]
CLASS_NAMES = ["setosa", "versicolor", "virginica"]


def parse_layers(text):
    """Layer sizes from "4,5,3", and a note (empty when the text was used as given).

    Valid: 2 to 5 comma-separated integers from 1 to 8. Iris has 4 features and 3 species, so the input
    and output sizes are set to 4 and 3 (the hidden layers are kept) with a note saying so.
    """
    try:
        sizes = [int(s) for s in str(text).replace(" ", "").split(",")]
    except ValueError:
        sizes = []
    if not 2 <= len(sizes) <= 5 or not all(1 <= s <= 8 for s in sizes):
        return list(DEFAULT_SIZES), f'"{text}" is not 2-5 layers of 1-8 nodes: using 4,5,3'
    fixed = [N_FEATURES] + sizes[1:-1] + [N_CLASSES]
    if fixed != sizes:
        return fixed, "iris has 4 inputs and 3 species: using " + ",".join(map(str, fixed))
    return sizes, ""


def load_data():
    """Iris with each feature standardised (zero mean, unit variance)."""
    X, y = load_iris(return_X_y=True)
    return (X - X.mean(axis=0)) / X.std(axis=0), y, X


def train(sizes, seed=SEED):
    X, y, _ = load_data()
    net = MLPClassifier(hidden_layer_sizes=tuple(sizes[1:-1]), activation="logistic", solver="lbfgs",
                        alpha=ALPHA, max_iter=3000, random_state=seed)
    return net.fit(X, y)


def forward(net, x):
    """Activations of every layer for input x, computed with numpy from the trained weights."""
    acts = [np.asarray(x, dtype=float)]
    for i, (W, b) in enumerate(zip(net.coefs_, net.intercepts_)):
        z = acts[-1] @ W + b
        if i < len(net.coefs_) - 1:
            acts.append(1 / (1 + np.exp(-z)))
        else:
            e = np.exp(z - z.max())
            acts.append(e / e.sum())
    return acts


class NeuralNetworkScene(Scene):
    def construct(self):
        sizes, note = parse_layers(LAYER_SIZES)
        net = train(sizes)
        X, y, raw = load_data()
        acts = forward(net, X[SAMPLE])

        title = Text("A neural network, forward pass", font_size=36).to_edge(UP, buff=0.3)
        arch = Text("layers " + " - ".join(map(str, sizes)) + "   (MLP trained on iris)", font_size=22,
                    color=GREY_B).next_to(title, DOWN, buff=0.15)
        self.play(Write(title), FadeIn(arch))
        if note:
            warning = Text(note, font_size=20, color=ORANGE).next_to(arch, DOWN, buff=0.1)
            self.play(FadeIn(warning))

        nodes, edges = self.build_network(sizes, net)
        self.play(LaggedStart(*[Create(layer) for layer in nodes], lag_ratio=0.3), run_time=1.5)
        legend = VGroup(
            VGroup(Line(ORIGIN, RIGHT * 0.4, color=BLUE), Text("weight > 0", font_size=18)).arrange(RIGHT),
            VGroup(Line(ORIGIN, RIGHT * 0.4, color=RED), Text("weight < 0", font_size=18)).arrange(RIGHT),
            VGroup(Circle(radius=0.1, color=WHITE, stroke_width=2).set_fill(YELLOW, 0.6),
                   Text("fill = activation", font_size=18)).arrange(RIGHT),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12).to_corner(DR, buff=0.35).shift(UP * 1.3)
        self.play(Create(edges), FadeIn(legend), run_time=2)
        self.bring_to_front(nodes)

        inputs = VGroup(*[Text(f"{name} {raw[SAMPLE, i]:.1f} cm", font_size=18).next_to(node, LEFT, buff=0.15)
                          for i, (name, node) in enumerate(zip(FEATURE_NAMES, nodes[0]))])
        sample_text = Text(f"flower #{SAMPLE}: {CLASS_NAMES[y[SAMPLE]]}", font_size=22, color=GREY_B)
        sample_text.next_to(inputs, UP, buff=0.3)
        self.play(FadeIn(sample_text), FadeIn(inputs, lag_ratio=0.1))

        formula = MathTex(r"a^{(l)} = \sigma\!\left(W^{(l)\top} a^{(l-1)} + b^{(l)}\right)", font_size=30)
        formula.to_edge(DOWN, buff=0.35)
        self.play(Write(formula))
        # Input fill: standardised features mapped through the sigmoid, to share the [0, 1] scale.
        self.light(nodes[0], 1 / (1 + np.exp(-acts[0])))
        for l in range(1, len(sizes)):
            layer_edges = edges[l - 1]
            self.play(layer_edges.animate.set_stroke(opacity=1), run_time=0.4)
            if l == len(sizes) - 1:
                softmax = MathTex(r"p = \mathrm{softmax}\!\left(W^\top a + b\right)", font_size=30).move_to(formula)
                self.play(ReplacementTransform(formula, softmax), run_time=0.6)
                formula = softmax
            self.light(nodes[l], acts[l])
            self.play(layer_edges.animate.set_stroke(opacity=0.35), run_time=0.3)

        probs = VGroup(*[Text(f"{name}  {p:.3f}", font_size=22,
                              color=YELLOW if k == acts[-1].argmax() else WHITE).next_to(node, RIGHT, buff=0.2)
                         for k, (name, p, node) in enumerate(zip(CLASS_NAMES, acts[-1], nodes[-1]))])
        self.play(FadeIn(probs, lag_ratio=0.2))
        agrees = np.allclose(acts[-1], net.predict_proba(X[SAMPLE:SAMPLE + 1])[0])
        check = Text(("numpy forward pass = sklearn predict_proba" if agrees else "forward pass differs!")
                     + f";  training accuracy {net.score(X, y):.1%}", font_size=20,
                     color=GREEN if agrees else RED).next_to(formula, UP, buff=0.2)
        self.play(FadeIn(check))
        self.wait(3.5)

    @staticmethod
    def build_network(sizes, net):
        """Node circles per layer and edge lines per weight matrix (colour = sign, width = |w|)."""
        xs = np.linspace(-2.6, 2.6, len(sizes))
        nodes = VGroup()
        for x, n in zip(xs, sizes):
            ys = (np.arange(n) - (n - 1) / 2) * min(0.62, 4.0 / max(n - 1, 1))
            nodes.add(VGroup(*[Circle(radius=0.2, color=WHITE, stroke_width=2).set_fill(YELLOW, 0)
                               .move_to([x, y - 0.15, 0]) for y in ys[::-1]]))
        edges = VGroup()
        for l, W in enumerate(net.coefs_):
            scale = np.abs(W).max()
            edges.add(VGroup(*[Line(a.get_center(), b.get_center(), buff=0.2,
                                    stroke_width=0.5 + 3 * abs(W[i, j]) / scale,
                                    color=BLUE if W[i, j] > 0 else RED, stroke_opacity=0.35)
                               for i, a in enumerate(nodes[l]) for j, b in enumerate(nodes[l + 1])]))
        return nodes, edges

    def light(self, layer, values):
        self.play(*[node.animate.set_fill(YELLOW, opacity=float(v)) for node, v in zip(layer, values)],
                  run_time=1.0)
