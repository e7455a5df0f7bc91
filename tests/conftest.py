import pytest
from django.db import connection
from pytest_django.plugin import blocking_manager_key


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Each test starts from its own data: nothing cached by an earlier test may be read (the
    # cache may be a Redis shared by every run, so it is moved on rather than cleared).
    from core import generations
    from dashboards.freshness import DASHBOARDS
    from scoring.freshness import SCORING

    generations.advance(SCORING)
    generations.advance(DASHBOARDS)
    # The holiday calendar and yearly policies are cached per process; rolled-back rows must
    # not outlive their test.
    from workflow import deadlines

    deadlines.clear_cache()
    yield
    deadlines.clear_cache()


@pytest.fixture(autouse=True)
def _fast_tests(settings, tmp_path):
    # Private uploads go to a per-test folder; MD5 hashing keeps user creation cheap in tests.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        # Users made by class-scoped fixtures, before this one applies, still verify.
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends with a flush that empties every table, migration data included
    (urusan, indicators, SLA and ruleset defaults). Put that data back once the flush is done, so
    the next test on this xdist worker finds it. Transactional tests must therefore be marked
    `django_db(transaction=True, serialized_rollback=True)`, which makes the test database
    serialize its initial contents."""
    result = yield
    marker = item.get_closest_marker("django_db")
    contents = getattr(connection, "_test_serialized_contents", None)
    # After the session's last test the test database is already gone: nothing to restore.
    if nextitem is not None and marker and marker.kwargs.get("transaction") and contents:
        with item.config.stash[blocking_manager_key].unblock():
            connection.creation.deserialize_db_from_string(contents)
    return result


@pytest.fixture
def org(db):
    from tests.factories import Org

    return Org()
