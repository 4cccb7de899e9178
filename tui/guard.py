"""Keeping tracebacks off the screen.

Textual stops a screen's (or the app's) message loop after an unhandled exception and
then exits with a traceback. ``Guarded`` catches what a handler or a key's action
raises on the node's own loop, before that happens, and hands it to the app, which
logs it and says in a notification what failed; the loop goes on. Writes are single
transactions, so a failure leaves nothing half-done.
"""

from __future__ import annotations

from asyncio import CancelledError
from typing import Any


class Guarded:
    async def _dispatch_message(self, message: Any) -> None:
        try:
            await super()._dispatch_message(message)  # type: ignore[misc]
        except CancelledError:
            raise
        except Exception as error:
            app = self.app  # type: ignore[attr-defined]
            if not app.catches_errors:
                raise
            app.report_error(error)
