"""Shared, cached access to the graph for every page."""

import streamlit as st

from graph import open_graph


@st.cache_resource(show_spinner="Loading the graph…")
def graph():
    """Open the graph once per server: CONVERGENCE_STORE if set, else the bundled data in memory."""
    return open_graph()
