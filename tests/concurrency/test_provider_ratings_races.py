"""Members of one household rating a provider at the same moment, against the real database: one rating is
kept (the others hear `already_rated`), and the provider's cached sum and count match the ratings."""
from sqlalchemy import func, select

from backend.extensions import db
from backend.providers.models import Provider, ProviderRating
from tests import factories
from tests.concurrency.test_idempotent_races import ROUNDS, THREADS, race
from tests.providers_factories import base, create_provider


def test_one_household_rating_at_once_keeps_one_rating(make_client, community):
    home = factories.create_dwelling(community)
    clients = [factories.logged_in(make_client(), factories.create_resident(community, dwelling=home))
               for _ in range(THREADS)]
    for n in range(ROUNDS):
        provider = create_provider(community, name=f"店{n}")
        statuses = race(clients, f"{base(community)}/{provider.id}/ratings", {"stars": 4, "text": "好"})
        assert sorted(statuses) == [201] + [409] * (THREADS - 1)
        db.session.expire_all()
        rows = db.session.scalar(select(func.count()).select_from(ProviderRating).filter_by(provider_id=provider.id))
        provider = db.session.get(Provider, provider.id)
        assert rows == 1 and (provider.rating_sum, provider.rating_count) == (4, 1)


def test_households_rating_and_staff_hiding_at_once_keep_the_counts(make_client, community):
    provider = create_provider(community)
    residents = [factories.logged_in(make_client(), factories.create_resident(community)) for _ in range(THREADS)]
    assert race(residents, f"{base(community)}/{provider.id}/ratings", {"stars": 3}) == [201] * THREADS
    staff = [factories.logged_in(make_client(), factories.create_user(community, role="staff"))
             for _ in range(THREADS)]
    ids = list(db.session.scalars(select(ProviderRating.id).filter_by(provider_id=provider.id)))
    for rating_id in ids[:3]:
        assert race(staff, f"{base(community)}/ratings/{rating_id}/hide", {"reason": "辱骂"}) == [200] * THREADS
    db.session.expire_all()
    provider = db.session.get(Provider, provider.id)
    visible = list(db.session.scalars(select(ProviderRating.stars).filter_by(provider_id=provider.id, hidden=False)))
    assert (provider.rating_sum, provider.rating_count) == (sum(visible), len(visible)) == (3 * (THREADS - 3),
                                                                                         THREADS - 3)
