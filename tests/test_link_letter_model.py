"""arabic_geo_nlp.link.letter_model: the letter model of romanized guesses."""

import re

from arabic_geo_nlp.link.letter_model import MIN_COUNT, WINDOWS, LetterModel, contexts, letter_model


def test_contexts_go_from_the_widest_window_to_the_letter_alone():
    windows = list(contexts("كمال", 1))
    assert len(windows) == len(WINDOWS)
    assert windows[0] == "^^ك[م]ال$" and windows[-1] == "[م]"
    assert "ك[م]ا" in windows


def test_spelling_backs_off_to_narrower_windows():
    aligned = [("بكر", ["ba", "k", "r"])] * MIN_COUNT + [("كبر", ["ka", "b", "r"])] * MIN_COUNT
    model = LetterModel.learn(aligned)
    assert model.spell("بكر") == "bakr" and model.spell("كبر") == "kabr"
    assert model.spell("ربك") in ("rbak", "rbk")            # unseen word: narrower windows
    assert model.chunks("س") == [""]                          # unseen letter: nothing


def test_rare_windows_are_not_kept(tmp_path):
    model = LetterModel.learn([("بكر", ["ba", "k", "r"])] * (MIN_COUNT - 1))
    assert "^^^[ب]كر$" not in model.table and "[ب]" in model.table
    path = tmp_path / "chars.tsv"
    model.write(path, "# test\n")
    assert LetterModel.read(path).table == model.table


def test_packaged_model_spells_lowercase_latin_deterministically():
    model = letter_model()
    for word in ("غورباتشوف", "زغزغان", "كوندوليزا"):
        spelled = model.spell(word)
        assert re.fullmatch("[a-z]+", spelled), (word, spelled)
    assert model.spell("بيتر") == "peter"
