# Copyright 2026 client_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import time

from psycopg2 import errors

from odoo import fields, models

_logger = logging.getLogger(__name__)

# A batch that conflicts with a concurrent transaction (a serialization
# failure, a deadlock, a lock timeout) is retried in a new transaction after
# a pause that doubles each time (from RETRY_PAUSE, at most RETRY_PAUSE_MAX
# seconds), with half as many records; after MAX_RETRIES conflicts in a row
# the work fails.
MAX_RETRIES = 8
RETRY_PAUSE = 0.1
RETRY_PAUSE_MAX = 3.0
BATCH_SIZE_MIN = 50
CONFLICTS = (
    errors.SerializationFailure,
    errors.DeadlockDetected,
    errors.LockNotAvailable,
)


class ClientStatusBatched(models.AbstractModel):
    """Work done in batches by a cron, one batch per call (each call its own
    transaction): the runs of the rules and the wizards' background jobs.

    A batch runs in a savepoint (``_process_next_batch_safely``): a conflict
    with a concurrent transaction is rolled back and retried by the next call
    with half as many records (``_retry_later``); any other failure rolls the
    batch back and fails the work (``_fail``), nothing half-written."""

    _name = "client.status.batched"
    _description = "Client Status Work in Batches"

    batch_size = fields.Integer(readonly=True)
    retry_count = fields.Integer(
        readonly=True, help="Conflicts of the current batch with other transactions."
    )

    def _process_next_batch(self):
        """Process the next batch of ``self`` (one record)."""
        raise NotImplementedError

    def _process_next_batch_safely(self):
        """Process the next batch in a savepoint (see the class)."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._process_next_batch()
        except CONFLICTS as error:
            self.env.invalidate_all()
            self._retry_later(error)
        except Exception as error:
            # any other failure: this work fails, not the others
            self.env.invalidate_all()
            _logger.exception("client_status: %s failed", self)
            self._fail(error)

    def _retry_later(self, error):
        """The batch conflicted with another transaction: pause, halve the
        next batch and let the cron call again; fail after MAX_RETRIES."""
        retries = self.retry_count + 1
        if retries > MAX_RETRIES:
            self._fail(error)
            return
        _logger.info(
            "client_status: %s conflicted with another transaction (%s),"
            " retry %s of %s",
            self,
            type(error).__name__,
            retries,
            MAX_RETRIES,
        )
        time.sleep(min(RETRY_PAUSE * 2 ** (retries - 1), RETRY_PAUSE_MAX))
        self.write(
            {
                "retry_count": retries,
                "batch_size": max(self.batch_size // 2, BATCH_SIZE_MIN),
            }
        )

    def _fail(self, error):
        """End the work as failed with ``error``."""
        raise NotImplementedError
