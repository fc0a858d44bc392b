"""What the app calls: the Flywheel client (local or over HTTP), its background sender, the spool
and journal that keep undelivered events, and the project handle whose verbs work the same
against the local store and a server."""

from .client import AsyncFlywheel, Flywheel, Interaction
from .project import Project

__all__ = ["AsyncFlywheel", "Flywheel", "Interaction", "Project"]
