"""Ingestion: each format lands with its source; each bad input is located and changes nothing; imports undo."""

import re
import shutil
from pathlib import Path

import pytest

from graph.build import build
from graph.errors import ConvergenceError
from graph.ingest import SourceInfo, dump, import_file, import_openalex, ingest_article, list_imports, remove_import
from graph.store import OxigraphStore

FIX = Path(__file__).parent / "fixtures"
ING = FIX / "ingest"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "ingest"
ID = "https://w3id.org/convergence-graph/id/"
CG = "https://w3id.org/convergence-graph/ontology#"


class Env:
    """A data folder (mini + OpenAlex topic links) built into a disk store, as `convergence build` makes it."""

    def __init__(self, tmp: Path, data: Path = FIX / "mini", extra=(ING / "topics.trig",)):
        self.data = tmp / "data"
        shutil.copytree(data, self.data)
        for f in extra:
            shutil.copy(f, self.data / f.name)
        self.store = tmp / "store"
        self.rebuild()

    def rebuild(self):
        s, _ = build(self.store, data_dir=self.data)
        s.close()

    def dump(self) -> bytes:
        st = OxigraphStore(self.store, read_only=True)
        try:
            return dump(st)
        finally:
            st.close()

    def ask(self, sparql: str):
        st = OxigraphStore(self.store, read_only=True)
        try:
            return st.run(sparql)
        finally:
            st.close()

    def imports(self):
        st = OxigraphStore(self.store, read_only=True)
        try:
            return list_imports(st)
        finally:
            st.close()

    def graphs_of(self, s, p, o) -> list:
        return sorted(r[0].value for r in self.ask(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{s}> <{p}> <{o}> }} }}").rows)


@pytest.fixture
def env(tmp_path):
    return Env(tmp_path)


def broken_trig(folder: Path) -> Path:
    """The malformed TriG file (kept as .in so that tests parsing every fixture skip it)."""
    path = folder / "broken.trig"
    shutil.copy(ING / "broken.trig.in", path)
    return path


def sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------------------------------ each format


def test_trig_lands_in_its_graphs_with_a_record_and_a_file(env):
    rec, batch = import_file(ING / "company.trig", env.store, data_dir=env.data)
    assert env.graphs_of(ID + "org/gamma-qubits", CG + "worksOn", ID + "tech/q-sensing") == [ID + "source/gamma-launch"]
    assert env.graphs_of(ID + "org/gamma-qubits", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", CG + "Company") \
        == ["https://w3id.org/convergence-graph/graph/entities"]
    assert rec.id == f"company-{sha256(ING / 'company.trig')[:8]}"
    assert rec.statements == 13 and rec.kind == "rdf" and rec.graphs == (ID + "source/gamma-launch",)
    [listed] = env.imports()
    assert (listed.id, listed.file, listed.sha256, listed.statements) == (rec.id, "company.trig",
                                                                         sha256(ING / "company.trig"), 13)
    assert sorted(p.name for p in (env.data / "imports").iterdir()) == [f"{rec.id}.nq", f"{rec.id}.nq.added"]


def test_trig_facts_are_queryable_with_their_source(env):
    import_file(ING / "company.trig", env.store, data_dir=env.data)
    res = env.ask("""SELECT ?title ?publisher WHERE { GRAPH ?g { orgn:gamma-qubits cg:basedIn country:dk }
                     GRAPH cgg:sources { ?g dct:title ?title ; cg:publisherName ?publisher } }""")
    assert [(t.value, p.value) for t, p in res.rows] == [("Gamma Qubits launches", "Gamma Qubits")]


@pytest.mark.parametrize("name", ["company.ttl", "company.nt"])
def test_turtle_and_ntriples_go_to_the_given_source(env, name):
    source = SourceInfo("https://example.org/delta", "Delta Labs founded", "Delta Press", "2025-01", "secondary")
    rec, _ = import_file(ING / name, env.store, source=source, data_dir=env.data)
    src = ID + "source/delta-press-delta-labs-founded"
    assert rec.graphs == (src,)
    assert env.graphs_of(ID + "org/delta-labs", CG + "worksOn", ID + "tech/protein-design") == [src]
    assert env.graphs_of(ID + "org/delta-labs", CG + "partnersWith", ID + "org/beta") == [src]
    assert env.graphs_of(ID + "org/delta-labs", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", CG + "Company") \
        == ["https://w3id.org/convergence-graph/graph/entities"]
    issued = env.ask(f"SELECT ?d WHERE {{ GRAPH cgg:sources {{ <{src}> dct:issued ?d }} }}").rows[0][0]
    assert (issued.value, issued.datatype.value) == ("2025-01", "http://www.w3.org/2001/XMLSchema#gYearMonth")


def test_nquads_import(env):
    rec, _ = import_file(ING / "funding.nq", env.store, data_dir=env.data)
    assert env.graphs_of(ID + "org/fund", CG + "funds", ID + "org/beta") == [ID + "source/fund-report"]
    assert rec.statements == 6


def test_jsonld_with_inline_context(env):
    rec, _ = import_file(ING / "company.jsonld", env.store, data_dir=env.data)
    assert env.graphs_of(ID + "org/epsilon-ai", CG + "worksOn", ID + "tech/ml") == [ID + "source/epsilon-news"]
    assert rec.statements == 2 + 5 + 1  # identity, the source, the fact


def test_csv_actors_with_the_template_mapping(env):
    rec, batch = import_file(ING / "actors.csv", env.store, mapping=TEMPLATES / "actors.toml", data_dir=env.data)
    src = ID + "source/theta-press-theta-opens"
    assert rec.graphs == (src,) and rec.mapping == "actors.toml" and rec.mapping_sha256 == sha256(TEMPLATES / "actors.toml")
    assert env.graphs_of(ID + "org/theta-sensors", CG + "worksOn", ID + "tech/q-sensing") == [src]
    assert env.graphs_of(ID + "org/theta-sensors", CG + "worksOn", ID + "tech/ml") == [src]
    assert env.graphs_of(ID + "org/theta-sensors", CG + "basedIn", ID + "country/dk") == [src]
    assert env.graphs_of(ID + "org/iota-institute", CG + "basedIn", ID + "country/gb") == [src]
    assert env.graphs_of(ID + "org/iota-institute", CG + "worksOn", ID + "tech/protein-design") == [src]
    labels = env.ask("SELECT ?l WHERE { orgn:theta-sensors skos:prefLabel|skos:altLabel ?l } ORDER BY ?l").column("l")
    assert labels == ["Capteurs Thêta", "TS", "Theta Sensors"]
    assert rec.statements == 7 + 5 + 3 + 2 + 2  # the source; Theta: identity, facts; Iota: identity, facts


def test_xlsx_reads_like_csv(env, tmp_path):
    import csv

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in csv.reader((ING / "actors.csv").read_text(encoding="utf-8").splitlines()):
        sheet.append(row)
    path = tmp_path / "actors.xlsx"
    book.save(path)
    rec, _ = import_file(path, env.store, mapping=TEMPLATES / "actors.toml", data_dir=env.data)
    assert rec.kind == "xlsx"
    assert env.graphs_of(ID + "org/iota-institute", CG + "basedIn", ID + "country/gb") == [ID + "source/theta-press-theta-opens"]


def test_csv_relations_resolve_names_and_qualify_dates_and_amounts(env):
    rec, _ = import_file(ING / "relations.csv", env.store, mapping=TEMPLATES / "relations.toml", data_dir=env.data)
    src = ID + "source/fund-fund-grants-2025"
    assert env.graphs_of(ID + "org/fund", CG + "funds", ID + "org/beta") == [src]
    assert env.graphs_of(ID + "org/beta", CG + "partnersWith", ID + "org/fund") == [src]
    res = env.ask("""SELECT ?amount ?cur ?date WHERE { GRAPH ?g { rel:fund--funds--beta a cg:QualifiedRelation ;
                     cg:amount ?amount ; cg:currency ?cur ; dct:date ?date } }""")
    assert [tuple(t.value for t in r) for r in res.rows] == [("2500000", "EUR", "2025")]
    start = env.ask("SELECT ?d WHERE { rel:beta--partnersWith--fund schema:startDate ?d }").column("d")
    assert start == ["2025-03"]


def test_csv_sources_only(env):
    rec, _ = import_file(ING / "sources.csv", env.store, mapping=TEMPLATES / "sources.toml", data_dir=env.data)
    res = env.ask("""SELECT ?t ?k ?lang WHERE { GRAPH cgg:sources { ?s schema:url ?u ; dct:title ?t ; cg:sourceKind ?k ;
                     dct:language ?lang } FILTER(STRSTARTS(STR(?u), "https://example.org/r")) } ORDER BY ?t""")
    assert [tuple(t.value for t in r) for r in res.rows] == [("Rapport B", CG + "Primary", "fr"),
                                                            ("Report A", CG + "Secondary", "en")]
    assert rec.statements == 14


def test_csv_rows_without_source_columns_take_the_command_line_source(env, tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("name,type,country\nLambda Labs,Company,DK\n", encoding="utf-8")
    source = SourceInfo("https://example.org/lambda", "Lambda news", "Lambda", "2025", "primary")
    rec, _ = import_file(path, env.store, mapping=TEMPLATES / "actors.toml", source=source, data_dir=env.data)
    assert env.graphs_of(ID + "org/lambda-labs", CG + "basedIn", ID + "country/dk") == [ID + "source/lambda-lambda-news"]


# ------------------------------------------------------------------------------------------ articles


def test_article_mentions_and_one_suggestion_on_the_mini_graph(env):
    source = SourceInfo("https://example.org/article", "Alpha at the plenary", "Example News", "2025-05-01")
    rec, batch = ingest_article(ING / "article.txt", env.store, source, data_dir=env.data)
    src = ID + "source/example-news-alpha-at-the-plenary"
    mentioned = env.ask(f"SELECT ?e WHERE {{ GRAPH <{src}> {{ <{src}> cg:mentions ?e }} }} ORDER BY ?e").column("e")
    assert mentioned == [ID + e for e in ("domain/ai", "event/meeting", "org/alpha", "org/beta", "place/cph",
                                           "tech/q-sensing")]
    res = env.ask("""SELECT ?s ?p ?o ?c ?src WHERE { GRAPH cgg:suggestions { ?x a cg:Suggestion ; rdf:subject ?s ;
                     rdf:predicate ?p ; rdf:object ?o ; cg:confidence ?c ; prov:wasDerivedFrom ?src } }""")
    assert [tuple(str(t.value) for t in r) for r in res.rows] == [
        (ID + "org/alpha", CG + "worksOn", ID + "tech/q-sensing", "0.3", src)]
    # a suggestion is not a fact
    assert env.graphs_of(ID + "org/alpha", CG + "worksOn", ID + "tech/q-sensing") == []
    assert batch.summary["mentions"][ID + "org/alpha"] == 2


def test_article_html_drops_scripts_and_styles(tmp_path):
    from graph.ingest.article import extract_text

    title, text = extract_text(ING / "copenhagen.html")
    assert title == "Allied quantum experts meet in Denmark"
    assert "tracker" not in text and "font-family" not in text and "European Union" not in text
    assert "NATO Innovation Fund" not in text
    assert "NATO’s Transatlantic Quantum Community" in " ".join(text.split())


def test_article_linking_is_case_accent_and_punctuation_insensitive_longest_first():
    from graph.ingest.article import Linker, sentences
    from graph.ingest.names import LabelTable

    lk = Linker(LabelTable([("x:tqc", "Transatlantic Quantum Community", "pref"), ("x:q", "quantum", "alt"),
                            ("x:ucph", "Université de Copenhague", "pref"), ("x:cph", "Copenhagen", "pref"),
                            ("x:ai", "AI", "alt"), ("x:ia", "IA", "alt")]))
    found = lk.find(sentences("The TRANSATLANTIC quantum-community met. l'universite de COPENHAGUE. "
                              "Quantum! j'ai dit: IA et ai."))
    # a full stop before a lower-case word does not end the sentence
    assert [(m.entity, m.sentence) for m in found] == [("x:tqc", 0), ("x:ucph", 0), ("x:q", 1), ("x:ia", 1)]


@pytest.fixture(scope="module")
def bundled_env(tmp_path_factory):
    return Env(tmp_path_factory.mktemp("bundled"), data=Path(__file__).resolve().parent.parent / "data", extra=())


def test_article_like_the_nato_news_item_links_the_required_entities(bundled_env):
    source = SourceInfo("https://example.org/allied-quantum-experts", "", "Example News", "2024-11-13")
    rec, batch = ingest_article(ING / "copenhagen.html", bundled_env.store, source, data_dir=bundled_env.data)
    try:
        src = batch.summary["source"]
        mentioned = set(bundled_env.ask(f"SELECT ?e WHERE {{ GRAPH <{src}> {{ <{src}> cg:mentions ?e }} }}").column("e"))
        assert mentioned == {ID + e for e in (
            "org/nato", "org/transatlantic-quantum-community", "country/dk", "place/copenhagen",
            "programme/nato-quantum-technologies-strategy", "domain/quantum", "domain/ai", "domain/biotech")}
        title = bundled_env.ask(f"SELECT ?t WHERE {{ <{src}> dct:title ?t }}").column("t")
        assert title == ["Allied quantum experts meet in Denmark"]
    finally:
        remove_import(rec.id, bundled_env.store, data_dir=bundled_env.data)


# ------------------------------------------------------------------------------------------ OpenAlex


def test_openalex_works_each_work_a_source_close_matches_facts_related_suggested(env):
    rec, batch = import_openalex(ING / "works.json", env.store, data_dir=env.data)
    w1 = env.ask("SELECT ?s WHERE { GRAPH cgg:sources { ?s schema:url <https://doi.org/10.5555/cold-atoms> } }").column("s")
    assert w1 == [ID + "source/journal-of-examples-cold-atoms-for-navigation"]
    src1 = w1[0]
    assert env.graphs_of(ID + "org/beta", CG + "worksOn", ID + "tech/q-sensing") == [src1, ID + "source/s1"]
    assert env.graphs_of(ID + "org/delta-university", CG + "worksOn", ID + "tech/q-sensing") == [src1]
    assert env.ask("ASK { orgn:delta-university a cg:ResearchOrganisation ; skos:closeMatch <https://openalex.org/I2> }").boolean
    sug = env.ask("""SELECT ?s ?o ?c WHERE { GRAPH cgg:suggestions { ?x rdf:subject ?s ; rdf:object ?o ; cg:confidence ?c } }""")
    assert [tuple(t.value for t in r) for r in sug.rows] == [(ID + "org/alpha", ID + "tech/qml", "0.54")]
    assert batch.summary == {"records": 3, "skipped": 1, "worksOn": 2, "suggestions": 1, "institutions": 3}
    issued = env.ask(f"SELECT ?d WHERE {{ <{src1}> dct:issued ?d }}").column("d")
    assert issued == ["2024-05-02"]


def test_openalex_institutions_need_a_source_and_link_by_topic(env):
    with pytest.raises(ConvergenceError, match="--source-url"):
        import_openalex(ING / "institutions.json", env.store, data_dir=env.data)
    source = SourceInfo("https://api.openalex.org/institutions?filter=topics.id:T10003", "OpenAlex institutions",
                        "OpenAlex", "2025-06-01")
    rec, batch = import_openalex(ING / "institutions.json", env.store, source=source, data_dir=env.data)
    src = ID + "source/openalex-openalex-institutions"
    assert env.graphs_of(ID + "org/delta-university", CG + "worksOn", ID + "tech/protein-design") == [src]
    assert env.graphs_of(ID + "org/delta-university", CG + "basedIn", ID + "country/dk") == [src]
    assert env.graphs_of(ID + "org/epsilon-bio", CG + "worksOn", ID + "tech/protein-design") == [src]
    assert env.ask("ASK { orgn:epsilon-bio a cg:Company }").boolean
    assert env.ask("SELECT ?a WHERE { orgn:delta-university skos:altLabel ?a }").column("a") == ["DU"]
    assert batch.summary["suggestions"] == 1  # Delta University -> QML by relatedMatch only


# ------------------------------------------------------------------------------------------ the gate refuses


BAD = [
    ("broken.trig", None, None, r"^broken\.trig:7:1: syntax error"),
    ("remote-context.jsonld", None, None, r"^remote-context\.jsonld:3:15: remote JSON-LD context 'https://schema.org/' refused"),
    ("empty.ttl", None, None, r"^empty\.ttl: the file is empty"),
    ("extra-column.csv", "actors.toml", None, r"^extra-column\.csv:1:5: unknown column 'homepage'"),
    ("unknown-entity.csv", "relations.toml", None,
     r"^unknown-entity\.csv:2:3: column 'object': no entity named 'Quantum teleportation'"),
    ("no-publisher.trig", None, None, r"^no-publisher\.trig:10: .*cg:publisherName.*nothing was imported"),
    ("unsourced.trig", None, None, r"^unsourced\.trig:\d+: relation .*worksOn.* has no source"),
    ("company.ttl", None, None, r"^company\.ttl: statements outside any named graph"),
]


@pytest.mark.parametrize("name,mapping,source,pattern", BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_located_and_changes_nothing(env, tmp_path, name, mapping, source, pattern):
    before = env.dump()
    path = broken_trig(tmp_path) if name == "broken.trig" else ING / name
    with pytest.raises(ConvergenceError) as err:
        import_file(path, env.store, mapping=TEMPLATES / mapping if mapping else None, data_dir=env.data)
    assert re.search(pattern, str(err.value)), str(err.value)
    assert env.dump() == before
    assert not (env.data / "imports").exists() or not any((env.data / "imports").iterdir())


def test_wrong_encoding_is_located(env, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("name,type,country\nKappa,Company,DK\nCaf\xe9 Quantique,Company,DK\n".encode("latin-1"))
    before = env.dump()
    with pytest.raises(ConvergenceError, match=r"^latin\.csv:3:4: not UTF-8 \(byte 0xe9\)"):
        import_file(path, env.store, mapping=TEMPLATES / "actors.toml", data_dir=env.data)
    assert env.dump() == before


def test_duplicate_import_is_refused_and_changes_nothing(env):
    rec, _ = import_file(ING / "company.trig", env.store, data_dir=env.data)
    before = env.dump()
    with pytest.raises(ConvergenceError, match=rf"^company\.trig: this file was already imported as {rec.id}"):
        import_file(ING / "company.trig", env.store, data_dir=env.data)
    assert env.dump() == before


def test_a_file_that_adds_nothing_is_refused(env, tmp_path):
    same = tmp_path / "again.trig"
    same.write_text((ING / "company.trig").read_text(encoding="utf-8") + "\n# the same again\n", encoding="utf-8")
    import_file(ING / "company.trig", env.store, data_dir=env.data)
    before = env.dump()
    with pytest.raises(ConvergenceError, match=r"^again\.trig: every statement in the file is already in the graph"):
        import_file(same, env.store, data_dir=env.data)
    assert env.dump() == before


def test_import_needs_a_built_store(tmp_path):
    with pytest.raises(ConvergenceError, match="run `convergence build --store DIR` first"):
        import_file(ING / "company.trig", tmp_path / "nothing", data_dir=tmp_path)
    assert not (tmp_path / "nothing").exists()


# ------------------------------------------------------------------------------------------ undo and rebuild


def test_remove_import_restores_the_earlier_state_exactly(env):
    before = env.dump()
    rec, _ = import_file(ING / "actors.csv", env.store, mapping=TEMPLATES / "actors.toml", data_dir=env.data)
    assert env.dump() != before
    removed = remove_import(rec.id, env.store, data_dir=env.data)
    assert removed.id == rec.id
    assert env.dump() == before
    assert env.imports() == [] and list((env.data / "imports").iterdir()) == []


def test_remove_keeps_what_another_import_also_states(env, tmp_path):
    before = env.dump()
    first, _ = import_file(ING / "company.trig", env.store, data_dir=env.data)
    twin = tmp_path / "twin.trig"
    twin.write_text((ING / "company.trig").read_text(encoding="utf-8").replace(
        "cg:basedIn country:dk .", "cg:basedIn country:dk ; cg:partnersWith orgn:alpha ."), encoding="utf-8")
    second, _ = import_file(twin, env.store, data_dir=env.data)
    assert second.statements == 1  # only the partnership is new
    remove_import(first.id, env.store, data_dir=env.data)
    assert env.graphs_of(ID + "org/gamma-qubits", CG + "worksOn", ID + "tech/q-sensing") == [ID + "source/gamma-launch"]
    remove_import(second.id, env.store, data_dir=env.data)
    assert env.dump() == before


def test_remove_is_refused_when_a_later_import_builds_on_it(env, tmp_path):
    first, _ = import_file(ING / "actors.csv", env.store, mapping=TEMPLATES / "actors.toml", data_dir=env.data)
    rel = tmp_path / "theta.csv"
    rel.write_text("subject,relation,object,source_url,source_title,source_publisher\n"
                   "Alpha Quantum,partners with,Theta Sensors,https://example.org/theta-alpha,Theta and Alpha,Press\n",
                   encoding="utf-8")
    import_file(rel, env.store, mapping=TEMPLATES / "relations.toml", data_dir=env.data)
    before = env.dump()
    with pytest.raises(ConvergenceError, match=rf"^{first.id}: removing it would break the graph"):
        remove_import(first.id, env.store, data_dir=env.data)
    assert env.dump() == before


def test_unknown_import_id(env):
    with pytest.raises(ConvergenceError, match=r"^remove-import: no import 'nope' in this store \(imports: none yet\)"):
        remove_import("nope", env.store, data_dir=env.data)


def test_an_import_survives_a_rebuild(env):
    rec, _ = import_file(ING / "company.trig", env.store, data_dir=env.data)
    after_import = env.dump()
    env.rebuild()
    assert [r.id for r in env.imports()] == [rec.id]
    assert env.graphs_of(ID + "org/gamma-qubits", CG + "worksOn", ID + "tech/q-sensing") == [ID + "source/gamma-launch"]

    def canonical(b):  # the mini graph's blank node (a budget) gets a new label on every build
        return sorted(re.sub(rb"_:[0-9a-f]+", b"_:b", b).splitlines())

    assert canonical(env.dump()) == canonical(after_import)
    remove_import(rec.id, env.store, data_dir=env.data)
    env.rebuild()
    assert env.imports() == []


def test_blank_nodes_are_named_so_an_import_can_be_removed(env, tmp_path):
    path = tmp_path / "budget.trig"
    path.write_text((ING / "company.trig").read_text(encoding="utf-8").replace(
        "cg:basedIn country:dk .", "cg:basedIn country:dk .\n    <https://w3id.org/convergence-graph/id/programme/dk-strategy> "
        'cg:budget [ a cg:Budget ; cg:amount "5"^^xsd:decimal ; cg:currency "EUR" ] .'), encoding="utf-8")
    before = env.dump()
    rec, _ = import_file(path, env.store, data_dir=env.data)
    nodes = env.ask("SELECT ?b WHERE { GRAPH src:gamma-launch { prog:dk-strategy cg:budget ?b } }").column("b")
    assert len(nodes) == 1 and nodes[0].startswith(f"https://w3id.org/convergence-graph/genid/{rec.id}/")
    remove_import(rec.id, env.store, data_dir=env.data)
    assert env.dump() == before


def test_the_build_record_lists_the_imports_so_readers_see_the_change(env):
    from graph.build import read_build_info

    assert "imports" not in read_build_info(env.store)
    rec, _ = import_file(ING / "company.trig", env.store, data_dir=env.data)
    info = read_build_info(env.store)
    assert info["imports"] == [rec.id] and info["quads"] > 0
    remove_import(rec.id, env.store, data_dir=env.data)
    assert read_build_info(env.store)["imports"] == []


# ------------------------------------------------------------------------------------------ scoped checks

PREFIXES_TRIG = """@prefix cg: <https://w3id.org/convergence-graph/ontology#> .
@prefix cgg: <https://w3id.org/convergence-graph/graph/> .
@prefix prog: <https://w3id.org/convergence-graph/id/programme/> .
@prefix domain: <https://w3id.org/convergence-graph/id/domain/> .
@prefix src: <https://w3id.org/convergence-graph/id/source/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
cgg:sources { src:grant a cg:SourceDocument ; dct:title "Grant" ; cg:publisherName "Fund" ;
    schema:url <https://example.org/grant> ; cg:sourceKind cg:Primary . }
"""


@pytest.fixture(params=["scoped", "everything"])
def scope_mode(request, monkeypatch):
    """Run the gate's checks on the nodes an import touches, and on the whole graph: they must agree."""
    from graph.ingest import gate

    monkeypatch.setattr(gate, "SCOPE_FROM", 0 if request.param == "scoped" else 10 ** 9)
    return request.param


@pytest.mark.parametrize("name,pattern", [
    ("no-publisher.trig", r"^no-publisher\.trig:10: .*cg:publisherName.*nothing was imported"),
    ("unsourced.trig", r"^unsourced\.trig:\d+: relation .*worksOn.* has no source"),
])
def test_scoped_and_full_checks_find_the_same_problem(env, scope_mode, name, pattern):
    before = env.dump()
    with pytest.raises(ConvergenceError, match=pattern):
        import_file(ING / name, env.store, data_dir=env.data)
    assert env.dump() == before


def test_a_later_import_that_breaks_an_earlier_node_through_sh_node_is_refused(env, tmp_path, scope_mode):
    """The budget node is checked through the programme that points to it (sh:node), which the import does not touch."""
    first = tmp_path / "programme.trig"
    first.write_text(PREFIXES_TRIG + """cgg:entities { prog:grant a cg:Programme ; skos:prefLabel "Grant"@en ;
    cg:inDomain domain:ai . }
src:grant { prog:grant cg:budget <https://example.org/budget/1> .
    <https://example.org/budget/1> cg:amount "5"^^xsd:decimal ; cg:currency "EUR" . }
""", encoding="utf-8")
    import_file(first, env.store, data_dir=env.data)
    second = tmp_path / "amount.trig"
    second.write_text(PREFIXES_TRIG.split("cgg:sources")[0] + """src:grant {
    <https://example.org/budget/1> cg:amount "6"^^xsd:decimal . }
""", encoding="utf-8")
    before = env.dump()
    with pytest.raises(ConvergenceError, match=r"cg:budget must have a decimal cg:amount .*\[prog:grant\]"):
        import_file(second, env.store, data_dir=env.data)
    assert env.dump() == before


def test_a_large_ntriples_import_lands_whole_with_its_files(env, tmp_path):
    """Big enough that the checks run on everything: counted statements, identity placed, files written once."""
    path = tmp_path / "many.nt"
    with open(path, "w", encoding="utf-8") as f:
        for i in range(3000):
            s = f"<{ID}org/many-{i}>"
            f.write(f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{CG}Company> .\n"
                    f"{s} <http://www.w3.org/2004/02/skos/core#prefLabel> \"Many {i}\"@en .\n"
                    f"{s} <{CG}worksOn> <{ID}tech/ml> .\n")
    source = SourceInfo("https://example.org/many", "Many companies", "Registry", "2025")
    rec, batch = import_file(path, env.store, source=source, data_dir=env.data)
    src = ID + "source/registry-many-companies"
    assert rec.statements == 9000 + 7 and batch.summary["statements"] == 9000
    counts = env.ask("""SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o }
                        FILTER(STRSTARTS(STR(?s), "https://w3id.org/convergence-graph/id/org/many-")) } GROUP BY ?g ORDER BY ?g""")
    assert [(g.value, int(n.value)) for g, n in counts.rows] == [("https://w3id.org/convergence-graph/graph/entities", 6000),
                                                                 (src, 3000)]
    added = env.data / "imports" / f"{rec.id}.nq.added"
    assert (env.data / "imports" / f"{rec.id}.nq").samefile(added)  # nothing was already there: one file, two names
    assert sum(1 for _ in added.open()) == 9007 + 10  # with the import's record
    assert not [p for p in env.store.parent.iterdir() if p.name.startswith(".")]


def test_the_ingest_benchmark_runs_end_to_end_small():
    """benchmarks/ingest_ntriples.py at 2,000 triples: it imports them all and states the verdict (times not asserted)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "benchmarks/ingest_ntriples.py", "--triples", "2000"], cwd=root,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("2000 triples, 0 MB, onto the bundled graph")
    assert "2007 statements added" in lines[2]  # the triples and the benchmark source's description
    assert any("switching to the new store" in line for line in lines)
    assert lines[-1].startswith("target (issue 8): 200,000 triples/s into a disk store, validated: ")
