"""flask seed-demo and flask create-admin."""
from sqlalchemy import func, select

from backend.accounts.models import InviteCode, Residency, User
from backend.demo import INVITE
from backend.extensions import db
from backend.places.models import Building, Community, Dwelling, Grid


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_demo_loads_a_realistic_community_once(app):
    runner = app.test_cli_runner()
    assert "loaded" in runner.invoke(args=["seed-demo"]).output
    assert "already" in runner.invoke(args=["seed-demo"]).output
    assert count(Community) == 1 and count(Grid) == 3 and count(Building) == 10
    assert count(Dwelling) == 300
    statuses = db.session.scalars(select(Residency.status)).all()
    assert len(statuses) == 50 and statuses.count("pending") >= 5
    assert db.session.scalar(select(InviteCode).filter_by(code=INVITE)).active
    areas = db.session.scalars(select(Dwelling.floor_area)).all()
    assert min(areas) > 50 and max(areas) < 150


def test_demo_resident_registers_with_the_invite_code(app, client):
    app.test_cli_runner().invoke(args=["seed-demo"])
    community = db.session.scalar(select(Community))
    body = {"phone": "13712345678", "password": "my-new-password-2026", "name": "新邻居",
            "community_id": community.id, "invite_code": INVITE}
    assert client.post("/api/v1/auth/register", json=body).json["residencies"][0]["status"] == "verified"


def test_create_admin(app):
    result = app.test_cli_runner().invoke(args=["create-admin", "--phone", "13800009999"],
                                          input="admin-pass-1\nadmin-pass-1\n")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).filter_by(phone="13800009999")).is_admin


def test_create_admin_refuses_a_bad_phone(app):
    result = app.test_cli_runner().invoke(args=["create-admin", "--phone", "123"], input="pw-123456\npw-123456\n")
    assert result.exit_code != 0 and count(User) == 0


def test_worker_logs_each_batch_it_did_and_nothing_when_idle(app, caplog, monkeypatch):
    from backend import worker
    monkeypatch.setattr(worker, "JOBS", [lambda: 3, lambda: 0])
    worker.JOBS[0].__name__, worker.JOBS[1].__name__ = "send_things", "idle_job"
    with app.app_context(), caplog.at_level("INFO", logger=app.logger.name):
        assert worker.run_once() == 3
    lines = [r.getMessage() for r in caplog.records]
    assert "worker send_things: 3 done" in lines
    assert not any("idle_job" in line for line in lines)
