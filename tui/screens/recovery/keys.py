"""The unpaid list's keys for *Recover money* and the agency's cases, and the quiet
question to the agency each time the list opens.

``RecoveryKeys`` is mixed into ``UnpaidScreen``, which places these keys (``RECOVER``
and the others) among its own in ``BINDINGS``, in the order the footer and the help
show them. The mixin works on the list's marks (``marked``, ``_targets()``), its query
(the filter by case status) and ``reload``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding

from ....ledger.settings import load_settings
from ....lists.unpaid_list import UnpaidQuery
from ...i18n import t

# The steps, dialogs and the agency's gateway are imported when a key asks for them (and
# the poll in the reader thread): the unpaid list's first frame needs none of them.
if TYPE_CHECKING:
    from ....recovery.gateways import Gateway
    from ....recovery.sending import RefreshResult
    from ..base import AppScreen as _Screen  # what the mixin is mixed into
else:
    _Screen = object


class RecoveryKeys(_Screen):
    """Mixed into the unpaid list; see the module's words."""

    RECOVER = Binding("R", "recover", "Recover")
    FINISH_ORDER = Binding("F", "finish_order", "Finish order", show=False)
    CASE_FILTER = Binding("a", "case_filter", "Filter by case status", show=False)
    REFRESH_CASES = Binding("A", "refresh_cases", "Refresh case statuses", show=False)
    IMPORT_STATUSES = Binding("I", "import_statuses", "Import case statuses", show=False)

    marked: set[int]
    query_state: UnpaidQuery | None

    if TYPE_CHECKING:
        def _targets(self) -> list[int]: ...

        def reload(self, keep_cursor: bool = False) -> None: ...

    def action_recover(self) -> None:
        from .flow import RecoveryFlow

        ids = self._targets()
        if ids:
            RecoveryFlow(self, self._handed_over).start(ids)

    def _handed_over(self, ids: set[int]) -> None:
        """Marks of documents handed over or refused go; other contractors' stay."""
        self.marked.difference_update(ids)
        self.reload(keep_cursor=True)

    def action_finish_order(self) -> None:
        from .order import OrderDialog, open_order_of

        found = open_order_of()
        if found is None:
            self.notify(t("No order is open: Recover money (R) starts one."))
            return
        agency, order_id = found
        self.app.push_screen(OrderDialog(agency, order_id),
                             lambda _: self.reload(keep_cursor=True))

    def action_case_filter(self) -> None:
        from .dialogs import CaseFilterDialog

        assert self.query_state is not None

        def chosen(status: str | None) -> None:
            if status is not None and self.query_state is not None:
                self.query_state = self.query_state.with_changes(case_status=status)
                self.reload()

        self.app.push_screen(CaseFilterDialog(self.query_state.case_status), chosen)

    def _gateway(self) -> Gateway:
        """The agency's gateway as the settings choose it (built in the reader thread)."""
        from ....recovery.agencies import default_agency
        from ....recovery.sending import make_gateway

        ctx = self.windykacja.ctx
        return make_gateway(load_settings(), default_agency(), clock=ctx.clock,
                            default_maildir=ctx.default_maildir)

    @work(exclusive=True, group="recovery-poll", exit_on_error=False)
    async def _poll_cases(self) -> None:
        """On opening the list, ask the agency (HTTP gateway) for news of the active
        cases, off the screen's thread; say something only if a status changed."""
        clock = self.clock

        def poll() -> int:
            from ....recovery.sending import refresh_statuses  # in the reader thread

            return refresh_statuses(clock, self._gateway())

        with self.windykacja.attempt(t("Refreshing the case statuses")):
            # Not while the list's first rows are painted: its imports would share the
            # interpreter with that (tui/app.py first_screen_shown).
            await self.windykacja.first_screen_shown("recovery-poll")
            changed = await self.windykacja.reader.run("recovery-poll", poll)
            if changed:
                self.notify(t("Case statuses changed: {count}.", count=changed))
                self.reload(keep_cursor=True)

    def action_import_statuses(self) -> None:
        from .dialogs import StatusImportDialog

        self.app.push_screen(StatusImportDialog(), lambda _: self.reload(keep_cursor=True))

    def action_refresh_cases(self) -> None:
        self.notify(t("Asking the agency for the case statuses…"))
        self._refresh_cases()

    @work(exclusive=True, group="recovery-refresh", exit_on_error=False)
    async def _refresh_cases(self) -> None:
        from ....recovery.gateway_problems import describe_gateway_problem
        from ....recovery.sending import refresh

        clock = self.clock
        with self.windykacja.attempt(t("Refreshing the case statuses")):
            result: RefreshResult = await self.windykacja.reader.run(
                "recovery-refresh", lambda: refresh(clock, self._gateway()))
            self.notify(t("Case statuses changed: {count}; cases sent again: {sent}.",
                          count=len(result.changed),
                          sent=sum(1 for o in result.retried if not o.error)))
            if result.errors:
                self.notify(t("The agency did not answer for: {cases}",
                              cases="; ".join(describe_gateway_problem(error)
                                              for error in result.errors)),
                            severity="warning")
        self.reload(keep_cursor=True)
