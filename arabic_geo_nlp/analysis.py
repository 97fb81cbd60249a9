"""Helpers on the result tables: who is quoted, who is mentioned, with whom, and where.

Every helper takes the DataFrames of :func:`arabic_geo_nlp.process` (or read back from
``arabic-geo-nlp run`` Parquet output) and returns a plain DataFrame. An *actor* is an
entity's canonical name (``entity`` column) when it was linked, else its most frequent
surface form among mentions with the same normalized text; by default only people,
organizations and states count (:data:`ACTOR_LABELS`).

>>> import pandas as pd
>>> quotes = pd.DataFrame({"doc_id": ["a", "a", "b"], "speaker": ["Sergei Markov", "Sergei Markov", "الخبراء"],
...                        "speaker_role": ["المستشار السابق للكرملين", None, None],
...                        "speaker_label": ["PER", "PER", "GROUP"]})
>>> speakers(quotes)[["speaker", "n_quotes", "n_documents", "roles", "labels"]].values.tolist()
[['Sergei Markov', 2, 1, 'المستشار السابق للكرملين', 'PER'], ['الخبراء', 1, 1, '', 'GROUP']]

The ``plot_*`` functions draw on matplotlib axes (``pip install matplotlib``; Arabic labels
are shaped and reordered when ``arabic-reshaper`` and ``python-bidi`` are installed).
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Optional, Sequence, Union

import pandas as pd

from .normalize import normalize

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "ACTOR_LABELS", "speakers", "actor_names", "actors", "cooccurrence", "actors_per_article",
    "mentions_in_quotes", "quotes_for_fact_checking", "compare_actors",
    "display_label", "plot_bar", "plot_network", "plot_heatmap",
]

# Entity labels that count as actors by default; pass ``labels=None`` to keep every label.
ACTOR_LABELS: tuple = ("PER", "ORG", "GPE")


def _joined(values: pd.Series) -> str:
    """Distinct non-empty values in order of first appearance, joined by ``" | "``."""
    seen = dict.fromkeys(str(v) for v in values.dropna() if str(v).strip())
    return " | ".join(seen)


def speakers(quotes: pd.DataFrame) -> pd.DataFrame:
    """Per speaker of a quotes table: ``n_quotes``, ``n_documents``, ``roles`` seen and ``labels``,
    most quoted first (ties by name). Rows without a speaker are left out."""
    cols = ["speaker", "n_quotes", "n_documents", "roles", "labels"]
    q = quotes[quotes["speaker"].notna()]
    if q.empty:
        return pd.DataFrame({c: [] for c in cols})
    grouped = q.groupby("speaker", sort=False)
    out = pd.DataFrame({
        "n_quotes": grouped.size(),
        "n_documents": grouped["doc_id"].nunique(),
        "roles": grouped["speaker_role"].agg(_joined),
        "labels": grouped["speaker_label"].agg(_joined),
    }).reset_index()
    out = out.sort_values(["n_quotes", "speaker"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return out[cols]


def actor_names(entities: pd.DataFrame) -> pd.Series:
    """The actor name of each entity row: ``entity`` when linked, else the most frequent
    ``text`` among the rows whose normalized text is the same (so كوريا الشمالية and
    كوريا الشماليه are one actor).

    >>> ents = pd.DataFrame({"text": ["بوتين", "كوريا الشمالية", "كوريا الشماليه", "كوريا الشمالية"],
    ...                      "entity": ["Vladimir Putin", None, None, None]})
    >>> actor_names(ents).tolist()
    ['Vladimir Putin', 'كوريا الشمالية', 'كوريا الشمالية', 'كوريا الشمالية']
    """
    text = entities["text"].astype("string")
    key = text.map({t: normalize(t) for t in text.dropna().unique()})
    forms = pd.DataFrame({"key": key, "text": text}).dropna()
    counts = forms.value_counts(["key", "text"], sort=False).reset_index(name="n")
    counts = counts.sort_values(["n", "text"], ascending=[False, True], kind="stable")
    surface = counts.drop_duplicates("key").set_index("key")["text"]
    linked = entities["entity"].astype("string") if "entity" in entities else pd.Series(pd.NA, index=entities.index)
    return linked.fillna(key.map(surface)).astype("string").rename("actor")


def _actor_rows(entities: pd.DataFrame, labels: Optional[Sequence[str]]) -> pd.DataFrame:
    """Entity rows with the wanted labels, plus an ``actor`` column; rows without a name dropped."""
    ents = entities if labels is None else entities[entities["label"].astype("string").isin(list(labels))]
    ents = ents.assign(actor=actor_names(ents), label=ents["label"].astype("string"))
    return ents[ents["actor"].notna()]


def _ranked(actor: pd.Series) -> pd.Index:
    """Distinct actors, most frequent first (ties by name)."""
    counts = actor.value_counts().rename("n").reset_index()
    return pd.Index(counts.sort_values(["n", "actor"], ascending=[False, True], kind="stable")["actor"], name="actor")


def actors(entities: pd.DataFrame, labels: Optional[Sequence[str]] = ACTOR_LABELS,
           top: Optional[int] = None) -> pd.DataFrame:
    """Actors by number of mentions: ``actor``, ``label`` (most frequent), ``kb_id``,
    ``n_mentions``, ``n_documents`` and the surface ``forms`` seen, most mentioned first.

    >>> ents = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "label": ["PER", "PER", "GPE", "PER"],
    ...                      "text": ["بوتين", "بوتن", "روسيا", "بوتين"],
    ...                      "entity": ["Vladimir Putin", "Vladimir Putin", "Russia", "Vladimir Putin"],
    ...                      "kb_id": ["Q7747", "Q7747", "Q159", "Q7747"]})
    >>> actors(ents)[["actor", "label", "n_mentions", "n_documents", "forms"]].values.tolist()
    [['Vladimir Putin', 'PER', 3, 2, 'بوتين | بوتن'], ['Russia', 'GPE', 1, 1, 'روسيا']]
    """
    cols = ["actor", "label", "kb_id", "n_mentions", "n_documents", "forms"]
    ents = _actor_rows(entities, labels)
    if ents.empty:
        return pd.DataFrame({c: [] for c in cols})
    if "kb_id" not in ents:
        ents = ents.assign(kb_id=pd.NA)
    grouped = ents.groupby("actor", sort=False)
    out = pd.DataFrame({
        "label": grouped["label"].agg(lambda s: s.value_counts().index[0]),
        "kb_id": grouped["kb_id"].agg(_joined),
        "n_mentions": grouped.size(),
        "n_documents": grouped["doc_id"].nunique(),
        "forms": grouped["text"].agg(_joined),
    }).reindex(_ranked(ents["actor"])).reset_index()
    return out[cols].head(top) if top else out[cols]


def cooccurrence(entities: pd.DataFrame, by: str = "sentence", labels: Optional[Sequence[str]] = ACTOR_LABELS,
                 top: Optional[int] = None) -> pd.DataFrame:
    """Square actor × actor matrix: in how many sentences (``by="sentence"``) or documents
    (``by="document"``) both actors are mentioned. The diagonal counts the units that mention
    the actor at all. Actors are ordered by mentions; ``top`` keeps the most mentioned ones.

    >>> ents = pd.DataFrame({"doc_id": ["a", "a", "a", "b"], "sent_id": [0, 0, 1, 0],
    ...                      "label": ["PER", "GPE", "GPE", "GPE"], "text": ["بوتين", "روسيا", "روسيا", "روسيا"],
    ...                      "entity": ["Vladimir Putin", "Russia", "Russia", "Russia"]})
    >>> cooccurrence(ents).values.tolist()
    [[3, 1], [1, 1]]
    >>> cooccurrence(ents, by="document").loc["Russia", "Vladimir Putin"]
    np.int64(1)
    """
    units = {"sentence": ["doc_id", "sent_id"], "document": ["doc_id"]}
    if by not in units:
        raise ValueError(f"by must be 'sentence' or 'document', not {by!r}")
    ents = _actor_rows(entities, labels).dropna(subset=units[by])
    order = _ranked(ents["actor"])[:top] if top else _ranked(ents["actor"])
    pairs = ents.loc[ents["actor"].isin(order), [*units[by], "actor"]].drop_duplicates()
    if pairs.empty:
        return pd.DataFrame(index=order, columns=order, dtype="int64")
    onehot = pd.crosstab([pairs[c] for c in units[by]], pairs["actor"].astype(object))
    matrix = onehot.T.dot(onehot).reindex(index=order, columns=order, fill_value=0)
    matrix.columns.name = "actor"
    return matrix.astype("int64")


def actors_per_article(entities: pd.DataFrame, labels: Optional[Sequence[str]] = ACTOR_LABELS,
                       top: Optional[int] = None) -> pd.DataFrame:
    """Mentions of each actor (columns, most mentioned first) in each document (rows).

    >>> ents = pd.DataFrame({"doc_id": ["a", "a", "b"], "label": ["GPE", "GPE", "PER"],
    ...                      "text": ["روسيا", "روسيا", "بوتين"], "entity": ["Russia", "Russia", None]})
    >>> actors_per_article(ents).values.tolist()
    [[2, 0], [0, 1]]
    """
    ents = _actor_rows(entities, labels)
    order = _ranked(ents["actor"])[:top] if top else _ranked(ents["actor"])
    ents = ents[ents["actor"].isin(order)]
    table = pd.crosstab(ents["doc_id"].astype(object), ents["actor"].astype(object))
    table = table.reindex(columns=order, fill_value=0)
    table.index.name, table.columns.name = "doc_id", "actor"
    return table.astype("int64")


def mentions_in_quotes(quotes: pd.DataFrame, entities: pd.DataFrame,
                       labels: Optional[Sequence[str]] = ACTOR_LABELS) -> pd.DataFrame:
    """Who mentions whom: for each speaker, the actors named inside their quotes (entity
    offsets within the quote's offsets, same document), with ``n_mentions`` and ``n_quotes``.
    Quotes without a speaker are left out.

    >>> quotes = pd.DataFrame({"doc_id": ["a", "a"], "quote_id": [0, 1], "start": [10, 50], "end": [40, 90],
    ...                        "speaker": ["Sergei Markov", "Yun Sun"]})
    >>> ents = pd.DataFrame({"doc_id": ["a", "a", "a"], "start": [0, 12, 60], "end": [5, 17, 65],
    ...                      "label": ["GPE", "GPE", "PER"], "text": ["روسيا", "روسيا", "بوتين"],
    ...                      "entity": ["Russia", "Russia", "Vladimir Putin"]})
    >>> mentions_in_quotes(quotes, ents).values.tolist()
    [['Sergei Markov', 'Russia', 1, 1], ['Yun Sun', 'Vladimir Putin', 1, 1]]
    """
    cols = ["speaker", "actor", "n_mentions", "n_quotes"]
    q = quotes.loc[quotes["speaker"].notna(), ["doc_id", "quote_id", "start", "end", "speaker"]]
    e = _actor_rows(entities, labels)[["doc_id", "start", "end", "actor"]]
    both = q.merge(e, on="doc_id", suffixes=("_q", "_e"))
    inside = both[(both["start_e"] >= both["start_q"]) & (both["end_e"] <= both["end_q"])]
    if inside.empty:
        return pd.DataFrame({c: [] for c in cols})
    out = inside.groupby(["speaker", "actor"]).agg(
        n_mentions=("actor", "size"), n_quotes=("quote_id", "nunique")).reset_index()
    out = out.sort_values(["n_mentions", "speaker", "actor"], ascending=[False, True, True], kind="stable")
    return out[cols].reset_index(drop=True)


_FACT_CHECK_QUOTE_COLUMNS = ["doc_id", "quote_id", "speaker", "speaker_role", "speaker_label", "speaker_kb_id",
                             "attribution", "kind", "cue", "text", "start", "end", "speaker_mention",
                             "speaker_start", "speaker_end"]


def quotes_for_fact_checking(quotes: pd.DataFrame, sentences: pd.DataFrame,
                             documents: pd.DataFrame) -> pd.DataFrame:
    """One row per quote to check: the ``quote`` and its raw ``start``/``end``, who said it
    (``speaker``, ``speaker_role``, the ``speaker_mention`` and its offsets…), the ``context``
    (the sentences holding the quote and its attribution, ``context_start``–``context_end`` in
    the raw text, with the whitespace between sentences as one space) and where the article came from
    (``source``, ``title``, ``published``). Quote columns absent from ``quotes`` are left out.

    >>> quotes = pd.DataFrame({"doc_id": ["a"], "quote_id": [0], "start": [15], "end": [23], "text": ["لا تراجع"],
    ...                        "speaker": ["الوزيرة"], "speaker_role": [None],
    ...                        "speaker_start": [5], "speaker_end": [12]})
    >>> sentences = pd.DataFrame({"doc_id": ["a", "a"], "sent_id": [0, 1], "start": [0, 26], "end": [25, 35],
    ...                           "text": ["قالت الوزيرة: “لا تراجع”.", "ثم غادرت."]})
    >>> documents = pd.DataFrame({"doc_id": ["a"], "source": ["a.txt"], "title": [None], "published": [None]})
    >>> row = quotes_for_fact_checking(quotes, sentences, documents).iloc[0]
    >>> row["quote"], row["speaker"], row["context"], int(row["context_start"]), int(row["context_end"]), row["source"]
    ('لا تراجع', 'الوزيرة', 'قالت الوزيرة: “لا تراجع”.', 0, 25, 'a.txt')
    """
    q = quotes[[c for c in _FACT_CHECK_QUOTE_COLUMNS if c in quotes]].rename(columns={"text": "quote"})
    bounds = [q["start"]] + ([q["speaker_start"]] if "speaker_start" in q else [])
    ends = [q["end"]] + ([q["speaker_end"]] if "speaker_end" in q else [])
    keyed = q[["doc_id", "quote_id"]].assign(lo=pd.concat(bounds, axis=1).min(axis=1),
                                             hi=pd.concat(ends, axis=1).max(axis=1))
    sents = sentences[["doc_id", "start", "end", "text"]]
    both = keyed.merge(sents, on="doc_id")
    both = both[(both["start"] < both["hi"]) & (both["end"] > both["lo"])].sort_values(["doc_id", "quote_id", "start"])
    previous_end = both.groupby(["doc_id", "quote_id"])["end"].shift()
    glued = (previous_end.isna() | (both["start"] == previous_end)).astype(bool)  # nothing before it to space
    both = both.assign(piece=both["text"].where(glued, " " + both["text"]).astype("string"))
    context = both.groupby(["doc_id", "quote_id"]).agg(
        context=("piece", "".join), context_start=("start", "min"), context_end=("end", "max")).reset_index()
    docs = documents[[c for c in ("doc_id", "source", "title", "published") if c in documents]]
    out = q.merge(context, on=["doc_id", "quote_id"], how="left").merge(docs, on="doc_id", how="left")
    return out.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)


def compare_actors(before: pd.DataFrame, after: pd.DataFrame, labels: Optional[Sequence[str]] = ACTOR_LABELS,
                   top: Optional[int] = None) -> pd.DataFrame:
    """Actors of two entity tables side by side: ``n_before``, ``n_after`` (mentions),
    ``share_before``/``share_after`` (fraction of each batch's actor mentions), ``change`` in
    share and ``new`` (absent before); most mentioned overall first. Actor names are chosen over
    both tables together, so an unlinked name spelled differently in each batch is one actor.

    >>> old = pd.DataFrame({"doc_id": ["a", "a"], "label": ["GPE", "PER"], "text": ["روسيا", "بوتين"],
    ...                     "entity": ["Russia", "Vladimir Putin"]})
    >>> new = pd.DataFrame({"doc_id": ["b", "b"], "label": ["GPE", "GPE"], "text": ["روسيا", "الصين"],
    ...                     "entity": ["Russia", "China"]})
    >>> compare_actors(old, new)[["actor", "n_before", "n_after", "change", "new"]].values.tolist()
    [['Russia', 1, 1, 0.0, False], ['China', 0, 1, 0.5, True], ['Vladimir Putin', 1, 0, -0.5, False]]
    """
    both = _actor_rows(pd.concat([before.assign(_side="n_before"), after.assign(_side="n_after")]), labels)
    counts = pd.crosstab(both["actor"].astype(object), both["_side"]).reindex(columns=["n_before", "n_after"],
                                                                            fill_value=0).astype("int64")
    counts.columns.name = None
    counts.index.name = "actor"
    for side in ("before", "after"):
        total = counts[f"n_{side}"].sum()
        counts[f"share_{side}"] = counts[f"n_{side}"] / total if total else 0.0
    counts["change"] = (counts["share_after"] - counts["share_before"]).round(6)
    counts["new"] = counts["n_before"] == 0
    counts["total"] = counts["n_before"] + counts["n_after"]
    out = counts.reset_index().sort_values(["total", "actor"], ascending=[False, True], kind="stable")
    out = out.drop(columns="total").reset_index(drop=True)
    return out.head(top) if top else out


# ---------------------------------------------------------------------------- plots

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")


def display_label(text: str) -> str:
    """``text`` ready for a matplotlib label: Arabic is shaped and put in visual order when
    ``arabic-reshaper`` and ``python-bidi`` are installed; anything else is returned as is.

    >>> display_label("Vladimir Putin")
    'Vladimir Putin'
    """
    text = str(text)
    if not _ARABIC.search(text):
        return text
    try:
        import arabic_reshaper
        from bidi.algorithm import get_display
    except ImportError:
        return text
    return get_display(arabic_reshaper.reshape(text))


def _axes(ax: Optional["Axes"], figsize: tuple, empty: bool) -> "Axes":
    """``ax``, or the axes of a new figure of ``figsize`` (a small one when there is nothing to draw)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(6, 1.5) if empty else figsize)[1]


def _nothing(ax: "Axes", title: str) -> "Axes":
    ax.text(0.5, 0.5, "nothing to show (no rows)", ha="center", va="center", transform=ax.transAxes)
    ax.set_title(title)
    ax.set_axis_off()
    return ax


def plot_bar(counts: Union[pd.Series, pd.DataFrame], *, title: str = "", xlabel: str = "",
             ax: Optional["Axes"] = None) -> "Axes":
    """Horizontal bars of ``counts`` (index → value), first row on top, e.g. top actors:
    ``plot_bar(actors(res.entities, top=15).set_index("actor")["n_mentions"])``. A DataFrame
    gives one group of bars per row, one bar per column (e.g. ``n_before`` and ``n_after``)."""
    table = counts.to_frame() if isinstance(counts, pd.Series) else counts
    ax = _axes(ax, (7, 0.8 + 0.35 * len(table) * table.shape[1]), table.empty)
    if table.empty:
        return _nothing(ax, title)
    rows = list(range(len(table)))[::-1]
    height = 0.8 / table.shape[1]
    for k, column in enumerate(table.columns):
        ax.barh([r + 0.4 - height * (k + 0.5) for r in rows], table[column].to_numpy(dtype=float), height=height,
                label=str(column))
    ax.set_yticks(rows, [display_label(i) for i in table.index])
    if table.shape[1] > 1:
        ax.legend()
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.figure.tight_layout()
    return ax


def plot_network(matrix: pd.DataFrame, *, title: str = "", ax: Optional["Axes"] = None) -> "Axes":
    """A co-occurrence matrix (:func:`cooccurrence`) as a network on a circle: node size
    follows the diagonal, edge width the pair counts. Needs no graph library."""
    names = list(matrix.index)
    ax = _axes(ax, (8, 8), not names)
    if not names:
        return _nothing(ax, title)
    values = matrix.to_numpy(dtype=float)
    angles = [math.pi / 2 - 2 * math.pi * i / len(names) for i in range(len(names))]
    xs, ys = [math.cos(a) for a in angles], [math.sin(a) for a in angles]
    off_diagonal = max((values[i, j] for i in range(len(names)) for j in range(i)), default=0) or 1
    for i in range(len(names)):
        for j in range(i):
            if values[i, j] > 0:
                ax.plot([xs[i], xs[j]], [ys[i], ys[j]], color="#8172b2", zorder=1,
                        linewidth=0.5 + 5 * values[i, j] / off_diagonal, alpha=0.35 + 0.5 * values[i, j] / off_diagonal)
    sizes = values.diagonal()
    ax.scatter(xs, ys, s=150 + 1200 * sizes / (sizes.max() or 1), color="#dd8452", edgecolor="white", zorder=2)
    for x, y, name in zip(xs, ys, names):
        ax.text(1.18 * x, 1.18 * y, display_label(name), ha="left" if x > 0.01 else "right" if x < -0.01 else "center",
                va="center", fontsize=9)
    ax.set_xlim(-1.7, 1.7)
    ax.set_ylim(-1.35, 1.35)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(title)
    return ax


def plot_heatmap(table: pd.DataFrame, *, title: str = "", ax: Optional["Axes"] = None) -> "Axes":
    """A counts table (e.g. :func:`actors_per_article`) as a heatmap with the counts written in."""
    ax = _axes(ax, (2.5 + 0.6 * table.shape[1], 1.5 + 0.45 * table.shape[0]), table.empty)
    if table.empty:
        return _nothing(ax, title)
    values = table.to_numpy()
    image = ax.imshow(values, cmap="Blues", aspect="auto")
    ax.set_xticks(range(table.shape[1]), [display_label(c) for c in table.columns], rotation=45, ha="right")
    ax.set_yticks(range(table.shape[0]), [display_label(i) for i in table.index])
    high = values.max() / 2
    for (r, c), v in pd.DataFrame(values).stack().items():
        if v:
            ax.text(c, r, str(v), ha="center", va="center", fontsize=8, color="white" if v > high else "black")
    ax.figure.colorbar(image, ax=ax, label="mentions")
    ax.set_title(title)
    ax.figure.tight_layout()
    return ax
