import os

import pytest

# Playwright runs its own event loop; Django's async-safety check would refuse the live server's ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Nothing cached by an earlier test (whose database changes were rolled back) reaches the next one."""
    from django.core.cache import cache

    from ziat import ratelimit

    cache.clear()
    ratelimit.forget_pending()
    yield
    cache.clear()
    ratelimit.forget_pending()


@pytest.fixture
def org(db):
    from tests.factories import organisation

    return organisation()


@pytest.fixture
def director(db):
    from tests.factories import staff_user

    return staff_user("director", last_name="Мұратова", first_name="Сәуле")


@pytest.fixture
def trainer(db):
    from tests.factories import staff_user

    return staff_user("trainer")


@pytest.fixture
def registrar(db):
    from tests.factories import staff_user

    return staff_user("registrar")
