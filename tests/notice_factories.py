"""Test data for notices: drafts and published notices written through the services."""
from backend.notices import fanout, services
from backend.notices.models import Notice

EVERYONE = {"everyone": True, "grid_ids": [], "building_ids": [], "roles": []}


def notice_body(**extra) -> dict:
    return {"title": "关于小区停水的通知", "body": "<p>因管道检修，<strong>明天 9:00–17:00</strong> 停水。</p>",
            "category": "service", "audience": {"everyone": True}, **extra}


def create_notice(community, author, publish: bool = True, **fields) -> Notice:
    data = {"title": "关于小区停水的通知", "body": "<p>明天停水。</p>", "category": "service",
            "audience": EVERYONE, "push": False, **fields}
    data["audience"] = {**EVERYONE, "everyone": False, **fields["audience"]} if "audience" in fields else EVERYONE
    notice = services.create_notice(community.id, author, **data)
    if not publish:
        return notice
    services.publish_notice(notice)
    fanout.drain()  # the worker's part: recipients, pushes and texts
    return notice
