"""A Redis cache that fails open: an outage makes pages slower, never broken."""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


class FailOpenRedisCache(RedisCache):
    """Reads miss and writes are skipped while Redis is unreachable."""

    def _quietly(self, name: str, default: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(super(), name)(*args, **kwargs)
        except Exception as exc:  # redis.ConnectionError, TimeoutError, ...
            logger.warning(
                "Cache %s failed (%s); serving without the cache.", name, type(exc).__name__
            )
            return default

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._quietly("get", default, key, default, version)

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        self._quietly("set", None, key, value, timeout, version)

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        return self._quietly("add", False, key, value, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._quietly("delete", False, key, version)

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._quietly("get_many", {}, keys, version)

    def set_many(self, data: Any, timeout: Any = None, version: int | None = None) -> list[Any]:
        return self._quietly("set_many", [], data, timeout, version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._quietly("has_key", False, key, version)

    def touch(self, key: Any, timeout: Any = None, version: int | None = None) -> bool:
        return self._quietly("touch", False, key, timeout, version)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._quietly("delete_many", None, keys, version)

    def clear(self) -> None:
        self._quietly("clear", None)
