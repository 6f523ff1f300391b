from manim import *


class BrownianParticles(Scene):
    """Twenty particles jiggling randomly: Brownian motion."""

    def construct(self):
        random.seed(0)
        box = Rectangle(width=10, height=6, color=GREY)
        self.play(Create(box))

        particles = VGroup(*[
            Dot([random.uniform(-4.5, 4.5), random.uniform(-2.5, 2.5), 0],
                color=random.choice([BLUE, TEAL, GREEN]), radius=0.08)
            for _ in range(20)
        ])
        self.play(FadeIn(particles, lag_ratio=0.05))

        for _ in range(8):
            moves = []
            for p in particles:
                step = np.array([random.gauss(0, 0.4), random.gauss(0, 0.4), 0])
                target = np.clip(p.get_center() + step, [-4.8, -2.8, 0], [4.8, 2.8, 0])
                moves.append(p.animate.move_to(target))
            self.play(*moves, run_time=0.5)

        label = MathTex(r"\langle x^2 \rangle = 2Dt").to_edge(UP)
        self.play(Write(label))
        self.wait(1)
