"""URLs of the `claims` API (agreement reports and exports) under /api/v1/."""

urlpatterns: list = []
