"""The channels Maeul speaks, listed: each module has `CHANNEL`, its `SENDER` and, for a webhook
or a page, `make_blueprint(settings)`. A new channel is added here."""

from __future__ import annotations

from adapters import band, kakao, simulator, telegram

CHANNELS = (kakao, telegram, band, simulator)
