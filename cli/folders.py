"""``folders scan|status``: the watched folders (importers/watched_folders.py) by hand.

``scan`` imports what is waiting now, as the worker does before each pass, and says
what became of each file; exit status 1 when a file was refused or a folder could not
be read. ``status`` shows each kind's folder with its files waiting, done and refused.
"""

from __future__ import annotations

import argparse

from ..i18n import t, tn
from ..importers.watched_folders import (
    DONE,
    KIND_NAMES,
    KINDS,
    REFUSED,
    FolderWatcher,
    folder_states,
    watched_folders,
)
from ..ledger.names import moment_text
from ..session import Context
from .output import say, warn


def _nothing_watched() -> None:
    say(t("No folder is watched. Set one for each kind of file, e.g.: windykacja settings "
          "set folders.documents=/srv/exports/documents"))
    say(t("Settings: {keys}", keys=", ".join(f"folders.{kind}" for kind in KINDS)))


def scan(args: argparse.Namespace, ctx: Context) -> int:
    if not watched_folders(ctx.settings):
        _nothing_watched()
        return 0
    result = FolderWatcher().scan(ctx.clock, ctx.settings)
    for outcome in result.files:
        for line in outcome.lines():
            (warn if outcome.state == "refused" else say)(line)
    for path in result.waiting:
        say(t("{path}: still being written; it is taken at the next scan.", path=path))
    for folder_problem in result.problems:
        warn(str(folder_problem))
    say(t("Watched folders: {imported}, {refused}, {duplicates}, {waiting}.",
          imported=tn("{n} file imported", "{n} files imported",
                      result.count("imported") + result.count("moved")),
          refused=tn("{n} refused", "{n} refused", result.count("refused")),
          duplicates=tn("{n} already imported before", "{n} already imported before",
                        result.count("duplicate")),
          waiting=tn("{n} still being written", "{n} still being written",
                     len(result.waiting))))
    return 1 if result.count("refused") or result.problems else 0


def status(args: argparse.Namespace, ctx: Context) -> int:
    states = {state.kind: state for state in folder_states(ctx.settings)}
    if not states:
        _nothing_watched()
        return 0
    for kind in KINDS:
        state = states.get(kind)
        if state is None:
            say(t("{kind}: not watched (folders.{key})", kind=t(KIND_NAMES[kind]), key=kind))
            continue
        say(t("{kind}: {folder}", kind=t(KIND_NAMES[kind]), folder=state.folder))
        if not state.exists:
            warn("  " + t("the folder does not exist or cannot be read"))
            continue
        say("  " + t("{waiting}; {done} in {done_folder}/, {refused} in {refused_folder}/",
                     waiting=tn("{n} file waiting", "{n} files waiting", state.waiting),
                     done=state.done, done_folder=DONE, refused=state.refused,
                     refused_folder=REFUSED))
        if state.last is not None:
            say("  " + t("last imported: {name}, {when}", name=state.last.file_name,
                         when=moment_text(state.last.imported_at, ctx.clock.timezone)))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("folders", help="the watched folders: import what is waiting now, or "
                       "show each folder's state")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = actions.add_parser("scan", help="import every new file of the watched folders now "
                           "(the worker does it before each pass)")
    q.set_defaults(handler=scan)
    q = actions.add_parser("status", help="each watched folder: files waiting, done and "
                           "refused")
    q.set_defaults(handler=status)
