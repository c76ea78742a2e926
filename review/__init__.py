"""Page-only helpers of the Streamlit review page (``app.py``): the view-model that turns a
Report into tables, chart data and navigation stops. Never imported by ``analysis/``."""
