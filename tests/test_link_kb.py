"""arabic_geo_nlp.link.kb: packaged KB files, formats, user KB extension, roles by date."""

import pytest

import arabic_geo_nlp.link as link
from arabic_geo_nlp.link import Entry, KnowledgeBase, packaged_kb

from .linking import annotate, blank_nlp, links


# ----------------------------------------------------------------------------- KB data


def test_packaged_kb_rows_are_well_formed():
    kb = packaged_kb()
    assert len(kb) > 3000
    for entry in kb:
        assert entry.type in link.LABELS and entry.name and entry.id
        assert entry.qid is None or entry.id.startswith("Q")
        assert entry.aliases, entry.name
    for name, qid in [("Vladimir Putin", "Q7747"), ("Kim Jong Un", "Q56226"), ("Russia", "Q159"),
                      ("North Korea", "Q423"), ("China", "Q148"), ("United States", "Q30")]:
        assert any(e.name == name and e.qid == qid for e in kb), name


def test_curated_files_are_well_formed():
    """Every curated file has the header, rows that parse, and one row per name and type (rows of
    one actor in different files are merged by design)."""
    files = link.kb.curated_files()
    assert [f.name for f in files if f.name == "core.tsv"] == ["core.tsv"]
    for path in files:
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
        assert lines[0].split("\t") == list(link.KB_COLUMNS), path.name
        rows = [ln.split("\t") for ln in lines[1:]]
        assert all(len(r) <= len(link.KB_COLUMNS) for r in rows), path.name
        entries = [link.kb.entry_from_row(r, path.name) for r in rows]
        keys = [(e.name.casefold(), e.type) for e in entries]
        assert len(keys) == len(set(keys)), path.name
        assert all(role.phrase and (not role.dated or role.start) for e in entries for role in e.dated_roles)


def test_every_curated_file_is_read(tmp_path, monkeypatch):
    """Any *.tsv of the curated directory is a layer of the KB, above the generated files."""
    curated = tmp_path / "curated"
    curated.mkdir()
    (curated / "extra.tsv").write_text(
        "\t".join(link.KB_COLUMNS) + "\n\tZagzagan Institute\tORG\tمعهد زغزغان\tthink tank\t\t\n", encoding="utf-8")
    monkeypatch.setattr(link.kb, "curated_files", lambda: sorted(curated.glob("*.tsv")))
    kb = link.kb.packaged_kb.__wrapped__()
    assert [e.name for e in kb.candidates("معهد زغزغان", "kb")] == ["Zagzagan Institute"]
    assert kb.candidates("بوتين", "kb") == []                  # core.tsv is no longer listed


def test_generated_files_are_the_long_tail():
    kb = packaged_kb()
    assert len(kb) >= 10_000
    assert kb.tail_layer == 0
    tail = [e for e in kb if kb.in_tail(e)]
    assert tail and all(e.type in link.LABELS for e in tail)
    putin = kb.get("Vladimir Putin", "PER")
    assert putin is not None and not kb.in_tail(putin)


# ----------------------------------------------------------------------------- user KB


def test_user_kb_extends_and_overrides(tmp_path):
    user = tmp_path / "my_entities.tsv"
    user.write_text(
        "id\tname\ttype\taliases\tdescription\troles\n"
        "# a new actor and a new alias for a packaged one\n"
        "\tZagzagan Institute\tORG\tمعهد زغزغان|Zagzagan\tthink tank\t\n"
        "\tVladimir Putin\tPER\tالقيصر\t\t\n"
        "\tKim Jong Un\tPER\tكيم\t\t\n",
        encoding="utf-8")
    nlp = blank_nlp(kb=str(user))
    text = "قال معهد زغزغان إن القيصر التقى كيم يو جونغ ثم كيم"
    doc = annotate(nlp, text, [("معهد زغزغان", "ORG"), ("القيصر", "PER"), ("كيم يو جونغ", "PER"), ("كيم", "PER")])
    assert links(doc) == [("معهد زغزغان", "Zagzagan Institute", "kb"), ("القيصر", "Vladimir Putin", "kb"),
                          ("كيم يو جونغ", "Kim Yo Jong", "kb"), ("كيم", "Kim Jong Un", "kb")]
    assert doc.ents[0]._.kb_id is None and doc.ents[1]._.kb_id == "Q7747"
    assert packaged_kb().candidates("القيصر", "kb") == []           # the packaged KB is unchanged


def test_kb_merges_rows_and_rejects_bad_ones(tmp_path):
    kb = KnowledgeBase()
    kb.add(Entry("", "Stimson Center", "ORG", ("مركز ستيمسون",)))
    kb.add(Entry("Q1", "Stimson Center", "ORG", ("ستيمسون",), "think tank"))
    entry = kb.get("stimson center", "ORG")
    assert (entry.id, entry.aliases, entry.description) == ("Q1", ("مركز ستيمسون", "ستيمسون"), "think tank")
    bad = tmp_path / "bad.tsv"
    bad.write_text("\tNobody\tPERSON\tأحد\t\t\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.tsv:1"):
        kb.add_file(bad)



def test_user_kb_in_old_and_new_format(tmp_path):
    old = tmp_path / "old.tsv"
    old.write_text("\tAlpha Beta Group\tORG\tمجموعة ألفا بيتا\tgroup\tزعيم ألفا\n", encoding="utf-8")
    new = tmp_path / "new.tsv"
    new.write_text("id\tname\ttype\taliases\tdescription\troles\tcountry\n"
                   "Q1\tGamma Delta\tPER\tغاما دلتا\tminister\tوزير الزراعة الزغزغاني@2011-2014\tIQ\n",
                   encoding="utf-8")
    kb = KnowledgeBase.from_files([old, new])
    group, person = kb.get("Alpha Beta Group", "ORG"), kb.get("Gamma Delta", "PER")
    assert group.country == "" and group.dated_roles == (link.Role("زعيم ألفا", dated=False),)
    assert (person.qid, person.country, person.dated_roles) == ("Q1", "IQ", (link.Role("وزير الزراعة الزغزغاني", 2011, 2014),))


# ----------------------------------------------------------------------------- roles by date


def _ministers() -> KnowledgeBase:
    kb = KnowledgeBase()
    role = "وزير الخارجية الأمريكي"
    kb.add(Entry("Q22316", "John Kerry", "PER", ("جون كيري",), "", (f"{role}@2013-2017",), "US"))
    kb.add(Entry("Q324546", "Marco Rubio", "PER", ("ماركو روبيو",), "", (f"{role}@2025-",), "US"))
    kb.add(Entry("", "Zed Founder", "PER", ("زد فاوندر",), "", ("مؤسس حزب زغزغان",)))
    return kb


@pytest.mark.parametrize("year, holder", [(2015, "John Kerry"), (2025, "Marco Rubio"), (2019, None), (None, None)])
def test_role_holders_by_year(year, holder):
    found = _ministers().role_holders("وزير الخارجية الأمريكي", year)
    assert [e.name for e in found] == ([holder] if holder else [])


def test_a_role_of_one_entry_links_without_a_year():
    kb = _ministers()
    assert [e.name for e in kb.role_holders("مؤسس حزب زغزغان", None)] == ["Zed Founder"]
    assert [e.name for e in kb.role_holders("مؤسس حزب زغزغان", 2015)] == ["Zed Founder"]


def test_link_mention_resolves_a_role_by_publication_year(tmp_path):
    kb_file = tmp_path / "kb.tsv"
    kb_file.write_text("\t".join(link.KB_COLUMNS) + "\n" + "".join(
        f"{qid}\t{name}\tPER\t{alias}\t\tوزير الخارجية الزغزغاني@{years}\t\n"
        for qid, name, alias, years in [("", "Old Zag", "زاغ القديم", "2013-2017"), ("", "New Zag", "زاغ الجديد", "2025-")]),
        encoding="utf-8")
    nlp = blank_nlp(kb=str(kb_file))
    for published, expected in [("2015-07-24", "Old Zag"), ("2025-02-01", "New Zag"), (None, None)]:
        doc = nlp.make_doc("قال وزير الخارجية الزغزغاني")
        doc._.published = published
        doc = nlp(doc)
        found = link.link_mention(doc, "وزير الخارجية الزغزغاني")
        assert (found.entity if found else None) == expected, published
        if found:
            assert found.linked_by == "kb_role"


def test_title_evidence_respects_the_year(tmp_path):
    kb_file = tmp_path / "kb.tsv"
    kb_file.write_text("\t".join(link.KB_COLUMNS) + "\n"
                       "\tZag Alpha Zagtor\tPER\tزاغ ألفا زغتور\t\tوزير الدفاع الزغزغاني@2010-2014\t\n"
                       "\tZag Beta Zagtor\tPER\tزاغ بيتا زغتور\t\tالسفير الزغزغاني@2010-2014|وزير الدفاع الزغزغاني@2015-2018\t\n",
                       encoding="utf-8")
    nlp = blank_nlp(kb=str(kb_file))
    text = "التقى زاغ ألفا زغتور مع زاغ بيتا زغتور. وقال الوزير زغتور إن"
    for published, expected in [("2012-01-01", "Zag Alpha Zagtor"), ("2016-01-01", "Zag Beta Zagtor")]:
        doc = nlp.make_doc(text)
        doc._.published = published
        spans = [("زاغ ألفا زغتور", "PER"), ("زاغ بيتا زغتور", "PER"), ("زغتور", "PER")]
        doc.ents = [doc.char_span(text.rindex(s) if s == "زغتور" else text.index(s),
                                  (text.rindex(s) if s == "زغتور" else text.index(s)) + len(s), label=lab)
                    for s, lab in spans]
        doc = nlp(doc)
        assert (doc.ents[2]._.entity, doc.ents[2]._.linked_by) == (expected, "coref_title"), published


def test_role_spellings_are_one_role():
    kb = _ministers()
    assert [e.name for e in kb.role_holders("وزير الخارجية الأميركي", 2016)] == ["John Kerry"]
    assert kb.role_holders("وزير الخارجية العراقي", 2016) == []


# ----------------------------------------------------------------------------- generic aliases


def test_generic_aliases_are_parsed_apart_from_the_aliases():
    entry = link.kb.entry_from_row(["", "Zag Ministry (Iraq)", "ORG", "وزارة الزغزغة العراقية|~وزارة الزغزغة", "", "", "IQ"])
    assert entry.aliases == ("وزارة الزغزغة العراقية",) and entry.generic == ("وزارة الزغزغة",)
    kb = KnowledgeBase()
    kb.add(entry)
    assert [e.name for e in kb.candidates("وزارة الزغزغة", "kb_generic")] == ["Zag Ministry (Iraq)"]
    assert kb.candidates("وزارة الزغزغة", "kb") == [] and kb.candidates("وزارة الزغزغة", "kb_variant") == []
    assert kb.generic_countries() == frozenset({"IQ"})


def test_packaged_generic_aliases_name_one_entry_per_country():
    """A generic alias (~وزارة الداخلية) must pick one entry once the country is known: every entry
    with one has a country, and no two entries of one country share one."""
    owners: dict = {}
    for entry in packaged_kb():
        for alias in entry.generic:
            assert entry.country, entry.name
            owners.setdefault((link.exact_key(alias), entry.country), []).append(entry.name)
    assert len(owners) > 300
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}
    ministries = {e.name for e in link.read_entries(link.kb.curated_files()[0].parent / "ministries.tsv")}
    assert {"Ministry of Interior (Iraq)", "Iraqi Army", "Cabinet of Lebanon", "United States Senate",
            "Turkish National Police", "Parliament of Lebanon"} <= ministries
