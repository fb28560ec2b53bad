"""Exports of a subgraph: exact content, round trips, reproducible bytes, markings, safe paths, diff, CLI."""

import csv
import io
import re
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from graph import ConvergenceError, open_graph
from graph.diff import diff_quads, parse_rdf, read_rdf
from graph.export import FORMATS, Options, export, export_files, safe_path
from graph.export.rdf import subgraph_quads
from graph.markings import highest, levels, parse_marking, restrict
from graph.namespaces import BASE, CG, GRAPHS, shorten
from graph.subgraph import focus

DATA = Path(__file__).parent / "fixtures" / "export" / "data"
ROOT = Path(__file__).resolve().parent.parent
ORG, SRC, TECH = BASE + "id/org/", BASE + "id/source/", BASE + "id/tech/"
EVIL = "Evil <script>alert(\"x\")</script> & 'Co'"
DATA_FORMATS = [f for f, spec in FORMATS.items() if spec.kind == "data"]


@pytest.fixture(scope="module")
def kg():
    return open_graph(data_dir=DATA)


@pytest.fixture(scope="module")
def alpha(kg):
    """Alpha Quantum and its neighbours: 7 statements, one only in the INTERNAL source s3."""
    return focus(kg, "orgn:alpha", 1)


def statements(quads):
    """The sourced statements of an export as (subject, relation, object, source) in short form."""
    return sorted((shorten(q.subject.value), q.predicate.value.rsplit("#", 1)[-1], shorten(q.object.value),
                   shorten(q.graph_name.value)) for q in quads
                  if q.graph_name.value.startswith(SRC) and q.predicate.value.startswith(CG)
                  and isinstance(q.object, ox.NamedNode) and not q.subject.value.startswith(BASE + "id/rel/"))


# ------------------------------------------------------------------ what an export holds

def test_public_export_holds_statements_qualifiers_identity_and_cited_sources_only(kg, alpha):
    quads = subgraph_quads(kg, restrict(kg, alpha, "PUBLIC"))
    assert statements(quads) == [
        ("orgn:alpha", "basedIn", "country:dk", "src:s1"), ("orgn:alpha", "partnersWith", "orgn:beta", "src:s1"),
        ("orgn:alpha", "worksOn", "tech:ml", "src:s1"), ("orgn:alpha", "worksOn", "tech:qml", "src:s1"),
        ("orgn:fund", "funds", "orgn:alpha", "src:s1"), ("orgn:univ", "partnersWith", "orgn:alpha", "src:s4")]
    described = sorted({shorten(q.subject.value) for q in quads if q.graph_name.value == GRAPHS["sources"]})
    assert described == ["src:s1", "src:s4"]  # s3 is INTERNAL: neither cited nor described
    amounts = [q.object.value for q in quads if q.predicate.value == CG + "amount"]
    assert amounts == ["1000000"]  # the qualified relation of fund -> alpha came along
    labels = {q.subject.value: q.object.value for q in quads
              if q.predicate.value.endswith("prefLabel") and q.object.language == "en"}
    assert labels[ORG + "univ"] == "Université Côte d’Azur"
    assert ORG + "evil" not in {q.subject.value for q in quads}  # its only statement here is INTERNAL


def test_unrestricted_export_keeps_the_internal_statement_in_its_source_graph(kg, alpha):
    quads = subgraph_quads(kg, alpha)
    assert ("orgn:evil", "partnersWith", "orgn:alpha", "src:s3") in statements(quads)
    assert ("orgn:univ", "partnersWith", "orgn:alpha", "src:s3") in statements(quads)
    assert highest(kg, alpha).name == "INTERNAL"


def test_budget_blank_node_is_named_by_its_content_and_exported(kg):
    sub = focus(kg, "orgn:alpha", 2)
    quads = subgraph_quads(kg, sub)
    budget = [q for q in quads if q.predicate.value == CG + "budget"]
    assert len(budget) == 1 and isinstance(budget[0].object, ox.BlankNode)
    inner = sorted((q.predicate.value.rsplit("#", 1)[-1], q.object.value) for q in quads
                   if q.subject == budget[0].object)
    assert inner == [("amount", "500"), ("currency", "EUR"), ("type", CG + "Budget")]
    again = subgraph_quads(open_graph(data_dir=DATA), focus(open_graph(data_dir=DATA), "orgn:alpha", 2))
    assert [str(q) for q in again] == [str(q) for q in quads]  # a new store, new blank ids, same export


# ------------------------------------------------------------------ round trips

def _dataset(quads) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    ds.parse(data="".join(f"{q} .\n" for q in quads), format="nquads")
    return ds


def _graphs(ds) -> dict:
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


@pytest.mark.parametrize("fmt,rdflib_format", [("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")])
def test_quad_formats_parse_back_to_the_selection_graph_by_graph(kg, fmt, rdflib_format):
    sub = focus(kg, "orgn:alpha", 2)
    expected = _graphs(_dataset(subgraph_quads(kg, sub)))
    data = export(kg, sub, fmt)
    got = rdflib.Dataset()
    got.parse(data=data.decode("utf-8"), format=rdflib_format)
    got = _graphs(got)
    assert sorted(got) == sorted(expected)
    assert {GRAPHS["entities"], GRAPHS["taxonomy"], GRAPHS["sources"], SRC + "s1", SRC + "s2"} <= set(got)
    for name in expected:
        assert isomorphic(got[name], expected[name]), name


def test_turtle_parses_back_to_the_union_of_the_selection(kg):
    sub = focus(kg, "orgn:alpha", 2)
    expected = rdflib.Graph().parse(data="".join(f"{q.triple} .\n" for q in subgraph_quads(kg, sub)), format="nt")
    got = rdflib.Graph().parse(data=export(kg, sub, "turtle").decode("utf-8"), format="turtle")
    assert isomorphic(got, expected)
    assert len(got) == len({q.triple for q in subgraph_quads(kg, sub)})


def test_jsonld_has_an_inline_compact_context_and_oxigraph_reads_it(kg, alpha):
    import json

    doc = json.loads(export(kg, alpha, "jsonld"))
    assert doc["@context"]["cg"] == CG and isinstance(doc["@context"], dict)
    entities = next(g for g in doc["@graph"] if g["@id"] == "cgg:entities")["@graph"]
    univ = next(n for n in entities if n["@id"] == "orgn:univ")
    assert univ["@type"] == ["cg:ResearchOrganisation"]
    assert {"@value": "Université Côte d’Azur", "@language": "fr"} in univ["skos:prefLabel"]
    parsed = parse_rdf(export(kg, alpha, "jsonld"), "x.jsonld")
    assert sorted(map(str, parsed)) == sorted(map(str, subgraph_quads(kg, alpha)))


def test_graphml_and_gexf_load_in_networkx_with_attributes(kg, alpha):
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        data = export(kg, alpha, fmt)
        g = read(io.BytesIO(data))
        assert g.number_of_nodes() == 8 and g.number_of_edges() == 7, fmt
        evil = g.nodes[ORG + "evil"]
        assert evil["label"] == EVIL and evil["type"] == "Company", fmt
        assert g.nodes[TECH + "qml"]["domains"] == "AI; Quantum", fmt
        assert g.nodes[ORG + "univ"]["countries"] == "Denmark", fmt
        rel = sorted(d["relation"] for _, _, d in g.edges(data=True))
        assert rel.count("works on") == 2 and rel.count("partners with") == 3, fmt
        sources = {d["sources"] for u, v, d in g.edges(data=True) if u == ORG + "univ"}
        assert sources == {f"{SRC}s3 {SRC}s4"}, fmt
    assert b"lastmodifieddate" not in export(kg, alpha, "gexf")
    colour = nx.read_gexf(io.BytesIO(export(kg, alpha, "gexf"))).nodes[TECH + "qml"]["viz"]["color"]
    assert (colour["r"], colour["g"], colour["b"]) == (0xCC, 0x79, 0xA7)  # cross-domain, as in the viewer


def test_csv_zip_reads_back_with_bom_and_accents(kg, alpha):
    with zipfile.ZipFile(io.BytesIO(export(kg, alpha, "csv"))) as z:
        assert z.namelist() == ["nodes.csv", "edges.csv", "sources.csv"]
        raw = {n: z.read(n) for n in z.namelist()}
    assert all(b.startswith("\ufeff".encode("utf-8")) for b in raw.values())
    nodes = list(csv.DictReader(io.StringIO(raw["nodes.csv"].decode("utf-8-sig"))))
    assert len(nodes) == 8
    assert {r["label"] for r in nodes} >= {"Université Côte d’Azur", EVIL}
    edges = list(csv.DictReader(io.StringIO(raw["edges.csv"].decode("utf-8-sig"))))
    univ = next(r for r in edges if r["from"] == "Université Côte d’Azur")
    assert (univ["relation"], univ["to"], univ["citations"]) == ("partners with", "Alpha Quantum", "[2, 3]")
    sources = list(csv.DictReader(io.StringIO(raw["sources.csv"].decode("utf-8-sig"))))
    assert [(r["number"], r["title"], r["marking"]) for r in sources] == [
        ("1", "First source", "PUBLIC"), ("2", "Étude <b>bold</b> \"quoted\"", "PUBLIC"),
        ("3", "Internal note", "INTERNAL")]


# ------------------------------------------------------------------ pictures

_EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|<link\b|@import""",
                       re.IGNORECASE)


def test_network_html_is_self_contained_and_escapes_labels(kg, alpha):
    page = export(kg, alpha, "html").decode("utf-8")
    assert not _EXTERNAL.search(page)
    assert "<script>alert" not in page and "\\u003cscript\\u003ealert" in page
    assert "Université Côte d’Azur" in page


def test_svg_and_png_figures(kg, alpha):
    svg = export(kg, alpha, "svg").decode("utf-8")
    assert "<script" not in svg and "&lt;script&gt;alert" in svg
    assert not _EXTERNAL.search(svg)
    assert "INTERNAL" in svg and "Cross-domain" in svg  # marking and legend
    png = export(kg, alpha, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (2338, 1654)  # A4 landscape at 200 dpi


def test_dollar_signs_in_labels_do_not_start_mathematics(kg):
    from graph.export.pictures import _plain

    assert _plain("Cost $5 and $6") == r"Cost \$5 and \$6"


# ------------------------------------------------------------------ reproducible

@pytest.mark.parametrize("fmt", list(FORMATS))
def test_same_selection_gives_the_same_bytes(kg, fmt):
    first = export_files(kg, focus(kg, "orgn:alpha", 2), fmt, Options(stem="x"), "PUBLIC")
    other = open_graph(data_dir=DATA)
    second = export_files(other, focus(other, "orgn:alpha", 2), fmt, Options(stem="x"), "PUBLIC")
    assert first == second


def test_data_files_hold_no_timestamp(kg, alpha):
    import datetime

    year = str(datetime.date.today().year)
    for fmt in DATA_FORMATS:
        data = export(kg, alpha, fmt)
        if fmt == "csv":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                data = b"".join(z.read(n) for n in z.namelist())
                assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())
        assert year.encode() not in data, fmt


# ------------------------------------------------------------------ markings

def test_markings_come_from_the_ontology_and_parse_in_both_languages(kg):
    assert [(m.name, m.rank) for m in levels(kg)] == [("PUBLIC", 0), ("INTERNAL", 1)]
    assert parse_marking(kg, "interne").name == "INTERNAL"
    assert parse_marking(kg, "cg:Public").name == "PUBLIC"
    with pytest.raises(ConvergenceError, match="unknown marking 'SECRET'; use one of PUBLIC, INTERNAL"):
        parse_marking(kg, "SECRET")


def test_restrict_keeps_public_sources_drops_what_has_none_and_redates(kg, alpha):
    cut = restrict(kg, alpha, "PUBLIC")
    got = {(shorten(e.source), e.relation, shorten(e.target)): (tuple(map(shorten, e.sources)), e.start, e.end)
           for e in cut.edges}
    assert got[("orgn:univ", "partnersWith", "orgn:alpha")] == (("src:s4",), "2025", "2025")
    assert ("orgn:evil", "partnersWith", "orgn:alpha") not in got
    assert ORG + "evil" not in cut.nodes and ORG + "alpha" in cut.nodes
    assert (cut.scope["marking"], cut.scope["withheld"], cut.scope["withheld_entities"]) == ("PUBLIC", 1, 1)
    assert len(restrict(kg, alpha, "INTERNAL").edges) == len(alpha.edges)


def test_a_statement_marked_on_its_qualified_relation_is_withheld(kg):
    univ = focus(kg, "orgn:univ", 1)
    key = ("orgn:univ", "worksOn", "tech:qml")
    assert key in {(shorten(e.source), e.relation, shorten(e.target)) for e in univ.edges}
    public = restrict(kg, univ, "PUBLIC")
    assert key not in {(shorten(e.source), e.relation, shorten(e.target)) for e in public.edges}
    text = export(kg, univ, "trig", marking="PUBLIC").decode("utf-8")
    assert "univ--worksOn--qml" not in text and "Internal note" not in text and "src:s3" not in text


# ------------------------------------------------------------------ paths

@pytest.mark.parametrize("name", ["../x.ttl", "..", "/etc/passwd", "a/b.ttl", "a\\b.ttl", ".hidden", "",
                                  " x.ttl", "x.ttl\n"])
def test_unsafe_file_names_are_refused(tmp_path, name):
    with pytest.raises(ConvergenceError, match="refusing the file name"):
        safe_path(tmp_path, name)


def test_a_symlink_leading_out_of_the_folder_is_refused(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "x.ttl").symlink_to(tmp_path / "elsewhere.ttl")
    with pytest.raises(ConvergenceError, match="refusing"):
        safe_path(tmp_path / "out", "x.ttl")
    assert safe_path(tmp_path / "out", "y.ttl") == (tmp_path / "out" / "y.ttl").resolve()


# ------------------------------------------------------------------ what changed

def test_diff_lists_added_statements_and_entities_with_sources(kg, alpha):
    old = parse_rdf(export(kg, alpha, "trig", marking="PUBLIC"), "old.trig")
    new = subgraph_quads(kg, alpha)
    d = diff_quads(old, new, "old.trig", "now")
    assert d.added_entities == [(ORG + "evil", EVIL)]
    assert [(s.text(), [t for _, t, _, _ in s.sources]) for s in d.added] == [
        (f"{EVIL} partners with Alpha Quantum", ["Internal note"])]
    assert d.removed == [] and d.removed_entities == []
    back = diff_quads(new, old, "now", "old.trig")
    assert [s.text() for s in back.removed] == [f"{EVIL} partners with Alpha Quantum"]
    assert back.summary() == "0 statements added, 1 removed; 0 entities added, 1 removed"
    assert "- Evil <script>" in back.text() and "[Internal note (Team, 2025-06)]" in back.text()


def test_diff_from_turtle_has_no_sources_for_removed_statements(kg, alpha):
    old = parse_rdf(export(kg, alpha, "turtle"), "old.ttl")
    d = diff_quads(old, subgraph_quads(kg, restrict(kg, alpha, "PUBLIC")), "old.ttl", "now")
    assert [(s.text(), s.sources) for s in d.removed] == [(f"{EVIL} partners with Alpha Quantum", [])]
    assert "no source recorded in the file" in d.text()


def test_reading_a_broken_or_remote_context_file_is_one_located_error(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://x/> .\nx:a x:b .\n")
    with pytest.raises(ConvergenceError) as exc:
        read_rdf(bad)
    assert str(exc.value).startswith(f"{bad}:2") and "not valid RDF" in str(exc.value)
    remote = tmp_path / "r.jsonld"
    remote.write_text('{"@context": "http://example.org/ctx.jsonld", "@id": "http://x/a", "p": 1}')
    with pytest.raises(ConvergenceError, match="not valid RDF"):
        read_rdf(remote)
    with pytest.raises(ConvergenceError, match="cannot tell the format"):
        read_rdf(tmp_path / "x.docx")


# ------------------------------------------------------------------ the command line

@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from graph.build import build

    target = tmp_path_factory.mktemp("export-store") / "store"
    s, _ = build(target, data_dir=DATA, validate=False)
    s.close()
    return target


def run(store, *args, cwd=None):
    return subprocess.run([sys.executable, "-m", "graph", "--store", str(store), *args], capture_output=True,
                          text=True, cwd=cwd or ROOT)


def test_cli_exports_by_name_with_filters_and_marking(store, tmp_path):
    out = tmp_path / "brief" / "alpha.docx"
    r = run(store, "export", "--focus", "Alpha Quantum", "--hops", "1", "--domain", "quantum", "--marking",
            "public", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.parent.iterdir()) == ["alpha-appendix.trig", "alpha.docx"]
    assert "statements withheld" in r.stdout and "... selecting the subgraph" in r.stderr
    assert (out.stat().st_mode & 0o777) != 0o600


def test_cli_refuses_paths_outside_the_folder(store, tmp_path):
    r = run(store, "export", "--focus", "orgn:alpha", "-o", str(tmp_path / ".." / "x.ttl"))
    assert r.returncode == 1
    assert r.stderr.strip() == "error: --out: refusing a path with '..': give the folder itself"
    assert not (tmp_path.parent / "x.ttl").exists()


@pytest.mark.parametrize("args,message", [
    (["--focus", "Nothing like it"], "error: --focus: no entity called 'Nothing like it'; check the spelling or give its IRI"),
    (["--focus", "orgn:alpha", "--domain", "chemistry"], "error: --domain: unknown domain 'chemistry'; use one of AI, Biotech, Quantum"),
    (["--focus", "orgn:alpha", "--marking", "secret"], "error: --marking: unknown marking 'secret'; use one of PUBLIC, INTERNAL"),
    (["--entities", "orgn:alpha", "--type", "Company"], "error: selection: the filters apply to a --focus selection only"),
    (["--query", "community-members", "--param", "body=orgn:alpha"],
     "error: selection: the selection holds no entity; nothing to export"),
    ([], "error: export: say what to export: --focus NAME, --construct Q.rq, --query NAME or --entities A,B"),
])
def test_cli_errors_are_one_line(store, tmp_path, args, message):
    r = run(store, "export", *args, "-o", str(tmp_path / "x.ttl"))
    assert (r.returncode, r.stderr.strip().splitlines()[-1]) == (1, message)
    assert "Traceback" not in r.stderr and not (tmp_path / "x.ttl").exists()


def test_cli_selects_by_construct_query_and_entities(store, tmp_path):
    q = tmp_path / "q.rq"
    q.write_text("CONSTRUCT { ?a cg:worksOn ?t } WHERE { ?a cg:worksOn ?t }")
    r = run(store, "export", "--construct", str(q), "-o", str(tmp_path / "c.nq"))
    assert r.returncode == 0, r.stderr
    # alpha, beta, evil, univ work on qml, ml, q-sensing, protein-design: 6 worksOn + 4 other statements among them
    assert "(8 entities, 10 statements)" in r.stdout
    r = run(store, "export", "--entities", "Alpha Quantum,Fund", "-o", str(tmp_path / "e.ttl"))
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "e.ttl").read_text()
    assert "\tcg:funds orgn:alpha .\n" in text and "# Selected: 2 entities" in text


def test_cli_diff_between_two_exports_and_against_the_graph(store, tmp_path):
    old, new = tmp_path / "old.trig", tmp_path / "new.trig"
    assert run(store, "export", "--focus", "orgn:alpha", "--marking", "PUBLIC", "-o", str(old)).returncode == 0
    assert run(store, "export", "--focus", "orgn:alpha", "-o", str(new)).returncode == 0
    r = run(store, "diff", str(old), str(new))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == ("What changed from old.trig to new.trig: 1 statements added, 0 removed; "
                                        "1 entities added, 0 removed")
    r = run(store, "diff", str(old))
    assert r.returncode == 0, r.stderr
    # the old file's entities as they are now: two statements among them that a 1-hop focus did not reach
    assert r.stdout.splitlines()[0].endswith("to the graph now: 2 statements added, 0 removed; 0 entities added, "
                                             "0 removed")
    assert "  + Université Côte d’Azur based in Denmark  [First source (Body, 2024-11-13)]" in r.stdout
