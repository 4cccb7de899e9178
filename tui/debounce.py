"""Waiting for typing to pause before acting (a search, a filter, a preview)."""

from __future__ import annotations

from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer


class Debounce:
    """Call ``action`` once ``seconds`` have passed since the last ``poke``: each key
    restarts the wait, so a word typed quickly costs one query, not one per letter."""

    def __init__(self, node: MessagePump, seconds: float, action: Callable[[], object]) -> None:
        self.node, self.seconds, self.action = node, seconds, action
        self._timer: Timer | None = None

    def poke(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.node.set_timer(self.seconds, self.action)
