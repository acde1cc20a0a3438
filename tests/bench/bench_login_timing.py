"""Does a login take as long for an unknown phone as for a known one with a wrong password?

    .venv/bin/python -m tests.bench.bench_login_timing

Times the login service (scrypt, the production default) on a SQLite file in a temporary folder and
prints the medians; they should be within a few per cent. Not part of `make test`: no timed assertions.
"""
import contextlib
import statistics
import tempfile
import time
from pathlib import Path

ROUNDS = 30


def _median_ms(call) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    from backend import create_app
    from backend.accounts import services
    from backend.accounts.models import User
    from backend.extensions import db

    folder = Path(tempfile.mkdtemp())
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
                      "PASSWORD_HASH_METHOD": "scrypt"})
    with app.test_request_context():
        db.create_all()
        db.session.add(User(phone="13800138000", name="测试", password_hash=services.hash_password("Right-pass-2026")))
        db.session.commit()

        def attempt(phone):
            def call():
                with contextlib.suppress(services.WrongCredentials):
                    services.login(phone, "wrong-pass-1")
            return call

        attempt("13999999999")()  # the stand-in hash is made on first use
        known, unknown = _median_ms(attempt("13800138000")), _median_ms(attempt("13999999999"))
    print(f"wrong password, known phone: {known:.1f} ms; unknown phone: {unknown:.1f} ms "
          f"({(unknown - known) / known:+.1%})")


if __name__ == "__main__":
    main()
