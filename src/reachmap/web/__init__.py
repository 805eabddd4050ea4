"""The web interface: a FastAPI JSON API over :mod:`reachmap` (``reachmap serve``).

Layer 7 like :mod:`reachmap.cli`: it may import everything below. Build the app with
:func:`reachmap.web.app.create_app` (``from reachmap.web.app import create_app``);
importing this package alone loads no web framework.
"""
