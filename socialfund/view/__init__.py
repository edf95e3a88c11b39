"""view: what a person sees, as data: plotly figure builders (``charts``), the PNG share
card (``cards``), the one colour palette (``palette``) and every UI string in Chinese and
English (``i18n``). No Streamlit."""
