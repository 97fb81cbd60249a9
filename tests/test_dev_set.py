"""End to end on the annotated dev set (../shared/gold/dev): the pipeline's quotes and entities,
scored by arabic_geo_nlp.evaluation, must stay above the floors (and equal the reference scorer)."""

import pytest

import arabic_geo_nlp as agn
from arabic_geo_nlp import evaluation as ev

from .conftest import SHARED
from .test_evaluation import needs_scorer, reference_scores

# Measured 2026-12-07 after the quotes, KB and NER work (quote e2e F1 0.809, entity recall 0.804)
# minus 0.03; raised after session 5 (quote e2e F1 0.879, entity recall 0.860, linked 0.694, each - 0.03)
# and session 6 (entity recall 0.899, linked 0.775, each - 0.03).
# Raise them when the pipeline improves; never lower them to make a change pass.
QUOTE_E2E_F1_FLOOR = 0.849
ENTITY_RECALL_FLOOR = 0.869
ENTITY_LINKED_FLOOR = 0.745

DEV = SHARED / "gold" / "dev"
pytestmark = pytest.mark.skipif(not (DEV / "articles").is_dir(), reason="../shared/gold/dev not available")


@pytest.fixture(scope="module")
def dev_result(nlp):
    return agn.process(DEV / "articles", nlp=nlp)


def test_every_dev_article_is_processed(dev_result):
    docs = dev_result.documents
    assert len(docs) == len(list((DEV / "articles").glob("*.txt"))) and (docs["status"] == "ok").all()


def test_quote_end_to_end_f1_floor(dev_result):
    report = ev.score_quotes(dev_result.quotes, ev.read_gold(DEV / "quotes.jsonl"))
    assert report.overall.e2e_f1 >= QUOTE_E2E_F1_FLOOR, ev.format_quote_report(report)


def test_entity_recall_and_linked_floors(dev_result):
    report = ev.score_entities(dev_result.entities, ev.read_gold(DEV / "entities.jsonl", "entities"))
    assert report.overall.recall >= ENTITY_RECALL_FLOOR, ev.format_entity_report(report)
    assert report.overall.linked_rate >= ENTITY_LINKED_FLOOR, ev.format_entity_report(report)


GOLD_FILES = {"dev_result": (DEV / "quotes.jsonl", DEV / "entities.jsonl"),
              "seed_result": (SHARED / "gold" / "seed_quotes.jsonl", SHARED / "gold" / "seed_entities.jsonl")}


@needs_scorer
@pytest.mark.parametrize("result_fixture", sorted(GOLD_FILES))
def test_same_figures_as_the_reference_scorer(result_fixture, request, tmp_path):
    result = request.getfixturevalue(result_fixture)
    gold_quotes, gold_entities = GOLD_FILES[result_fixture]
    result.quotes.to_parquet(tmp_path / "quotes.parquet", index=False)
    result.entities.to_parquet(tmp_path / "entities.parquet", index=False)
    ours = {**ev.score_quotes(result.quotes, ev.read_gold(gold_quotes)).summary(),
            **ev.score_entities(result.entities, ev.read_gold(gold_entities, "entities")).summary()}
    assert ours == reference_scores(tmp_path / "quotes.parquet", gold_quotes, tmp_path / "entities.parquet",
                                    gold_entities)
