"""Entity linking: one canonical English name (and Wikidata QID where known) per real-world actor.

The ``agn_linker`` component sets ``span._.entity``, ``span._.kb_id``, ``span._.link_score``
and ``span._.linked_by`` on every ``doc.ents`` span. It never changes offsets or tokens; it changes
a span's label only when the tagger's PER is the full alias of a place or organisation (``kb_type``).
The steps, tried in this order for each mention (``linked_by`` names the one that linked it):

1. ``kb`` — a KB alias equal to the mention after normalization (score 1.0);
2. ``kb_variant`` — equal :func:`variant_key` (0.9), then :func:`close_variants` under one
   :func:`skeleton_key` (0.8, and only for a KB type that fits the NER label);
   ``kb_context`` — an alias shared by several entries (حزب العمال) picks the entry whose
   description names the most actors already linked in the document, or none;
   ``kb_generic`` — a generic alias (``~وزارة الداخلية`` in the KB: an institution noun without its
   country) links to the entry of the country named right after it, else of the document's
   dominant country (:mod:`.context`), else not at all;
   ``kb_head`` / ``template`` — a place after its head noun (نهر الفرات, ولاية X) and a country's
   national team (منتخب سويسرا) (:mod:`.phrases`, ``head_nouns.tsv``, ``templates.tsv``);
3. ``coref_surname`` / ``coref_first`` / ``coref_title`` — a person mention that is the last or
   first word(s) of a full name mentioned earlier in the document (later if none is earlier)
   takes that name's link; ``coref_title`` when a title precedes it (السيد تشانغ). When the
   earlier full names that fit are different people (كيم جونغ أون, كيم يو جونغ → كيم), the
   mention stays unlinked unless its title starts one candidate's KB roles only;
4. ``guess`` — a person still unknown gets a romanized English name learnt from ANETAC,
   ``kb_id`` None and a score of 0.3–0.6 (never for a mention holding a function word: على);
5. otherwise the mention stays unlinked (all four attributes None).

:func:`link_mention` (quote speakers) also links a role phrase (``kb_role``: وزير الخارجية
الأمريكي) to the entry that held it in the document's publication year (``doc._.published``);
without a year, only a role that one entry holds over all its years links; it also links a
generic alias (``kb_generic``) by the document's country.

``kb_id`` is the entry's Wikidata QID; entries known only by a local ``agn:`` id get None.

Mentions are matched as written, then with the proclitics of their first word removed
(للكرملين → الكرملين), then with a letter the NER cut as a proclitic put back (ب|يونج يانج).
Scores are multiplied by 0.95 / 0.9 for those forms and by 0.7 when the KB type does not fit.

>>> import spacy, arabic_geo_nlp.tokenize
>>> nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": "arabic_geo_nlp.Tokenizer.v1"}}})
>>> _ = nlp.add_pipe("agn_linker")
>>> text = "التقى بوتن بالزعيم كيم جونج اون في بيونج يانج. وقال كيم إن"
>>> doc = nlp.make_doc(text)
>>> doc.ents = [doc.char_span(text.rindex(s), text.rindex(s) + len(s), label=label) for s, label in
...             [("بوتن", "PER"), ("كيم جونج اون", "PER"), ("بيونج يانج", "GPE"), ("كيم", "PER")]]
>>> doc = nlp(doc)
>>> [(e.text, e._.entity, e._.kb_id, e._.linked_by) for e in doc.ents]   # doctest: +NORMALIZE_WHITESPACE
[('بوتن', 'Vladimir Putin', 'Q7747', 'kb'), ('كيم جونج اون', 'Kim Jong Un', 'Q56226', 'kb'),
 ('بيونج يانج', 'Pyongyang', 'Q18808', 'kb_variant'), ('كيم', 'Kim Jong Un', 'Q56226', 'coref_first')]

The knowledge base is data (``arabic_geo_nlp/data/kb/``): ``curated/*.tsv`` (hand-made: people
with dated roles, institutions, organisations, places, QIDs), ``places.tsv`` and ``sources.tsv.gz``
(compiled by ``arabic-geo-nlp build kb``, :mod:`.build`), ``variant_rules.tsv``, ``titles.tsv``
and the ANETAC-derived romanization tables ``translit_words.tsv.gz`` / ``translit_chars.tsv``
(with ``arabic_names.tsv`` for Arabic given names, which ANETAC lacks) and
``function_words.txt``. Users add their own TSV (same columns, or the older six without
``country``) with ``nlp.add_pipe("agn_linker", config={"kb": "my_entities.tsv"})``; its aliases
take precedence over the packaged ones.

The package's parts: :mod:`.keys` (variant keys, titles, function words), :mod:`.kb` (entries,
roles, files, index), :mod:`.context` (nationality adjectives, a document's country), :mod:`.coref`
(mentions and in-document coreference), :mod:`.phrases` (head nouns, templates), :mod:`.romanize`
(guesses), :mod:`.component` (``agn_linker``, :func:`link_mention`), :mod:`.build` (the KB build).
"""

from __future__ import annotations


from .component import Linker, document_year, link_mention, make_linker
from .kb import (
    CURATED_DIR, KB_COLUMNS, KB_FILES, LABELS, Entry, KnowledgeBase, Link, Role, gazetteer_kb, packaged_files,
    packaged_kb, parse_role, read_entries,
)
from .keys import (
    VariantRule, close_variants, data_file, exact_key, has_function_word, skeleton_key, skeleton_of_key,
    variant_key, variant_rules, vowel_edits, word_keys,
)
from .romanize import ROMANIZE_OPTIONS, guess_name, romanization_key, romanize

__all__ = [
    "Entry", "Role", "Link", "VariantRule", "KnowledgeBase", "Linker", "link_mention", "packaged_kb", "gazetteer_kb",
    "packaged_files", "read_entries", "parse_role", "data_file", "document_year", "make_linker",
    "variant_rules", "variant_key", "skeleton_key", "skeleton_of_key", "word_keys", "exact_key", "vowel_edits",
    "close_variants", "has_function_word", "romanize", "romanization_key", "guess_name", "KB_FILES", "KB_COLUMNS",
    "CURATED_DIR", "LABELS", "ROMANIZE_OPTIONS",
]
