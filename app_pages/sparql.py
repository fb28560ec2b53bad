"""SPARQL: the named queries with their parameters as a form, or your own query, with a time limit."""

import streamlit as st

from app_pages.export_panel import export_panel
from app_pages.state import graph, guard, lang, md
from graph import ConvergenceError
from graph.sparql import bind_values
from graph.subgraph import entities_in, from_construct, from_entities
from graph.viz import network_html

kg, language = graph(), lang()
st.title("SPARQL")
st.markdown("Pick a named query (its parameters become fields) or write your own. The project's prefixes "
            "(`cg:`, `orgn:`, `tech:`, `country:`, `skos:`, ...) are predeclared; the default graph is the "
            "union of all sources, and `GRAPH ?source { ... }` tells who says what. A query running past the "
            "time limit is stopped.")

OWN = "(your own query)"
names = [OWN] + list(kg.queries)
name = st.selectbox("Query", names, index=1, key="named",
                    format_func=lambda n: n if n == OWN else f"{kg.queries[n].title}  ({n})")
values = {}
if name != OWN:
    nq = kg.queries[name]
    st.caption(md(nq.description))
    for p in nq.params:
        label = f"{p.name} — {p.description}"
        if p.type == "boolean":
            values[p.name] = str(st.checkbox(label, value=(p.default or "").lower() == "true", key=f"p_{name}_{p.name}"))
        else:
            values[p.name] = st.text_input(f"{label} ({p.type}; 'any' for all)" if p.default == "any" else
                                           f"{label} ({p.type})", value=p.default or "", key=f"p_{name}_{p.name}")
    default_text = nq.sparql
else:
    default_text = "SELECT ?entity ?label WHERE {\n  ?entity a cg:Company ; skos:prefLabel ?label .\n}\nLIMIT 50"
text = st.text_area("SPARQL", value=default_text, height=260, key=f"text_{name}")
limit = st.slider("Time limit (seconds)", 1, 60, 10, key="limit")
if not st.button("Run", type="primary", key="run"):
    st.stop()

try:
    bindings = kg.queries[name].bindings(values) if name != OWN else {}
    with st.spinner("Running…"):
        result, truncated = guard().run(text, timeout=limit, **bindings)
except ConvergenceError as exc:
    st.error(str(exc))
    st.stop()

st.caption(f"{len(result)} {'rows' if result.form == 'SELECT' else 'statements'}"
           + (f" (cut at {guard().max_rows})" if truncated else "") + f" in {result.elapsed:.2f} s")
base = name if name != OWN else "query"
if result.form == "ASK":
    st.success("yes" if result.boolean else "no")
elif result.form == "SELECT":
    st.dataframe(result.to_dataframe(), hide_index=True, width="stretch")
    st.download_button("Download CSV", result.serialize("csv").encode("utf-8-sig"), f"{base}.csv", "text/csv")
    st.download_button("Download JSON", result.serialize("json"), f"{base}.json", "application/sparql-results+json")
    named = entities_in(result)
    if named:
        try:
            export_panel(kg, from_entities(kg, named), language)
        except ConvergenceError as exc:
            st.sidebar.caption(f"No export: {exc}")
else:
    st.dataframe(result.to_dataframe(), hide_index=True, width="stretch")
    st.download_button("Download Turtle", result.serialize("turtle"), f"{base}.ttl", "text/turtle")
    st.download_button("Download JSON", result.serialize("json"), f"{base}.json", "application/json")
    try:
        sub = from_construct(kg, bind_values(text, bindings), cap=300)
        if sub.nodes:
            st.iframe(network_html(sub, language, title=base), height=560)
            export_panel(kg, sub, language)
    except ConvergenceError as exc:
        st.caption(f"No graph view: {exc}")
