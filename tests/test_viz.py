"""Network pictures: self-contained, escaped, coloured by domain and shaped by type."""

import json
import re
from pathlib import Path

import pytest

from graph import open_graph
from graph.subgraph import focus
from graph.viz import network_html

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"


@pytest.fixture(scope="module")
def hostile():
    return open_graph(data_dir=HOSTILE)


def _data(page: str) -> dict:
    """The JSON object the page hands to vis-network."""
    m = re.search(r"var data = (\{.*?\});\n", page, re.S)
    return json.loads(m.group(1))


def test_hostile_labels_never_reach_the_page_as_markup(hostile):
    page = network_html(focus(hostile, "orgn:evil"), title="<title>x</title>")
    assert "<img src=x" not in page
    assert "<script>alert" not in page
    assert "<svg onload" not in page
    assert page.count("</script>") == 2  # only the two script elements close; no label ends one
    assert "&lt;title&gt;x&lt;/title&gt;" in page
    labels = sorted(n["label"] for n in _data(page)["nodes"])
    assert labels == ["</script><script>alert('t')</script>", "<img src=x onerror=alert(1)>"]


def test_tooltips_are_text_nodes_not_html(hostile):
    page = network_html(focus(hostile, "orgn:evil"))
    assert "innerHTML" not in page
    assert "textContent = s" in page


def test_no_external_resources(mini):
    page = network_html(focus(mini, "orgn:alpha", hops=2))
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page)
    assert "Content-Security-Policy" in page


def test_colours_shapes_and_legend(mini):
    sub = focus(mini, "orgn:alpha", hops=1)
    nodes = {n["id"].rsplit("/", 1)[-1]: n for n in _data(network_html(sub))["nodes"]}
    assert nodes["qml"]["color"] == "#CC79A7"        # quantum + AI: cross-domain
    assert nodes["ml"]["color"] == "#E69F00"         # AI
    assert nodes["dk"]["shape"] == "hexagon"         # country
    assert nodes["alpha"]["shape"] == "triangle"     # organisation
    assert nodes["alpha"]["borderWidth"] == 3        # the focus stands out
    page = network_html(sub)
    assert "Cross-domain" in page and "AI" in page and "Country" in page


def test_cap_keeps_focus_and_most_connected(mini):
    sub = focus(mini, "country:dk", hops=2, cap=3)
    assert "https://w3id.org/convergence-graph/id/country/dk" in sub.nodes
    assert len(sub.nodes) == 3 and sub.left_out > 0
    assert f"{sub.left_out} less-connected entities left out" in network_html(sub)
