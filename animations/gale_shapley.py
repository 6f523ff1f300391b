"""The Gale-Shapley deferred-acceptance algorithm on a literal 4 x 4 instance. Free proposers propose, in
order, down their preference lists; a receiver holds the best proposal so far and rejects the other. Every
step the scene shows comes from the run of the algorithm below: a proposal (yellow arrow), an acceptance
(green link), a receiver trading up (the old link turns red and breaks) or a rejection. At the end the
matching is checked for blocking pairs, pair by pair: it is stable, and it is the proposer-optimal one.
"""
from manim import *
from collections import deque

META = {
    "title": "Gale-Shapley stable matching",
    "summary": "Deferred acceptance on four proposers and four receivers: proposals, rejections, trade-ups, "
               "and the stable proposer-optimal matching.",
    "keywords": ["gale-shapley", "gale shapley", "stable matching", "stable marriage", "deferred acceptance",
                 "matching", "blocking pair", "algorithm", "game theory"],
    "scene": "GaleShapleyScene",
    "category": "math",
    "order": 17,
    "notes": "gale_shapley",
    "params": {},
}

PROPOSER_PREFS = {  # most preferred first
    "Ada": ["Hugo", "Gia", "Finn", "Eva"],
    "Ben": ["Finn", "Eva", "Hugo", "Gia"],
    "Cleo": ["Eva", "Finn", "Gia", "Hugo"],
    "Dan": ["Eva", "Gia", "Hugo", "Finn"],
}
RECEIVER_PREFS = {
    "Eva": ["Dan", "Cleo", "Ada", "Ben"],
    "Finn": ["Ada", "Dan", "Cleo", "Ben"],
    "Gia": ["Ben", "Cleo", "Ada", "Dan"],
    "Hugo": ["Cleo", "Ben", "Ada", "Dan"],
}


def gale_shapley(proposer_prefs, receiver_prefs):
    """Deferred acceptance with a FIFO queue of free proposers.

    Returns (matching proposer -> receiver, events); each event is (proposer, receiver, outcome, dumped) with
    outcome "accept" (receiver was free), "trade" (receiver drops `dumped` for the proposer) or "reject".
    """
    rank = {r: {p: i for i, p in enumerate(prefs)} for r, prefs in receiver_prefs.items()}
    next_choice = {p: 0 for p in proposer_prefs}
    holds = {}  # receiver -> proposer currently held
    free = deque(proposer_prefs)
    events = []
    while free:
        p = free.popleft()
        r = proposer_prefs[p][next_choice[p]]
        next_choice[p] += 1
        current = holds.get(r)
        if current is None:
            holds[r] = p
            events.append((p, r, "accept", None))
        elif rank[r][p] < rank[r][current]:
            holds[r] = p
            free.append(current)
            events.append((p, r, "trade", current))
        else:
            free.append(p)
            events.append((p, r, "reject", None))
    return {p: r for r, p in holds.items()}, events


def blocking_pairs(matching, proposer_prefs, receiver_prefs):
    """All (p, r) who both prefer each other to their partners in `matching` (proposer -> receiver)."""
    partner_of = {r: p for p, r in matching.items()}
    pairs = []
    for p, prefs in proposer_prefs.items():
        for r in prefs[:prefs.index(matching[p])]:
            if receiver_prefs[r].index(p) < receiver_prefs[r].index(partner_of[r]):
                pairs.append((p, r))
    return pairs


ROWS = [1.75, 0.6, -0.55, -1.7]
LEFT_X, RIGHT_X = -2.1, 2.1


class GaleShapleyScene(Scene):
    def construct(self):
        matching, events = gale_shapley(PROPOSER_PREFS, RECEIVER_PREFS)
        proposers, receivers = list(PROPOSER_PREFS), list(RECEIVER_PREFS)

        title = Text("Gale-Shapley: deferred acceptance", font_size=36).to_edge(UP, buff=0.3)
        self.play(Write(title))

        def node(name, x, y, color):
            box = RoundedRectangle(width=1.45, height=0.62, corner_radius=0.15, color=color, fill_opacity=0.2)
            return VGroup(box, Text(name, font_size=26)).move_to([x, y, 0])

        def pref_row(prefs, x, y):
            # Initials, best first: the letters get dimmed or highlighted as the algorithm uses them.
            row = VGroup(*[Text(n[0], font_size=26) for n in prefs]).arrange(RIGHT, buff=0.32)
            return row.move_to([x, y, 0])

        p_nodes = {p: node(p, LEFT_X, y, BLUE) for p, y in zip(proposers, ROWS)}
        r_nodes = {r: node(r, RIGHT_X, y, PINK) for r, y in zip(receivers, ROWS)}
        p_rows = {p: pref_row(PROPOSER_PREFS[p], -4.7, y) for p, y in zip(proposers, ROWS)}
        r_rows = {r: pref_row(RECEIVER_PREFS[r], 4.7, y) for r, y in zip(receivers, ROWS)}
        headers = VGroup(
            Text("proposers", font_size=24, color=BLUE).move_to([LEFT_X, 2.65, 0]),
            Text("receivers", font_size=24, color=PINK).move_to([RIGHT_X, 2.65, 0]),
            Text("preferences (best first)", font_size=20, color=GREY_A).move_to([-4.7, 2.65, 0]),
            Text("preferences (best first)", font_size=20, color=GREY_A).move_to([4.7, 2.65, 0]),
        )
        for h in headers:  # a common baseline: put the bottom of each header's first "r" at the same height
            glyph = h[h.text.replace(" ", "").index("r")]
            h.shift((2.5 - glyph.get_bottom()[1]) * UP)
        self.play(FadeIn(headers), *[FadeIn(n) for n in [*p_nodes.values(), *r_nodes.values()]])
        self.play(*[Write(r) for r in [*p_rows.values(), *r_rows.values()]], run_time=1.5)

        status = Text("", font_size=24)
        links = {}  # receiver -> the green line to the proposer it holds
        held_by = {}  # receiver -> that proposer

        def say(text, color=WHITE):
            nonlocal status
            new = Text(text, font_size=24, color=color).move_to([0, -2.75, 0])
            if new.width > 13:
                new.scale_to_fit_width(13)
            self.play(FadeOut(status), run_time=0.2)  # clear the line first: no two messages overlap
            self.play(FadeIn(new), run_time=0.3)
            status = new

        def link(p, r, color):
            return Line(p_nodes[p].get_right(), r_nodes[r].get_left(), color=color, stroke_width=5)

        for step, (p, r, outcome, dumped) in enumerate(events, 1):
            choice = PROPOSER_PREFS[p].index(r)
            arrow = Arrow(p_nodes[p].get_right(), r_nodes[r].get_left(), buff=0.05, color=YELLOW,
                          stroke_width=4, max_tip_length_to_length_ratio=0.06)
            say(f"{step}. {p} proposes to {r} (choice #{choice + 1})")
            self.play(GrowArrow(arrow), p_rows[p][choice].animate.set_color(YELLOW), run_time=0.7)
            r_rank = RECEIVER_PREFS[r].index(p)
            if outcome == "reject":
                say(f"{r} prefers {held_by[r]}, whom {r} holds: {p} is rejected", RED)
                self.play(arrow.animate.set_color(RED), p_rows[p][choice].animate.set_color(GREY_D),
                          r_rows[r][r_rank].animate.set_color(RED), run_time=0.6)
                self.play(FadeOut(arrow), r_rows[r][r_rank].animate.set_color(GREY_D), run_time=0.5)
                continue
            new_link = link(p, r, GREEN)
            if outcome == "trade":
                say(f"{r} prefers {p} to {dumped}: trades up, {dumped} is free again", ORANGE)
                old = links[r]
                self.play(old.animate.set_color(RED), run_time=0.5)
                self.play(FadeOut(old), ReplacementTransform(arrow, new_link),
                          r_rows[r][RECEIVER_PREFS[r].index(dumped)].animate.set_color(GREY_D),
                          p_rows[dumped][PROPOSER_PREFS[dumped].index(r)].animate.set_color(GREY_D),
                          r_rows[r][r_rank].animate.set_color(GREEN), p_rows[p][choice].animate.set_color(GREEN),
                          run_time=0.8)
            else:
                say(f"{r} was free: {r} holds {p}", GREEN)
                self.play(ReplacementTransform(arrow, new_link), r_rows[r][r_rank].animate.set_color(GREEN),
                          p_rows[p][choice].animate.set_color(GREEN), run_time=0.8)
            links[r] = new_link
            held_by[r] = p
            self.wait(0.2)

        blocking = blocking_pairs(matching, PROPOSER_PREFS, RECEIVER_PREFS)
        checked = sum(PROPOSER_PREFS[p].index(matching[p]) for p in proposers)
        say(f"All matched. {checked} candidate pairs checked, {len(blocking)} blocking: "
            + ("stable." if not blocking else "not stable!"), GREEN if not blocking else RED)
        result = MathTex(r"\text{stable, proposer-optimal: }" + r",\ ".join(
            rf"\text{{{p}}}\!-\!\text{{{matching[p]}}}" for p in proposers), color=GREEN).scale(0.75)
        result.move_to([0, -3.4, 0])
        self.play(Write(result), *[links[r].animate.set_stroke(width=8) for r in links])
        self.wait(2)
