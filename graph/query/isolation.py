"""Cutting a process off the network, so that what it runs cannot call another host whatever the guard let through
(decision 0012).

Two real mechanisms, tried in this order:

1. a new network namespace (``unshare(CLONE_NEWNET)`` as root, ``CLONE_NEWUSER|CLONE_NEWNET`` otherwise): the
   process then sees one loopback interface, down, and nothing else; every connection fails with "network is
   unreachable";
2. a seccomp filter that refuses to create IP and packet sockets (``socket(AF_INET/AF_INET6/AF_PACKET)``) and
   io_uring (which could open sockets behind the filter's back), for kernels that refuse new namespaces.

If neither works the caller gets :class:`IsolationError` and must refuse to run queries: a worker never runs
unprotected. ``EUAIGRAPH_WORKER_ISOLATION`` picks one mechanism (``netns`` or ``seccomp``) instead of the first that
works. Linux only; the functions change the calling process for good and are meant for a fresh, single-threaded
one (a user namespace cannot be entered by a process with threads).
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import platform
import socket
import struct

from euaigraph.graph import settings

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
_SIOCGIFFLAGS, _SIOCSIFFLAGS, _IFF_UP = 0x8913, 0x8914, 0x1
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_RET_ALLOW, _RET_EPERM = 0x7FFF0000, 0x00050000 | errno.EPERM
#: machine -> (AUDIT_ARCH value, socket syscall, io_uring_setup syscall)
_ARCH = {"x86_64": (0xC000003E, 41, 425), "aarch64": (0xC00000B7, 198, 425)}


class IsolationError(RuntimeError):
    """This process could not be cut off the network."""


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _unshare(flags: int) -> None:
    if _libc().unshare(ctypes.c_int(flags)) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))


def _map_own_ids() -> None:
    """Inside a new user namespace, keep our own uid and gid (files we create keep their owner)."""
    uid, gid = os.getuid(), os.getgid()
    try:
        with open("/proc/self/setgroups", "w") as out:
            out.write("deny")
        with open("/proc/self/uid_map", "w") as out:
            out.write(f"{uid} {uid} 1")
        with open("/proc/self/gid_map", "w") as out:
            out.write(f"{gid} {gid} 1")
    except OSError:  # only cosmetic: access checks use the real ids whatever the map says
        pass


def new_network_namespace() -> str:
    """Move this process into a network namespace of its own (loopback only, down). Returns what was done."""
    uid, gid = os.getuid(), os.getgid()
    try:
        _unshare(CLONE_NEWNET)
        return "network namespace"
    except OSError as as_is:
        try:
            _unshare(CLONE_NEWUSER | CLONE_NEWNET)
        except OSError as with_user:
            raise IsolationError(f"no network namespace ({as_is.strerror}; in a user namespace: "
                                 f"{with_user.strerror})") from None
    if (uid, gid) != (os.getuid(), os.getgid()):
        _map_own_ids()
    return "network namespace (in a user namespace)"


def loopback_up() -> None:
    """Bring up the loopback interface of this (new) network namespace, for a server that listens on it."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(sock, _SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, _SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | _IFF_UP))


def _filter(audit_arch: int, socket_nr: int, io_uring_nr: int) -> bytes:
    """The seccomp BPF program: refuse socket(AF_INET|AF_INET6|AF_PACKET), io_uring and foreign ABIs."""
    ld, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_JMP|JGE|K, BPF_RET|K
    program = [
        (ld, 0, 0, 4),                          # 0: A = arch
        (jeq, 1, 0, audit_arch),                # 1: native ABI? go on at 3
        (ret, 0, 0, _RET_EPERM),                # 2: another ABI: refuse every call
        (ld, 0, 0, 0),                          # 3: A = syscall number
        (jge, 7, 0, 0x40000000),                # 4: x32 calls -> refuse (12)
        (jeq, 6, 0, io_uring_nr),               # 5: io_uring_setup -> refuse (12)
        (jeq, 0, 4, socket_nr),                 # 6: socket? go on at 7, else allow (11)
        (ld, 0, 0, 16),                         # 7: A = first argument (the address family)
        (jeq, 3, 0, socket.AF_INET),            # 8 -> 12
        (jeq, 2, 0, socket.AF_INET6),           # 9 -> 12
        (jeq, 1, 0, getattr(socket, "AF_PACKET", 17)),  # 10 -> 12
        (ret, 0, 0, _RET_ALLOW),                # 11
        (ret, 0, 0, _RET_EPERM),                # 12
    ]
    return b"".join(struct.pack("HBBI", *instruction) for instruction in program)


def deny_ip_sockets() -> str:
    """Install the seccomp filter of :func:`_filter` for this process and all it starts. Returns what was done."""
    numbers = _ARCH.get(platform.machine())
    if numbers is None:
        raise IsolationError(f"no seccomp filter for the {platform.machine()} architecture")
    code = _filter(*numbers)
    instructions = ctypes.create_string_buffer(code, len(code))

    class _Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    program = _Program(len(code) // 8, ctypes.cast(instructions, ctypes.c_void_p))
    libc = _libc()
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or \
            libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0) != 0:
        raise IsolationError(f"no seccomp filter ({os.strerror(ctypes.get_errno())})")
    return "seccomp filter on IP sockets"


_METHODS = {"netns": new_network_namespace, "seccomp": deny_ip_sockets}


def check_cut_off() -> None:
    """Raise :class:`IsolationError` unless connecting anywhere (even to this machine) fails before any packet."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.settimeout(1)
            probe.connect(("127.0.0.1", 9))
    except OSError as exc:
        if exc.errno in (errno.ENETUNREACH, errno.EPERM, errno.EACCES, errno.EAFNOSUPPORT):
            return
        raise IsolationError(f"the process can still reach 127.0.0.1 ({exc.strerror or exc})") from None
    raise IsolationError("the process can still connect to 127.0.0.1")


def cut_off(how: str | None = None) -> str:
    """Cut this process off the network by the first mechanism that works (or by ``how``: ``netns``/``seccomp``,
    default ``$EUAIGRAPH_WORKER_ISOLATION`` or ``auto``), check it, and return what was done."""
    how = how or settings.current().worker_isolation
    if how != "auto" and how not in _METHODS:
        raise IsolationError(f"unknown isolation {how!r}: use auto, netns or seccomp")
    reasons = []
    for name in (list(_METHODS) if how == "auto" else [how]):
        try:
            done = _METHODS[name]()
        except IsolationError as exc:
            reasons.append(str(exc))
            continue
        check_cut_off()
        return done
    raise IsolationError("this process cannot be cut off the network (" + "; ".join(reasons) + "); it refuses "
                         "to run queries rather than run them where they could call another host")


__all__ = ["IsolationError", "check_cut_off", "cut_off", "deny_ip_sockets", "loopback_up", "new_network_namespace"]
