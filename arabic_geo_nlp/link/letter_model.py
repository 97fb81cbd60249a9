"""The letter model of romanized guesses: each Arabic letter of a word → its English letters.

Learnt by :func:`arabic_geo_nlp.link.build_translit.build_translit` from letters aligned to their
English chunks (``ر`` → ``r``, ``er``; ``ي`` → ``i``, ``ey``, ``""``): for each letter in each
window of up to three letters either side, the chunk it most often has there. A letter is spelt
from its widest window seen at least :data:`MIN_COUNT` times, narrowing down to the letter alone
(``translit_chars.tsv``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterator, List, Sequence, Tuple

from .keys import _tsv_rows, data_file

__all__ = ["WINDOWS", "MIN_COUNT", "MODEL_FILE", "contexts", "LetterModel", "letter_model", "count_contexts"]

MODEL_FILE = "translit_chars.tsv"
# (letters to the left, letters to the right), widest first.
WINDOWS = ((3, 3), (2, 3), (3, 2), (2, 2), (1, 2), (2, 1), (1, 1), (0, 1), (1, 0), (0, 0))
MIN_COUNT = 5
_PAD = 3


def contexts(word: str, i: int) -> Iterator[str]:
    """The windows around letter ``i`` of ``word``, widest first, as ``left[letter]right``
    (``^`` before the word, ``$`` after it).

    >>> list(contexts("سعيد", 0))[:2], list(contexts("سعيد", 0))[-1]
    (['^^^[س]عيد', '^^[س]عيد'], '[س]')
    """
    p = "^" * _PAD + word + "$" * _PAD
    j = i + _PAD
    for left, right in WINDOWS:
        yield f"{p[j - left:j]}[{p[j]}]{p[j + 1:j + 1 + right]}"


def count_contexts(aligned: Sequence[Tuple[str, Sequence[str]]]) -> Dict[str, Counter]:
    """``context → Counter(chunk)`` over words aligned letter by letter."""
    counts: Dict[str, Counter] = defaultdict(Counter)
    for word, chunks in aligned:
        for i, chunk in enumerate(chunks):
            for context in contexts(word, i):
                counts[context][chunk] += 1
    return counts


class LetterModel:
    """``context → (chunk, count)``; :meth:`spell` backs off from the widest window."""

    def __init__(self, table: Dict[str, Tuple[str, int]]):
        self.table = table

    @classmethod
    def learn(cls, aligned: Sequence[Tuple[str, Sequence[str]]]) -> "LetterModel":
        """Keep each window's likeliest chunk when the window was seen :data:`MIN_COUNT` times
        (the letter alone: always); among equally frequent chunks the first in sort order."""
        table = {}
        for context, chunks in count_contexts(aligned).items():
            n = sum(chunks.values())
            if n >= MIN_COUNT or context.startswith("["):
                chunk = min(chunks.items(), key=lambda kv: (-kv[1], kv[0]))[0]
                table[context] = (chunk, n)
        return cls(table)

    @classmethod
    def read(cls, path: Path) -> "LetterModel":
        rows = _tsv_rows(Path(path).read_text(encoding="utf-8").splitlines())
        return cls({r[0]: (r[1], int(r[2])) for r in rows if r[0] != "context"})

    def write(self, path: Path, header: str) -> None:
        rows = [f"{c}\t{chunk}\t{n}\n" for c, (chunk, n) in sorted(self.table.items())]
        Path(path).write_text(header + "context\tenglish\tcount\n" + "".join(rows), encoding="utf-8")

    def chunks(self, word: str) -> List[str]:
        """The English chunk of each letter (empty for a letter never seen)."""
        out = []
        for i in range(len(word)):
            known = next((self.table[c] for c in contexts(word, i) if c in self.table), ("", 0))
            out.append(known[0])
        return out

    def spell(self, word: str) -> str:
        """The English spelling of ``word`` (Arabic letters), lowercase."""
        return "".join(self.chunks(word))


@lru_cache(maxsize=1)
def letter_model() -> LetterModel:
    """The packaged model (``data/kb/translit_chars.tsv``), loaded once."""
    return LetterModel.read(data_file(MODEL_FILE))
