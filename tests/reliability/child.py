"""A separate process for the crash and concurrency tests: it ingests, exports or backs up through the project's
real code, and can stop itself at a chosen point (writing a marker file, then sleeping) so that the test kills it
with SIGKILL exactly there. Run as ``python tests/reliability/child.py COMMAND ...`` with ``tests`` on the path.

Pause points replace no logic: each wraps one real function and waits before or inside it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from security.support import PROBE_STATE, probe_spec, state  # noqa: E402


def pause(marker: Path, label: str) -> None:
    """Tell the test where we are, then wait to be killed."""
    marker.write_text(label)
    while True:
        time.sleep(60)


def open_store(args):
    if args.endpoint:
        from euaigraph.graph.store.config import Endpoint
        from euaigraph.graph.store.remote import RemoteStore

        return RemoteStore(Endpoint(id="test", query=f"{args.endpoint}/query", update=f"{args.endpoint}/update",
                                    store=f"{args.endpoint}/store"))
    from euaigraph.graph.store.embedded import EmbeddedStore

    return EmbeddedStore(Path(args.home), writable=True)


# -- ingest -------------------------------------------------------------------------------------------------------
def install_ingest_pause(stage: str, marker: Path) -> None:
    import euaigraph.graph.store.embedded as embedded
    import euaigraph.graph.load.pipeline as load
    import euaigraph.graph.store.base as store_module

    if stage == "staged":  # every triple parsed and written to the staging file, nothing swapped
        real_stage = load.derived.stage

        def staged(*a, **k):
            pause(marker, stage)
            return real_stage(*a, **k)

        load.derived.stage = staged
    elif stage == "swap":  # staging and derivation done, the store's swap about to start
        real_swap = store_module.Store.swap

        def swap(self, items):
            pause(marker, stage)
            return real_swap(self, items)

        store_module.Store.swap = swap
    elif stage == "committed":  # pointers switched in db/ and old graphs dropped; the snapshot not yet published
        def publish(self):
            pause(marker, stage)

        embedded.EmbeddedStore._publish = publish
    elif stage == "publishing":  # the new snapshot copied, CURRENT about to be switched
        real_replace = os.replace

        def replace(src, dst, *a, **k):
            if str(dst).endswith("CURRENT"):
                pause(marker, stage)
            return real_replace(src, dst, *a, **k)

        os.replace = replace  # the os module every store module uses
    elif stage == "loading":  # the bulk load has started: the test kills after a delay, wherever that lands
        real_writer = embedded.EmbeddedStore._writer

        def writer(self):
            marker.write_text(stage)
            return real_writer(self)

        embedded.EmbeddedStore._writer = writer
    elif stage == "upload":  # remote: the first piece of the new run graph sent, the pointer switch not yet
        import euaigraph.graph.store.sparql_http as sparql_http

        real_post = sparql_http.SparqlHttp.graph_post

        def graph_post(self, graph, body):
            real_post(self, graph, body)
            pause(marker, stage)

        sparql_http.SparqlHttp.graph_post = graph_post


def cmd_ingest(args) -> None:
    from euaigraph.graph.load.pipeline import ingest
    from euaigraph.ingest.base import Feed

    with open_store(args) as store:  # opened first: opening may publish, and must not stop at a pause point
        if args.pause:
            install_ingest_pause(args.pause, Path(args.marker))
        for feed in args.feeds * args.repeat:
            ingest(store, probe_spec(args.source), Feed.from_path(Path(feed)))
            if args.marker:
                with open(args.marker, "a") as handle:
                    handle.write("swapped\n")


# -- export and backup ------------------------------------------------------------------------------------------
def cmd_export(args) -> None:
    import zipfile

    import euaigraph.graph.store.embedded as embedded
    from euaigraph.graph.cli import app

    marker = Path(args.marker)
    if not args.pause:
        pass
    elif args.format == "snapshot":  # stop when the third member of the zip is about to be written
        real_open, members = zipfile.ZipFile.open, []

        def open_member(self, name, mode="r", *a, **k):  # writestr comes through here too
            if mode == "w":
                members.append(name)
                if len(members) == 3:
                    self.fp.flush()
                    pause(marker, "zip")
            return real_open(self, name, mode, *a, **k)

        zipfile.ZipFile.open = open_member
    else:
        real_export = embedded.EmbeddedStore.export

        def export(self, dest, *, format="trig"):
            import io

            buffer = io.BytesIO()
            real_export(self, buffer, format=format)
            data = buffer.getvalue()
            dest.write(data[: len(data) // 2])
            dest.flush()
            pause(marker, "export")

        embedded.EmbeddedStore.export = export
    app(["--store", args.home, "export", "-o", args.out, "-f", args.format], standalone_mode=True)


def cmd_backup(args) -> None:
    from euaigraph.graph.store import safe_files

    marker = Path(args.marker)
    real_copy, copied = safe_files._copy_file, []

    def copy_file(*args_, **kwargs):  # the real copy of one file, then a pause after the second
        result = real_copy(*args_, **kwargs)
        copied.append(args_)
        if len(copied) == 2:
            pause(marker, "backup")
        return result

    safe_files._copy_file = copy_file
    from euaigraph.graph.store.embedded import EmbeddedStore

    with EmbeddedStore(Path(args.home)) as store:
        store.backup(Path(args.target))


def cmd_restore(args) -> None:
    """Restore a backup, stopping right after the old database was moved aside (before the restored one is moved
    into its place)."""
    real_rename = Path.rename

    def rename(self, target):
        if self.name == ".restore":
            pause(Path(args.marker), "restore")
        return real_rename(self, target)

    Path.rename = rename
    from euaigraph.graph.store.embedded import EmbeddedStore

    with EmbeddedStore(Path(args.home), writable=True) as store:
        store.restore(Path(args.backup))


# -- concurrent readers -----------------------------------------------------------------------------------------
def cmd_read(args) -> None:
    """Ask for the probe state through a pool of query workers until ``--stop`` exists; write every answer."""
    from euaigraph.graph.query.run import run_query
    from euaigraph.graph.query.worker import QueryWorkers, StoreRef

    ref = StoreRef(home=args.home) if args.home else StoreRef(endpoint=open_store(args).endpoint)
    answers = []
    with QueryWorkers(ref, size=1) as workers:
        Path(args.marker).write_text("ready")
        while not Path(args.stop).exists():
            answers.append(list(state(run_query(workers, PROBE_STATE, timeout_s=60).rows)))
    Path(args.out).write_text(json.dumps(answers))


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("ingest", "export", "backup", "restore", "read"):
        command = sub.add_parser(name)
        command.add_argument("--home")
        command.add_argument("--endpoint")
        command.add_argument("--marker", default="")
    sub.choices["ingest"].add_argument("--source", default="probe")
    sub.choices["ingest"].add_argument("--pause", default="")
    sub.choices["ingest"].add_argument("--repeat", type=int, default=1)
    sub.choices["ingest"].add_argument("feeds", nargs="+")
    sub.choices["export"].add_argument("--out", required=True)
    sub.choices["export"].add_argument("--format", default="nquads")
    sub.choices["export"].add_argument("--pause", action="store_true")
    sub.choices["backup"].add_argument("--target", required=True)
    sub.choices["restore"].add_argument("--backup", required=True)
    sub.choices["read"].add_argument("--stop", required=True)
    sub.choices["read"].add_argument("--out", required=True)
    args = parser.parse_args()
    commands = {"ingest": cmd_ingest, "export": cmd_export, "backup": cmd_backup, "restore": cmd_restore,
                "read": cmd_read}
    commands[args.command](args)


if __name__ == "__main__":
    main()
