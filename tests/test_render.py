"""agn.render: displaCy HTML of an article, right to left, with exact highlights; and a
headless-Chromium screenshot of a seed article (skipped without Chromium)."""

import html
import re
import shutil

import pandas as pd
import pytest

from arabic_geo_nlp.render import (LABEL_COLORS, SPEAKER_COLORS, SPEAKER_MENTION, SPEAKER_MENTION_COLOR,
                                   UNATTRIBUTED, HTML, _span_line, _Mark, render, to_png)

TEXT = "قالت الوزيرة: “لا تراجع عن الاتفاق مع روسيا”.\n\nوقال بوتين إن روسيا مستعدة."
SEED = "000_ebd9cc9507043d5f"


def _at(text, word, nth=0):
    start = [m.start() for m in re.finditer(re.escape(word), text)][nth]
    return start, start + len(word)


def _entities(text=TEXT):
    rows = []
    for word, label, name, kb in [("روسيا", "GPE", "Russia", "Q159"), ("بوتين", "PER", "Vladimir Putin", "Q7747")]:
        for m in re.finditer(word, text):
            rows.append(dict(doc_id="d", start=m.start(), end=m.end(), text=word, label=label, entity=name, kb_id=kb))
    return pd.DataFrame(rows).sort_values("start", ignore_index=True)


def _quotes(text=TEXT, speaker="الوزيرة"):
    start, end = _at(text, "لا تراجع عن الاتفاق مع روسيا")
    s_start, s_end = _at(text, "الوزيرة")
    return pd.DataFrame([dict(doc_id="d", quote_id=0, start=start, end=end, text=text[start:end], speaker=speaker,
                              speaker_start=s_start, speaker_end=s_end, speaker_label="PER")])


def _marked(markup):
    """The texts displaCy put inside <mark> elements, in order."""
    return [html.unescape(m) for m in re.findall(r'<mark class="entity"[^>]*>(.*?)<span', markup, flags=re.S)]


def test_ents_cover_exactly_their_offsets_with_label_colours_and_names():
    ents = _entities()
    out = render(("d", TEXT), "ents", tables={"entities": ents})
    assert isinstance(out, HTML) and isinstance(out, str)
    assert _marked(out) == [TEXT[s:e] for s, e in zip(ents["start"], ents["end"])]
    assert "direction: rtl" in out and 'dir="rtl"' in out
    assert LABEL_COLORS["GPE"] in out and LABEL_COLORS["PER"] in out
    assert "Vladimir Putin" in out and "https://www.wikidata.org/wiki/Q7747" in out
    assert out.count("<br>") == 2  # the paragraph break is kept


def test_overlapping_or_out_of_range_entities_are_dropped():
    ents = pd.concat([_entities(), pd.DataFrame([
        dict(doc_id="d", start=0, end=12, text=TEXT[:12], label="MISC", entity=None, kb_id=None),
        dict(doc_id="d", start=5, end=9, text=TEXT[5:9], label="ORG", entity=None, kb_id=None),
        dict(doc_id="d", start=len(TEXT) - 2, end=len(TEXT) + 5, text="x", label="ORG", entity=None, kb_id=None),
    ])])
    out = render(("d", TEXT), "ents", tables={"entities": ents})
    assert _marked(out)[0] == TEXT[:12] and len(_marked(out)) == len(_entities()) + 1


def test_quotes_are_labelled_with_the_speaker_and_the_speaker_mention_marked():
    out = render(("d", TEXT), "quotes", tables={"quotes": _quotes()})
    assert "الوزيرة" in out and SPEAKER_MENTION in out
    assert SPEAKER_COLORS[0] in out and SPEAKER_MENTION_COLOR in out
    assert out.count('class="spans"') == 2  # one block per paragraph, right to left
    assert "direction: rtl" in out


def test_span_tokens_cut_at_mark_boundaries_keep_offsets_exact():
    text = "قال: “نعم”.\nوالنص"
    marks = [_Mark(6, 9, "A"), _Mark(13, 17, "B")]  # “نعم” without its marks; و|النص inside a word
    line = _span_line(text, 0, 11, marks)
    spans = line["spans"]
    assert [line["tokens"][i] for i in range(spans[0]["start_token"], spans[0]["end_token"])] == ["نعم"]
    assert "".join(line["tokens"]) == re.sub(r"\s", "", text[:11])
    second = _span_line(text, 12, len(text), marks)
    assert second["tokens"] == ["و", "النص"] and second["spans"] == [{"start_token": 1, "end_token": 2, "label": "B"}]


def test_quotes_without_speaker_and_html_in_names_are_safe():
    quotes = pd.concat([_quotes(speaker="<script>x</script>"), _quotes(speaker=None).assign(quote_id=1)])
    out = render(("d", TEXT), "quotes", tables={"quotes": quotes})
    assert "<script>" not in out and "&lt;script&gt;" in out and UNATTRIBUTED in out


def test_a_doc_renders_its_own_entities_and_quotes(nlp):
    doc = nlp(TEXT)
    out = render(doc, "quotes")
    assert "الوزيرة" in out and "“" in out
    assert len(_marked(render(doc, "ents"))) == len(doc.ents)


def test_text_without_tables_goes_through_nlp(nlp):
    assert render(TEXT, "quotes", nlp=nlp) == render(nlp(TEXT), "quotes")


def test_a_table_row_renders_like_its_doc(nlp, seed_result, seed_texts):
    row = seed_result.documents.set_index("doc_id", drop=False).loc[SEED]
    from_row = render(row, "quotes", tables=seed_result)
    assert from_row == render((SEED, seed_texts[SEED]), "quotes", tables=seed_result)
    doc = nlp(seed_texts[SEED])
    doc._.doc_id = SEED
    assert from_row == render(doc, "quotes")
    quote_row = seed_result.quotes[seed_result.quotes["doc_id"] == SEED].iloc[0]
    assert render(quote_row, "ents", tables=seed_result) == render(row, "ents", tables=seed_result)


def test_without_the_source_file_the_text_is_rebuilt_from_sentences(seed_result, seed_texts):
    tables = {t: getattr(seed_result, t) for t in ("documents", "sentences", "entities", "quotes")}
    tables["documents"] = tables["documents"].assign(source="gone/nowhere.txt")
    rebuilt = render(pd.Series({"doc_id": SEED}), "quotes", tables=tables)
    exact = render((SEED, seed_texts[SEED]), "quotes", tables=tables)
    words = lambda s: re.sub(r"<[^>]+>|\s+", "", s)  # noqa: E731
    assert words(rebuilt) == words(exact)


def test_bad_inputs_say_what_is_wrong(seed_result):
    with pytest.raises(ValueError, match="kind"):
        render(TEXT, "deps")
    with pytest.raises(ValueError, match="tables="):
        render(seed_result.documents.iloc[0])
    with pytest.raises(TypeError, match="Doc"):
        render(42)


def test_jupyter_shows_it_as_html():
    out = render(("d", TEXT), "ents", tables={"entities": _entities()})
    assert out._repr_html_().startswith('<span class="tex2jax_ignore">') and out in out._repr_html_()


def test_page_is_a_utf8_rtl_document():
    page = render(("d", TEXT), "ents", tables={"entities": _entities()}, page=True)
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page and 'dir="rtl"' in page


# ------------------------------------------------------------------ headless Chromium


def _rgb(color):
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def _has_colour(pixels, color, tolerance=8):
    import numpy as np

    return int((np.abs(pixels.astype(int) - np.array(_rgb(color))).max(axis=2) <= tolerance).sum())


def _assert_rtl_text(pixels):
    """Text lines hug the right margin and short lines start far from the left one."""
    import numpy as np

    dark = pixels.max(axis=2) < 110
    rows = np.where(dark.any(axis=1))[0]
    width = pixels.shape[1]
    right = np.array([np.where(dark[y])[0].max() for y in rows])
    left = np.array([np.where(dark[y])[0].min() for y in rows])
    assert len(rows) > 100
    assert (right > 0.85 * width).mean() > 0.7
    assert (left > 0.5 * width).any()


@pytest.fixture(scope="module")
def screenshots(seed_result, seed_texts, tmp_path_factory):
    if shutil.which("chromium") is None:
        pytest.skip("headless Chromium is not installed (apt-get install chromium)")
    pytest.importorskip("PIL", reason="Pillow reads the screenshots (it comes with matplotlib)")
    ents = seed_result.entities[seed_result.entities["doc_id"] == SEED]
    if ents.empty:  # NER not in the pipeline: hand-made entities still show the rendering
        ents = _entities(seed_texts[SEED]).assign(doc_id=SEED)
    tables = {"entities": ents, "quotes": seed_result.quotes, "documents": seed_result.documents}
    out = tmp_path_factory.mktemp("screenshots")
    return {kind: to_png(render((SEED, seed_texts[SEED]), kind, tables=tables, page=True), out / f"{kind}.png")
            for kind in ("ents", "quotes")}


@pytest.mark.parametrize("kind, colours", [("ents", [LABEL_COLORS["GPE"]]),
                                           ("quotes", [SPEAKER_COLORS[0], SPEAKER_MENTION_COLOR])])
def test_chromium_shows_arabic_right_to_left_with_highlights(screenshots, kind, colours):
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(screenshots[kind]).convert("RGB"))
    assert pixels.shape[:2] == (900, 1200)
    assert pixels.std() > 20 and (pixels.min(axis=2) < 250).mean() > 0.02  # not blank
    for colour in colours:
        assert _has_colour(pixels, colour) > 200, f"no {colour} highlight in the {kind} screenshot"
    _assert_rtl_text(pixels)
