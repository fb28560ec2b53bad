"""Pictures of a subgraph: the interactive offline HTML network, and a static PNG or SVG figure with a legend.

The static figure is drawn with matplotlib's object API on the Agg canvas (no pyplot, no display),
A4 landscape so it prints readably, coloured and shaped like the viewer (graph.style).
"""

import io
import textwrap

import networkx as nx

from ..style import legend_entries, node_colour, node_shape

__all__ = ["html", "png", "svg", "figure", "MARKERS"]

#: matplotlib marker for each vis-network shape of graph.style.
MARKERS = {"dot": "o", "star": "*", "diamond": "D", "square": "s", "triangleDown": "v", "hexagon": "h",
           "ellipse": "8", "text": "P", "triangle": "^"}

#: Most nodes labelled on the static figure; beyond it only the best connected are.
MAX_LABELS = 40


def _title(sub, options, lang) -> str:
    if options is not None and options.title:
        return options.title
    if sub.focus and sub.focus in sub.nodes:
        return sub.nodes[sub.focus].label(lang)
    return "Convergence Graph subgraph"


def html(kg, sub, options=None) -> bytes:
    """The interactive network (graph.viz.network_html): one self-contained file, every label escaped."""
    from ..entity import relation_labels
    from ..viz import network_html

    lang = getattr(options, "lang", "en")
    return network_html(sub, lang, title=_title(sub, options, lang), labels=relation_labels(kg, lang)).encode("utf-8")


def _plain(text: str) -> str:
    """Text for matplotlib: '$' would start mathematics, so it is escaped."""
    return str(text).replace("\\", "\\\\").replace("$", r"\$")


def _layout(sub) -> dict:
    """A seeded spring layout of the undirected subgraph, so the same selection draws the same picture."""
    g = nx.Graph()
    g.add_nodes_from(sorted(sub.nodes))
    g.add_edges_from((e.source, e.target) for e in sub.edges)
    if len(g) == 0:
        return {}
    k = 1.6 / max(len(g), 1) ** 0.5
    return nx.spring_layout(g, seed=7, k=k, iterations=200)


def figure(kg, sub, lang: str = "en", title: str = "", marking: str | None = None):
    """Return a matplotlib Figure of the subgraph: nodes by domain colour and type shape, legend, marking."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from ..entity import relation_labels

    fig = Figure(figsize=(11.69, 8.27))  # A4 landscape
    ax = fig.add_axes((0.02, 0.06, 0.70, 0.84))
    ax.set_axis_off()
    pos = _layout(sub)
    names = relation_labels(kg, lang)
    for e in sub.edges:
        (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
        ax.annotate("", xy=(x2, y2), xytext=(x1, y1),
                    arrowprops={"arrowstyle": "-|>", "color": "#8a8a8a", "lw": 0.7, "shrinkA": 7, "shrinkB": 7,
                                "mutation_scale": 8})
        if len(sub.edges) <= 40:
            ax.text((x1 + x2) / 2, (y1 + y2) / 2, _plain(names.get(e.predicate, e.relation)), fontsize=5.5,
                    color="#555555", ha="center", va="center",
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7})
    ranked = sorted(sub.nodes.values(), key=lambda n: (n.iri != sub.focus, -n.degree, n.label(lang).lower()))
    labelled = {n.iri for n in ranked[:MAX_LABELS]}
    for n in sorted(sub.nodes.values(), key=lambda n: n.iri):
        x, y = pos[n.iri]
        colour, _ = node_colour(n.domains)
        shape, _ = node_shape(n.type)
        size = 90 + min(n.degree, 30) * 12 + (90 if n.iri == sub.focus else 0)
        ax.scatter([x], [y], s=size, c=colour, marker=MARKERS.get(shape, "o"), zorder=3,
                   edgecolors="black" if n.iri == sub.focus else "white", linewidths=1.2)
        if n.iri in labelled:
            name = n.label(lang)
            name = name if len(name) <= 32 else name[:31].rstrip() + "…"
            ax.text(x, y - 0.045, _plain(name), fontsize=7, ha="center", va="top", zorder=4,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})
    ax.margins(0.14, 0.06)  # room for the labels of nodes at the edge
    colours, shapes = legend_entries(sub.nodes.values())
    wrap = lambda text: textwrap.fill(_plain(text), 32)  # noqa: E731
    handles = [Patch(facecolor=c, edgecolor="none", label=wrap(name)) for c, name in colours]
    handles += [Line2D([], [], linestyle="none", marker=MARKERS.get(s, "o"), markersize=8, color="#444444",
                       label=wrap(name)) for s, name in shapes]
    if handles:
        fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.73, 0.90), fontsize=8.5, frameon=False,
                   title="Colour: domain · shape: kind", title_fontsize=9, alignment="left")
    fig.text(0.02, 0.955, _plain(title), fontsize=14, weight="bold", ha="left", va="top")
    note = f"{len(sub.nodes)} entities, {len(sub.edges)} sourced statements"
    if sub.left_out:
        note += f"; {sub.left_out} less-connected entities left out"
    if len(sub.nodes) > MAX_LABELS:
        note += f"; the {MAX_LABELS} best-connected are labelled"
    fig.text(0.02, 0.915, _plain(note), fontsize=8.5, color="#444444", ha="left", va="top")
    if marking:
        for y, va in ((0.99, "top"), (0.01, "bottom")):
            fig.text(0.5, y, _plain(marking), fontsize=10, weight="bold", ha="center", va=va)
    return fig


def _marking_of(kg, sub):
    from ..markings import highest, limit_of

    limit = limit_of(kg, sub)
    return limit.name if limit else highest(kg, sub).name


def render(kg, sub, fmt: str, lang: str = "en", title: str = "", marking: str | None = None) -> bytes:
    """Return the figure as PNG (200 dpi) or SVG bytes, with no date inside so runs compare equal."""
    import matplotlib

    fig = figure(kg, sub, lang, title, marking)
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "convergence-graph", "svg.fonttype": "none"}):
        if fmt == "png":
            fig.savefig(buf, format="png", dpi=200, metadata={"Software": None})
        else:
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


def png(kg, sub, options=None) -> bytes:
    """Static PNG figure with legend and the marking at top and bottom."""
    lang = getattr(options, "lang", "en")
    return render(kg, sub, "png", lang, _title(sub, options, lang), _marking_of(kg, sub))


def svg(kg, sub, options=None) -> bytes:
    """Static SVG figure (text kept as text, escaped), legend and marking."""
    lang = getattr(options, "lang", "en")
    return render(kg, sub, "svg", lang, _title(sub, options, lang), _marking_of(kg, sub))
