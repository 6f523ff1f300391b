"""Set-up for the machine-learning series: the imports, highlighted one at a time, and a first real call.

The listing is the actual tool set of the gallery (numpy, scikit-learn's datasets and models, Manim).
Each line is highlighted in turn with a one-line note on what it is used for. Its last two lines are
then really executed by the scene (make_blobs with a fixed seed) and their printed output is shown as
numpy formats it.
"""
from manim import *
import numpy as np
from sklearn.datasets import make_blobs

META = {
    "title": "Set-up: the tools",
    "summary": "The imports of the series (numpy, scikit-learn, Manim), each highlighted with what it is "
               "used for, and a first seeded make_blobs call with its real output.",
    "keywords": ["setup", "set-up", "imports", "tools", "numpy", "scikit-learn", "sklearn", "manim",
                 "installation", "python", "environment", "getting started"],
    "scene": "MLSetupScene",
    "category": "ml",
    "order": 2,
    "notes": "ml_setup",
    "params": {},
}

LISTING = """import numpy as np
from sklearn.datasets import make_blobs, load_iris, load_digits
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from manim import *

X, y = make_blobs(n_samples=6, centers=2, random_state=0)
print(np.round(X, 2), y)"""

# One note per highlighted line: (line number in LISTING, starting at 1, what it is for).
NOTES = [
    (1, "numpy: arrays and linear algebra (lstsq, gradients, forward passes)"),
    (2, "seeded, bundled data: no downloads, the same numbers every run"),
    (3, "reference models that our own algorithms are checked against"),
    (4, "fitted models whose coef_ and predict_proba we draw"),
    (5, "Manim Community: scenes, shapes, LaTeX, the animation engine"),
    (7, "a first real call: six seeded points in two blobs"),
    (8, "and what it prints, computed by this scene:"),
]


def first_call():
    """Run the listing's data lines for real: the seeded blobs and the text they print."""
    X, y = make_blobs(n_samples=6, centers=2, random_state=0)
    return X, y, f"{np.round(X, 2)} {y}"


class MLSetupScene(Scene):
    def construct(self):
        title = Text("Set-up: the tools of the series", font_size=38).to_edge(UP, buff=0.3)
        self.play(Write(title))

        listing = Code(code_string=LISTING, language="python", background="window",
                    paragraph_config={"font_size": 20})
        listing.scale_to_fit_width(min(listing.width, 10.5)).next_to(title, DOWN, buff=0.3)
        self.play(FadeIn(listing, shift=UP * 0.2), run_time=1.5)

        lines = listing.code_lines
        highlight = self.band(lines[NOTES[0][0] - 1], listing)
        note = self.note(NOTES[0][1], listing)
        self.play(FadeIn(highlight), FadeIn(note))
        self.wait(1.2)
        for number, text in NOTES[1:]:
            new_note = self.note(text, listing)
            self.play(highlight.animate.become(self.band(lines[number - 1], listing)), FadeOut(note), run_time=0.4)
            self.play(FadeIn(new_note, shift=UP * 0.15), run_time=0.4)
            note = new_note
            self.wait(1.2)

        X, y, printed = first_call()
        output = Code(code_string=printed, language="text", add_line_numbers=False, background="rectangle",
                      paragraph_config={"font_size": 20})
        room = 7.6 - title.height - listing.height - note.height - 1.3
        output.scale_to_fit_height(min(output.height, room))
        plot = self.scatter(X, y, output.height)
        VGroup(output, plot).arrange(RIGHT, buff=0.8).next_to(note, DOWN, buff=0.2)
        self.play(FadeIn(output, shift=DOWN * 0.2), run_time=1.2)
        self.play(Create(plot[0]), LaggedStart(*[GrowFromCenter(d) for d in plot[1]], lag_ratio=0.15))
        self.wait(3)

    @staticmethod
    def scatter(X, y, height):
        """The six printed points, coloured by their printed label."""
        axes = Axes(x_range=[X[:, 0].min() - 0.5, X[:, 0].max() + 0.5], y_range=[X[:, 1].min() - 0.5,
                    X[:, 1].max() + 0.5], x_length=height * 1.2, y_length=height, tips=False)
        frame = SurroundingRectangle(axes, buff=0, color=GREY_C, stroke_width=1.5)
        dots = VGroup(*[Dot(axes.c2p(*p), radius=0.08, color=[BLUE, ORANGE][label]) for p, label in zip(X, y)])
        label = Text("X, coloured by y", font_size=18, color=GREY_B).next_to(frame, DOWN, buff=0.1)
        return VGroup(VGroup(frame, label), dots)

    @staticmethod
    def band(line, listing):
        """A translucent bar behind one line of the listing, as wide as the listing."""
        return Rectangle(width=listing.width - 0.1, height=line.height + 0.12, stroke_width=0,
                         fill_color=YELLOW, fill_opacity=0.18).move_to([listing.get_center()[0], line.get_center()[1], 0])

    @staticmethod
    def note(text, listing):
        note = Text(text, font_size=22, color=YELLOW)
        return note.scale_to_fit_width(min(note.width, 12.4)).next_to(listing, DOWN, buff=0.25)
