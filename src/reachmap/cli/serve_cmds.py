"""``reachmap serve``: the web app and JSON API on http://127.0.0.1:8000 (thin over
:mod:`reachmap.web.serve`; the web framework is imported only when the command runs)."""

from __future__ import annotations

from typing import Annotated

import typer

from reachmap.cli.app import app


@app.command("serve")
def serve_command(
    host: Annotated[
        str, typer.Option(help="Address to listen on (the loopback interface by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    db: Annotated[
        str | None,
        typer.Option(
            help="Scenarios store: SQLAlchemy URL (default: SQLite in the user data dir)."
        ),
    ] = None,
    workers: Annotated[int, typer.Option(help="Server processes.")] = 1,
) -> None:
    """Serve the web app and JSON API (docs/web.md) until Ctrl-C."""
    from reachmap.store import ScenarioStore
    from reachmap.web.serve import check_address, serve
    from reachmap.web.settings import Settings

    settings = Settings(host=host, port=port, db_url=db, workers=workers)
    ScenarioStore.open(db).close()  # a bad --db is one line (exit 2), before listening
    check_address(host, port)
    print(f"reachmap: serving on http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    serve(settings)
