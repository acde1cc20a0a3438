"""Search shared by the domains: index a row's fields (title > tags > body), query for ranked hits."""
from backend.search.routes import blp
from backend.search.services import index, ranked_ids, remove, search, suggest

__all__ = ["blp", "index", "ranked_ids", "remove", "search", "suggest"]
