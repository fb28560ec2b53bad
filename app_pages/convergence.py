"""Convergence: how strongly quantum, AI, biotech and the other domains are linked, pair by pair."""

import streamlit as st

from app_pages.state import graph, lang
from graph.analytics import domain_matrix

kg, language = graph(), lang()
st.title("Convergence" if language == "en" else "Convergence des domaines")
st.markdown("For each pair of domains: technologies that belong to both, technologies of the two domains "
            "that sources say are combined (*convergence links*), actors working on technologies of both, "
            "programmes addressing both, and use cases spanning both. An entity counts once per pair.")


@st.cache_data(show_spinner=False)
def matrix(language):
    """The domain-pair table, cached."""
    return domain_matrix(kg, language)


table = matrix(language)
st.dataframe(table, hide_index=True, use_container_width=True)
st.download_button("Download CSV", table.to_csv(index=False).encode("utf-8-sig"), "domain-pairs.csv", "text/csv")
