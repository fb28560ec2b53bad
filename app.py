"""The Streamlit viewer: a router over the pages in app_pages/."""

import streamlit as st

st.set_page_config(page_title="Convergence Graph", page_icon=None, layout="wide")
nav = st.navigation([
    st.Page("app_pages/overview.py", title="Overview", default=True),
    st.Page("app_pages/queries.py", title="Named queries"),
])
nav.run()
