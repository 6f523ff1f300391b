from manim import *


class BinaryCounter(Scene):
    """Count from 0 to 255 in binary; each increment flips bits with an animation."""

    def construct(self):
        n_bits = 8
        bits = VGroup(*[Square(side_length=1, fill_color=GREY_E, fill_opacity=1) for _ in range(n_bits)])
        bits.arrange(RIGHT, buff=0.15)
        digits = VGroup(*[Text("0", font_size=40).move_to(b) for b in bits])
        weights = VGroup(*[Text(str(2 ** (n_bits - 1 - i)), font_size=20, color=GREY_B).next_to(b, UP)
                           for i, b in enumerate(bits)])
        decimal = Integer(0, font_size=60).next_to(bits, DOWN, buff=1)

        self.play(FadeIn(bits), FadeIn(digits), FadeIn(weights), FadeIn(decimal))

        state = [0] * n_bits
        for value in range(1, 256):
            new_state = [int(b) for b in format(value, f"0{n_bits}b")]
            anims = []
            for i, (old, new) in enumerate(zip(state, new_state)):
                if old != new:
                    anims.append(Transform(digits[i], Text(str(new), font_size=40).move_to(bits[i])))
                    anims.append(bits[i].animate.set_fill(BLUE if new else GREY_E))
            state = new_state
            decimal.set_value(value)
            self.play(*anims, run_time=0.08)

        self.play(Indicate(decimal))
        self.wait(1)
