"""The Streamlit viewer: a router over the pages in app_pages/."""

import streamlit as st

st.set_page_config(page_title="Convergence Graph", layout="wide")
nav = st.navigation([
    st.Page("app_pages/explore.py", title="Explore", default=True),
    st.Page("app_pages/convergence.py", title="Convergence", url_path="convergence"),
    st.Page("app_pages/sparql.py", title="SPARQL", url_path="sparql"),
    st.Page("app_pages/data.py", title="Data", url_path="data"),
])
nav.run()
