"""Notices: drafting, publishing (now or scheduled), withdrawing, and residents reading them."""
import html
import re
from datetime import datetime, timedelta

import nh3
from sqlalchemy import func, select, update

from backend import search
from backend.common.models import utcnow
from backend.errors import Conflict, NotFound, invalid
from backend.extensions import db
from backend.notices import audience as audiences
from backend.notices import fanout, sms
from backend.notices.models import Notice
from backend.places.models import Community
from backend.push import services as push
from backend.push.services import reach as push_reach

TAGS = {"p", "br", "strong", "b", "em", "i", "u", "s", "h2", "h3", "h4", "ul", "ol", "li", "blockquote",
        "a", "img", "hr", "span", "table", "thead", "tbody", "tr", "th", "td"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}
CONTENT_FIELDS = {"title", "body", "pinned", "expires_at"}  # may still be corrected once published
SEARCH_KIND = "notice"
PUSH_TTL_DEFAULT = 3 * 24 * 3600
PUSH_TTL_MAX = 28 * 24 * 3600


def sanitize(body: str) -> str:
    return nh3.clean(body, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto", "tel"},
                     link_rel="noopener noreferrer")


def plain_text(body_html: str) -> str:
    spaced = re.sub(r"<(br|hr|/p|/li|/h\d|/tr|/blockquote)\b[^>]*>", " ", body_html)
    return re.sub(r"\s+", " ", html.unescape(nh3.clean(spaced, tags=set()))).strip()


def summarize(body_html: str, length: int = 140) -> str:
    text = plain_text(body_html)
    return text if len(text) <= length else text[:length - 1] + "…"


def _index(notice: Notice) -> None:
    """Published notices are searchable (by their readers only: see search_for_reader)."""
    if notice.status == "published":
        search.index(notice.community_id, SEARCH_KIND, notice.id, title=notice.title,
                     body=[plain_text(notice.body_html)])
    else:
        search.remove(notice.community_id, SEARCH_KIND, notice.id)


def get_notice(community_id: int, notice_id: int) -> Notice:
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.community_id != community_id:
        raise NotFound("No such notice.")
    return notice


def _apply(notice: Notice, fields: dict) -> None:
    if "body" in fields:
        notice.body_html = sanitize(fields.pop("body"))
        notice.summary = summarize(notice.body_html, 300)
    if "audience" in fields:
        fields["audience"] = audiences.check(notice.community_id, fields["audience"])
    for name, value in fields.items():
        setattr(notice, name, value)
    if notice.expires_at and notice.expires_at <= (notice.publish_at or utcnow()):
        raise invalid("expires_at", "Must be after the notice is published.")


def create_notice(community_id: int, author, **fields) -> Notice:
    notice = Notice(community_id=community_id, author_id=author.id, status="draft")
    _apply(notice, fields)
    db.session.add(notice)
    db.session.commit()
    return notice


def update_notice(notice: Notice, **fields) -> Notice:
    if notice.status == "withdrawn":
        raise Conflict("A withdrawn notice cannot be edited.", "notice_withdrawn")
    if notice.status == "published" and (locked := sorted(set(fields) - CONTENT_FIELDS)):
        raise Conflict(f"Already published; only the wording, pin and expiry can change, not {locked}.",
                       "notice_published")
    _apply(notice, fields)
    _index(notice)
    db.session.commit()
    return notice


def delete_notice(notice: Notice) -> None:
    if notice.status not in ("draft", "scheduled"):
        raise Conflict("Only drafts and scheduled notices can be deleted; withdraw it instead.", "notice_published")
    db.session.delete(notice)
    db.session.commit()


def publish_notice(notice: Notice, publish_at: datetime | None = None) -> Notice:
    """Publish now, or schedule: the worker publishes scheduled notices when they are due."""
    now = utcnow()
    if notice.status not in ("draft", "scheduled"):
        raise Conflict("This notice has already been published or withdrawn.", "notice_not_draft")
    if notice.expires_at and notice.expires_at <= (publish_at or now):
        raise invalid("publish_at", "The notice would already have expired.")
    if publish_at and publish_at > now:
        notice.status, notice.publish_at = "scheduled", publish_at
        db.session.commit()
        return notice
    if not _fan_out(notice, now, from_statuses=("draft", "scheduled")):
        raise Conflict("Someone else published this notice a moment ago.", "notice_not_draft")
    db.session.commit()
    return notice


def _fan_out(notice: Notice, now: datetime, from_statuses: tuple[str, ...]) -> bool:
    """Mark published (only one caller can win) and leave the addressing, with its pushes and texts, to the
    worker (fanout.py), in this transaction."""
    won = db.session.execute(
        update(Notice).where(Notice.id == notice.id, Notice.status.in_(from_statuses))
        .values(status="published", published_at=now, publish_at=func.coalesce(Notice.publish_at, now))
        .execution_options(synchronize_session=False)).rowcount
    if not won:
        return False
    db.session.refresh(notice)
    message = push_message(notice, now) if notice.push else None
    fanout.start(notice, "publish", message.id if message else None)
    _index(notice)
    return True


def reach(community_id: int, audience: dict, category: str, push: bool = True) -> dict:
    """Whom a notice would reach if published now: residents, phones that ring now or after quiet hours,
    and texts to those without push (urgent notices)."""
    users = [u for u, _, _ in audiences.resolve(community_id, audiences.check(community_id, audience))]
    phones = (push_reach(db.session.get(Community, community_id), users, category) if push and users
              else {"phones": 0, "phones_later": 0})
    return {"residents": len(users), **phones, **sms.reach(community_id, users, category, push)}


def push_message(notice: Notice, now: datetime, reminder: bool = False):
    """The push of the notice (or of a reminder of it), for the worker to address to devices."""
    community = db.session.get(Community, notice.community_id)
    title = ("【提醒】" if reminder else "") + ("【紧急】" if notice.category == "urgent" else "") + notice.title
    payload = {"title": title, "body": summarize(notice.body_html), "url": f"/notices/{notice.id}",
               "notice_id": notice.id, "community_id": notice.community_id, "category": notice.category,
               "urgent": notice.category == "urgent", "tag": f"notice-{notice.id}"}
    # The same topic for the first push and every reminder: a newer one replaces an undelivered older one.
    return push.add_message(community, payload, notice.source, f"notice-{notice.id}", notice.category,
                            _ttl(notice, now))


def _ttl(notice: Notice, now: datetime) -> int:
    if notice.expires_at is None:
        return PUSH_TTL_DEFAULT
    return int(max(60, min((notice.expires_at - now).total_seconds(), PUSH_TTL_MAX)))


def publish_due(now: datetime | None = None, limit: int = 20) -> int:
    """The worker's job: publish scheduled notices whose time has come, each in its own transaction."""
    now = now or utcnow()
    ids = list(db.session.scalars(select(Notice.id).where(Notice.status == "scheduled", Notice.publish_at <= now)
                                  .order_by(Notice.publish_at).limit(limit)))
    db.session.commit()
    done = 0
    for notice_id in ids:
        notice = db.session.get(Notice, notice_id)
        if notice is not None and _fan_out(notice, now, from_statuses=("scheduled",)):
            done += 1
        db.session.commit()
    return done


def withdraw_notice(notice: Notice) -> Notice:
    if notice.status not in ("published", "scheduled"):
        raise Conflict("Only published or scheduled notices can be withdrawn.", "notice_not_published")
    notice.status, notice.withdrawn_at = "withdrawn", utcnow()
    push.forget_messages(notice.source)
    sms.cancel(notice)
    _index(notice)
    db.session.commit()
    return notice


def list_for_staff(community_id: int, status: str | None = None, page: int = 1, per_page: int = 20):
    stmt = select(Notice).filter_by(community_id=community_id)
    if status:
        stmt = stmt.filter_by(status=status)
    stmt = stmt.order_by(Notice.pinned.desc(), func.coalesce(Notice.published_at, Notice.created_at).desc(),
                         Notice.id.desc())
    return list(db.session.scalars(stmt.offset((page - 1) * per_page).limit(per_page)))


def remind_window() -> timedelta:
    return timedelta(minutes=10)
