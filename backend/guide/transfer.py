"""The guide as a JSON file: export everything, import by merging (categories by name, items by title)."""
from sqlalchemy import select

from backend.extensions import db
from backend.guide.models import GuideCategory, GuideItem
from backend.guide.schemas import ExportItemSchema
from backend.guide.services import index_item, list_categories

CONTENT_FIELDS = tuple(ExportItemSchema().fields)


def export_guide(community_id: int) -> dict:
    items = list(db.session.scalars(select(GuideItem).filter_by(community_id=community_id)
                                    .order_by(GuideItem.position, GuideItem.id)))
    categories = []
    for category in list_categories(community_id, include_drafts=True):
        own = [i for i in items if i.category_id == category.id]
        categories.append({"name": category.name, "icon": category.icon,
                           "items": [{f: getattr(i, f) for f in CONTENT_FIELDS} for i in own]})
    return {"version": 1, "categories": categories}


def import_guide(community_id: int, categories: list[dict], **_) -> dict:
    """Everything in the file was validated before this runs, so it lands whole or not at all."""
    counts = dict(categories_created=0, items_created=0, items_updated=0)
    by_name = {c.name: c for c in db.session.scalars(select(GuideCategory).filter_by(community_id=community_id))}
    by_title = {i.title: i for i in db.session.scalars(select(GuideItem).filter_by(community_id=community_id))}
    next_position = max((c.position for c in by_name.values()), default=0) + 1
    for entry in categories:
        category = by_name.get(entry["name"])
        if category is None:
            category = by_name[entry["name"]] = GuideCategory(community_id=community_id, name=entry["name"],
                                                              position=next_position)
            next_position += 1
            counts["categories_created"] += 1
        category.icon = entry["icon"]
        db.session.add(category)
        db.session.flush()
        for position, content in enumerate(entry["items"], start=1):
            item = by_title.get(content["title"])
            counts["items_updated" if item else "items_created"] += 1
            item = by_title[content["title"]] = item or GuideItem(community_id=community_id)
            for name, value in content.items():
                setattr(item, name, value)
            item.category_id, item.position = category.id, position
            db.session.add(item)
            db.session.flush()
            index_item(item)
    db.session.commit()
    return counts
