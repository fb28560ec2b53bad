"""Convergence: where quantum, AI and biotech meet, measured: matrix, bridges, actors, communities, trends, countries, gaps."""

import streamlit as st

from app_pages.state import graph, lang
from graph import analytics as an

kg, language = graph(), lang()
DATA = (kg.info or {}).get("data_hash") or str(id(kg))  # cached results follow the data
HIDDEN = {c: None for c in ("entity", "partner", "source IRIs", "iri", "from IRI", "to IRI")}
TQC = "https://w3id.org/convergence-graph/id/org/transatlantic-quantum-community"

st.title("Convergence" if language == "en" else "Convergence des domaines")
st.markdown("Where quantum, AI and biotech meet, counted from the graph's sourced facts. An entity is in a domain "
            "when it is classified there (technologies, use cases, programmes) or through a fact: an actor works "
            "on a technology of the domain, a programme addresses one, a technology enables a use case. Every "
            "table lists the entities behind its numbers and downloads as CSV (with their IRIs).")
core = st.toggle("Only quantum, AI and biotech", value=True, key="core",
                 help="Off: count every emerging-technology domain in the graph (space, autonomy, ...).")


def table(df, name: str, key: str) -> None:
    """Show a table with a CSV download of all its columns."""
    st.dataframe(df, hide_index=True, width="stretch", column_config=HIDDEN)
    st.download_button(f"Download {name} (CSV)", df.to_csv(index=False).encode("utf-8-sig"), f"{key}.csv",
                       "text/csv", key=f"dl_{key}")


@st.cache_data(show_spinner="Counting cross-domain links…")
def matrix(data, language, core):
    """The domain-pair table and its heatmap form."""
    df = an.domain_matrix(kg, language)
    heat = an.heatmap_data(kg, language, core_only=core)
    if core:
        names = set(heat["domain A"])
        df = df[df["domain A"].isin(names) & df["domain B"].isin(names)].reset_index(drop=True)
    return df, heat


@st.cache_data(show_spinner=False)
def links(data, language):
    """Every cross-domain link with its reason and sources."""
    return an.cross_links(kg, language)


@st.cache_data(show_spinner="Measuring bridges…")
def bridges(data, language, core):
    """Bridges ranked by cross-domain betweenness (sampled) and participation."""
    return an.bridges(kg, language, core_only=core)


@st.cache_data(show_spinner=False)
def actors(data, language, core):
    """Actors and programmes in two or more domains."""
    return an.convergence_actors(kg, language, core_only=core)


@st.cache_data(show_spinner="Finding communities…")
def communities(data, language):
    """Louvain communities (fixed seed) and their members."""
    return an.communities(kg, language)


@st.cache_data(show_spinner=False)
def trends(data, language, core):
    """Cross-domain links per year."""
    return an.trends(kg, language, core_only=core)


@st.cache_data(show_spinner=False)
def countries(data, language):
    """Every country with facts, by label, and the Transatlantic Quantum Community's members."""
    return an.country_choices(kg, language), an.group_members(kg, TQC) if an.has_entity(kg, TQC) else []


@st.cache_data(show_spinner=False)
def compare(data, language, chosen):
    """Chosen countries side by side."""
    return an.compare_countries(kg, list(chosen), language)


@st.cache_data(show_spinner=False)
def gaps(data, language):
    """Isolated technologies and use cases; domains by number of sources."""
    return an.isolated_topics(kg, language), an.thin_domains(kg, language)


tabs = st.tabs(["Matrix", "Bridges", "Actors and programmes", "Communities", "Trends", "Countries", "Gaps"])

with tabs[0]:
    st.subheader("Domain convergence matrix")
    st.caption("For each pair of domains: technologies classified in both, convergence links (a source says a "
               "technology of one is combined with one of the other), actors working on technologies of both, "
               "programmes addressing both, use cases spanning both. Normalised: entities in both ÷ entities in "
               "either (Jaccard index).")
    df, heat = matrix(DATA, language, core)
    measure = st.radio("Colour by", ["total", "normalised"], horizontal=True, key="measure")
    st.vega_lite_chart(heat, {
        "mark": {"type": "rect", "tooltip": True},
        "encoding": {"x": {"field": "domain A", "type": "nominal", "title": None},
                     "y": {"field": "domain B", "type": "nominal", "title": None},
                     "color": {"field": measure, "type": "quantitative", "scale": {"scheme": "blues"}}},
        "layer": [{"mark": "rect"}, {"mark": {"type": "text"}, "encoding": {
            "text": {"field": measure, "type": "quantitative"}, "color": {"value": "black"}}}],
    }, width="stretch")
    table(df, "the matrix", "domain-pairs")
    pairs = [f"{a} – {b}" for a, b in zip(df["domain A"], df["domain B"])]
    if pairs:
        pick = st.selectbox("The links behind a pair", pairs, key="pair")
        a, b = pick.split(" – ", 1)
        behind = links(DATA, language)
        behind = behind[(behind["domain A"] == a) & (behind["domain B"] == b)].reset_index(drop=True)
        st.caption(f"{len(behind)} links between {a} and {b}; the reason quotes the facts, *sources* counts "
                   "the documents stating them (their IRIs are in the CSV).")
        table(behind, "the links", "pair-links")

with tabs[1]:
    st.subheader("Bridges between domains")
    ranked, info = bridges(DATA, language, core)
    st.caption(f"**Betweenness**: share of the shortest paths between technologies and use cases sharing no "
               f"domain that pass through the entity ({info['pairs']} such paths counted, from "
               f"{info['sources used']} starting entities drawn with a fixed seed; exact when every entity is "
               "used). **Participation**: 0 when all its links go to one domain, towards 1 when they spread "
               "evenly. Countries, places and posts are left out: they link almost everything.")
    table(ranked.head(100), "the bridges", "bridges")

with tabs[2]:
    st.subheader("Convergence actors and programmes")
    st.caption("Active in two or more domains; ranked by number of domains, then by the facts behind them.")
    found = actors(DATA, language, core)
    left, right = st.columns(2)
    where = left.multiselect("Countries", sorted({c for cs in found["countries"] for c in cs.split(", ") if c}),
                             key="act_countries")
    kinds = right.multiselect("Types", sorted(set(found["type"])), key="act_types")
    shown = found[(found["countries"].map(lambda cs: not where or bool(set(cs.split(", ")) & set(where))))
                  & (found["type"].isin(kinds) if kinds else True)]
    st.caption(f"{len(shown)} of {len(found)} shown")
    table(shown.reset_index(drop=True), "the actors and programmes", "convergence-actors")

with tabs[3]:
    st.subheader("Communities")
    st.caption("Clusters of actors, programmes, technologies and use cases that are more linked among "
               "themselves than with the rest (Louvain, fixed seed: the same data gives the same clusters). "
               "The domain columns count members in each domain; top members have the most links inside.")
    summary, members = communities(DATA, language)
    table(summary, "the communities", "communities")
    if len(summary):
        which = st.selectbox("Members of community", list(summary["community"]), key="community")
        table(members[members["community"] == which].reset_index(drop=True), "its members", "community-members")

with tabs[4]:
    st.subheader("Cross-domain links per year")
    by_year, undated = trends(DATA, language, core)
    st.caption(f"A link counts in the year it first held: the later of the earliest dated facts putting the "
               f"entity in each domain (qualified dates, else the source's date). {undated} links rest only on "
               "classifications and have no year.")
    if len(by_year):
        st.line_chart(by_year, x="year", y="cumulative", color="pair")
    table(by_year, "the trends", "trends")

with tabs[5]:
    st.subheader("Countries side by side")
    choices, tqc = countries(DATA, language)
    chosen = st.multiselect("Countries (the Transatlantic Quantum Community's members to start with)",
                            list(choices), default=[c for c in tqc if c in choices], format_func=choices.get,
                            key="countries")
    st.caption("Actors based in the country; programmes of the country or published by it; budgets are "
               "programme budgets summed per currency (no exchange rates); a programme in two domains counts "
               "in both. *All selected* counts each entity once.")
    if chosen:
        table(compare(DATA, language, tuple(chosen)), "the comparison", "countries")
    else:
        st.info("Pick one or more countries.")

with tabs[6]:
    st.subheader("Gaps")
    isolated, thin = gaps(DATA, language)
    st.caption("Technologies and use cases of one domain with no fact linking them to anything in another "
               "domain (countries, places and posts do not count), the most documented first.")
    table(isolated, "the isolated topics", "isolated-topics")
    st.caption("Domains by the number of sources behind the facts about their technologies, use cases and "
               "programmes; *few sources* when fewer than 5.")
    table(thin, "the domains", "domain-sources")
