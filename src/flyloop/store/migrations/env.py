"""Alembic environment: flyloop runs migrations itself (``Store(..., migrate=True)``) on the
connection it hands over, so there is no alembic.ini to keep in sync."""

from alembic import context

from flyloop.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
