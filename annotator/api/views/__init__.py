"""REST endpoints of the `annotator` API, one module a subject; `annotator/api/urls.py` routes to them."""
