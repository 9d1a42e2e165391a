"""The web service: ``create_app(settings)`` (app.py), routers, the staff web UI; see docs/service.md."""
