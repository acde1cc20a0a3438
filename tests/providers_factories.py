"""Test data for convenience services: providers written as rows, open resources for their services, uploads."""
import io
from decimal import Decimal

from backend.bookings.models import Resource
from backend.extensions import db
from backend.providers.models import Provider, ProviderRating, ProviderService
from backend.providers.services import index_provider
from tests.voting_factories import jpeg

ALL_DAY = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def base(community) -> str:
    return f"/api/v1/communities/{community.id}/providers"


def create_provider(community, name: str = "阿姨帮家政服务", category: str = "housekeeping",
                    status: str = "verified", services=(("日常保洁", "30", "50", "小时"),), **fields) -> Provider:
    values = {"description": "", "phone": "0755-26601234", "address": "科苑路 15 号", "hours": {}, "photos": [],
              **fields}
    provider = Provider(community_id=community.id, name=name, category=category, status=status, **values)
    provider.services = [ProviderService(community_id=community.id, name=n, price_from=Decimal(lo),
                                         price_to=Decimal(hi), unit=unit, position=i)
                         for i, (n, lo, hi, unit) in enumerate(services)]
    db.session.add(provider)
    db.session.flush()
    index_provider(provider)
    db.session.commit()
    return provider


def create_resource(service: ProviderService, status: str = "open") -> Resource:
    resource = Resource(community_id=service.community_id, kind="service", name=service.name, at_home=True,
                        provider_service_id=service.id, status=status)
    db.session.add(resource)
    db.session.commit()
    return resource


def create_rating(provider, user, dwelling, stars: int = 5, month: str = "2026-11", hidden: bool = False):
    rating = ProviderRating(community_id=provider.community_id, provider_id=provider.id, dwelling_id=dwelling.id,
                            user_id=user.id, month=month, stars=stars, text="", hidden=hidden)
    db.session.add(rating)
    if not hidden:
        provider.rating_sum += stars
        provider.rating_count += 1
    db.session.commit()
    return rating


def upload(client, community, purpose: str) -> str:
    r = client.post(f"/api/v1/communities/{community.id}/files",
                    data={"purpose": purpose, "file": (io.BytesIO(jpeg()), "licence.jpg")})
    assert r.status_code == 201, r.json
    return r.json["id"]


def provider_body(**fields) -> dict:
    return {"name": "老李水电维修", "category": "repair", "phone": "0755-2660 1234", "address": "科苑路 20 号",
            "latitude": 22.5410, "longitude": 113.9420, "service_area": "本社区及周边 3 公里",
            "hours": {"mon": [["08:00", "20:00"]]}, "description": "水管、电路、灯具维修",
            "services": [{"name": "换水龙头", "price_from": 30, "price_to": 80, "unit": "次"}], **fields}
