from manim import *


class CPUPipeline(Scene):
    def construct(self):
        title = Text("Instruction pipeline", font_size=36).to_edge(UP)
        self.play(Write(title))
        names = ["Fetch", "Decode", "Execute", "Write"]
        stages = VGroup(*[
            VGroup(Rectangle(width=2.2, height=0.9, color=c), Text(n, font_size=24))
            for n, c in zip(names, [BLUE, GREEN, ORANGE, RED])
        ])
        stages.arrange(RIGHT, 0.3, True, UP)
        self.play(LaggedStart(*[FadeIn(s, shift=DOWN) for s in stages], lag_ratio=0.2))
        token = Dot(stages[0].get_center(), color=YELLOW)
        self.play(FadeIn(token))
        for s in stages[1:]:
            self.play(token.animate.move_to(s.get_center()), run_time=0.5)
        self.wait()
