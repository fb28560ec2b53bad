"""Explore: find an entity, see its neighbourhood, read the facts and their sources, follow paths."""

import streamlit as st

from app_pages.export_panel import export_panel
from app_pages.state import (T, data_version, graph, label_index, lang, link, md, options, remember, url_list,
                              url_value)
from graph import ConvergenceError
from graph.analytics import path_subgraph, paths
from graph.entity import describe_entity, sources_info
from graph.subgraph import explore
from graph.viz import network_html

kg, index, language = graph(), label_index(), lang()
opts = options(language)
st.title(T("explore", language))


@st.cache_data(show_spinner=False, max_entries=64)
def view(center, hops, cap, types, domains, countries, relations, date_from, date_to, expanded, language, version):
    """The Explore subgraph and its network page."""
    sub = explore(kg, center, hops, expanded, cap, types=types, domains=domains, countries=countries,
                  relations=relations, date_from=date_from or None, date_to=date_to or None)
    return sub, network_html(sub, language, title=sub.nodes[center].label(language))


# ------------------------------------------------------------------ search and focus
query = st.text_input(T("search", language), value=url_value("q", ""), key="q", type="search", live=True,
                      placeholder="e.g. Transatlantic Quantum Community, protéines, quantum sensing")
hits = index.search(query, 20, language) if query else []
if query and not hits:
    st.info("No match. Check the spelling or try another name (English or French).")
if hits:
    picked = st.selectbox(T("results", language), [h.iri for h in hits], index=None,
                          format_func=lambda i: f"{index.label(i, language)} — {index.type(i)}", key="pick")
    if picked and picked != url_value("focus"):
        remember(focus=picked, q=query, expand=[])
        st.rerun()

center = url_value("focus")
if center and center not in index._display:
    st.error(f"The link names an entity that is not in the graph: {md(center)}")
    center = None

with st.sidebar:
    hops = st.slider(T("hops", language), 1, 3, int(url_value("hops", 1)), key="hops")
    cap = st.number_input(T("cap", language), 10, 2000, int(url_value("cap", 150)), step=10, key="cap")
    with st.expander(T("filters", language), expanded=bool(url_list("type") or url_list("domain")
                                                            or url_list("country") or url_list("rel"))):
        types = st.multiselect(T("types", language), opts["types"],
                               [t for t in url_list("type") if t in opts["types"]], key="types")
        domains = st.multiselect(T("domains", language), list(opts["domains"]),
                                 [d for d in url_list("domain") if d in opts["domains"]],
                                 format_func=opts["domains"].get, key="domains")
        countries = st.multiselect(T("countries", language), list(opts["countries"]),
                                   [c for c in url_list("country") if c in opts["countries"]],
                                   format_func=opts["countries"].get, key="countries")
        relations = st.multiselect(T("relations", language), list(opts["relations"]),
                                   [r for r in url_list("rel") if r in opts["relations"]],
                                   format_func=opts["relations"].get, key="relations")
        date_from = st.text_input(T("from", language), url_value("from", ""), key="from").strip()
        date_to = st.text_input(T("to", language), url_value("to", ""), key="to").strip()
remember(hops=hops if hops != 1 else None, cap=cap if cap != 150 else None, type=types, domain=domains,
         country=countries, rel=relations, **{"from": date_from, "to": date_to})

if not center:
    st.info(T("start", language))
    st.stop()

expanded = [e for e in url_list("expand") if e in index._display]
try:
    sub, page = view(center, hops, cap, tuple(types), tuple(domains), tuple(countries), tuple(relations),
                     date_from, date_to, tuple(expanded), language, data_version())
except ConvergenceError as exc:
    st.error(str(exc))
    st.stop()

# ------------------------------------------------------------------ the network
st.subheader(md(sub.nodes[center].label(language)))
st.caption(T("shown", language, n=len(sub.nodes), e=len(sub.edges))
           + (" · " + T("left_out", language, n=sub.left_out) if sub.left_out else ""))
st.iframe(page, height=720)
st.download_button(T("download_html", language), page, file_name="convergence-network.html", mime="text/html")
export_panel(kg, sub, language)

# ------------------------------------------------------------------ details of one node
st.subheader(T("details", language))
shown = sorted(sub.nodes, key=lambda i: (i != center, sub.nodes[i].label(language).lower()))
chosen = st.selectbox(T("entity", language), shown, format_func=lambda i: sub.nodes[i].label(language),
                      key="chosen")
info = describe_entity(kg, chosen, language)
st.markdown(f"**{md(info.label)}** · {md(', '.join(info.types))}")
if info.description:
    st.markdown(md(info.description))
if info.alt_labels:
    st.caption("Also: " + md("; ".join(info.alt_labels)))
left, right = st.columns(2)
if left.button(T("make_focus", language), disabled=chosen == center):
    remember(focus=chosen, expand=[])
    st.rerun()
if right.button(T("expand", language), disabled=chosen == center or chosen in expanded):
    remember(expand=expanded + [chosen])
    st.rerun()
st.markdown(f"**{T('facts', language)}**")
for fact in info.facts:
    arrow = "→" if fact.direction == "out" else "←"
    cites = "; ".join(f"{link(s.title, s.url)} ({md(s.publisher)}{', ' + md(s.issued) if s.issued else ''}, "
                      f"{md(s.kind.lower())})" for s in fact.sources)
    st.markdown(f"- {arrow} *{md(fact.relation)}* **{md(fact.other_label)}** — {cites}")

# ------------------------------------------------------------------ path mode
st.subheader(T("path", language))
target_text = st.text_input(T("path_to", language), url_value("to_q", ""), key="to_q", type="search", live=True)
target_hits = index.search(target_text, 20, language) if target_text else []
target = None
if target_hits:
    target = st.selectbox(T("results", language), [h.iri for h in target_hits], key="target",
                          format_func=lambda i: f"{index.label(i, language)} — {index.type(i)}")
    remember(to_q=target_text)
if target:
    try:
        found = paths(kg, center, target, k=3)
    except ConvergenceError as exc:
        st.error(str(exc))
        found = []
    if not found:
        st.info(T("no_path", language))
    else:
        psub, srcs = path_subgraph(kg, found, language), sources_info(kg)
        for n, p in enumerate(found, 1):
            st.markdown(f"**{n}.** " + " → ".join(md(psub.nodes[x].label(language)) for x in p.nodes))
            for step in p.steps:
                for e in step:
                    cites = "; ".join(link(srcs[s].title, srcs[s].url) for s in e.sources if s in srcs)
                    st.markdown(f"  - {md(psub.nodes[e.source].label(language))} *{md(e.relation)}* "
                                f"{md(psub.nodes[e.target].label(language))} — {cites}")
        st.iframe(network_html(psub, language, title="Paths"), height=520)
