"""The Streamlit explorer. Only this package imports streamlit and pyvis."""
