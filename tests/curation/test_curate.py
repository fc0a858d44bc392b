"""The curation pipeline (flyloop.curation.curate): from stored events to trustworthy examples, with its report."""

from __future__ import annotations
