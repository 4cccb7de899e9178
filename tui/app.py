"""The Textual application: the screens, the keys that reach them, the status line and
the in-app collection worker.

The worker is the same ``Worker`` the headless ``windykacja worker`` runs, in a Textual
thread worker; both take the one lease, so two bookkeepers with the app open and a
cron worker never send twice.

No traceback reaches the screen: an unexpected error is written to the log, shown as a
notification saying what failed and that nothing was changed, and the app goes on
(writes are single transactions, so a failed one leaves nothing half-done).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from ..ledger.identity import config_problem
from ..ledger.settings import load_settings, settings_saved
from ..logs import INTERFACE_LOG, setup_logging, url_password
from ..models import Contractor, Document
from ..models.db import database
from ..session import Context
from .guard import Guarded
from .i18n import set_language, t, translate_bindings
from .navigation import PLACES, WELCOME
from .reader import Reader
from .screens.base import AppScreen
from .widgets.unsaved import ask_to_discard, has_unsaved_changes

if TYPE_CHECKING:
    from ..dunning.worker import Worker

log = logging.getLogger("windykacja.tui")
STATUS_REFRESH_SECONDS = 10.0
# How often the coming demands are checked for missing rates (a forecast: in a thread).
RATE_CHECK_SECONDS = 60.0
WORKER_STOP_SECONDS = 10.0


def _go_action(mode: str) -> str:
    """The action that shows a place (an f-string inside ``Binding()`` would be taken for
    words to translate by extraction)."""
    return f"go('{mode}')"


class WindykacjaApp(Guarded, App):
    TITLE = "Windykacja"
    CSS_PATH = Path(__file__).parent / "styles" / "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    status_text: reactive[str] = reactive("")
    MODES = {place.mode: place.make for place in (*PLACES, WELCOME)}

    def __init__(
        self, ctx: Context, *, start_worker: bool = True, worker_poll_seconds: float = 30.0,
        catch_errors: bool | None = None, before_worker: Callable[[], None] | None = None,
    ) -> None:
        set_language(ctx.language)
        super().__init__()
        translate_bindings(self)
        self.ctx = ctx
        self.start_worker = start_worker
        self.worker_poll_seconds = worker_poll_seconds
        # Called as the collection worker starts (``app.main``: the importers' hooks).
        self.before_worker = before_worker
        self.collection_worker: Worker | None = None
        self.reader = Reader()
        self._worker_stop = threading.Event()
        self.worker_stopped = threading.Event()  # set once the worker has let go
        # The rates the coming demands lack (rate_gaps.GapSummary), for the top line.
        self.rate_gaps: tuple = ()
        # Tests want a failure to fail the test; people want the app to carry on.
        self.catch_errors = catch_errors

    # -- keys --------------------------------------------------------------------------
    BINDINGS = [
        *(Binding(p.key, _go_action(p.mode), p.title, show=False) for p in PLACES),
        Binding("question_mark", "help", "Help"),
        Binding("escape", "back", "Back", show=False),
        Binding("ctrl+r", "refresh", "Refresh", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),  # in help
        # Tab moves the focus at once: as the screen's ordinary binding it travelled
        # through the focused field's queue, behind which the keys typed right after it
        # were already waiting, so a fast typist (or keys arriving together over SSH)
        # had "99<Tab>REF" all in the first field.
        Binding("tab", "focus_next", "Next field", priority=True, show=False),
        Binding("shift+tab", "focus_previous", "Previous field", priority=True, show=False),
    ]

    def _register(self, parent, *widgets, **kwargs):
        """Every screen and widget gets its key descriptions in the interface language
        as it joins the app (bindings are built at import, before the language is
        known); the footer, help and palette then show them translated."""
        for widget in widgets:
            translate_bindings(widget)
        return super()._register(parent, *widgets, **kwargs)

    def action_go(self, mode: str) -> None:
        """A number key (or the palette's "Go to"): the screen of ``mode``; whatever that
        leaves with unsaved changes asks first (``widgets/unsaved.py``)."""
        stack = self.screen_stack
        leaving = stack[1:] if self.current_mode == mode else stack
        ask_to_discard(self, leaving, lambda: self._go(mode))

    def _go(self, mode: str) -> None:
        stack = self.screen_stack
        if self.current_mode == mode or any(has_unsaved_changes(s) for s in stack[1:]):
            # Discarded editors on top of the mode's screen close rather than wait,
            # still filled in, for the user to come back.
            while len(self.screen_stack) > 1:
                self.pop_screen()
        if self.current_mode == mode:
            return
        base = self.screen_stack[0]
        if has_unsaved_changes(base):
            base.discard_changes()  # type: ignore[attr-defined]
        for screen in self.screen_stack:
            if isinstance(screen, AppScreen):
                screen.leave_fields()
        self.switch_mode(mode)

    async def action_back(self) -> None:  # async as Textual's own, which it replaces
        """Esc where no screen uses it: close what is on top, else go home."""
        if len(self.screen_stack) > 1:
            ask_to_discard(self, [self.screen], self.pop_screen)
        elif self.current_mode not in ("unpaid", "welcome"):
            self.action_go("unpaid")

    async def action_quit(self) -> None:
        """Ctrl+Q: asks first when any screen, in view or not, holds unsaved changes."""
        screens = [screen for stack in self._screen_stacks.values() for screen in stack]
        ask_to_discard(self, screens, self.exit)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_refresh(self) -> None:
        refresh = getattr(self.screen, "refresh_data", None)
        if refresh:
            refresh()
        self.update_status()
        self.check_rates()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette reaches every screen and every action by name (``commands.py``)."""
        from .commands import palette_commands  # when the palette opens, not at start

        yield from super().get_system_commands(screen)
        yield from palette_commands(self, screen)

    def go_and_run(self, mode: str, action: str) -> None:
        """The palette's action of another place: go there (asking first about unsaved
        changes, as a number key does), then run it on the screen that shows."""
        stack = self.screen_stack
        leaving = stack[1:] if self.current_mode == mode else stack

        def then() -> None:
            self._go(mode)
            self.call_after_refresh(self._run_here, action)

        ask_to_discard(self, leaving, then)

    async def _run_here(self, action: str) -> None:
        screen = self.screen
        if hasattr(screen, f"action_{action}"):
            await screen.run_action(action)
        elif action == "note" and hasattr(screen, "open_current_document"):
            await screen.open_current_document(then="note")

    # -- start and stop ----------------------------------------------------------------
    def on_mount(self) -> None:
        self.title = t("Windykacja")
        mode = self.first_mode()  # two queries on the way to the first frame: asked once
        self.switch_mode(mode)
        if mode == "unpaid" and not settings_saved():
            self.open_wizard()
        self.say_config_problem()
        # The first frame does not wait for the status line: the next pass asks the
        # calendar (the holidays package loads in a tenth of a second or more), the
        # KSeF line the importers; the rate check and the worker bring the engine.
        self.call_after_refresh(self.start_up)

    @work(group="start-up", exit_on_error=False)
    async def start_up(self) -> None:
        """The status line, the rate check and the worker, once the first screen has
        shown its rows: what they import and the calendar load in the reader thread,
        after the screen's reads, and begin once their rows are painted."""
        try:
            try:
                await self.first_screen_shown("start-up")
            finally:
                gc.enable()  # paused for the first screen by app.main
            today = self.ctx.clock.today()
            await self.reader.run("start-up", lambda: warm_up(today))
        except Exception:  # then the status line loads them itself
            log.exception("loading the status line's modules")
        self.update_status()
        self.set_interval(STATUS_REFRESH_SECONDS, self.update_status)
        self.check_rates()
        self.set_interval(RATE_CHECK_SECONDS, self.check_rates)
        if self.start_worker:
            self.run_collection_worker()
        # What start-up built lives as long as the app; keeping it out of the garbage
        # collector's full passes shortens the pauses they cause on the screen.
        gc.freeze()

    async def first_screen_shown(self, kind: str) -> None:
        """Returns once the reads the screens asked for so far (the first screen's rows)
        are done and the frame that shows them is painted. Work that does not show on
        the first screen waits for this, else it would share the interpreter with the
        painting of the rows (a thread's imports hold the GIL for 5 ms at a time)."""
        await self.reader.run(f"{kind}: after the first screen", lambda: None)
        # Queued behind them: the screen has been given its rows (its worker resumed
        # first); the callback after the next refresh comes once they are painted.
        painted: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def shown() -> None:
            if not painted.done():
                painted.set_result(None)

        self.call_after_refresh(shown)
        await painted

    def say_config_problem(self) -> None:
        """A config file that cannot be used never stops the app (the name recorded falls
        back to the system user, ledger/identity.py); this says what is wrong with it."""
        problem = config_problem()
        if problem:
            self.notify(t("The config file is not used as written: {problem}",
                          problem=problem), severity="warning", timeout=20)

    def first_mode(self) -> str:
        """The welcome screen on an empty database, else the unpaid documents."""
        if not Contractor.select().exists() and not Document.select().exists():
            return "welcome"
        return "unpaid"

    def open_wizard(self) -> None:
        from .screens.wizard import WizardScreen

        self.push_screen(WizardScreen(), callback=lambda _: self.action_refresh())

    def open_ksef_connect(self) -> None:
        """*Connect KSeF*; invoices it fetched show at once (the unpaid list, from the
        welcome screen)."""
        from .screens.ksef_connect import KsefConnectDialog

        def closed(saved: bool | None) -> None:
            if saved and self.current_mode == "welcome" and Document.select().exists():
                self.switch_mode("unpaid")
            self.action_refresh()

        self.push_screen(KsefConnectDialog(), callback=closed)

    def on_unmount(self) -> None:
        self._worker_stop.set()
        if self.collection_worker is not None:
            # Let a pass in progress finish its message; a pass cut short leaves at most
            # one message in doubt, which is never resent without a person.
            self.worker_stopped.wait(WORKER_STOP_SECONDS)
        self.reader.close()

    # -- the collection worker ---------------------------------------------------------
    def run_collection_worker(self) -> None:
        # Imported here: the engine (passes, messages, letters with Jinja2 and ReportLab)
        # is a quarter of a second of imports the first frame need not wait for.
        from ..dunning.worker import Worker

        if self.before_worker is not None:
            self.before_worker()
        self.collection_worker = Worker(self.ctx.clock, self.ctx.default_maildir)
        self.run_worker(self._collect, thread=True, exit_on_error=False, group="collection",
                        name="collection worker")

    def _collect(self) -> None:
        assert self.collection_worker is not None
        try:
            self.collection_worker.run(self._worker_stop, self.worker_poll_seconds)
        finally:
            self.worker_stopped.set()

    def update_status(self) -> None:
        # Imported here (warm_up loads them after the first rows): the watched folders'
        # imports, the status's and its words' (the forecast's rate gaps, the claims' law).
        from ..lists.arrivals import ksef_failure
        from ..lists.status import collection_status
        from .status_text import describe_status

        try:
            settings = load_settings()
            status = collection_status(settings, self.ctx.clock)
            ksef = ksef_failure(settings)  # one row: no network here
        except Exception:  # the status line must never take the app down
            log.exception("reading the collection status")
            return
        worker = self.collection_worker.status if self.collection_worker else None
        self.status_text = describe_status(status, worker, self.start_worker, self.rate_gaps,
                                           ksef)

    @work(thread=True, exclusive=True, group="rate-check", exit_on_error=False)
    def check_rates(self) -> None:
        """Whether the coming demands lack a rate (a forecast, hence a thread); the top
        line says so until the rate is added. With the rates in the tables the check
        reads no document; when one is missing it walks the documents it concerns once,
        in reading order, so this thread's connection gets the small cache of a one-pass
        reader (``cache_role("bulk")``, 8 MB): at 1M documents 8 MiB less at its peak
        than with the interface's 16 MB, in the same time (2026-12-07)."""
        from ..dunning.forecast import coming_gaps  # the planner's imports: in this thread
        from ..models.db import cache_role

        try:
            with cache_role("bulk"):
                gaps = coming_gaps(load_settings(), self.ctx.clock.today())
        except Exception:  # the status line must never take the app down
            log.exception("checking the rates of the coming demands")
            return
        finally:
            database.close()
        self.call_from_thread(self._show_rate_gaps, gaps)

    def _show_rate_gaps(self, gaps: tuple) -> None:
        if gaps != self.rate_gaps:
            self.rate_gaps = gaps
            self.update_status()

    # -- errors ------------------------------------------------------------------------
    @contextmanager
    def attempt(self, what: str) -> Iterator[None]:
        """Run a user's action; if it fails, say so in place and carry on."""
        try:
            yield
        except Exception as exc:
            log.exception("%s failed", what)
            self.notify(
                t("{what} failed: {problem}. Nothing was changed; correct it and try again.",
                  what=what, problem=str(exc) or type(exc).__name__),
                severity="error", timeout=12,
            )

    @property
    def catches_errors(self) -> bool:
        return self.catch_errors if self.catch_errors is not None else not self.is_headless

    def report_error(self, error: BaseException) -> None:
        log.error("unexpected error", exc_info=error)
        self.notify(
            t("Something went wrong: {problem}. Nothing was changed. The details are in the "
              "log; press Ctrl+R to reload.", problem=str(error) or type(error).__name__),
            severity="error", timeout=15,
        )


def warm_up(today: dt.date) -> None:
    """What the status line, the rate check and the worker import (a third of a second
    of modules: the engine, the forecast, the importers' hooks) and the calendar of this
    year and the next (the next pass may be in January)."""
    from ..dunning import forecast, worker  # noqa: F401
    from ..importers import hooks  # noqa: F401
    from ..ledger.calendar import is_polish_holiday
    from ..lists import arrivals, status  # noqa: F401
    from . import status_text  # noqa: F401

    is_polish_holiday(today)
    is_polish_holiday(dt.date(today.year + 1, 1, 1))


def run_app(ctx: Context, before_worker: Callable[[], None] | None = None) -> int:
    # The shared rotating log, secrets masked; never stderr, which belongs to the screen.
    setup_logging(INTERFACE_LOG, stderr_level=None, secrets=[url_password(ctx.location)])
    WindykacjaApp(ctx, before_worker=before_worker).run()
    return 0

