"""The tables of the community's people and of its orders, under one name: they stand in
``storage.community`` and ``storage.orders``, built with ``storage.columns``, and most of the
project imports them from here (the message bookkeeping tables are in ``storage.messaging``).

All times are stored in UTC (timezone-aware); the handlers show them in the community's zone.
"""

from storage.columns import json_field, stored_as_text, stored_id
from storage.community import (
    Admin,
    Building,
    Community,
    District,
    Grid,
    GroupChat,
    Identity,
    Member,
    Resident,
    Unit,
    UnitKind,
)
from storage.orders import (
    Acceptance,
    AcceptanceStatus,
    CheckIn,
    CheckInKind,
    Order,
    OrderHistory,
    OrderStatus,
    Rating,
    WhistleStage,
)

__all__ = ["Acceptance", "AcceptanceStatus", "Admin", "Building", "CheckIn", "CheckInKind",
           "Community", "District", "Grid", "GroupChat", "Identity", "Member", "Order",
           "OrderHistory", "OrderStatus", "Rating", "Resident", "Unit", "UnitKind",
           "WhistleStage", "json_field", "stored_as_text", "stored_id"]
