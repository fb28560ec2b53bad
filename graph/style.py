"""How entities look in every picture: colours by domain, shapes by type, with legend entries."""

from .namespaces import BASE

__all__ = ["DOMAIN_COLOURS", "MULTI_COLOUR", "NONE_COLOUR", "TYPE_SHAPES", "node_colour", "node_shape",
           "legend_entries"]

_D = BASE + "id/domain/"
#: Colour of a node in exactly one of these domains (colour-blind-safe Okabe-Ito palette).
DOMAIN_COLOURS = {
    _D + "quantum": ("#0072B2", "Quantum"),
    _D + "ai": ("#E69F00", "AI"),
    _D + "biotech": ("#009E73", "Biotech"),
}
MULTI_COLOUR = ("#CC79A7", "Cross-domain (two or more of quantum, AI, biotech)")
OTHER_COLOUR = ("#56B4E9", "Other emerging technology domain")
NONE_COLOUR = ("#9E9E9E", "No domain (countries, people, places, ...)")

#: vis-network shape for each type, with the legend's name for it.
TYPE_SHAPES = {
    "Technology": ("dot", "Technology"),
    "Domain": ("star", "Domain"),
    "UseCase": ("diamond", "Use case"),
    "Programme": ("square", "Programme / strategy / standard"),
    "Strategy": ("square", "Programme / strategy / standard"),
    "Standard": ("square", "Programme / strategy / standard"),
    "WorkStream": ("square", "Programme / strategy / standard"),
    "Event": ("triangleDown", "Event"),
    "Country": ("hexagon", "Country"),
    "Person": ("ellipse", "Person"),
    "Place": ("text", "Place"),
    "Post": ("text", "Post"),
}
ACTOR_SHAPE = ("triangle", "Organisation")


def node_colour(domains) -> tuple:
    """Return (hex colour, legend name) for a node's domains.

    >>> node_colour(["https://w3id.org/convergence-graph/id/domain/ai"])[0]
    '#E69F00'
    >>> node_colour([])[0]
    '#9E9E9E'
    """
    core = [d for d in domains if d in DOMAIN_COLOURS]
    if len(core) >= 2:
        return MULTI_COLOUR
    if len(core) == 1:
        return DOMAIN_COLOURS[core[0]]
    return OTHER_COLOUR if domains else NONE_COLOUR


def node_shape(type_name: str) -> tuple:
    """Return (vis-network shape, legend name) for a type name."""
    return TYPE_SHAPES.get(type_name, ACTOR_SHAPE)


def legend_entries(nodes) -> tuple:
    """Return the colour and shape legend entries actually used by these nodes, in a stable order."""
    colours = {node_colour(n.domains) for n in nodes}
    shapes = {node_shape(n.type) for n in nodes}
    order = list(DOMAIN_COLOURS.values()) + [MULTI_COLOUR, OTHER_COLOUR, NONE_COLOUR]
    return [c for c in order if c in colours], sorted(shapes, key=lambda s: s[1])
