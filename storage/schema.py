"""Every table module, imported so the metadata is complete for migrations and checks."""

import storage.boards
import storage.community
import storage.duties
import storage.inbound
import storage.learning
import storage.ledger
import storage.messaging
import storage.orders
import storage.timers
import storage.whistles  # noqa: F401
