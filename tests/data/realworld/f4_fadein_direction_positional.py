from manimlib import *


class StackPushPop(Scene):
    def construct(self):
        title = Text("A stack: last in, first out")
        title.to_edge(UP)
        self.play(FadeIn(title, DOWN))

        items = VGroup()
        base = Line(LEFT * 1.5, RIGHT * 1.5).shift(DOWN * 2.5)
        self.play(ShowCreation(base))

        for k, color in enumerate([BLUE, GREEN, YELLOW, ORANGE]):
            box = Rectangle(width=2.5, height=0.6)
            box.set_fill(color, 0.7)
            label = Text(f"item {k}").scale(0.5).move_to(box)
            item = VGroup(box, label)
            item.move_to(base.get_center() + UP * (0.3 + 0.65 * k))
            self.play(FadeIn(item, UP), run_time=0.6)
            items.add(item)

        # Pop two items
        for item in reversed(items[-2:]):
            self.play(FadeOut(item, UP), run_time=0.6)
        self.play(GrowFromCenter(Text("peek: item 1").scale(0.6).next_to(items[1], RIGHT)))
        self.wait(2)
