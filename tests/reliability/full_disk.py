"""Run one ``euaigraph`` command on a full disk and report what happened, for ``test_disk_full.py``.

``python full_disk.py OPERATION WORKDIR`` builds an embedded store holding a ``data-europa`` feed of a few
megabytes, makes a backup of it, fills the disk, runs the command, frees the disk, and prints a JSON report:
the command's exit code and output, the dataset before and after (canonical N-Quads hash, meta graph left out)
and what is left at the command's target.

The disk is a 160 MB tmpfs mounted at ``WORKDIR/disk`` when this runs as root in a mount namespace of its own
(``unshare --mount --propagation private``; the test starts it so): writes then fail with ENOSPC. Otherwise the
command runs with ``RLIMIT_FSIZE`` at 1 MB, 128 kB for a backup or restore (and SIGXFSZ ignored): writing a
file past that size fails with EFBIG;
``EUAIGRAPH_FULL_DISK=fsize`` asks for that way even as root.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from euaigraph.graph.load.pipeline import ingest  # noqa: E402
from euaigraph.graph.store.embedded import EmbeddedStore  # noqa: E402
from euaigraph.ingest import registry  # noqa: E402
from euaigraph.ingest.base import Feed  # noqa: E402
from security.support import dataset_hash  # noqa: E402

DATASET = ('<https://data.europa.eu/88u/dataset/probe-{n}> a dcat:Dataset ; dct:title "Probe data set {n} with a '
           'title long enough to make the feed weigh something"@en ; dct:description "A data set written for the '
           'disk-full tests, number {n}."@en .\n')
HEADER = "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n"


def feed(path: Path, count: int, start: int = 0) -> Path:
    path.write_text(HEADER + "".join(DATASET.format(n=n) for n in range(start, start + count)), encoding="utf-8")
    return path


def fill(disk: Path, leave: int) -> None:
    """Write a filler file until only ``leave`` bytes are free on the disk."""
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    with open(disk / "filler", "wb") as out:
        remaining = max(free - leave, 0)
        while remaining > 0:
            block = min(remaining, 1 << 20)
            out.write(bytes(block))
            remaining -= block


def limit(size: int):
    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return limited


def main(operation: str, workdir: Path) -> None:
    disk = workdir / "disk"
    disk.mkdir(parents=True, exist_ok=True)
    tmpfs = os.environ.get("EUAIGRAPH_FULL_DISK") != "fsize" and os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=160m", "tmpfs", str(disk)], capture_output=True).returncode == 0
    home = disk / "store"
    spec = registry.get("data-europa")
    with EmbeddedStore(home, writable=True) as store:
        ingest(store, spec, Feed.from_path(feed(workdir / "previous.ttl", 4_000)))
        before = dataset_hash(store, include_meta=False)
        store.backup(disk / "backup")
    targets = {"ingest": None, "export": disk / "out.trig", "snapshot": disk / "out.zip",
               "backup": disk / "new-backup", "restore": None}
    arguments = {"ingest": ["ingest", "data-europa", "--file", str(feed(workdir / "big.ttl", 40_000, 50_000)),
                            "--no-warm"],
                 "export": ["export", "-o", str(targets["export"])],
                 "snapshot": ["export", "-f", "snapshot", "-o", str(targets["snapshot"])],
                 "backup": ["backup", str(targets["backup"])],
                 "restore": ["restore", str(disk / "backup")]}[operation]
    if tmpfs:
        # room to open the store for writing (ingest, restore) or reading, not to finish the command
        fill(disk, 1536 * 1024 if operation in ("ingest", "restore") else 128 * 1024)
    done = subprocess.run([sys.executable, "-m", "euaigraph.graph.cli", "--store", str(home), *arguments],
                          capture_output=True, text=True, env={**os.environ, "COLUMNS": "250", "NO_COLOR": "1"},
                          preexec_fn=None if tmpfs else limit(128 * 1024 if operation in ("backup", "restore")
                                                              else 1 << 20))
    (disk / "filler").unlink(missing_ok=True)
    with EmbeddedStore(home, writable=True) as store:
        after = dataset_hash(store, include_meta=False)
    target = targets[operation]
    left = sorted(p.name for p in disk.iterdir() if ".partial" in p.name or (target and p.name == target.name))
    print(json.dumps({"disk": "tmpfs" if tmpfs else "RLIMIT_FSIZE", "code": done.returncode, "stdout": done.stdout,
                      "stderr": done.stderr, "before": before, "after": after, "left": left}))
    if tmpfs:
        subprocess.run(["umount", str(disk)], check=False)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
