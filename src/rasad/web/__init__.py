"""Review web app and REST API: a thin FastAPI layer over the store, the extractor and the exports."""
