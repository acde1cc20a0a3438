"""Push fan-out benchmark: the outbox sender against a naive pywebpush.webpush() loop, same run, same service.

    .venv/bin/python -m tests.bench.bench_push [--devices 5000] [--naive 1000]

The loopback push service runs in its own process and does everything a real one checks (VAPID JWT,
TTL, aes128gcm decryption). This process is the one worker: it claims, encrypts and sends.
"""
import argparse
import json
import multiprocessing
import tempfile
import time
import urllib.request
from pathlib import Path

from py_vapid import Vapid02
from pywebpush import webpush

from backend import create_app
from backend.extensions import db
from backend.notices import fanout, services
from backend.push.sender import send_due
from tests import factories, pushtools
from tests.notice_factories import create_notice
from tests.pushservice import PushService, new_keys


def serve(keys: list[tuple[bytes, str, str]], port_out) -> None:
    service = PushService()
    for n, (pem, p256dh, auth) in enumerate(keys):
        service.subscribe(pem, p256dh, auth, sub_id=f"d{n}")
    service.start()
    port_out.put(service.port)
    service._thread.join()


def stats(origin: str) -> dict:
    with urllib.request.urlopen(f"{origin}/stats") as response:
        return json.load(response)


def naive(subscriptions: list[dict], payload: str, subject: str) -> tuple[float, float]:
    key = Vapid02.from_pem(pushtools.VAPID_PEM.encode())
    started, cpu = time.perf_counter(), time.process_time()
    for info in subscriptions:
        webpush(info, data=payload, vapid_private_key=key, vapid_claims={"sub": subject}, ttl=3600,
                headers={"Urgency": "high", "Topic": "bench"}, timeout=10)
    n = len(subscriptions)
    return n / (time.perf_counter() - started), (time.process_time() - cpu) / n * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=5000)
    parser.add_argument("--naive", type=int, default=1000)
    # The worker's own defaults (PUSH_CONCURRENCY, PUSH_BATCH_SIZE in backend/config.py).
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    keys = [new_keys() for _ in range(args.devices)]
    ctx = multiprocessing.get_context("spawn")
    port_out = ctx.Queue()
    service = ctx.Process(target=serve, args=(keys, port_out), daemon=True)
    service.start()
    origin = f"http://127.0.0.1:{port_out.get(timeout=60)}"
    infos = [{"endpoint": f"{origin}/push/d{n}", "keys": {"p256dh": p, "auth": a}} for n, (_, p, a) in enumerate(keys)]

    path = Path(tempfile.mkdtemp()) / "bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "PUSH_CONCURRENCY": args.concurrency, "PUSH_BATCH_SIZE": args.batch})
    with app.app_context():
        db.create_all()
        pushtools.configure(app)
        community = factories.create_community()
        staff = factories.create_user(community, role="staff")
        user_ids = pushtools.bulk_residents(community, args.devices, factories.create_building(community))
        pushtools.insert_devices(dict(zip(user_ids, infos)))
        notice = create_notice(community, staff, publish=False, push=True, category="urgent",
                               title="紧急通知：今晚 22:00 起全小区停水", body="<p>" + "因主管道抢修，" * 40 + "</p>")
        started = time.perf_counter()
        services.publish_notice(notice)
        fanout.drain()  # the worker's part: the outbox rows, a chunk of residents at a time
        enqueued = time.perf_counter() - started
        started, cpu = time.perf_counter(), time.process_time()
        sent = 0
        while done := send_due():
            sent += done
        ours = sent / (time.perf_counter() - started)
        ours_cpu = (time.process_time() - cpu) / sent * 1000
        payload = db.session.scalar(db.select(db.text("payload")).select_from(db.text("push_message")))
        subject = app.config["VAPID_SUBJECT"]
    after_ours = stats(origin)
    naive_rate, naive_cpu = naive(infos[:args.naive], payload, subject)
    final = stats(origin)
    service.terminate()
    print(f"publish + outbox write for {args.devices} devices: {enqueued:.2f} s")
    print(f"outbox sender (one process): {sent} deliveries, {ours:,.0f}/s, {ours_cpu:.2f} ms CPU each")
    print(f"naive pywebpush.webpush() loop: {args.naive} deliveries, {naive_rate:,.0f}/s, {naive_cpu:.2f} ms CPU each")
    print(f"speed-up: {ours / naive_rate:.1f}x; push service received {final['received']} "
          f"({after_ours['received']} from the sender), refused {final['errors']}")


if __name__ == "__main__":
    main()
