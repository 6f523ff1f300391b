from manim import *

N_DISKS = 6
PEG_X = [-4, 0, 4]
DISK_HEIGHT = 0.3


class HanoiIntro(Scene):
    def construct(self):
        title = Text("Tower of Hanoi", font_size=56)
        rule = MathTex(r"T(n) = 2T(n-1) + 1 = 2^n - 1").next_to(title, DOWN)
        self.play(Write(title))
        self.play(Write(rule))
        self.wait(1)


class TowerOfHanoi(Scene):
    def construct(self):
        base = Line(LEFT * 6.5, RIGHT * 6.5).shift(DOWN * 2.5)
        pegs = VGroup(*[Line(DOWN * 2.5, UP * 0.5).shift(RIGHT * x) for x in PEG_X])
        self.play(Create(base), Create(pegs))

        colors = color_gradient([RED, YELLOW, GREEN, BLUE], N_DISKS)
        stacks = [[], [], []]
        disks = []
        for i in range(N_DISKS):
            width = 2.6 - i * 0.35
            disk = RoundedRectangle(width=width, height=DISK_HEIGHT, corner_radius=0.1,
                                    fill_color=colors[i], fill_opacity=1, stroke_width=1)
            disk.move_to([PEG_X[0], -2.5 + DISK_HEIGHT / 2 + i * DISK_HEIGHT, 0])
            disks.append(disk)
            stacks[0].append(disk)
        self.play(LaggedStart(*[FadeIn(d, shift=DOWN) for d in disks], lag_ratio=0.1))

        counter = Integer(0).to_corner(UR)
        self.add(counter)
        moves = []

        def solve(n, src, dst, via):
            if n == 0:
                return
            solve(n - 1, src, via, dst)
            moves.append((src, dst))
            solve(n - 1, via, dst, src)

        solve(N_DISKS, 0, 2, 1)

        for k, (src, dst) in enumerate(moves, start=1):
            disk = stacks[src].pop()
            target_y = -2.5 + DISK_HEIGHT / 2 + len(stacks[dst]) * DISK_HEIGHT
            # lift, slide, drop: three animations per move
            self.play(disk.animate.set_y(1.2), run_time=0.15)
            self.play(disk.animate.set_x(PEG_X[dst]), run_time=0.15)
            self.play(disk.animate.set_y(target_y), run_time=0.15)
            stacks[dst].append(disk)
            counter.set_value(k)

        done = Text(f"{len(moves)} moves", font_size=36, color=GREEN).to_edge(UP)
        self.play(Write(done))
        self.wait(1)
