"""Search and suggestion server time with 2,000 guide items and 500 facilities.

    .venv/bin/python -m tests.bench.bench_search            # SQLite file in a temporary folder
    .venv/bin/python -m tests.bench.bench_search --database postgresql+psycopg://postgres@127.0.0.1:5432/bench
    .venv/bin/python -m tests.bench.bench_search speed      # times only; `quality`: hit@3 only

(BENCH_DATABASE_URL works too.) The PostgreSQL database is emptied and filled, then vacuumed and analysed
as autovacuum would have done by the time anyone searches.

Prints p50/p95 in-process (the service call, and the Flask test client, with SQL statements per search)
and over HTTP under gunicorn.
Goal: p95 ≤ 30 ms. Then hit@3 of the held-out residents' questions and keywords (tests/search_questions.py)
over the demo guide and facilities, and over the 2,000 items (each variant counts as the item it copies).
Goals: questions ≥ 80%, keywords ≥ 95%. `… bench_search quality` prints only the hit@3 figures.
Not part of `make test`.
"""
import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
ITEMS, FACILITIES, ROUNDS = 2000, 500, 5
QUERIES = ["居住证", "juzhuzheng", "ylbx", "低保", "yiliaobx", "居住正", "怎么办理居住证", "aed", "篮球场",
           "社康", "shuwu", "医疗险", "老年卡", "残疾人证", "sbk", "失业金", "长者饭堂", "'; drop table x",
           # Questions as residents ask them: several words, filler, lexicon phrases and audiences.
           "我爸七十五了有什么补贴", "身份证找不到了", "家里有个残疾的能领什么钱", "失业了能领钱吗", "老人吃饭的地方",
           "孩子打疫苗去哪里", "领退休金要认证吗", "租房子住满半年能办居住证吗"]
PREFIXES = ["j", "ju", "juz", "居", "居住", "y", "yl", "社", "she", "aed", "老", "lao"]
VARIANTS = ["", "（首次）", "（变更）", "（补办）", "（注销）", "（续期）", "（年审）", "（转移）", "（查询）",
            "（备案）"]


def _populate(database_url: str) -> int:
    from sqlalchemy import text

    from backend import create_app
    from backend.extensions import db
    from backend.facilities.demo_data import FACILITIES as PLACES
    from backend.facilities.demo_data import TYPES
    from backend.facilities.models import Facility, FacilityType
    from backend.facilities.services import index_facility
    from backend.guide.demo_data import CATEGORIES, SYNONYMS
    from backend.guide.models import GuideCategory, GuideItem
    from backend.guide.services import index_item
    from backend.places.models import Community
    from backend.search.models import SynonymGroup
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    rnd = random.Random(7)
    with app.app_context():
        if database_url.startswith("postgresql"):  # whatever tables an older or newer schema left
            db.session.execute(text("DROP SCHEMA public CASCADE"))
            db.session.execute(text("CREATE SCHEMA public"))
            db.session.commit()
        db.create_all()
        community = Community(name="基准社区", district="南山区", street="粤海街道")
        db.session.add(community)
        db.session.flush()
        cid = community.id
        categories = [GuideCategory(community_id=cid, name=name, icon=icon, position=n)
                      for n, (name, icon, _) in enumerate(CATEGORIES)]
        db.session.add_all(categories)
        db.session.add_all(SynonymGroup(community_id=cid, terms=t) for t in SYNONYMS)
        db.session.flush()
        templates = [(c, i) for c, (_, _, items) in zip(categories, CATEGORIES) for i in items]
        for n in range(ITEMS):
            category, fields = templates[n % len(templates)]
            variant = n // len(templates)
            title = fields["title"] + VARIANTS[variant % 10] + (f" {variant // 10}" if variant >= 10 else "")
            item = GuideItem(community_id=cid, category_id=category.id, position=n, **{**fields, "title": title})
            db.session.add(item)
            db.session.flush()
            index_item(item)
        types = [FacilityType(community_id=cid, name=name, icon=icon, position=n)
                 for n, (name, icon) in enumerate(TYPES)]
        db.session.add_all(types)
        db.session.flush()
        for n in range(FACILITIES):
            name, t, address, lat, lng, phone, description, access, hours, exceptions = PLACES[n % len(PLACES)]
            facility = Facility(community_id=cid, type=types[t], name=f"{name}（{n // len(PLACES) + 1} 号点）",
                                address=address, latitude=lat + rnd.uniform(-0.02, 0.02),
                                longitude=lng + rnd.uniform(-0.02, 0.02), phone=phone, description=description,
                                accessibility=access, photos=[], hours=hours, exceptions=exceptions)
            db.session.add(facility)
            db.session.flush()
            index_facility(facility)
        db.session.commit()
        if database_url.startswith("postgresql"):
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        db.engine.dispose()
    return cid


def _report(label: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    print(f"{label:<44} n={len(samples):<4} p50={statistics.median(samples):6.1f} ms  p95={p95:6.1f} ms"
          f"  max={samples[-1]:6.1f} ms")


def _timed(call, args_list, clock=time.perf_counter) -> list[float]:
    out = []
    for _ in range(ROUNDS):
        for args in args_list:
            start = clock()
            call(args)
            out.append((clock() - start) * 1000)
    return out


def _cpu(call, args_list) -> list[float]:
    """CPU time of this thread: what a call costs even when other processes crowd the cores."""
    return _timed(call, args_list, time.thread_time)


def in_process(database_url: str, cid: int) -> None:
    from sqlalchemy import event

    from backend import create_app
    from backend.extensions import db
    from backend.search import services
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False})
    kinds = ("guide", "facility")
    with app.app_context():
        services.search(cid, "预热", kinds)  # loads jieba's dictionary
        statements = []

        def count(*_args):
            statements.append(1)
        event.listen(db.engine, "before_cursor_execute", count)
        for q in QUERIES:
            services.search(cid, q, kinds)
        event.remove(db.engine, "before_cursor_execute", count)
        print(f"SQL statements per search(): {len(statements) / len(QUERIES):.1f}")
        _report("in-process search()", _timed(lambda q: services.search(cid, q, kinds), QUERIES))
        _report("in-process suggest()", _timed(lambda q: services.suggest(cid, q, kinds), PREFIXES))
        _report("in-process search(), CPU time", _cpu(lambda q: services.search(cid, q, kinds), QUERIES))
        _report("in-process suggest(), CPU time", _cpu(lambda q: services.suggest(cid, q, kinds), PREFIXES))
    client = app.test_client()
    base = f"/api/v1/communities/{cid}"
    _report("test client GET /search", _timed(lambda q: client.get(f"{base}/search", query_string={"q": q}), QUERIES))
    _report("test client GET /search/suggest",
            _timed(lambda q: client.get(f"{base}/search/suggest", query_string={"q": q}), PREFIXES))
    _report("test client GET /search, CPU time",
            _cpu(lambda q: client.get(f"{base}/search", query_string={"q": q}), QUERIES))
    _report("test client GET /facilities?lat&lng (near me)",
            _timed(lambda _: client.get(f"{base}/facilities", query_string={"lat": 22.54, "lng": 113.94}), range(10)))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tree_cpu(pid: int) -> float:
    """CPU seconds a process and its children (gunicorn's master and workers) have used so far."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def over_http(database_url: str, cid: int, tmp: Path) -> None:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "RATELIMIT_ENABLED": "0", "INSTANCE_PATH": str(tmp)}
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                             "--threads", "4", "backend:create_app()"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/api/v1/communities/{cid}"
    try:
        http = requests.Session()
        for _ in range(600):  # a loaded machine may take a minute to start two workers
            try:
                http.get(f"{base}/search", params={"q": "预热"}, timeout=30)
                http.get(f"{base}/search", params={"q": "预热"}, timeout=30)  # both workers, likely
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        cpu = _tree_cpu(proc.pid)
        _report("gunicorn GET /search", _timed(lambda q: http.get(f"{base}/search", params={"q": q}), QUERIES))
        time.sleep(0.5)  # the search log's writer thread catches up
        print(f"gunicorn CPU per search (workers, log writes included): "
              f"{(_tree_cpu(proc.pid) - cpu) * 1000 / (ROUNDS * len(QUERIES)):.1f} ms")
        _report("gunicorn GET /search/suggest",
                _timed(lambda q: http.get(f"{base}/search/suggest", params={"q": q}), PREFIXES))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def _hit_at_3(label: str, top3) -> None:
    from tests.search_questions import KEYWORDS, QUESTIONS, hit_rate, misses
    for name, cases in (("questions", QUESTIONS), ("keywords", KEYWORDS)):
        missed = misses(top3, cases)
        print(f"hit@3 {name:<9} {label:<31} {hit_rate(cases, missed):6.1%}  ({len(cases) - len(missed)}/{len(cases)})")


def quality(database_url: str, cid: int) -> None:
    """hit@3 over the demo community as seeded, then over the 2,000 variants (50 of each demo item)."""
    from backend import create_app
    from backend.extensions import db
    from backend.facilities.demo_data import FACILITIES as PLACES
    from backend.facilities.demo_data import seed_facilities
    from backend.guide.demo_data import CATEGORIES, seed_guide
    from backend.places.models import Community
    from backend.search import services
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False})
    titles = sorted([i["title"] for _, _, items in CATEGORIES for i in items] + [p[0] for p in PLACES],
                    key=len, reverse=True)

    def first_three(community_id: int, limit: int):
        """The first three distinct demo titles, each variant counted as the item it copies."""
        def top3(q: str) -> list[str]:
            out = []
            for hit in services.search(community_id, q, ("guide", "facility"), limit=limit):
                title = "".join(s["text"] for s in hit.title)
                title = next((t for t in titles if title.startswith(t)), title)
                out += [] if title in out else [title]
            return out[:3]
        return top3

    with app.app_context():
        demo = Community(name="演示社区", district="南山区", street="粤海街道")
        db.session.add(demo)
        db.session.flush()
        seed_guide(demo.id, seed_facilities(demo.id))
        db.session.commit()
        _hit_at_3("(demo guide and facilities)", first_three(demo.id, 3))
        _hit_at_3(f"({ITEMS} items, {FACILITIES} facilities)", first_three(cid, 200))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("part", nargs="?", choices=["speed", "quality"], help="only times, or only hit@3")
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="a PostgreSQL URL (emptied!); default: a SQLite file in a temporary folder")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    tmp = Path(tempfile.mkdtemp(prefix="bench-search-"))
    database_url = args.database or f"sqlite:///{tmp / 'bench.db'}"
    start = time.perf_counter()
    cid = _populate(database_url)
    print(f"{ITEMS} guide items and {FACILITIES} facilities indexed in {time.perf_counter() - start:.1f} s "
          f"({database_url.split(':')[0]})")
    if args.part != "quality":
        in_process(database_url, cid)
        over_http(database_url, cid, tmp)
    if args.part != "speed":
        quality(database_url, cid)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
