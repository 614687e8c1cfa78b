"""What operations read: the active clock's heartbeat (issue 22).

The clock writes one row after every tick that ran the due jobs. `/readyz` and the metric
`maeul_clock_last_tick_timestamp_seconds` read it, so a silent clock is seen from any web process
on any machine, not only from the machine the clock ran on.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base


class ClockHeartbeat(Base):
    __tablename__ = "clock_heartbeat"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    last_tick_at: Mapped[datetime] = mapped_column()
    # Which process ticked (host name and process id): no personal data.
    holder: Mapped[str] = mapped_column(String(120), default="")
