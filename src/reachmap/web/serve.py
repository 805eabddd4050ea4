"""Running the app with uvicorn (``reachmap serve``).

The settings go to the app through ``REACHMAP_WEB_*`` environment variables and
uvicorn builds it with :func:`reachmap.web.app.factory` in each worker process. The
address is checked before uvicorn starts, so a port in use is one line (exit 2), not
a traceback from a worker.
"""

from __future__ import annotations

import errno
import os
import socket

from reachmap.errors import InputError
from reachmap.web.settings import Settings

__all__ = ["check_address", "serve"]


def check_address(host: str, port: int) -> None:
    """Raise :class:`InputError` if ``host:port`` cannot be listened on."""
    if not 0 < port < 65536:
        raise InputError(f"--port {port} is outside 1..65535")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as err:
        raise InputError(f"--host {host!r} is not an address of this machine ({err})") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                raise InputError(
                    f"port {port} on {host} is in use (another server?); give another --port"
                ) from None
            if err.errno == errno.EACCES:
                raise InputError(
                    f"no permission to listen on port {port}; give a --port above 1023"
                ) from None
            raise InputError(f"cannot listen on {host}:{port}: {err.strerror}") from None


def serve(settings: Settings) -> None:
    """Serve the app until interrupted."""
    import uvicorn

    if settings.workers < 1:
        raise InputError(f"--workers {settings.workers}: give at least 1")
    check_address(settings.host, settings.port)
    os.environ.update(settings.to_env())
    uvicorn.run(
        "reachmap.web.app:factory",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level="warning",
        server_header=False,
        proxy_headers=False,
    )
