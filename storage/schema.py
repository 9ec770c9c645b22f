"""Every table module, imported so the metadata is complete for migrations and checks."""

import storage.boards  # noqa: F401
import storage.ledger  # noqa: F401
import storage.models  # noqa: F401
import storage.timers  # noqa: F401
