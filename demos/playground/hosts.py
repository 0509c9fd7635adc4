"""Which ``Host`` headers the playground's server answers to: what defeats DNS rebinding."""

from __future__ import annotations

import ipaddress
import socket

__all__ = ["hosts_answered"]


def hosts_answered(host: str, port: int, allow_hosts: tuple[str, ...] = ()) -> set[str]:
    """Every ``Host`` header this server answers to (``name:port``, lower case)."""
    names = {"127.0.0.1", "localhost", "[::1]"}
    wildcard = host in ("0.0.0.0", "::", "")
    if not wildcard:
        names.add(_bracketed(host))
    else:  # every name and address of this machine
        for name in {socket.gethostname(), socket.getfqdn()}:
            names.add(name)
            try:
                for *_, address in socket.getaddrinfo(name, None):
                    names.add(_bracketed(address[0]))
            except OSError:
                pass
    for allowed in allow_hosts:
        names.add(allowed if ":" in allowed.strip("[]") and allowed.startswith("[") else _bracketed(allowed))
    found = set()
    for name in names:
        name = name.lower()
        found.add(name if name.endswith(f":{port}") and not name.endswith("]") else f"{name}:{port}")
    return found


def _bracketed(host: str) -> str:
    """An IPv6 address as a Host header writes it, in brackets; anything else as it is."""
    try:
        return f"[{host}]" if ipaddress.ip_address(host).version == 6 else host
    except ValueError:
        return host
