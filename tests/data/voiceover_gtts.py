from manim import BLUE, Circle, Create, FadeOut, Square, Transform, Write, MathTex, UP
from manim_voiceover import VoiceoverScene
from manim_voiceover.services.gtts import GTTSService


class NarratedSquare(VoiceoverScene):
    def construct(self):
        self.set_speech_service(GTTSService(lang="en", tld="com"))
        circle = Circle(color=BLUE)
        with self.voiceover(text="Here is a circle.") as tracker:
            self.play(Create(circle), run_time=tracker.duration)
        self.wait(0.5)
        with self.voiceover(text="Now it turns into a square, <bookmark mark='A'/> just like that.") as tracker:
            self.play(Transform(circle, Square()), run_time=tracker.time_until_bookmark("A"))
        title = MathTex(r"x^2").to_edge(UP)
        with self.voiceover(text="And that is all.") as tracker:
            self.play(Write(title), run_time=tracker.duration / 2)
        self.play(FadeOut(circle), FadeOut(title))
