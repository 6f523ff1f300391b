from manimlib import *


class ExpandBinomial(Scene):
    def construct(self):
        kw = {
            "isolate": ["a", "b", "^2", "2ab"],
            "t2c": {"a": BLUE, "b": RED},
        }
        lhs = Tex("(a + b)^2", **kw)
        step = Tex("(a + b)(a + b)", **kw)
        rhs = Tex("a^2 + 2ab + b^2", **kw)
        for mob in (lhs, step, rhs):
            mob.scale(1.5)

        self.play(Write(lhs))
        self.wait()
        self.play(TransformMatchingTex(lhs, step))
        self.wait()
        self.play(TransformMatchingTex(step, rhs, key_map={"(a + b)": "a^2"}))
        self.wait()

        # Geometric picture: a square of side a + b
        a, b = 2.0, 1.2
        big = Square(side_length=a + b).shift(DOWN * 0.5)
        big.set_stroke(WHITE, 2)
        sq_a = Square(side_length=a).set_fill(BLUE, 0.5).align_to(big, UL)
        sq_b = Square(side_length=b).set_fill(RED, 0.5).align_to(big, DR)
        self.play(rhs.animate.to_edge(UP), ShowCreation(big))
        self.play(FadeIn(sq_a), FadeIn(sq_b))
        self.wait(2)
