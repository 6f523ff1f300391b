"""Sentiment of a sentence with a bag-of-words logistic regression. A tiny labelled set of short movie
reviews (50 sentences, 25 positive and 25 negative, written out below) trains scikit-learn's
CountVectorizer + LogisticRegression when the scene renders. The sentence is split into words; each
word's contribution to the score is the model's coefficient for it (summed over its tokens; words the
model never saw contribute 0). The score z = intercept + sum of contributions is exactly the model's
decision_function, and P(positive) = sigmoid(z) is its predict_proba."""
from manim import *
import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression

META = {
    "title": "Sentiment analysis, word by word",
    "summary": "A bag-of-words logistic regression trained on 50 tiny reviews scores a sentence: each "
               "word's weight as a bar, their sum plus the intercept, and P(positive).",
    "keywords": ["sentiment", "sentiment analysis", "text classification", "nlp", "bag of words",
                 "logistic regression", "word weights", "positive", "negative", "review"],
    "scene": "SentimentScene",
    "category": "ml",
    "order": 14,
    "notes": "sentiment",
    "params": {
        "SENTENCE": {"default": "a wonderful film with brilliant acting and a surprisingly moving story",
                     "type": "str", "aliases": ["sentence", "text", "review"],
                     "help": "the sentence to classify (up to about 20 words reads well)"},
    },
}

SENTENCE = "a wonderful film with brilliant acting and a surprisingly moving story"
C = 3.0  # inverse regularisation strength of the logistic regression

# the whole training set: (review, label) with 1 = positive, 0 = negative
REVIEWS = [
    ("a wonderful film with a great cast", 1),
    ("brilliant acting and a moving story", 1),
    ("i loved every minute of this movie", 1),
    ("a beautiful and touching film", 1),
    ("the story was fun and exciting", 1),
    ("great performances and a clever plot", 1),
    ("an excellent movie with stunning visuals", 1),
    ("moving, funny and wonderful", 1),
    ("the best film i have seen this year", 1),
    ("a delightful and charming comedy", 1),
    ("superb direction and brilliant writing", 1),
    ("i enjoyed it from start to finish", 1),
    ("a masterpiece of modern cinema", 1),
    ("the acting was great and the music lovely", 1),
    ("a heartwarming story with a happy ending", 1),
    ("fantastic film, highly recommended", 1),
    ("clever, witty and beautifully made", 1),
    ("an amazing cast gives wonderful performances", 1),
    ("the plot is gripping and the ending perfect", 1),
    ("a fun, entertaining and smart movie", 1),
    ("i loved the characters and the story", 1),
    ("beautiful photography and a moving score", 1),
    ("a joy to watch, truly excellent", 1),
    ("strong acting and an inspiring story", 1),
    ("one of the most enjoyable films ever", 1),
    ("a boring film with a terrible cast", 0),
    ("bad acting and a dull story", 0),
    ("i hated every minute of this movie", 0),
    ("an ugly and pointless film", 0),
    ("the story was slow and tedious", 0),
    ("awful performances and a stupid plot", 0),
    ("a poor movie with cheap visuals", 0),
    ("dull, silly and disappointing", 0),
    ("the worst film i have seen this year", 0),
    ("a tiresome and annoying comedy", 0),
    ("weak direction and lazy writing", 0),
    ("i was bored from start to finish", 0),
    ("a mess of bad cinema", 0),
    ("the acting was wooden and the music awful", 0),
    ("a depressing story with a stupid ending", 0),
    ("terrible film, not recommended", 0),
    ("predictable, dull and badly made", 0),
    ("a weak cast gives terrible performances", 0),
    ("the plot is confusing and the ending bad", 0),
    ("a boring, lifeless and dumb movie", 0),
    ("i disliked the characters and the story", 0),
    ("horrible photography and an annoying score", 0),
    ("a waste of time, truly awful", 0),
    ("poor acting and a forgettable story", 0),
    ("one of the most boring films ever", 0),
]


def train(reviews, c):
    """Word counts (every word, including one-letter ones) and a logistic regression on them."""
    texts, labels = zip(*reviews)
    vectorizer = CountVectorizer(token_pattern=r"(?u)\b\w+\b")
    model = LogisticRegression(C=c).fit(vectorizer.fit_transform(texts), labels)
    return vectorizer, model


def contributions(sentence, vectorizer, model):
    """(word, contribution) for each whitespace-separated word: the sum of the coefficients of its
    tokens that are in the vocabulary (0 for unknown words)."""
    analyse, vocab, coef = vectorizer.build_analyzer(), vectorizer.vocabulary_, model.coef_[0]
    return [(w, float(sum(coef[vocab[t]] for t in analyse(w) if t in vocab))) for w in sentence.split()]


def wrap(text, width):
    """Greedy line breaking at spaces (lines of at most `width` characters unless a word is longer)."""
    lines = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class SentimentScene(Scene):
    def construct(self):
        vectorizer, model = train(REVIEWS, C)
        parts = contributions(SENTENCE, vectorizer, model)
        b = float(model.intercept_[0])
        z = b + sum(c for _, c in parts)
        prob = sigmoid(z)

        title = Text("Sentiment analysis, word by word", font_size=34).to_edge(UP, buff=0.25)
        trained = Text(f"bag-of-words logistic regression, trained on {len(REVIEWS)} short labelled reviews",
                       font_size=18, color=GREY_B).next_to(title, DOWN, buff=0.15)
        quote = VGroup(*[Text(line, font_size=24) for line in wrap(f"\u201c{SENTENCE.strip()}\u201d", 80)])
        quote.arrange(DOWN, buff=0.1)
        quote.scale(min(1.0, 13.0 / quote.width, 1.1 / quote.height)).next_to(trained, DOWN, buff=0.3)
        self.play(Write(title), FadeIn(trained), run_time=1.2)
        self.play(FadeIn(quote, shift=DOWN * 0.2), run_time=1)
        self.wait(1)

        # one row per word: the word, then a bar for its weight around a zero line
        top, bottom = quote.get_bottom()[1] - 0.35, -3.6
        n = max(len(parts), 1)
        row_h = min(0.45, (top - bottom) / n)
        font = min(24, 60 * row_h)
        zero_x, unit = -1.0, 2.0 / max(max((abs(c) for _, c in parts), default=1.0), 0.5)
        rows = VGroup()
        for k, (word, c) in enumerate(parts):
            y = top - (k + 0.5) * row_h
            colour = GREEN if c > 0 else RED if c < 0 else GREY_B
            label = Text(word, font_size=font, color=colour if c else GREY_B)
            label.scale_to_fit_width(min(label.width, 2.6)).move_to([zero_x - 2.5, y, 0], aligned_edge=RIGHT)
            bar = Rectangle(width=max(abs(c) * unit, 0.01), height=0.7 * row_h, stroke_width=0,
                            fill_color=colour, fill_opacity=0.85 if c else 0)
            bar.move_to([zero_x, y, 0], aligned_edge=LEFT if c >= 0 else RIGHT)
            # the value sits on the other side of the zero line, clear of the bar
            value = Text("0 (unknown)" if c == 0 else f"{c:+.2f}", font_size=0.8 * font, color=colour)
            value.next_to([zero_x, y, 0], LEFT if c > 0 else RIGHT, buff=0.12)
            rows.add(VGroup(label, bar, value))
        zero_line = Line([zero_x, top, 0], [zero_x, top - n * row_h, 0], stroke_width=2, color=GREY_B)
        words_in = [FadeIn(r[0], shift=RIGHT * 0.2) for r in rows]
        self.play(Create(zero_line), *([LaggedStart(*words_in, lag_ratio=0.1)] if words_in else []), run_time=1.5)

        running = DecimalNumber(0, num_decimal_places=2, include_sign=True, font_size=34)
        total_lbl = MathTex(r"\textstyle\sum w_{\text{word}} =", font_size=34)
        total = VGroup(total_lbl, running).arrange(RIGHT, buff=0.15).move_to([4.2, 1.2, 0])
        self.play(FadeIn(total), run_time=0.6)
        acc = 0.0
        for (word, c), row in zip(parts, rows):
            acc += c
            self.play(GrowFromEdge(row[1], LEFT if c >= 0 else RIGHT), FadeIn(row[2]),
                      running.animate.set_value(acc), run_time=0.8 if len(parts) <= 12 else 0.35)

        panel = VGroup(
            MathTex(r"\text{intercept } b = %+.2f" % b, font_size=32),
            MathTex(r"z = b + \sum w = %+.2f" % z, font_size=32),
            MathTex(r"P(\text{positive}) = \sigma(z) = %.3f" % prob, font_size=32),
            MathTex(r"\sigma(z) = \frac{1}{1+e^{-z}}", font_size=26, color=GREY_B),
        ).arrange(DOWN, buff=0.3).next_to(total, DOWN, buff=0.4)
        for line in panel[:2]:
            self.play(Write(line), run_time=1)
        self.play(Write(panel[2]), FadeIn(panel[3]), run_time=1.2)
        self.wait(0.5)

        verdict_colour = GREEN if prob >= 0.5 else RED
        meter = Rectangle(width=4.4, height=0.3, stroke_color=GREY_B, stroke_width=2).next_to(panel, DOWN, buff=0.4)
        fill = Rectangle(width=max(4.4 * prob, 0.01), height=0.3, stroke_width=0, fill_color=verdict_colour,
                         fill_opacity=0.85).align_to(meter, LEFT).align_to(meter, DOWN)
        verdict = Text("positive" if prob >= 0.5 else "negative", font_size=30, color=verdict_colour)
        verdict.next_to(meter, DOWN, buff=0.3)
        self.play(Create(meter), GrowFromEdge(fill, LEFT), run_time=1)
        self.play(FadeIn(verdict, scale=1.2), run_time=0.8)
        self.wait(3.5)
