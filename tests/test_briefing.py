"""Briefings: DOCX, HTML and Markdown with scope, figure, tables, numbered citations, markings and 'New since'."""

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from graph import open_graph
from graph.briefing import build_briefing, cite_text
from graph.diff import diff_quads, parse_rdf
from graph.export import Options, export, export_files
from graph.export.rdf import subgraph_quads
from graph.markings import restrict
from graph.subgraph import focus

DATA = Path(__file__).parent / "fixtures" / "export" / "data"
ROOT = Path(__file__).resolve().parent.parent
EVIL = "Evil <script>alert(\"x\")</script> & 'Co'"
_EXTERNAL = re.compile(r"""(?:src|srcset|data|poster)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|"""
                       r"""<link\b|@import|<script\b[^>]*\bsrc""", re.IGNORECASE)


@pytest.fixture(scope="module")
def kg():
    return open_graph(data_dir=DATA)


@pytest.fixture(scope="module")
def alpha(kg):
    return focus(kg, "orgn:alpha", 1)


def test_cite_text_shortens_runs():
    assert cite_text([5, 1, 2, 3, 8, 9]) == "[1–3, 5, 8, 9]"


def test_citations_are_numbered_by_date_and_every_statement_cites(kg, alpha):
    b = build_briefing(kg, alpha)
    assert [(n, r.title, r.publisher, r.issued, r.url) for n, r in b.references] == [
        (1, "First source", "Body", "2024-11-13", "https://example.org/s1"),
        (2, "Étude <b>bold</b> \"quoted\"", "Presse & Cie", "2025", "javascript:alert(1)"),
        (3, "Internal note", "Team", "2025-06", "https://example.org/s3")]
    assert [(line.text, line.cites) for line in b.statements] == [
        ("Alpha Quantum based in Denmark", [1]), ("Alpha Quantum partners with Beta Institute", [1]),
        ("Alpha Quantum works on Machine learning", [1]), ("Alpha Quantum works on Quantum machine learning", [1]),
        (f"{EVIL} partners with Alpha Quantum", [3]), ("Fund funds Alpha Quantum (2024; 1000000 EUR)", [1]),
        ("Université Côte d’Azur partners with Alpha Quantum", [2, 3])]
    assert b.marking == "INTERNAL"


def test_tables_mark_dual_use_and_list_cross_domain_links(kg):
    b = build_briefing(kg, focus(kg, "tech:q-sensing", 1))
    tables = {t.title: t for t in b.tables}
    assert tables["Use cases (dual use marked)"].rows == [
        ["Navigation without GNSS", "Quantum", "⚠ Yes", "Quantum sensing", "Works where satellites are jammed.",
         "Helps hostile navigation too.", "[1]"]]
    assert tables["Cross-domain links"].rows == [
        ["Quantum sensing", "Quantum", "converges with", "Protein design", "AI, Biotech", "[1]"]]
    assert [r[0] for r in tables["Technologies"].rows] == ["Quantum sensing", "Protein design"]
    assert tables["Key actors"].rows == [
        ["Beta Institute", "Research organisation", "United Kingdom", "Quantum sensing", "1", "[1]"]]


def test_docx_opens_with_every_citation_and_the_marking_in_header_and_footer(kg, alpha):
    files = export_files(kg, alpha, "docx", Options(stem="alpha"), marking="PUBLIC")
    assert list(files) == ["alpha.docx", "alpha-appendix.trig"]
    d = docx.Document(io.BytesIO(files["alpha.docx"]))
    sec = d.sections[0]
    assert sec.header.paragraphs[0].text == "PUBLIC" and sec.footer.paragraphs[0].text == "PUBLIC"
    text = "\n".join(p.text for p in d.paragraphs)
    cited = {int(n) for group in re.findall(r"\[([\d, –]+)\]", text) for n in re.findall(r"\d+", group)}
    refs = [p.text for p in d.paragraphs if re.match(r"\[\d+\] ", p.text)]
    assert cited == {1, 2} and len(refs) == 2
    assert refs[0] == "[1] First source. Body, 2024-11-13. primary source. https://example.org/s1"
    assert refs[1].startswith("[2] Étude <b>bold</b> \"quoted\". Presse & Cie, 2025. secondary source.")
    assert "Internal note" not in text and "Evil" not in text  # INTERNAL left out
    scope = {r.cells[0].text: r.cells[1].text for r in d.tables[0].rows}
    assert scope["Selected"] == "Alpha Quantum (orgn:alpha) and its neighbours within 1 hop"
    assert scope["Marking"] == "PUBLIC: 1 statement and 1 entity marked above PUBLIC left out"
    assert scope["Data"].startswith("newest source in the graph dated 2025-06; data version ")
    with zipfile.ZipFile(io.BytesIO(files["alpha.docx"])) as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
        assert "https://example.org/s1" in rels and "javascript:" not in rels  # only http(s) become links
        assert any(n.startswith("word/media/") for n in z.namelist())  # the figure


def test_docx_escapes_a_hostile_label(kg, alpha):
    data = export(kg, alpha, "docx")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    assert "&lt;script&gt;alert" in xml and "<script>" not in xml
    assert EVIL in "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_briefing_html_is_self_contained_and_escaped(kg, alpha):
    page = export(kg, alpha, "briefing-html").decode("utf-8")
    assert not _EXTERNAL.search(page)
    assert "<script" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;Co&#x27;" in page
    external = re.findall(r'<a href="(https?:[^"]*)"', page)
    assert external == ["https://example.org/s1", "https://example.org/s3"]  # references only, never javascript:
    assert 'href="javascript' not in page.lower()
    assert page.count('<header class="marking">INTERNAL</header>') == 1
    assert page.count('<footer class="marking">INTERNAL</footer>') == 1
    assert '<a href="#ref-2">2</a>' in page and '<li id="ref-2" value="2">' in page


def test_markdown_escapes_labels_and_ships_its_figure_and_appendix(kg, alpha):
    files = export_files(kg, alpha, "markdown", Options(stem="alpha", title="Alpha | *briefing*"))
    assert list(files) == ["alpha.md", "alpha-figure.png", "alpha-appendix.trig"]
    text = files["alpha.md"].decode("utf-8")
    assert text.startswith("**INTERNAL**\n\n# Alpha \\| \\*briefing\\*\n")
    assert "Evil &lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; 'Co' partners with Alpha Quantum \\[[3](#ref-3)\\]" in text
    assert "![Network of Alpha \\| \\*briefing\\*](alpha-figure.png)" in text
    assert "<https://example.org/s1>" in text and "<javascript" not in text
    assert files["alpha-figure.png"][:4] == b"\x89PNG"


def test_new_since_section_lists_added_and_removed_statements_with_sources(kg, alpha):
    old = parse_rdf(export(kg, alpha, "trig", marking="PUBLIC"), "last-month.trig")
    since = diff_quads(old, subgraph_quads(kg, alpha), "last-month.trig", "now")
    files = export_files(kg, alpha, "briefing-html", Options(stem="a", since=since))
    page = files["a-briefing.html"].decode("utf-8")
    assert "<h2>New since last-month.trig</h2>" in page
    assert "1 statements added, 0 removed; 1 entities added, 0 removed" in page
    assert "Evil &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;Co&#x27; partners with Alpha Quantum " \
           '[<a href="#ref-3">3</a>]' in page
    md = export(kg, restrict(kg, alpha, "PUBLIC"), "markdown",
                Options(since=diff_quads(parse_rdf(export(kg, alpha, "trig"), "old.trig"),
                                         subgraph_quads(kg, restrict(kg, alpha, "PUBLIC")), "old.trig", "now")))
    assert "### Statements removed" in md.decode() and "— per Internal note (Team, 2025-06)" in md.decode()


def test_briefing_pack_zip_holds_every_part(kg, alpha):
    data = export(kg, alpha, "pack", Options(stem="tqc"))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.namelist() == ["tqc.docx", "tqc-briefing.html", "tqc.md", "tqc-figure.png", "tqc-figure.svg",
                                "tqc-appendix.trig"]


def test_tqc_briefing_from_the_cli_on_the_bundled_data(tmp_path):
    """A new user's first briefing: the Transatlantic Quantum Community, public only."""
    out = tmp_path / "tqc.docx"
    r = subprocess.run([sys.executable, "-m", "graph", "export", "--focus", "Transatlantic Quantum Community",
                        "--hops", "1", "--marking", "PUBLIC", "-o", str(out)], capture_output=True, text=True,
                       cwd=ROOT, env={k: v for k, v in __import__("os").environ.items()
                                      if not k.startswith("CONVERGENCE_")})
    assert r.returncode == 0, r.stderr
    d = docx.Document(str(out))
    assert d.paragraphs[0].text == "Briefing: Transatlantic Quantum Community"
    text = "\n".join(p.text for p in d.paragraphs)
    assert "NATO quantum experts gather in Copenhagen for annual conference" in text
    assert "https://www.nato.int/cps/en/natohq/news_230539.htm" in text
    assert "Denmark chairs Transatlantic Quantum Community" in text
    appendix = (tmp_path / "tqc-appendix.trig").read_text(encoding="utf-8")
    assert "orgn:transatlantic-quantum-community" in appendix
