from manim import *


class TitleCard(Scene):
    def construct(self):
        title = Text("Support Vector Machines", font_size=48)
        sub = Text("maximizing the margin", font_size=30, color=GREY_B).next_to(title, DOWN)
        self.play(Write(title), FadeIn(sub, shift=UP))
        self.wait(1)


class MaxMarginClassifier(Scene):
    def construct(self):
        rng = np.random.default_rng(0)
        blue_pts = rng.normal([-2, 1, 0], 0.5, size=(12, 3)) * [1, 1, 0]
        red_pts = rng.normal([2, -1, 0], 0.5, size=(12, 3)) * [1, 1, 0]
        blues = VGroup(*[Dot(p, color=BLUE) for p in blue_pts])
        reds = VGroup(*[Dot(p, color=RED) for p in red_pts])
        self.play(FadeIn(blues, lag_ratio=0.05), FadeIn(reds, lag_ratio=0.05))

        # Decision boundary and margins (direction roughly (2, -1))
        direction = normalize(np.array([1, 1, 0]))
        boundary = Line(-5 * direction, 5 * direction, color=WHITE)
        normal = np.array([direction[1], -direction[0], 0])
        margin_up = DashedLine(-5 * direction + 0.9 * normal, 5 * direction + 0.9 * normal, color=GREY)
        margin_down = DashedLine(-5 * direction - 0.9 * normal, 5 * direction - 0.9 * normal, color=GREY)
        self.play(Create(boundary))
        self.play(Create(margin_up), Create(margin_down))

        brace = BraceBetweenPoints(ORIGIN + 0.9 * normal, ORIGIN - 0.9 * normal)
        margin_label = MathTex(r"\frac{2}{\|w\|}").next_to(brace, RIGHT)
        self.play(GrowFromCenter(brace), Write(margin_label))
        self.wait()

        # Support vectors: the points closest to the boundary
        distances = [abs(np.dot(p, normal)) for p in np.vstack([blue_pts, red_pts])]
        closest = np.argsort(distances)[:3]
        all_dots = [*blues, *reds]
        rings = VGroup(*[Circle(radius=0.2, color=YELLOW).move_to(all_dots[i]) for i in closest])
        self.play(Create(rings))

        objective = MathTex(r"\min_{w,b} \tfrac12\|w\|^2 \;\text{s.t.}\; y_i(w^\top x_i + b) \ge 1")
        objective.to_edge(UP).add_background_rectangle()
        self.play(Write(obj