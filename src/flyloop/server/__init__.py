"""The HTTP API (``flyloop serve``): ingest, labels, datasets and privacy routers over one store,
with the request guard, per-key rate limits and the OpenAPI document."""

from .app import create_app, serve

__all__ = ["create_app", "serve"]
