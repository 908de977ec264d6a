"""Work-Plan Pulse analytics: everything that is not Streamlit.

Why: the dashboard, the CLI, the exports and the tests must compute the same
numbers from the same code. This package holds the store (DuckDB + SQL), ingest,
metrics, charts, exports and the CLI; it never imports streamlit (a test checks).
Pages in `pages/` only read widgets, call into here, and render.
"""

__version__ = "0.1.0"
