from manim import *
import numpy as np

np.random.seed(42)


def make_blobs():
    centers = np.array([[-3, 1.5], [2.5, 2], [0, -2]])
    points = np.vstack([c + 0.6 * np.random.randn(15, 2) for c in centers])
    return points


class KMeans(Scene):
    def construct(self):
        points = make_blobs()
        dots = VGroup(*[Dot([x, y, 0], radius=0.06, color=GREY) for x, y in points])
        self.play(FadeIn(dots, lag_ratio=0.02))

        colors = [RED, GREEN, BLUE]
        centroids = points[np.random.choice(len(points), 3, replace=False)]
        centroid_marks = VGroup(*[
            Cross(scale_factor=0.15, stroke_color=c).move_to([x, y, 0]) for (x, y), c in zip(centroids, colors)
        ])
        self.play(Create(centroid_marks))

        for iteration in range(4):
            # assignment step
            dists = np.linalg.norm(points[:, None, :] - centroids[None, :, :], axis=2)
            labels = dists.argmin(axis=1)
            self.play(*[d.animate.set_color(colors[l]) for d, l in zip(dots, labels)], run_time=0.6)
            # update step
            centroids = np.array([points[labels == k].mean(axis=0) for k in range(3)])
            self.play(*[
                m.animate.move_to([x, y, 0]) for m, (x, y) in zip(centroid_marks, centroids)
            ], run_time=0.6)

        done = Text("converged", font_size=30).to_edge(UP)
        self.play(Write(done))
        self.wait(1)
