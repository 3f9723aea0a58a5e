"""The Redis cache fails open: with Redis unreachable, every call answers as a miss."""

from __future__ import annotations

import logging

from prfaq.cache import FailOpenRedisCache


def test_every_cache_call_answers_as_a_miss_while_redis_is_down(caplog):
    cache = FailOpenRedisCache(
        "redis://127.0.0.1:1/0",  # nothing listens here
        {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
    )
    caplog.set_level(logging.WARNING, logger="prfaq.cache")
    assert cache.get("k", "fallback") == "fallback"
    assert cache.set("k", 1) is None
    assert cache.add("k", 1) is False
    assert cache.delete("k") is False
    assert cache.get_many(["k", "j"]) == {}
    assert cache.set_many({"k": 1}) == []
    assert cache.has_key("k") is False
    assert cache.touch("k") is False
    assert cache.delete_many(["k"]) is None
    assert cache.clear() is None
    failed = {r.getMessage().split()[1] for r in caplog.records}
    assert failed == {
        "get", "set", "add", "delete", "get_many", "set_many", "has_key", "touch",
        "delete_many", "clear",
    }  # fmt: skip
