"""The scorer of quotes and entities tables (arabic_geo_nlp.evaluation) and ``evaluate quotes|entities``."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import arabic_geo_nlp as agn
from arabic_geo_nlp import evaluation as ev
from arabic_geo_nlp.cli import main

from .conftest import SHARED

SCORER = SHARED / "tools" / "score.py"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "evaluation"
needs_scorer = pytest.mark.skipif(not SCORER.exists(), reason="../shared/tools/score.py not available")


def gold_quote(doc="d1", start=0, end=100, kind="direct", speaker_type="PER", aliases=("Ali Hassan", "علي حسن"),
               optional=False):
    return dict(doc=doc, start=start, end=end, text="x" * (end - start), kind=kind, speaker_type=speaker_type,
                speaker=aliases[0], speaker_aliases=list(aliases), optional=optional)


def quotes_table(*rows):
    """Rows of (doc_id, start, end, speaker, kind, speaker_label)."""
    df = pd.DataFrame(rows, columns=["doc_id", "start", "end", "speaker", "kind", "speaker_label"])
    return df.assign(speaker_mention=df["speaker"], text="t")


def test_overlap_needs_half_the_gold_span_and_30_percent_of_the_predicted_one():
    assert ev.quote_overlap((0, 100), (50, 100)) == 50
    assert ev.quote_overlap((0, 100), (51, 100)) == 0
    assert ev.quote_overlap((0, 30), (0, 100)) == 30
    assert ev.quote_overlap((0, 30), (0, 101)) == 0
    assert ev.quote_overlap((0, 10), (10, 20)) == 0


def test_matching_is_one_to_one_and_greedy_by_overlap():
    pred = quotes_table(("d1", 0, 60, "علي حسن", "direct", "PER"), ("d1", 0, 90, "علي حسن", "direct", "PER"),
                        ("d2", 0, 90, "علي حسن", "direct", "PER"))
    # Both gold quotes want row 1 (largest overlap); the first takes it, the second gets row 0.
    assert ev.match_quotes(pred, [gold_quote(end=90), gold_quote(end=100)]) == {0: 1, 1: 0}
    # A prediction serves one gold quote only; the other is missed.
    one = quotes_table(("d1", 0, 100, "علي حسن", "direct", "PER"))
    report = ev.score_quotes(one, [gold_quote(), gold_quote(start=10, end=90)])
    assert (report.overall.gold, report.overall.found, len(report.missed)) == (2, 1, 1)
    # Ties go to the first row; rows of other documents never match.
    tie = quotes_table(("d2", 0, 100, "x", "direct", "PER"), ("d1", 0, 80, "a", "direct", "PER"),
                       ("d1", 20, 100, "b", "direct", "PER"))
    assert ev.match_quotes(tie, [gold_quote()]) == {0: 1}


def test_optional_gold_is_neither_required_nor_spurious_and_required_gold_matches_first():
    gold = [gold_quote(optional=True), gold_quote(start=200, end=300, optional=True)]
    pred = quotes_table(("d1", 0, 100, "علي حسن", "direct", "PER"), ("d1", 400, 500, "علي حسن", "direct", "PER"))
    report = ev.score_quotes(pred, gold)
    assert (report.overall.gold, report.overall.found, report.overall.spurious, report.n_pred) == (0, 0, 1, 2)
    # The required quote listed after the optional one still gets the shared prediction.
    report = ev.score_quotes(pred.iloc[:1], [gold_quote(optional=True), gold_quote(start=10, end=100)])
    assert (report.overall.found, report.overall.spurious, report.overall.precision) == (1, 0, 1.0)


@pytest.mark.parametrize("speaker, mention, expected", [
    (None, "وقال علي حسن", True),             # all alias words in the mention
    (None, "عليّ حسنٌ", True),                 # diacritics
    ("ali hassan", None, True),               # Latin names case-insensitively
    (None, "وحسن", False),                    # the surname alone is not the alias "علي حسن"
    (None, "الرئاسة", False),
    (pd.NA, float("nan"), False),             # missing values
])
def test_speaker_alias_matching(speaker, mention, expected):
    assert ev.speaker_matches(speaker, mention, ["Ali Hassan", "علي حسن"]) is expected


def test_speaker_alias_matching_normalises_arabic_letters_and_proclitics():
    assert ev.speaker_matches(None, "وزيرة الخارجية", ["وزيره الخارجيه"])           # ة / ه
    assert ev.speaker_matches(None, "الرئيس احمد", ["أحمد"])                         # hamza on alef
    assert ev.speaker_matches(None, "لمنظمة العفو الدولية", ["منظمة العفو"])         # proclitic ل
    assert ev.speaker_matches(None, "ومصطفى", ["مصطفي"])                             # ى / ي and و
    assert not ev.speaker_matches(None, "ولمنظمة العفو", ["منظمة العفو"])            # one proclitic only
    assert not ev.speaker_matches(None, "والمتحدث", ["المتحدث"])                     # وال takes the article too


def test_breakdown_per_kind_and_speaker_type():
    gold = [gold_quote(kind="direct"), gold_quote(start=200, end=300, kind="indirect", speaker_type="GROUP",
                                                  aliases=("officials", "مسؤولون")),
            gold_quote(start=400, end=500, kind="mixed", speaker_type="ORG", aliases=("the ministry", "الوزارة"))]
    pred = quotes_table(("d1", 0, 100, "علي حسن", "direct", "PER"),
                        ("d1", 200, 300, "Iran", "indirect", "GPE"),
                        ("d1", 600, 700, "x", "indirect", "PER"))
    report = ev.score_quotes(pred, gold)
    o = report.overall
    assert (o.gold, o.found, o.right, o.spurious) == (3, 2, 1, 1)
    assert o.precision == pytest.approx(2 / 3) and o.recall == pytest.approx(2 / 3)
    assert o.attribution == 0.5 and o.e2e_f1 == pytest.approx(1 / 3)
    kinds = {k: (c.gold, c.found, c.right, c.spurious) for k, c in report.by_kind.items()}
    assert kinds == {"direct": (1, 1, 1, 0), "indirect": (1, 1, 0, 1), "mixed": (1, 0, 0, 0)}
    assert report.by_kind["indirect"].precision == 0.5 and report.by_kind["mixed"].recall == 0.0
    types = {k: (c.gold, c.found, c.right, c.spurious) for k, c in report.by_speaker_type.items()}
    assert types == {"PER": (1, 1, 1, 1), "ORG": (1, 0, 0, 0), "GPE": (0, 0, 0, 0), "GROUP": (1, 1, 0, 0)}
    assert [e["speaker"] for e in report.missed] == ["the ministry"]
    assert [(e["speaker"], e["got"]) for e in report.wrong_speaker] == [("officials", "Iran")]
    assert [(e["start"], e["kind"]) for e in report.spurious] == [(600, "indirect")]
    summary = report.summary()
    assert summary["quotes_pred"] == 3 and summary["e2e_F1"] == pytest.approx(1 / 3)
    text = ev.format_quote_report(report, show_errors=True)
    assert "kind mixed" in text and "speaker GPE" not in text  # a group with nothing to score is left out
    assert "MISSED" in text and "SPEAKER" in text and "SPURIOUS" in text


def entity(doc, name, surfaces, label="GPE", optional=False):
    return dict(doc=doc, entity=name, label=label, surfaces=surfaces, optional=optional)


def test_entities_are_sets_per_document_with_lower_bound_precision():
    gold = [entity("d1", "Russia", ["روسيا", "لروسيا"]), entity("d1", "Vladimir Putin", ["بوتين"], "PER"),
            entity("d1", "Kremlin", ["الكرملين"], "ORG", optional=True), entity("d1", "Moscow", ["موسكو"]),
            entity("d2", "Iran", ["إيران"])]
    pred = pd.DataFrame(
        [("d1", "روسيا", "GPE", "Russia"), ("d1", "لروسيا", "GPE", "Russia"),   # one entity, twice
         ("d1", "وبوتين", "PER", None),                                        # surface after و, unlinked
         ("d1", "الكرملين", "ORG", "Kremlin"),                                 # optional: not spurious
         ("d1", "أوكرانيا", "GPE", "Ukraine"), ("d1", "كييف", "GPE", None),     # not in the (partial) gold
         ("d3", "العراق", "GPE", "Iraq")],                                     # document without gold: ignored
        columns=["doc_id", "text", "label", "entity"])
    report = ev.score_entities(pred, gold)
    o = report.overall
    assert (o.gold, o.found, o.linked, o.spurious) == (4, 2, 1, 2)
    assert o.recall == 0.5 and o.precision_lower == 0.5 and o.linked_rate == 0.25
    assert sorted(e["entity"] for e in report.missed) == ["Iran", "Moscow"]
    assert [e["entity"] for e in report.unlinked] == ["Vladimir Putin"]
    assert sorted(e["text"] for e in report.spurious) == ["اوكرانيا", "كييف"]
    assert (report.by_label["PER"].found, report.by_label["PER"].linked) == (1, 0)
    assert report.by_label["GPE"].spurious == 2 and report.by_label["LOC"].gold == 0


def test_entity_found_by_canonical_name_whatever_its_text():
    gold = [entity("d1", "United Nations", ["الأمم المتحدة"], "ORG")]
    pred = pd.DataFrame([("d1", "المنظمة الدولية", "ORG", "united nations")], columns=["doc_id", "text", "label", "entity"])
    assert ev.score_entities(pred, gold).summary()["entity_linked"] == 1.0


def test_read_gold_checks_fields_and_filters_documents(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold_quote()) + "\n\n" + json.dumps(gold_quote(doc="d2")) + "\n", encoding="utf-8")
    assert [g["doc"] for g in ev.read_gold(path, "quotes", {"d2"})] == ["d2"]
    path.write_text(json.dumps({"doc": "d1", "text": "x"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"gold.jsonl:1: .*start"):
        ev.read_gold(path, "quotes")


def test_fixture_gold_offsets_point_at_the_text():
    for table in ("quotes", "entities"):
        for g in ev.read_gold(FIXTURE / f"{table}.jsonl", table):
            raw = (FIXTURE / "articles" / f"{g['doc']}.txt").read_text(encoding="utf-8")
            if table == "quotes":
                assert raw[g["start"]:g["end"]] == g["text"]
            else:
                assert all(s in raw for s in g["surfaces"])


@needs_scorer
def test_same_figures_as_the_reference_scorer_on_hand_made_tables(tmp_path):
    gold_q = [gold_quote(), gold_quote(start=200, end=300, kind="indirect", optional=True),
              gold_quote(start=400, end=480, aliases=("Ali Hassan", "حسن")), gold_quote(doc="d2", end=50)]
    pred_q = quotes_table(("d1", 5, 100, "وقال علي حسن", "direct", "PER"), ("d1", 190, 300, "x", "direct", "PER"),
                          ("d1", 400, 470, "Iran", "direct", "GPE"), ("d1", 410, 480, "حسن", "direct", "PER"),
                          ("d2", 0, 200, "علي", "direct", "PER"))
    gold_e = [entity("d1", "Russia", ["روسيا"]), entity("d1", "Iran", ["إيران"], optional=True),
              entity("d2", "Vladimir Putin", ["بوتين"], "PER")]
    pred_e = pd.DataFrame([("d1", "وروسيا", "GPE", None), ("d1", "إيران", "GPE", "Iran"), ("d1", "بغداد", "GPE", None),
                           ("d2", "بوتين", "PER", "Vladimir Putin")], columns=["doc_id", "text", "label", "entity"])
    paths = {}
    for name, rows in (("gq", gold_q), ("ge", gold_e)):
        paths[name] = tmp_path / f"{name}.jsonl"
        paths[name].write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    for name, table in (("pq", pred_q), ("pe", pred_e)):
        paths[name] = tmp_path / f"{name}.parquet"
        table.to_parquet(paths[name], index=False)
    ours = {**ev.score_quotes(pred_q, gold_q).summary(), **ev.score_entities(pred_e, gold_e).summary()}
    assert ours == reference_scores(paths["pq"], paths["gq"], paths["pe"], paths["ge"])


def reference_scores(quotes, gold_quotes, entities, gold_entities) -> dict:
    """The figures of ../shared/tools/score.py (run as a program) for these files."""
    out = subprocess.run([sys.executable, str(SCORER), "--quotes", str(quotes), "--gold-quotes", str(gold_quotes),
                          "--entities", str(entities), "--gold-entities", str(gold_entities), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


# --- the command ------------------------------------------------------------------------------

def test_evaluate_quotes_runs_the_pipeline_over_the_articles(capsys, nlp):
    gold = FIXTURE / "quotes.jsonl"
    assert main(["evaluate", "quotes", "--articles", str(FIXTURE / "articles"), "--gold", str(gold), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    expected = ev.score_quotes(agn.process(FIXTURE / "articles", nlp=nlp).quotes, ev.read_gold(gold)).to_dict()
    assert printed == expected
    assert printed["quotes_gold"] == 6 and printed["by_kind"]["indirect"]["gold"] == 4
    assert printed["by_speaker_type"]["GROUP"]["gold"] == 1
    assert printed["quote_R"] >= 0.5  # plain قال / أضاف: / ذكرت quotes


def test_evaluate_quotes_table_and_errors(tmp_path, capsys):
    raw = (FIXTURE / "articles" / "jordan_gaza.txt").read_text(encoding="utf-8")
    start = raw.index("المنطقة لا تحتمل")
    pred = quotes_table(("jordan_gaza", start, start + 27, "Iran", "indirect", "GPE"),
                        ("eu_libya", 0, 5, "بوريل", "direct", "PER"))
    pred.to_csv(tmp_path / "quotes.csv", index=False)
    args = ["evaluate", "quotes", "--pred", str(tmp_path / "quotes.csv"), "--gold", str(FIXTURE / "quotes.jsonl")]
    assert main(args + ["--docs", "jordan_gaza", "--show-errors"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:4] == ["quotes", "gold", "found", "right"]
    assert out.splitlines()[1].split()[:5] == ["overall", "2", "1", "0", "0"]
    assert "SPEAKER  [jordan_gaza] want 'Ayman Safadi' got 'Iran'" in out and "MISSED   [jordan_gaza]" in out
    assert "eu_libya" not in out
    assert main(args + ["--json", "--show-errors"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert (printed["quotes_gold"], printed["quotes_pred"], len(printed["spurious"])) == (6, 2, 1)


def test_evaluate_entities_table(tmp_path, capsys):
    pred = pd.DataFrame([("jordan_gaza", "الأردن", "GPE", "Jordan"), ("jordan_gaza", "غزة", "GPE", None),
                         ("jordan_gaza", "الرياض", "GPE", "Riyadh")], columns=["doc_id", "text", "label", "entity"])
    pred.to_json(tmp_path / "entities.jsonl", orient="records", lines=True, force_ascii=False)
    assert main(["evaluate", "entities", "--pred", str(tmp_path / "entities.jsonl"),
                 "--gold", str(FIXTURE / "entities.jsonl"), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert (printed["entities_gold"], printed["entity_R"], printed["entity_P_lower"]) == (11, 2 / 11, 2 / 3)
    assert printed["by_label"]["GPE"]["found"] == 2 and printed["by_label"]["GPE"]["linked"] == 1


def test_evaluate_checks_its_arguments(capsys):
    for argv in (["evaluate", "quotes", "--gold", str(FIXTURE / "quotes.jsonl")],
                 ["evaluate", "quotes", "--articles", str(FIXTURE / "articles")],
                 ["evaluate", "ner"]):
        with pytest.raises(SystemExit):
            main(argv)
    assert "--corpus is required" in capsys.readouterr().err
