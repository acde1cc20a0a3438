"""Staff's synonym groups, which search uses to rewrite a query (低保 ↔ 最低生活保障)."""
from sqlalchemy import select

from backend.errors import NotFound
from backend.extensions import db
from backend.search.models import SynonymGroup


def list_synonyms(community_id: int) -> list[SynonymGroup]:
    return list(db.session.scalars(select(SynonymGroup).filter_by(community_id=community_id)
                                   .order_by(SynonymGroup.id)))


def save_synonyms(community_id: int, terms: list[str], group: SynonymGroup | None = None) -> SynonymGroup:
    group = group or SynonymGroup(community_id=community_id)
    group.terms = list(dict.fromkeys(terms))
    db.session.add(group)
    db.session.commit()
    return group


def get_synonyms(community_id: int, group_id: int) -> SynonymGroup:
    group = db.session.get(SynonymGroup, group_id)
    if group is None or group.community_id != community_id:
        raise NotFound("No such synonym group.")
    return group


def delete_synonyms(group: SynonymGroup) -> None:
    db.session.delete(group)
    db.session.commit()
