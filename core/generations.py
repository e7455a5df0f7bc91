"""Generation counters in the shared cache (Redis in production, see settings.CACHES).

A reader that caches a result computed from some data keys it by the data's current
generation; whatever changes that data bumps the generation, so every process on every machine
stops reading the old result at once (it is never read again and expires). The bump happens at
once, for readers in the same transaction, and again on commit, for a reader that computed from
the data as it was before the commit while the change was being made.
"""

import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

_T = TypeVar("_T")


def make_key(key: str, key_prefix: str, version: int) -> str:
    """The cache's key function: the database's name keeps apart what different databases
    (two deployments, or parallel test runs) share one Redis for."""
    return f"{key_prefix}:{connection.settings_dict['NAME']}:{version}:{key}"


def _key(name: str) -> str:
    return f"generation:{name}"


def current(name: str) -> int:
    """The generation of `name`. A counter that was never set or was evicted starts from the
    clock, so it cannot come back to a value some stale entry was keyed by."""
    value = cache.get(_key(name))
    if value is None:
        cache.add(_key(name), time.time_ns(), timeout=None)
        value = cache.get(_key(name), 0)
    return int(value)


def advance(name: str) -> None:
    """Move `name` on now (outside any transaction's meaning: see bump)."""
    try:
        cache.incr(_key(name))
    except ValueError:  # not set (or evicted)
        current(name)


def bump(name: str) -> None:
    """`name`'s data changed: now, and once more when the transaction commits."""
    advance(name)
    transaction.on_commit(lambda: advance(name))


def follow(name: str, inputs: Iterable[type[models.Model]]) -> None:
    """Bump `name` whenever a row of one of `inputs` is saved or deleted (bulk updates pass no
    signal: their callers save row by row or bump themselves)."""

    def changed(**_kwargs: object) -> None:
        bump(name)

    for model in inputs:
        uid = f"generation-{name}-{model._meta.label}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)


def cached(name: str, key: str, compute: Callable[[], _T], *, timeout: int) -> _T:
    """`compute()`, kept in the shared cache until `name` moves on (or `timeout` seconds pass,
    a net for changes that bypass the signals); the key names the language too, for results
    that carry translated labels."""
    full_key = f"{name}:{key}:{get_language()}:{current(name)}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout)
    return value
