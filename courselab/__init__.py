"""The course's plumbing: what a lesson notebook needs in order to run.

Lessons start with::

    from courselab import Lab
    lab = Lab("databases/mysql/01-relational-modelling")

and get their own MySQL database, Redis key prefix and MongoDB database, a clear
message when a service is missing, the ``%%go`` cell magic, background servers on
loopback and exercise checks. No lesson content lives here: that is ``bookshop``.
"""

from courselab.errors import ServiceUnavailable
from courselab.exercises import check
from courselab.lab import Lab

__all__ = ["Lab", "ServiceUnavailable", "check"]
