Sure! First, some helper functions to build the probability tree:

```python
from manim import *

BRANCH_COLOR = GREY_B


def branch(start, end, prob):
    """A line with its probability written at the midpoint."""
    line = Line(start, end, color=BRANCH_COLOR)
    label = MathTex(prob, font_size=28).next_to(line.get_center(), UP, buff=0.1)
    return VGroup(line, label)
```

Now the scene itself, which uses `branch` to draw two coin flips:

```python
class CoinFlipTree(Scene):
    def construct(self):
        root = Dot(LEFT * 5)
        self.play(FadeIn(root))

        level1 = [UP * 1.8 + LEFT * 1.5, DOWN * 1.8 + LEFT * 1.5]
        first = VGroup(*[branch(root.get_center(), p, r"\tfrac12") for p in level1])
        self.play(Create(first))

        leaves = []
        second = VGroup()
        for p in level1:
            for dy in (0.9, -0.9):
                leaf = p + RIGHT * 3.5 + UP * dy
                leaves.append(leaf)
                second.add(branch(p, leaf, r"\tfrac12"))
        self.play(Create(second))

        outcomes = VGroup(*[
            MathTex(s, font_size=32).next_to(leaf, RIGHT) for s, leaf in zip(["HH", "HT", "TH", "TT"], leaves)
        ])
        self.play(Write(outcomes))
        answer = MathTex(r"P(\text{two heads}) = \tfrac12 \cdot \tfrac12 = \tfrac14").to_edge(DOWN)
        self.play(Write(answer))
        self.wait(2)
```

Each path multiplies the probabilities along its branches.
