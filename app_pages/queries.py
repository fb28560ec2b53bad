"""Named queries: pick one, fill its parameters, read and download the answer."""

import streamlit as st

from app_pages.state import graph
from graph import ConvergenceError

kg = graph()
st.title("Named queries")
names = list(kg.queries)
name = st.selectbox("Question", names, format_func=lambda n: kg.queries[n].title)
nq = kg.queries[name]
st.caption(nq.description)
values = {p.name: st.text_input(f"{p.name} ({p.type})", value=p.default or "", help=p.description)
          for p in nq.params}
try:
    result = kg.run_named(name, **values)
except ConvergenceError as exc:
    st.error(str(exc))
else:
    if result.form == "SELECT":
        st.dataframe(result.to_dataframe(), hide_index=True, use_container_width=True)
        st.download_button("Download CSV", result.serialize("csv"), f"{name}.csv", "text/csv")
        st.download_button("Download JSON", result.serialize("json"), f"{name}.json", "application/json")
    else:
        st.code(result.serialize("turtle"), language="turtle")
        st.download_button("Download Turtle", result.serialize("turtle"), f"{name}.ttl", "text/turtle")
