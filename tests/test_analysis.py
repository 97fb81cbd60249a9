"""arabic_geo_nlp.analysis on tiny hand-made tables, on the seed tables, and its plots."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arabic_geo_nlp import analysis as an


def _ents(rows):
    """Entity rows from (doc_id, sent_id, start, end, label, text, entity) tuples."""
    cols = ["doc_id", "sent_id", "start", "end", "label", "text", "entity"]
    return pd.DataFrame(rows, columns=cols).assign(kb_id=None)


ENTS = _ents([
    ("a", 0, 0, 5, "PER", "بوتين", "Vladimir Putin"),
    ("a", 0, 10, 15, "GPE", "روسيا", "Russia"),
    ("a", 1, 20, 34, "GPE", "كوريا الشمالية", None),
    ("a", 1, 40, 45, "GPE", "روسيا", "Russia"),
    ("b", 0, 0, 14, "GPE", "كوريا الشماليه", None),
    ("b", 0, 20, 25, "LOC", "آسيا", "Asia"),
    ("b", 1, 30, 35, "GPE", "روسيا", "Russia"),
])
QUOTES = pd.DataFrame({
    "doc_id": ["a", "a", "b", "b"], "quote_id": [0, 1, 0, 1], "start": [8, 19, 0, 28], "end": [16, 40, 40, 35],
    "text": ["x", "y", "z", "w"], "speaker": ["Sergei Markov", "Sergei Markov", "Yun Sun", None],
    "speaker_role": ["adviser", None, None, None], "speaker_label": ["PER", "PER", "PER", None],
})


def test_actor_names_prefer_the_link_then_fold_spelling_variants():
    assert an.actor_names(ENTS).tolist() == ["Vladimir Putin", "Russia", "كوريا الشمالية", "Russia",
                                             "كوريا الشمالية", "Asia", "Russia"]
    assert an.actor_names(ENTS.drop(columns="entity"))[0] == "بوتين"


def test_actors_counts_mentions_and_documents_of_actor_labels():
    top = an.actors(ENTS)
    assert top[["actor", "n_mentions", "n_documents"]].values.tolist() == [
        ["Russia", 3, 2], ["كوريا الشمالية", 2, 2], ["Vladimir Putin", 1, 1]]
    assert top.loc[1, "forms"] == "كوريا الشمالية | كوريا الشماليه"
    assert "Asia" in an.actors(ENTS, labels=None)["actor"].tolist()
    assert len(an.actors(ENTS, top=1)) == 1
    assert an.actors(ENTS.iloc[:0]).columns.tolist() == ["actor", "label", "kb_id", "n_mentions", "n_documents",
                                                         "forms"]


def test_cooccurrence_by_sentence_and_by_document():
    by_sent = an.cooccurrence(ENTS)
    assert list(by_sent.index) == ["Russia", "كوريا الشمالية", "Vladimir Putin"]
    assert by_sent.loc["Russia", "Vladimir Putin"] == 1 and by_sent.loc["Russia", "كوريا الشمالية"] == 1
    assert by_sent.loc["Russia", "Russia"] == 3  # three sentences mention Russia
    by_doc = an.cooccurrence(ENTS, by="document")
    assert by_doc.loc["Russia", "كوريا الشمالية"] == 2 and by_doc.loc["Vladimir Putin", "Vladimir Putin"] == 1
    assert an.cooccurrence(ENTS, top=2).shape == (2, 2)
    assert an.cooccurrence(ENTS.iloc[:0]).empty
    with pytest.raises(ValueError, match="by must be"):
        an.cooccurrence(ENTS, by="paragraph")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 3), st.sampled_from(["A", "B", "C", "D"])),
                min_size=1, max_size=30))
def test_cooccurrence_is_symmetric_with_the_largest_counts_on_the_diagonal(rows):
    ents = _ents([(d, s, 0, 1, "PER", name, name) for d, s, name in rows])
    for by in ("sentence", "document"):
        m = an.cooccurrence(ents, by=by)
        assert (m.values == m.values.T).all()
        assert all(m.iloc[i, i] >= m.iloc[i].max() for i in range(len(m)))
        units = ["doc_id", "sent_id"] if by == "sentence" else ["doc_id"]
        assert m.values.diagonal().tolist() == [ents.loc[ents["entity"] == a, units].drop_duplicates().shape[0]
                                                for a in m.index]


def test_actors_per_article():
    table = an.actors_per_article(ENTS)
    assert table.loc["a"].tolist() == [2, 1, 1] and table.loc["b"].tolist() == [1, 1, 0]
    assert table.values.sum() == len(ENTS) - 1  # the LOC is not an actor


def test_mentions_in_quotes_use_offsets_within_the_same_document():
    who = an.mentions_in_quotes(QUOTES, ENTS)
    # quote a/0 (8-16) holds Russia at 10-15; a/1 (19-40) holds North Korea 20-34 but not Russia 40-45
    # (its end equals the quote's end, so it is inside); b/0 (0-40) holds North Korea and Russia 30-35;
    # b/1 has no speaker.
    assert who.values.tolist() == [
        ["Sergei Markov", "Russia", 1, 1], ["Sergei Markov", "كوريا الشمالية", 1, 1],
        ["Yun Sun", "Russia", 1, 1], ["Yun Sun", "كوريا الشمالية", 1, 1]]
    assert an.mentions_in_quotes(QUOTES, ENTS.iloc[:0]).empty


def test_fact_checking_rows_carry_quote_speaker_context_source_and_exact_offsets(seed_result, seed_texts):
    checks = an.quotes_for_fact_checking(seed_result.quotes, seed_result.sentences, seed_result.documents)
    assert len(checks) == len(seed_result.quotes) > 0
    for row in checks.itertuples():
        raw = seed_texts[row.doc_id]
        assert raw[row.start:row.end] == row.quote
        assert raw[row.context_start:row.context_end].split() == row.context.split()
        assert row.context_start <= row.start and row.end <= row.context_end
        if pd.notna(row.speaker_start):
            assert raw[row.speaker_start:row.speaker_end] == row.speaker_mention
            assert row.context_start <= row.speaker_start and row.speaker_end <= row.context_end
        assert row.source.endswith(f"{row.doc_id}.txt")
    assert {"speaker", "speaker_role", "quote", "context", "source", "start", "end"} <= set(checks.columns)


def test_compare_actors_shares_and_new_actors():
    out = an.compare_actors(ENTS[ENTS["doc_id"] == "a"], ENTS[ENTS["doc_id"] == "b"]).set_index("actor")
    assert out["share_before"].sum() == pytest.approx(1) and out["share_after"].sum() == pytest.approx(1)
    assert out.loc["Vladimir Putin", "n_after"] == 0 and not out["new"].any()
    assert an.compare_actors(ENTS.iloc[:0], ENTS)["new"].all()


def test_helpers_run_on_the_seed_tables_with_or_without_entities(seed_result):
    res = seed_result
    assert "n_quotes" in an.speakers(res.quotes) and len(an.speakers(res.quotes)) > 0
    top = an.actors(res.entities, top=10)
    matrix = an.cooccurrence(res.entities, top=10)
    assert list(matrix.index) == list(matrix.columns) == top["actor"].tolist()
    assert an.actors_per_article(res.entities, top=10).shape[1] == len(top)
    assert set(an.mentions_in_quotes(res.quotes, res.entities)["speaker"]) <= set(res.quotes["speaker"].dropna())


# ---------------------------------------------------------------------------- plots


@pytest.fixture()
def plt():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    yield pyplot
    pyplot.close("all")


def _drawn(ax):
    ax.figure.canvas.draw()
    return ax.figure.canvas.buffer_rgba()


def test_plots_draw_on_matplotlib(plt):
    assert len(an.plot_bar(an.actors(ENTS).set_index("actor")["n_mentions"], title="actors").patches) == 3
    two = an.compare_actors(ENTS[ENTS["doc_id"] == "a"], ENTS[ENTS["doc_id"] == "b"]).set_index("actor")
    assert len(an.plot_bar(two[["n_before", "n_after"]]).patches) == 2 * len(two)
    network = an.plot_network(an.cooccurrence(ENTS))
    assert len(network.collections[0].get_offsets()) == 3 and len(network.lines) == 2
    heat = an.plot_heatmap(an.actors_per_article(ENTS))
    assert heat.images[0].get_array().shape == (2, 3)
    for ax in (network, heat):
        assert _drawn(ax)


def test_plots_of_empty_tables_say_so(plt):
    for ax in (an.plot_bar(pd.Series(dtype="int64")), an.plot_network(an.cooccurrence(ENTS.iloc[:0])),
               an.plot_heatmap(an.actors_per_article(ENTS.iloc[:0]))):
        assert "nothing to show" in ax.texts[0].get_text()


def test_arabic_labels_are_shaped_for_matplotlib():
    pytest.importorskip("arabic_reshaper")
    pytest.importorskip("bidi")
    label = an.display_label("سيرجي ماركوف")
    assert label != "سيرجي ماركوف" and any("\ufe70" <= c <= "\ufeff" for c in label)  # presentation forms
    assert an.display_label("Sergei Markov") == "Sergei Markov"
