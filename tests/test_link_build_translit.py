"""arabic_geo_nlp.link.build_translit: alignment, the letter model learnt from it, the curated word pairs."""

from arabic_geo_nlp.link.build_translit import (
    _most_frequent_spelling, aligned_words, kb_held_out, kb_person_words, learn_alignment, viterbi)
from arabic_geo_nlp.link.kb import curated_files, read_entries
from arabic_geo_nlp.link.letter_model import LetterModel

# Hand-made pairs: every letter has one spelling, vowels inserted after ب and ك.
PAIRS = [("بكر", "bakr"), ("كبر", "kabr"), ("ربك", "rbak"), ("برك", "bark"), ("كرب", "karb")] * 10


def test_alignment_gives_each_letter_its_letters():
    t = learn_alignment(PAIRS, iterations=8)
    assert viterbi("بكر", "bakr", t) in (["ba", "k", "r"], ["b", "ak", "r"])
    assert viterbi("رر", "abcdefgh", t) == []


def test_letter_model_learns_its_training_words():
    t = learn_alignment(PAIRS, iterations=8)
    aligned = aligned_words(PAIRS, t)
    assert len(aligned) == len(PAIRS)
    model = LetterModel.learn(aligned)
    assert {model.spell(a) for a, _ in PAIRS[:5]} == {e for _, e in PAIRS[:5]}


def test_curated_word_pairs_drop_the_article_and_hold_out_one_person_in_ten():
    train, held = kb_person_words(), kb_person_words(held_out=True)
    assert len(train) > 1000 and len(held) > 100
    assert not any(a.startswith("ال") and len(a) > 4 for a in train)
    assert not any(e.lower().startswith("al-") for es in train.values() for e in es)
    persons = [e.name for path in curated_files() for e in read_entries(path) if e.type == "PER"]
    share = sum(map(kb_held_out, persons)) / len(persons)
    assert 0.05 < share < 0.15


def test_most_frequent_spelling():
    assert _most_frequent_spelling(["Hussein", "Husayn", "Hussein"]) == "Hussein"
    assert _most_frequent_spelling(["Omar", "Umar"]) == "Omar"
