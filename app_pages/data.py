"""Data: what the graph holds, whether it is valid, and the sources it rests on."""

import streamlit as st

from app_pages.state import data_version, graph, lang
from app_pages.upload_panel import upload_panel
from graph.validate import validate

kg, language = graph(), lang()
st.title("Data" if language == "en" else "Données")
info = kg.info or {}
if info.get("built"):
    st.caption(f"Built {info['built']} from {len(info.get('files', []))} files · {info.get('quads', len(kg))} statements")


@st.cache_data(show_spinner="Validating…")
def report_rows(version):
    """The validation report as rows (cached)."""
    report = validate(kg.store)
    return [{"where": v.where or "", "entity": v.focus_short, "problem": v.message, "check": v.check}
            for v in report.violations], len(report.checks)


left, right = st.columns(2)
with left:
    st.subheader("Entities by class")
    st.dataframe(kg.stats().to_dataframe(), hide_index=True, width="stretch")
with right:
    st.subheader("Statements by relation")
    st.dataframe(kg.run_named("relation-counts").to_dataframe(), hide_index=True, width="stretch")

st.subheader("Validation")
rows, checks = report_rows(data_version())
if rows:
    st.error(f"{len(rows)} violation(s) from {checks} checks")
    st.dataframe(rows, hide_index=True, width="stretch")
else:
    st.success(f"0 violations from {checks} checks (SHACL shapes and violation queries)")

st.subheader("Sources")
sources = kg.run_named("sources").to_dataframe()
kinds = sources["kindLabel"].value_counts().to_dict() if len(sources) else {}
st.caption(f"{len(sources)} sources: " + ", ".join(f"{n} {k.lower()}" for k, n in sorted(kinds.items())))
st.dataframe(sources, hide_index=True, width="stretch",
             column_config={"url": st.column_config.LinkColumn("url"), "source": None})
st.download_button("Download sources (CSV)", sources.to_csv(index=False).encode("utf-8-sig"), "sources.csv", "text/csv")
upload_panel()
