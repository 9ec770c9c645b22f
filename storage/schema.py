"""Every table module, imported so the metadata is complete for migrations and checks."""

import storage.models  # noqa: F401
