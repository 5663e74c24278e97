"""The Bookshop's HTTP API (the REST chapter), as importable, tested code.

    from bookshop.api import Settings, create_app, database
    database.prepare(lab.mysql(), bookshop.data.generate())
    app = create_app(lab.mysql, lab.redis, Settings(secret=..., redis_prefix=lab.key("")))
    server = lab.serve(app)

One module per concern: `books` and `orders` and `reports` (the resources),
`problems` (errors as RFC 9457 Problem Details), `conditional` (ETags),
`pagination` (offset and keyset cursors), `idempotency` (keys in Redis),
`auth` (bearer JWTs), `ratelimit` (a token bucket in Redis), `middleware`
(request ids, access log, body limit), `database` (schema and pool).
"""

from bookshop.api.app import create_app
from bookshop.api.context import Settings

__all__ = ["Settings", "create_app"]
