"""Run by test_embedded.py in a subprocess that the test kills with SIGKILL in the middle of the bulk load.

Usage: ``python killed_writer.py HOME SMALL_FEED BIG_FEED``. It replaces the ``demo`` source with SMALL_FEED and
adds the ``bulk`` source from BIG_FEED in one swap, printing the loader's progress, one line at a time.
"""

import logging
import sys
from pathlib import Path

from demo_source import spec

from euaigraph.graph.store.embedded import EmbeddedStore
from euaigraph.graph.load.pipeline import ingest_many
from euaigraph.ingest.base import Feed


def main(home: str, small: str, big: str) -> None:
    # The store logs each graph it starts to bulk-load: the test waits for the big one before it kills.
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
    jobs = [(spec("demo"), Feed.from_path(Path(small))), (spec("bulk"), Feed.from_path(Path(big)))]
    with EmbeddedStore(Path(home), writable=True) as store:
        ingest_many(store, jobs, progress=lambda message: print(message, flush=True), all_or_nothing=True)
    print("finished", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
