"""A change of one registered customer's membership, as re-evaluation finds it and as the history,
the webhooks and the subscription report it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from models import MembershipChangeKind

# Triggers that are not one of Magento's event names (engine/segments/events.py).
TRIGGER_REFRESH = "refresh"
TRIGGER_TIME = "time"


@dataclass(frozen=True)
class MembershipChange:
    segment_id: int
    customer_id: int
    website_id: int
    change: MembershipChangeKind
    # A Magento event name (events.py), TRIGGER_REFRESH or TRIGGER_TIME.
    trigger: str
    at: datetime
