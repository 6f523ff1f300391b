I'll create an animation explaining eigenvectors: vectors that only get scaled by a matrix.

```python
from manim import *


class Eigenvectors(Scene):
    def construct(self):
        plane = NumberPlane(x_range=[-7, 7], y_range=[-4, 4])
        matrix = [[3, 1], [0, 2]]
        title = MathTex(r"A = \begin{bmatrix} 3 & 1 \\ 0 & 2 \end{bmatrix}").to_corner(UL)
        title.add_background_rectangle()

        # Eigenvectors of A: (1, 0) with eigenvalue 3 and (1, -1) with eigenvalue 2
        v1 = Vector([1, 0], color=YELLOW)
        v2 = Vector([1, -1], color=PINK)
        other = Vector([0.5, 1.5], color=GREY)

        self.add(plane)
        self.play(Write(title))
        self.play(GrowArrow(v1), GrowArrow(v2), GrowArrow(other))
        self.wait()

        self.play(
            ApplyMatrix(matrix, plane),
            ApplyMatrix(matrix, v1),
            ApplyMatrix(matrix, v2),
            ApplyMatrix(matrix, other),
            run_time=3,
        )
        note = Tex("Yellow and pink stay on their lines").to_edge(DOWN).add_background_rectangle()
        self.play(Write(note))
        self.wait(2)
```

### Explanation

1. **NumberPlane**: the grid that the matrix transforms.
2. **Eigenvectors**: `v1` and `v2` only get stretched (by 3 and 2), while the grey vector changes direction.
3. **ApplyMatrix**: applies the linear transformation to every object.

Run it with `manim -pqh eigenvectors.py Eigenvectors`.
