"""Convergence analytics: the networkx projection of the graph and what is measured on it.

One projection (graph.analytics.projection) is built from the store once per data and cached; every
measure below is computed from it, cached too, and comes back as a pandas DataFrame whose rows name
the entities (IRIs) and facts behind each number:

- ``domain_matrix``, ``heatmap_data``, ``cross_links``: cross-domain links per pair of domains;
- ``bridges``: entities ranked by cross-domain betweenness and participation, with the reason;
- ``convergence_actors``: actors and programmes in two or more domains, by country and type;
- ``communities``: Louvain clusters with their domain mix and top members;
- ``paths``, ``path_subgraph``, ``paths_table``: the k shortest meaningful paths, each step cited;
- ``trends``: cross-domain links per year;
- ``compare_countries``, ``group_members``: countries side by side;
- ``isolated_topics``, ``thin_domains``: gaps.

Speed (benchmarks/analytics_speed.py): everything above takes about 16 s of CPU on the generated
1M-statement graph from a cold start, and no time once cached (each call gets its own copy of the
cached DataFrames). Bridges (sampled Brandes betweenness) and communities (Louvain) run in C through
igraph; they are also kept on disk, so a second command-line run skips them.
"""

from .bridges import bridges, convergence_actors, cross_domain_betweenness, participation
from .communities import communities
from .countries import compare_countries, country_choices, group_members
from .gaps import isolated_topics, thin_domains
from .links import KINDS, cross_links, domain_matrix, heatmap_data, trends
from .paths import Path, path_subgraph, paths, paths_table
from .projection import domain_labels, entity_graph, entity_igraph, has_entity, projection

__all__ = ["projection", "entity_graph", "entity_igraph", "domain_labels", "paths", "Path", "path_subgraph", "paths_table",
           "domain_matrix", "heatmap_data", "cross_links", "trends", "KINDS", "bridges", "convergence_actors",
           "cross_domain_betweenness", "participation", "communities", "compare_countries", "country_choices", "group_members", "has_entity",
           "isolated_topics", "thin_domains"]
