"""Overview: what the graph holds, by class and by relation."""

import streamlit as st

from app_pages.state import graph

kg = graph()
st.title("Convergence Graph")
st.markdown("A knowledge graph of where **quantum**, **AI** and **biotech** meet: actors, technologies, "
            "programmes and use cases, with a cited source behind every statement. The graph viewer "
            "is coming; for now, see what the graph holds and run the named queries.")
left, right = st.columns(2)
with left:
    st.subheader("Entities by class")
    st.dataframe(kg.stats().to_dataframe(), hide_index=True, use_container_width=True)
with right:
    st.subheader("Statements by relation")
    st.dataframe(kg.run_named("relation-counts").to_dataframe(), hide_index=True, use_container_width=True)
