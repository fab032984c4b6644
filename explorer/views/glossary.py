"""Glossary: the words the explorer uses, explained; every help icon links here."""

import streamlit as st

from euaigraph.explorer.glossary import ENTRIES

st.title("Glossary")
st.caption("The words the explorer and its questions use. Each figure's help icon links to the entry it needs.")
for entry in ENTRIES:
    st.subheader(entry.term, anchor=entry.anchor)
    st.markdown(entry.text)
