"""Suggested codes for an uncoded open answer, from similar answers already coded.

Lexical only, computed on the server from the codebook's own coded answers (nothing is
fetched or sent anywhere): words are lower-cased, split on anything that is not a letter
or digit, Dutch and English stop words are dropped and a crude suffix trim folds plurals
("werkdruk", "werkdrukte" stay apart, "collega's"/"collega" meet). Each answer becomes a
TF-IDF vector (numpy); a code's score is the similarity-weighted share of the nearest
coded answers that carry it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

_STOP_TEXT = """
    de het een en of maar dat die dit deze van in op te voor met aan bij naar om over uit
    als dan ook niet geen wel nog al er is zijn was waren wordt worden werd heb hebben heeft
    ik je jij u we wij ze zij hij mijn jouw onze hun hen me mij ons zich wat wie waar hoe
    meer veel heel erg zo nu toe tot door zonder onder tegen kan kunnen moet moeten zou
    zouden wil willen graag echt gewoon iets niets alles vaak soms
    the a an and or but that this these those of in on to for with at by from about as
    than then also not no is are was were be been being have has had do does did i you he
    she we they it my your our their me us them what who where how more much very so now
    can could should would will want please just really some any all often
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
NEIGHBOURS = 5
MIN_SCORE = 0.15


def tokens(text: str) -> list[str]:
    out = []
    for word in _WORD.findall(text.lower()):
        word = word.replace("'s", "").replace("'", "")
        if len(word) < 2 or word in STOP_WORDS or word.isdigit():
            continue
        if len(word) > 4 and word.endswith(("en", "es")):
            word = word[:-2]
        elif len(word) > 3 and word.endswith("s"):
            word = word[:-1]
        out.append(word)
    return out


@dataclass(frozen=True)
class Suggestion:
    code: str
    score: float  # 0..1


def _vectors(documents: Sequence[list[str]], vocabulary: Mapping[str, int], idf: np.ndarray) -> np.ndarray:
    matrix = np.zeros((len(documents), len(vocabulary)))
    for row, words in enumerate(documents):
        for word, count in Counter(words).items():
            column = vocabulary.get(word)
            if column is not None:
                matrix[row, column] = 1.0 + math.log(count)
    matrix *= idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def suggest(
    text: str,
    coded: Sequence[tuple[str, Sequence[str]]],
    *,
    limit: int = 3,
    neighbours: int = NEIGHBOURS,
    min_score: float = MIN_SCORE,
) -> list[Suggestion]:
    """Likely codes for ``text`` from ``coded`` = [(answer text, its codes), ...], best
    first. Nothing is suggested when no coded answer shares a meaningful word."""
    query = tokens(text)
    if not query or not coded:
        return []
    documents = [tokens(t) for t, _codes in coded]
    vocabulary: dict[str, int] = {}
    for words in documents:
        for word in words:
            vocabulary.setdefault(word, len(vocabulary))
    if not vocabulary:
        return []
    df = np.zeros(len(vocabulary))
    for words in documents:
        for word in set(words):
            df[vocabulary[word]] += 1
    idf = np.log((1 + len(documents)) / (1 + df)) + 1.0
    matrix = _vectors(documents, vocabulary, idf)
    target = _vectors([query], vocabulary, idf)[0]
    similarity = matrix @ target
    order = [i for i in np.argsort(-similarity, kind="stable")[:neighbours] if similarity[i] > 0]
    if not order:
        return []
    weight = float(sum(similarity[i] for i in order))
    scores: dict[str, float] = {}
    for i in order:
        for code in set(coded[i][1]):
            scores[code] = scores.get(code, 0.0) + float(similarity[i]) / weight
    # Scale by the best match's similarity, so a faint resemblance gives a faint score.
    best = float(similarity[order[0]])
    ranked = sorted(((c, s * best) for c, s in scores.items()), key=lambda cs: (-cs[1], cs[0]))
    return [Suggestion(code, round(score, 3)) for code, score in ranked[:limit] if score >= min_score]
