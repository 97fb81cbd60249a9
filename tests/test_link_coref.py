"""arabic_geo_nlp.link.coref: surname, first-name and title coreference inside a document."""

import pytest

from .linking import annotate, blank_nlp, links


@pytest.fixture(scope="module")
def linker_nlp():
    return blank_nlp()


def test_surname_and_first_name_coreference(linker_nlp):
    text = "قال ألكسندر دوغين إن الحرب طويلة. وأضاف دوغين أن ألكسندر يعرف."
    doc = annotate(linker_nlp, text, [("ألكسندر دوغين", "PER"), ("دوغين", "PER"), ("ألكسندر", "PER")],
                   occurrence=[0, 0, 0])
    full, surname, first = doc.ents
    assert full._.linked_by == "guess" and full._.kb_id is None
    assert (surname._.entity, surname._.linked_by) == (full._.entity, "coref_surname")
    assert (first._.entity, first._.linked_by) == (full._.entity, "coref_first")


def test_surname_coreference_to_kb_person(linker_nlp):
    text = "قال سيرغي ماركوف المستشار السابق. ويوضح ماركوف أن"
    doc = annotate(linker_nlp, text, [("سيرغي ماركوف", "PER"), ("ماركوف", "PER")])
    assert links(doc) == [("سيرغي ماركوف", "Sergei Markov", "kb"), ("ماركوف", "Sergei Markov", "coref_surname")]


@pytest.mark.parametrize("text, surface", [
    ("وقال تشانغ هو جين للصحفيين. وقال السيد تشانغ إن", "تشانغ"),          # title before the span
    ("وقال تشانغ هو جين للصحفيين. وقال السيد تشانغ إن", "السيد تشانغ"),    # title inside the span
])
def test_title_and_surname_coreference(linker_nlp, text, surface):
    doc = annotate(linker_nlp, text, [("تشانغ هو جين", "PER"), (surface, "PER")])
    assert links(doc)[1] == (surface, "Chang Ho-jin", "coref_title")


def test_ambiguous_surname_is_not_merged(linker_nlp):
    text = "التقى كيم جونغ أون وشقيقته كيم يو جونغ. وقال كيم إن"
    doc = annotate(linker_nlp, text, [("كيم جونغ أون", "PER"), ("كيم يو جونغ", "PER"), ("كيم", "PER")],
                   occurrence=[0, 0, 0])
    assert links(doc) == [("كيم جونغ أون", "Kim Jong Un", "kb"), ("كيم يو جونغ", "Kim Yo Jong", "kb"),
                          ("كيم", None, None)]
    assert doc.ents[2]._.kb_id is None and doc.ents[2]._.link_score is None


def test_ambiguous_surname_with_title_evidence(linker_nlp):
    text = "التقى كيم جونغ أون وشقيقته كيم يو جونغ. وقال الزعيم كيم إن"
    doc = annotate(linker_nlp, text, [("كيم جونغ أون", "PER"), ("كيم يو جونغ", "PER"), ("كيم", "PER")],
                   occurrence=[0, 0, 0])
    assert links(doc)[2] == ("كيم", "Kim Jong Un", "coref_title")


def test_surname_before_the_full_name_links_with_a_lower_score(linker_nlp):
    text = "دوغين يحذر. قال ألكسندر دوغين إن"
    doc = annotate(linker_nlp, text, [("دوغين", "PER"), ("ألكسندر دوغين", "PER")])
    first, full = doc.ents
    assert (first._.entity, first._.linked_by) == (full._.entity, "coref_surname")
    assert first._.link_score < full._.link_score

