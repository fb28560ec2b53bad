"""Build: parse errors with locations, validation failures, atomic disk stores, read-only reopen."""

import pytest

from graph import ConvergenceError, OxigraphStore, open_graph
from graph.build import build, read_build_info

BAD_TURTLE = '@prefix cg: <https://w3id.org/convergence-graph/ontology#> .\ncgg:x {\n  <a> <b> "unterminated .\n'


def store_bytes(path):
    """Map of every file in a store folder to its bytes."""
    return {p.relative_to(path): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def test_build_mini_into_disk_store_and_reopen_read_only(tmp_path, mini_copy):
    target = tmp_path / "store"
    store, info = build(target, data_dir=mini_copy)
    assert info.report.conforms
    assert read_build_info(target)["quads"] == info.quads
    kg = open_graph(target)
    assert kg.store.read_only
    assert len(kg) == info.quads
    second = OxigraphStore(target, read_only=True)  # another reader at the same time
    assert len(second) == info.quads


def test_malformed_turtle_names_file_line_and_changes_nothing(tmp_path, mini_copy):
    target = tmp_path / "store"
    build(target, data_dir=mini_copy)
    before = store_bytes(target)
    (mini_copy / "broken.trig").write_text(BAD_TURTLE, encoding="utf-8")
    with pytest.raises(ConvergenceError) as err:
        build(target, data_dir=mini_copy)
    assert err.value.where.endswith("broken.trig:2:1") or "broken.trig:" in err.value.where
    assert store_bytes(target) == before


def test_syntax_error_location_is_exact(tmp_path):
    (tmp_path / "bad.trig").write_text('@prefix ex: <http://ex/> .\nex:g {\n ex:a ex:b "x\n', encoding="utf-8")
    from graph.build import parse_file

    with pytest.raises(ConvergenceError) as err:
        parse_file(tmp_path / "bad.trig")
    assert err.value.where.endswith("bad.trig:3:12")  # where the unterminated string opens


def test_triples_outside_named_graphs_are_refused(tmp_path):
    from graph.build import parse_file

    (tmp_path / "plain.ttl").write_text("<http://a> <http://b> <http://c> .\n", encoding="utf-8")
    with pytest.raises(ConvergenceError, match="outside any named graph"):
        parse_file(tmp_path / "plain.ttl")


def test_shacl_violation_fails_the_build_with_location(tmp_path, mini_copy):
    (mini_copy / "nolabel.trig").write_text(
        "@prefix cg: <https://w3id.org/convergence-graph/ontology#> .\n"
        "@prefix cgg: <https://w3id.org/convergence-graph/graph/> .\n"
        "@prefix orgn: <https://w3id.org/convergence-graph/id/org/> .\n"
        "cgg:entities {\n    orgn:nameless a cg:Company .\n}\n", encoding="utf-8")
    with pytest.raises(ConvergenceError) as err:
        build(tmp_path / "store", data_dir=mini_copy)
    assert err.value.where.endswith("nolabel.trig:5")
    assert "prefLabel" in err.value.message
    assert not (tmp_path / "store").exists()


def test_relation_without_source_is_a_violation(mini_copy):
    (mini_copy / "unsourced.trig").write_text(
        "@prefix cg: <https://w3id.org/convergence-graph/ontology#> .\n"
        "@prefix cgg: <https://w3id.org/convergence-graph/graph/> .\n"
        "@prefix orgn: <https://w3id.org/convergence-graph/id/org/> .\n"
        "cgg:entities {\n    orgn:alpha cg:partnersWith orgn:fund .\n}\n", encoding="utf-8")
    with pytest.raises(ConvergenceError) as err:
        build(None, data_dir=mini_copy)
    assert "has no source" in err.value.message


@pytest.mark.parametrize("body, expected", [
    ("orgn:alpha cg:worksOn <https://w3id.org/convergence-graph/id/tech/nothing> .", "never declared"),
    ("orgn:alpha cg:wrksOn orgn:beta .", "not declared in ontology"),
    ('prog:dk-strategy schema:startDate "2024-13-45" .', "startDate"),
])
def test_violation_queries_and_shapes(mini_copy, body, expected):
    (mini_copy / "extra.trig").write_text(
        "@prefix cg: <https://w3id.org/convergence-graph/ontology#> .\n"
        "@prefix orgn: <https://w3id.org/convergence-graph/id/org/> .\n"
        "@prefix prog: <https://w3id.org/convergence-graph/id/programme/> .\n"
        "@prefix schema: <https://schema.org/> .\n"
        "@prefix src: <https://w3id.org/convergence-graph/id/source/> .\n"
        f"src:s1 {{\n    {body}\n}}\n", encoding="utf-8")
    from graph.build import Locator, input_files, load_files
    from graph.validate import validate

    loc = Locator()
    report = validate(load_files(input_files(data_dir=mini_copy), loc), locator=loc)
    assert not report.conforms
    assert any(expected in v.message for v in report.violations), report.text()


def test_store_folder_that_is_not_a_store_is_not_replaced(tmp_path, mini_copy):
    precious = tmp_path / "mine"
    precious.mkdir()
    (precious / "thesis.txt").write_text("keep me")
    with pytest.raises(ConvergenceError, match="not a Convergence store"):
        build(precious, data_dir=mini_copy)
    assert (precious / "thesis.txt").read_text() == "keep me"


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(ConvergenceError, match="no store here"):
        open_graph(tmp_path / "nothing")
