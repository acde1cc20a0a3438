"""What residents searched for, so staff can see what the guide failed to answer and fix it.

One row per full search (not per suggestion): the folded query, the community, how many hits it had,
when, and which hit was opened. No user id, and long digit runs (phone or ID numbers) are masked, so a
row says nothing about who searched. The response carries a signed token (the X-Search-Log header) that
the PWA sends back when a hit is opened. The worker deletes rows after SEARCH_LOG_DAYS.

Rows are written by a thread of their own, a batch at a time, so a search never waits for a write (on
SQLite, for the one writer lock). The token holds a random key rather than the row's id, which does not
exist yet when the response leaves, and what the row says: a hit opened before the row is written (or
from another process) writes the row itself. A row still queued when the process dies is lost: it costs
nothing.
"""
import atexit
import queue
import re
import secrets
import threading
import time
from datetime import datetime, timedelta

from flask import Flask, current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Boolean, Index, Integer, String, case, delete, func, select, update
from sqlalchemy import text as sql
from sqlalchemy.orm import Mapped, mapped_column

from backend.common.db import is_postgres, upsert
from backend.common.models import CreatedMixin, TenantMixin, UTCDateTime, utcnow
from backend.errors import Conflict, NotFound, invalid
from backend.extensions import db
from backend.guide import services as guide_services
from backend.guide.models import GuideItem
from backend.places.services import get_in_community
from backend.search import synonyms
from backend.search.models import SynonymGroup
from backend.search.text import fold, parse
from backend.worker import job

HEADER = "X-Search-Log"
MAX_QUERY = 100
MAX_SYNONYMS = 10  # as many words as a group may have (SynonymArgsSchema)
DIGITS = re.compile(r"[0-9]{6,}[0-9x]?")  # a phone, an ID card or bank number says who someone is


class SearchLog(TenantMixin, CreatedMixin, db.Model):
    """A search someone ran, and the hit they opened from it (if any)."""
    __table_args__ = (Index("ix_search_log_community_created", "community_id", "created_at"),
                      Index("ix_search_log_created", "created_at"), Index("ix_search_log_key", "key", unique=True))
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(24))  # what the token names
    query: Mapped[str] = mapped_column(String(MAX_QUERY))
    result_count: Mapped[int] = mapped_column(Integer)
    opened_kind: Mapped[str | None] = mapped_column(String(20))
    opened_id: Mapped[int | None] = mapped_column(Integer)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handled: Mapped[bool] = mapped_column(Boolean, default=False)  # staff added a synonym or set it aside


def logged_text(text: str) -> str:
    """The query as logged: folded like search folds it, digit runs masked."""
    return DIGITS.sub("*", parse(text).norm)[:MAX_QUERY]


def _fix_text(text: str) -> str:
    if not (query := logged_text(text)):
        raise invalid("query", "Give a word or two.")
    return query


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="search-log")


def record(community_id: int, text: str, result_count: int) -> str | None:
    """Log a search; the token to send back when a hit is opened (None when there was nothing to log)."""
    query = logged_text(text)
    if not query:
        return None
    row = dict(key=secrets.token_urlsafe(12), community_id=community_id, query=query, result_count=result_count)
    _pending.put((current_app._get_current_object(), {**row, "handled": False, "created_at": utcnow()}))
    _start_writer()
    return _serializer().dumps(list(row.values()))  # at most some 400 characters


_pending: queue.Queue = queue.Queue()  # (app, row) pairs
_writer: threading.Thread | None = None
_writer_lock = threading.Lock()


def _start_writer() -> None:
    global _writer
    with _writer_lock:
        if _writer is None or not _writer.is_alive():  # started in each process, after a fork
            _writer = threading.Thread(target=_write_forever, name="search-log", daemon=True)
            _writer.start()


def _write_forever() -> None:
    while True:
        batch = [_pending.get()]
        while len(batch) < 500 and not _pending.empty():
            batch.append(_pending.get_nowait())
        try:
            for app in dict.fromkeys(a for a, _ in batch):
                _insert(app, [row for a, row in batch if a is app])
        finally:
            for _ in batch:
                _pending.task_done()


def _insert(app: Flask, rows: list[dict]) -> None:
    with app.app_context():
        try:
            if is_postgres():  # nothing waits for these rows: don't wait for the disk either
                db.session.execute(sql("SET LOCAL synchronous_commit TO OFF"))
            db.session.execute(upsert(SearchLog).on_conflict_do_nothing(index_elements=["key"]), rows)
            db.session.commit()
        except Exception:
            db.session.rollback()
            app.logger.exception("%d search log rows lost", len(rows))


def flush() -> None:
    """Wait until the searches logged so far are written (tests; a process on its way out)."""
    if _writer is not None and _writer.is_alive():
        _pending.join()


atexit.register(flush)


def mark_opened(community_id: int, token: str, kind: str, ref_id: int) -> None:
    """Remember the first hit opened from a search; later ones keep the first."""
    try:
        key, logged_in, query, result_count = _serializer().loads(token)
        row = dict(key=str(key), community_id=int(logged_in), query=str(query), result_count=int(result_count))
    except (BadSignature, ValueError, TypeError):
        raise NotFound("No such search.") from None
    if row["community_id"] != community_id:
        raise NotFound("No such search.")
    opened = dict(opened_kind=kind, opened_id=ref_id, opened_at=utcnow())
    stmt = upsert(SearchLog).values(**row, **opened, handled=False, created_at=utcnow())
    db.session.execute(stmt.on_conflict_do_update(index_elements=["key"], set_=opened,
                                                  where=SearchLog.opened_id.is_(None)))
    db.session.commit()


def misses(community_id: int, days: int, limit: int = 50) -> list[dict]:
    """The most frequent searches of the period that found nothing, or whose hits nobody opened."""
    empty = func.sum(case((SearchLog.result_count == 0, 1), else_=0))
    searches, last = func.count(SearchLog.id), func.max(SearchLog.created_at)
    rows = db.session.execute(
        select(SearchLog.query, searches, empty, last)
        .where(SearchLog.community_id == community_id, SearchLog.handled.is_(False),
               SearchLog.created_at >= utcnow() - timedelta(days=days))
        .group_by(SearchLog.query).having(func.count(SearchLog.opened_id) == 0)
        .order_by(searches.desc(), last.desc(), SearchLog.query).limit(limit))
    return [{"query": q, "searches": n, "empty": int(e), "found_nothing": int(e) == n, "last_at": at}
            for q, n, e, at in rows]


def set_handled(community_id: int, query: str) -> None:
    """Take a query off the staff list; searches of it from now on count afresh."""
    flush()  # this process's searches so far are among those handled
    db.session.execute(update(SearchLog).where(SearchLog.community_id == community_id,
                                               SearchLog.query == logged_text(query)).values(handled=True))


def prune(now: datetime | None = None, batch: int = 1000, max_batches: int = 10) -> int:
    """Delete rows older than SEARCH_LOG_DAYS, a batch per transaction."""
    before = (now or utcnow()) - timedelta(days=float(current_app.config.get("SEARCH_LOG_DAYS", 180)))
    done = 0
    for _ in range(max_batches):
        ids = list(db.session.scalars(select(SearchLog.id).where(SearchLog.created_at < before)
                                      .order_by(SearchLog.id).limit(batch)))
        if ids:
            db.session.execute(delete(SearchLog).where(SearchLog.id.in_(ids))
                               .execution_options(synchronize_session=False))
        db.session.commit()
        done += len(ids)
        if len(ids) < batch:
            break
    return done


_next_prune = 0.0  # monotonic time; each worker process prunes on its own clock


@job
def prune_search_logs() -> int:
    """Every hour, or at once while a backlog remains: delete searches older than SEARCH_LOG_DAYS."""
    global _next_prune
    if time.monotonic() < _next_prune:
        return 0
    done = prune()
    if not done:
        _next_prune = time.monotonic() + 3600
    return done


def add_to_synonyms(community_id: int, query: str, term: str) -> SynonymGroup:
    """Make a query a synonym of a term: into the term's group if it has one, else a new pair."""
    query, folded = _fix_text(query), fold(term.strip())
    group = next((g for g in synonyms.list_synonyms(community_id) if folded in map(fold, g.terms)), None)
    if group is not None and len(group.terms) >= MAX_SYNONYMS and query not in group.terms:
        raise Conflict("That word's synonym group is full.", "synonyms_full")
    set_handled(community_id, query)
    return synonyms.save_synonyms(community_id, [*(group.terms if group else [term.strip()]), query], group)


def add_alias(community_id: int, query: str, item_id: int):
    """Make a query one of a guide item's aliases."""
    item = get_in_community(GuideItem, community_id, item_id, "item_id")
    query = _fix_text(query)
    set_handled(community_id, query)
    return guide_services.add_alias(item, query)


def dismiss(community_id: int, query: str) -> None:
    """Take a query off the staff list without a fix (a slip of the keyboard, say)."""
    set_handled(community_id, query)
    db.session.commit()
