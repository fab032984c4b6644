"""A full disk (or a file-size limit) during ingest, export, snapshot export, backup and restore through the
command line: each ends with exit code 1 and an ``error:`` line, never a traceback; the dataset is unchanged and
nothing is left at the command's target (no half export, backup or ``.partial`` file). See ``full_disk.py``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HELPER = Path(__file__).with_name("full_disk.py")
OPERATIONS = ["ingest", "export", "snapshot", "backup", "restore"]
CAN_MOUNT = os.geteuid() == 0 and shutil.which("unshare") is not None


def run(operation: str, workdir: Path, disk: str) -> dict:
    command = [sys.executable, str(HELPER), operation, str(workdir)]
    env = dict(os.environ)
    if disk == "tmpfs":
        command = ["unshare", "--mount", "--propagation", "private", *command]
    else:
        env["EUAIGRAPH_FULL_DISK"] = "fsize"
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize("disk", ["tmpfs", "fsize"])
@pytest.mark.parametrize("operation", OPERATIONS)
def test_full_disk_is_a_clean_error_with_the_data_intact(operation, disk, tmp_path):
    """Input: the command on a store whose disk is full (a 160 MB tmpfs filled but for a little room, as root; or
    RLIMIT_FSIZE of 1 MB). Expected: exit code 1, ``error:`` naming the cause, no traceback, the dataset (meta
    graph aside) identical, no file at the target and no ``.partial`` left."""
    if disk == "tmpfs" and not CAN_MOUNT:
        pytest.skip("mounting a tmpfs needs root (CI runs as root); the RLIMIT_FSIZE case runs here")
    report = run(operation, tmp_path, disk)
    assert report["disk"] == ("tmpfs" if disk == "tmpfs" else "RLIMIT_FSIZE")
    output = report["stdout"] + report["stderr"]
    assert report["code"] == 1, output
    assert "error:" in report["stderr"]
    assert "No space left on device" in output or "File too large" in output, output
    assert "Traceback" not in output
    assert report["after"] == report["before"]
    assert report["left"] == []
