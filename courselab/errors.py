"""Failures a learner can act on, worded so the first thing they read says what to do."""

from __future__ import annotations

from courselab.config import Service


class ServiceUnavailable(RuntimeError):
    """A server the lesson needs did not answer."""

    def __init__(self, service: Service, reason: str) -> None:
        self.service = service
        super().__init__(
            f"{service.name} is not reachable at {service.address} ({reason}).\n"
            f"Start it with: {service.start_command}\n"
            f"or point the lesson elsewhere (see README, 'Services')."
        )


class GoBuildError(RuntimeError):
    """The Go compiler rejected a %%go cell; the message is the compiler's."""
