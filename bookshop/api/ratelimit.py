"""A token bucket per caller in Redis: bursts up to `capacity`, then `rate` per second.

The check and the update run as one Lua script, so two API processes serving the same
caller cannot both spend the last token (the race of the Redis chapter's lesson 3).
The time comes from the API's clock, not Redis's, so that lessons can replay it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

# KEYS[1] bucket; ARGV: capacity, rate per second, now (s), cost (1 takes a token, 0 only looks).
# Returns {allowed, tokens left * 1000, retry after ms}.
TOKEN_BUCKET = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
-- API processes' clocks differ a little: one behind the last writer's adds nothing and keeps `at`,
-- or the next process would refill the same seconds again.
if now > at then
  tokens = math.min(capacity, tokens + (now - at) * rate)
  at = now
end
local allowed = 0
local wait_ms = 0
if tokens >= 1 then
  tokens = tokens - cost
  allowed = 1
else
  wait_ms = math.ceil((1 - tokens) / rate * 1000)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
return {allowed, math.floor(tokens * 1000), wait_ms}
"""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    remaining: int
    retry_after_s: int

    def headers(self, capacity: int) -> dict[str, str]:
        headers = {"RateLimit-Limit": str(capacity), "RateLimit-Remaining": str(self.remaining)}
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after_s)
        return headers


class TokenBucket:
    def __init__(self, redis: Any, prefix: str, capacity: int, rate_per_s: float) -> None:
        self.capacity, self.rate_per_s, self.prefix = capacity, rate_per_s, prefix
        self._script = redis.register_script(TOKEN_BUCKET)

    def take(self, caller: str, now: float, cost: int = 1) -> Decision:
        """Spend `cost` tokens of `caller`'s bucket if it has one; `cost=0` only asks whether it has."""
        allowed, tokens_milli, wait_ms = self._script(
            keys=[f"{self.prefix}ratelimit:{caller}"], args=[self.capacity, self.rate_per_s, repr(now), cost]
        )
        return Decision(bool(allowed), int(tokens_milli) // 1000, math.ceil(int(wait_ms) / 1000))
