"""The Pythagorean theorem by rearrangement. Four copies of a right triangle with legs a, b sit in a square
of side a + b and leave a tilted square of side c in the middle; sliding the same four triangles (pure
translations) into two a-by-b rectangles leaves an a-square and a b-square instead. Every polygon is built
from explicit vertex coordinates and its area is computed with the shoelace formula, so the labels show
measured areas: c^2 equals a^2 + b^2 because the same square minus the same four triangles is left over.
"""
from manim import *
import numpy as np

META = {
    "title": "Pythagorean theorem (rearrangement proof)",
    "summary": "Four right triangles in a square of side a+b, rearranged: the leftover area c^2 becomes a^2 + b^2.",
    "keywords": ["pythagorean theorem", "pythagoras", "right triangle", "hypotenuse", "rearrangement proof",
                 "geometry", "a^2+b^2=c^2", "proof without words"],
    "scene": "PythagoreanScene",
    "category": "math",
    "order": 15,
    "notes": "pythagorean",
    "params": {
        "A": {"default": 3.0, "type": "float", "min": 1.0, "max": 5.0,
              "aliases": ["a", "leg a", "first leg", "short leg"], "help": "length of the first leg"},
        "B": {"default": 4.0, "type": "float", "min": 1.0, "max": 5.0,
              "aliases": ["b", "leg b", "second leg", "long leg"], "help": "length of the second leg"},
    },
}

A = 3.0
B = 4.0

SQUARE_SIZE = 4.2  # on-screen side of the (a+b) square, whatever a and b are
TRIANGLE_COLORS = [BLUE_D, TEAL_D, GREEN_D, PURPLE_D]


def shoelace_area(vertices):
    """Area of a simple polygon from its vertices (in order), by the shoelace formula."""
    v = np.asarray(vertices, dtype=float)
    x, y = v[:, 0], v[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def tilted_configuration(a, b):
    """Four corner triangles of the (a+b) square and the tilted c-square they leave (side c)."""
    s = a + b
    triangles = [
        [(0, 0), (a, 0), (0, b)],  # bottom-left
        [(a, 0), (s, 0), (s, a)],  # bottom-right
        [(s, a), (s, s), (b, s)],  # top-right
        [(b, s), (0, s), (0, b)],  # top-left
    ]
    inner = [(a, 0), (s, a), (b, s), (0, b)]
    return triangles, inner


def rearranged_configuration(a, b):
    """The same triangles translated into two a-by-b rectangles; returns triangles, offsets, a- and b-squares."""
    s = a + b
    offsets = [(0.0, a), (0.0, 0.0), (-b, 0.0), (a, -b)]  # one translation per triangle, same order
    triangles, _ = tilted_configuration(a, b)
    moved = [[(x + dx, y + dy) for x, y in tri] for tri, (dx, dy) in zip(triangles, offsets)]
    a_square = [(0, 0), (a, 0), (a, a), (0, a)]
    b_square = [(a, a), (s, a), (s, s), (a, s)]
    return moved, offsets, a_square, b_square


def areas(a, b):
    """Measured (shoelace) areas of every piece of both configurations."""
    tri1, inner = tilted_configuration(a, b)
    tri2, _, a_sq, b_sq = rearranged_configuration(a, b)
    return {
        "big": shoelace_area([(0, 0), (a + b, 0), (a + b, a + b), (0, a + b)]),
        "triangles_tilted": [shoelace_area(t) for t in tri1],
        "triangles_rearranged": [shoelace_area(t) for t in tri2],
        "c2": shoelace_area(inner),
        "a2": shoelace_area(a_sq),
        "b2": shoelace_area(b_sq),
    }


class PythagoreanScene(Scene):
    def construct(self):
        a, b = float(A), float(B)
        s = a + b
        scale = SQUARE_SIZE / s
        measured = areas(a, b)

        title = Text("Pythagorean theorem: a proof by rearrangement", font_size=34).to_edge(UP, buff=0.3)
        self.play(Write(title))

        def to_screen(origin):
            return lambda p: origin + scale * np.array([p[0], p[1], 0.0])

        left_o = np.array([-3.3 - SQUARE_SIZE / 2, -2.0, 0.0])
        right_o = np.array([3.3 - SQUARE_SIZE / 2, -2.0, 0.0])
        L, R = to_screen(left_o), to_screen(right_o)

        def poly(points, f, color, opacity):
            return Polygon(*[f(p) for p in points], color=color, fill_opacity=opacity, stroke_width=2)

        frames = VGroup(*[Square(SQUARE_SIZE, color=WHITE).move_to(o + SQUARE_SIZE / 2 * (RIGHT + UP))
                          for o in (left_o, right_o)])
        # The same (a+b) square twice, so the two configurations can be compared side by side.
        side_labels = VGroup()
        for f in (L, R):
            side_labels.add(MathTex("a").scale(0.7).next_to(f(((a / 2), 0)), DOWN, buff=0.12),
                            MathTex("b").scale(0.7).next_to(f((a + b / 2, 0)), DOWN, buff=0.12))
        ticks = VGroup(*[Line(f((a, 0)) + 0.1 * DOWN, f((a, 0)) + 0.1 * UP, color=GREY_A) for f in (L, R)])
        self.play(Create(frames), FadeIn(side_labels), Create(ticks))

        tri1, inner = tilted_configuration(a, b)
        left_tris = VGroup(*[poly(t, L, c, 0.75) for t, c in zip(tri1, TRIANGLE_COLORS)])
        right_tris = VGroup(*[poly(t, R, c, 0.75) for t, c in zip(tri1, TRIANGLE_COLORS)])
        self.play(LaggedStart(*[FadeIn(t) for t in left_tris], lag_ratio=0.3),
                  LaggedStart(*[FadeIn(t) for t in right_tris], lag_ratio=0.3), run_time=2)

        c_square = poly(inner, L, YELLOW, 0.35)
        c_label = MathTex(rf"c^2 = {measured['c2']:.2f}", color=YELLOW).scale(0.75)
        c_label.move_to(L((s / 2, s / 2)))
        self.play(DrawBorderThenFill(c_square), Write(c_label))
        self.wait(0.5)

        # Slide the right-hand triangles: each one only translates, so its area cannot change.
        _, offsets, a_sq, b_sq = rearranged_configuration(a, b)
        self.play(*[t.animate.shift(scale * np.array([dx, dy, 0.0])) for t, (dx, dy) in zip(right_tris, offsets)],
                  run_time=2.5)

        a_square, b_square = poly(a_sq, R, RED, 0.35), poly(b_sq, R, ORANGE, 0.35)
        a_label = MathTex(rf"a^2 = {measured['a2']:.2f}", color=RED)
        b_label = MathTex(rf"b^2 = {measured['b2']:.2f}", color=ORANGE)
        for label, square, side, out in ((a_label, a_square, a, LEFT), (b_label, b_square, b, RIGHT)):
            fit = 0.85 * scale * side / label.width
            if fit >= 0.5:  # the label fits inside its square
                label.scale(min(0.75, fit)).move_to(square.get_center())
            else:  # a small square: label it from outside, in the free margin
                label.scale(0.6).next_to(square, out, buff=0.15)
        self.play(DrawBorderThenFill(a_square), DrawBorderThenFill(b_square), Write(a_label), Write(b_label))
        self.wait(0.5)

        tri_area = measured["triangles_tilted"][0]
        equation = MathTex(r"(a+b)^2", r"=", r"4\cdot\tfrac{ab}{2}", r"+", r"c^2", r"=",
                           r"4\cdot\tfrac{ab}{2}", r"+", r"a^2", r"+", r"b^2").scale(0.8)
        equation[4].set_color(YELLOW)
        equation[8].set_color(RED)
        equation[10].set_color(ORANGE)
        equation.to_edge(DOWN, buff=0.75)
        numbers = MathTex(rf"{measured['big']:.2f} = 4\cdot {tri_area:.2f} + {measured['c2']:.2f}"
                          rf" = 4\cdot {tri_area:.2f} + {measured['a2']:.2f} + {measured['b2']:.2f}").scale(0.6)
        numbers.next_to(equation, DOWN, buff=0.15)
        self.play(Write(equation), run_time=2)
        self.play(FadeIn(numbers, shift=UP * 0.2))
        self.wait(0.8)

        result = MathTex(r"c^2", r"=", r"a^2", r"+", r"b^2").scale(1.1)
        result[0].set_color(YELLOW)
        result[2].set_color(RED)
        result[4].set_color(ORANGE)
        result.move_to(equation)
        box = SurroundingRectangle(result, color=YELLOW, buff=0.15)
        self.play(FadeOut(numbers), ReplacementTransform(equation, result))
        self.play(Create(box))
        self.wait(1.5)
