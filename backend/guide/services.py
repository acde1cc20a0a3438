"""The guide's rules: who sees drafts, ordering, publishing, feedback, and keeping search in step."""
from sqlalchemy import case, func, select

from backend import search
from backend.accounts.models import Membership
from backend.common.db import upsert
from backend.errors import Conflict, NotFound, invalid
from backend.extensions import db
from backend.facilities.models import Facility
from backend.guide.models import GuideCategory, GuideFeedback, GuideItem
from backend.places.services import get_in_community

KIND = "guide"
MAX_ALIASES = 10  # as in ItemArgsSchema


def list_categories(community_id: int, include_drafts: bool = False) -> list[GuideCategory]:
    counted = select(GuideItem.category_id, func.count().label("n")).filter_by(community_id=community_id)
    if not include_drafts:
        counted = counted.filter_by(published=True)
    counts = dict(db.session.execute(counted.group_by(GuideItem.category_id)).all())
    stmt = select(GuideCategory).filter_by(community_id=community_id).order_by(GuideCategory.position,
                                                                               GuideCategory.id)
    categories = list(db.session.scalars(stmt))
    for category in categories:
        category.item_count = counts.get(category.id, 0)
    return categories


def save_category(community_id: int, name: str, icon: str, category: GuideCategory | None = None):
    if category is None:
        last = db.session.scalar(select(func.max(GuideCategory.position)).filter_by(community_id=community_id))
        category = GuideCategory(community_id=community_id, position=(last or 0) + 1)
    category.name, category.icon = name, icon
    db.session.add(category)
    db.session.commit()
    category.item_count = _count(GuideItem.category_id == category.id)
    return category


def _count(*conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(GuideItem).where(*conditions))


def delete_category(category: GuideCategory) -> None:
    if _count(GuideItem.category_id == category.id):
        raise Conflict("The category still has items; move or remove them first.", "category_not_empty")
    db.session.delete(category)
    db.session.commit()


def _reorder(rows: list, ids: list[int]) -> None:
    if sorted(ids) != sorted(r.id for r in rows) or len(set(ids)) != len(ids):
        raise invalid("ids", "Give every id exactly once.")
    position = {row_id: n for n, row_id in enumerate(ids, start=1)}
    for row in rows:
        row.position = position[row.id]
    db.session.commit()


def reorder_categories(community_id: int, ids: list[int]) -> list[GuideCategory]:
    _reorder(list(db.session.scalars(select(GuideCategory).filter_by(community_id=community_id))), ids)
    return list_categories(community_id, include_drafts=True)


def reorder_items(category: GuideCategory, ids: list[int]) -> list[GuideItem]:
    _reorder(list(db.session.scalars(select(GuideItem).filter_by(category_id=category.id))), ids)
    return list_items(category.community_id, category.id, "all")


def list_items(community_id: int, category_id: int | None = None, status: str = "published"):
    stmt = select(GuideItem).filter_by(community_id=community_id)
    if category_id is not None:
        stmt = stmt.filter_by(category_id=category_id)
    if status != "all":
        stmt = stmt.filter_by(published=status == "published")
    items = list(db.session.scalars(stmt.join(GuideItem.category).order_by(
        GuideCategory.position, GuideItem.position, GuideItem.id)))
    counts = _helpful_by_item([item.id for item in items])
    for item in items:
        item.helpful_yes, item.helpful_no = counts.get(item.id, (0, 0))
    return items


def get_item(community_id: int, item_id: int, include_drafts: bool = False) -> GuideItem:
    item = get_in_community(GuideItem, community_id, item_id)
    if not item.published and not include_drafts:
        raise NotFound("No such guide item.")
    item.helpful_yes, item.helpful_no = _helpful_counts(item.id)
    return item


_YES = func.coalesce(func.sum(case((GuideFeedback.helpful.is_(True), 1), else_=0)), 0)


def _helpful_counts(item_id: int) -> tuple[int, int]:
    yes, total = db.session.execute(select(_YES, func.count()).filter_by(item_id=item_id)).one()
    return int(yes), int(total) - int(yes)


def _helpful_by_item(item_ids: list[int]) -> dict[int, tuple[int, int]]:
    rows = db.session.execute(select(GuideFeedback.item_id, _YES, func.count())
                              .where(GuideFeedback.item_id.in_(item_ids)).group_by(GuideFeedback.item_id))
    return {item_id: (int(yes), int(total) - int(yes)) for item_id, yes, total in rows}


def index_item(item: GuideItem) -> None:
    body = [item.summary, item.audience, *(m["name"] for m in item.materials), *item.steps, item.office,
            item.fee, item.instead, item.legal_basis]
    search.index(item.community_id, KIND, item.id, title=item.title, tags=[*item.tags, *item.aliases],
                 body=body, visible=item.published)


def _check_links(community_id: int, fields: dict) -> None:
    get_in_community(GuideCategory, community_id, fields["category_id"], "category_id")
    if fields.get("facility_id") is not None:
        get_in_community(Facility, community_id, fields["facility_id"], "facility_id")
    if (user_id := fields.get("contact_user_id")) is not None and not db.session.scalar(
            select(Membership.id).filter_by(community_id=community_id, user_id=user_id, role="staff")):
        raise invalid("contact_user_id", "Not staff of this community.")


def save_item(community_id: int, item: GuideItem | None = None, **fields) -> GuideItem:
    _check_links(community_id, fields)
    if item is None or item.category_id != fields["category_id"]:
        last = db.session.scalar(select(func.max(GuideItem.position)).filter_by(category_id=fields["category_id"]))
        fields["position"] = (last or 0) + 1
    item = item or GuideItem(community_id=community_id)
    for name, value in fields.items():
        setattr(item, name, value)
    db.session.add(item)
    db.session.flush()
    index_item(item)
    db.session.commit()
    return get_item(community_id, item.id, include_drafts=True)


def set_published(item: GuideItem, published: bool) -> GuideItem:
    item.published = published
    index_item(item)
    db.session.commit()
    return get_item(item.community_id, item.id, include_drafts=True)


def delete_item(item: GuideItem) -> None:
    search.remove(item.community_id, KIND, item.id)
    db.session.delete(item)
    db.session.commit()


def give_feedback(item: GuideItem, user_id: int, helpful: bool, comment: str) -> GuideItem:
    # One statement: the same answer sent twice at once updates one row instead of colliding on it.
    stmt = upsert(GuideFeedback).values(community_id=item.community_id, item_id=item.id, user_id=user_id,
                                        helpful=helpful, comment=comment)
    db.session.execute(stmt.on_conflict_do_update(index_elements=["item_id", "user_id"],
                                                  set_={"helpful": helpful, "comment": comment}))
    db.session.commit()
    return get_item(item.community_id, item.id)


def feedback_summary(item: GuideItem) -> dict:
    yes, no = _helpful_counts(item.id)
    comments = db.session.scalars(select(GuideFeedback).filter_by(item_id=item.id)
                                  .where(GuideFeedback.comment != "").order_by(GuideFeedback.id.desc()))
    return {"helpful_yes": yes, "helpful_no": no, "comments": list(comments)}


def add_alias(item: GuideItem, alias: str) -> GuideItem:
    """One more name residents use for an item (from the searches that found nothing), searchable at once."""
    if alias not in item.aliases:
        if len(item.aliases) >= MAX_ALIASES:
            raise Conflict("The item has as many aliases as it may; remove one first.", "aliases_full")
        item.aliases = [*item.aliases, alias]
        index_item(item)
    db.session.commit()
    return item
