"""Network pictures: a pyvis network rendered to one self-contained, escaped HTML page."""

import html
import json
from functools import lru_cache
from pathlib import Path
from string import Template

from pyvis.network import Network

from .namespaces import shorten
from .style import legend_entries, node_colour, node_shape

__all__ = ["network_html", "to_pyvis", "node_tooltip"]

_TEMPLATE = Path(__file__).parent / "templates" / "network.html"
_ICON = '<svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">{}</svg>'
_GLYPHS = {
    "dot": '<circle cx="6" cy="6" r="5" fill="#555"/>',
    "star": '<polygon points="6,0.5 7.5,4.5 11.5,4.5 8.3,7 9.5,11.5 6,8.8 2.5,11.5 3.7,7 0.5,4.5 4.5,4.5" fill="#555"/>',
    "diamond": '<polygon points="6,0.5 11.5,6 6,11.5 0.5,6" fill="#555"/>',
    "square": '<rect x="1" y="1" width="10" height="10" fill="#555"/>',
    "triangleDown": '<polygon points="0.5,1 11.5,1 6,11" fill="#555"/>',
    "hexagon": '<polygon points="3,1 9,1 11.5,6 9,11 3,11 0.5,6" fill="#555"/>',
    "ellipse": '<ellipse cx="6" cy="6" rx="5.5" ry="3.5" fill="#555"/>',
    "text": '<text x="0" y="10" font-size="10" fill="#555">Aa</text>',
    "triangle": '<polygon points="6,1 11.5,11 0.5,11" fill="#555"/>',
}


@lru_cache(maxsize=1)
def _vis_assets() -> tuple:
    """Return pyvis's bundled vis-network JavaScript and CSS (no CDN)."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), \
        (lib / "vis-network.css").read_text(encoding="utf-8")


def _script_json(value) -> str:
    """JSON safe to place inside a <script> element: no '<', '>' or '&' can end it early.

    >>> _script_json({"label": "</script><b>"})
    '{"label": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def node_tooltip(node, lang: str = "en") -> str:
    """Plain-text hover text for a node: its label and its type (shown as text, never as HTML)."""
    return f"{node.label(lang)}\n{node.type}"


def to_pyvis(sub, lang: str = "en", labels=None) -> Network:
    """Return a pyvis Network for a Subgraph: coloured by domain, shaped by type, physics that settles.

    ``labels`` maps relation IRIs to display names (defaults to the property's local name).
    """
    net = Network(height="640px", width="100%", directed=True, cdn_resources="in_line")
    for node in sub.nodes.values():
        colour, _ = node_colour(node.domains)
        shape, _ = node_shape(node.type)
        size = 12 + min(node.degree, 30) * 0.6 + (8 if node.iri == sub.focus else 0)
        net.nodes.append({"id": node.iri, "label": node.label(lang), "title": node_tooltip(node, lang),
                          "color": colour, "shape": shape, "size": round(size, 1),
                          "borderWidth": 3 if node.iri == sub.focus else 1, "font": {"size": 13}})
        net.node_ids.append(node.iri)
    for e in sub.edges:
        name = (labels or {}).get(e.predicate, e.relation)
        net.edges.append({"from": e.source, "to": e.target, "label": name, "arrows": "to",
                          "title": f"{name}\n{len(e.sources)} source(s)", "font": {"size": 9, "align": "middle"},
                          "color": {"color": "#999999"}})
    net.options.physics.use_barnes_hut({"gravity": -6000, "central_gravity": 0.3, "spring_length": 120,
                                        "spring_strength": 0.04, "damping": 0.2, "overlap": 0.1})
    return net


def _legend(sub) -> str:
    """Return the legend's HTML: every label escaped."""
    colours, shapes = legend_entries(sub.nodes.values())
    parts = [f'<span><span class="sw" style="background:{c}"></span>{html.escape(name)}</span>'
             for c, name in colours]
    parts += [f"<span>{_ICON.format(_GLYPHS.get(shape, _GLYPHS['dot']))} {html.escape(name)}</span>"
              for shape, name in shapes]
    if sub.left_out:
        parts.append(f'<span class="note">{sub.left_out} less-connected entities left out</span>')
    return "\n".join(parts)


def network_html(sub, lang: str = "en", title: str = "Convergence Graph network", height: str = "640px",
                 labels=None) -> str:
    """Return one self-contained HTML page drawing the subgraph: no external URL, every label escaped."""
    net = to_pyvis(sub, lang, labels)
    nodes, edges, _, _, _, options = net.get_network_data()
    options = json.loads(options)
    options["physics"]["stabilization"] = {"enabled": True, "iterations": 400, "fit": True}
    options["interaction"] = {"hover": True, "tooltipDelay": 120, "navigationButtons": False}
    js, css = _vis_assets()
    page = Template(_TEMPLATE.read_text(encoding="utf-8"))
    return page.substitute(lang=html.escape(lang), title=html.escape(title), height=html.escape(height),
                           vis_css=css.replace("</style", "<\\/style"), vis_js=js.replace("</script", "<\\/script"),
                           legend=_legend(sub),
                           data=_script_json({"nodes": nodes, "edges": edges, "options": options}))


def describe_iri(iri: str) -> str:
    """Short form of an IRI for captions."""
    return shorten(iri)
