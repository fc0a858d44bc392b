"""The small instruct model driven directly (transformers, PEFT, TRL) for the arms that are not
flyloop: batched greedy answers and a LoRA SFT run with flyloop's own CPU defaults.

The naive and oracle arms train the way flyloop's ``finetune`` loop does
(:mod:`flyloop.improve.lora`): a fresh adapter on the base model each round, rank, alpha, target
modules, learning rate and batch from :mod:`flyloop.improve.lora_config`, the same number of
steps (a flag of the benchmark), rows in the chat form they are served in (the system prompt,
the question, the answer as the assistant's turn). Only what is trained on differs.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

SYSTEM = "Reply with the number only."


def messages(question: str, system: str = SYSTEM) -> list[dict[str, str]]:
    return [{"role": "system", "content": system}, {"role": "user", "content": question}]


class LocalModel:
    """The base model (and, after :meth:`train`, base plus this round's adapter), in memory."""

    def __init__(self, folder: Path, *, max_new_tokens: int, batch_size: int = 32) -> None:
        import torch
        import transformers

        self.folder = folder
        self.max_new_tokens = max_new_tokens
        self.batch_size = batch_size
        self._torch = torch
        self.tokenizer = transformers.AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.base = transformers.AutoModelForCausalLM.from_pretrained(
            str(folder), local_files_only=True, dtype=torch.float32
        )
        self.model: Any = self.base
        self.version = "base"

    def answer(self, questions: list[str]) -> list[str]:
        """Greedy answers, left-padded batches sorted by length (fewer pad tokens to compute)."""
        torch = self._torch
        tok = self.tokenizer
        encoded = [
            list(
                tok.apply_chat_template(messages(q), add_generation_prompt=True, tokenize=True, return_dict=True)[
                    "input_ids"
                ]
            )
            for q in questions
        ]
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
        out: list[str] = [""] * len(encoded)
        self.model.eval()
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            width = max(len(encoded[i]) for i in rows)
            ids = torch.full((len(rows), width), tok.pad_token_id, dtype=torch.long)
            mask = torch.zeros((len(rows), width), dtype=torch.long)
            for r, i in enumerate(rows):
                ids[r, width - len(encoded[i]) :] = torch.tensor(encoded[i], dtype=torch.long)
                mask[r, width - len(encoded[i]) :] = 1
            with torch.inference_mode():
                generated = self.model.generate(
                    input_ids=ids,
                    attention_mask=mask,
                    max_new_tokens=self.max_new_tokens,
                    do_sample=False,
                    temperature=None,
                    top_p=None,
                    top_k=None,
                    pad_token_id=tok.pad_token_id,
                )
            for r, i in enumerate(rows):
                out[i] = tok.decode(generated[r, width:], skip_special_tokens=True).strip()
        return out

    def train(
        self,
        rows: list[tuple[str, str]],
        *,
        steps: int,
        seed: int,
        max_length: int,
        learning_rate: float | None = None,
    ) -> dict[str, Any]:
        """A fresh LoRA SFT adapter on the base model over ``rows`` (question, answer): flyloop's
        CPU defaults (``learning_rate`` None: its SFT rate), ``steps`` optimizer steps. The model
        then answers with it."""
        import peft
        import transformers
        import trl

        from datasets import Dataset
        from flyloop.improve.lora_config import CPU_BATCH, DEFAULTS, LEARNING_RATES

        transformers.set_seed(seed)
        data = Dataset.from_list(
            [{"prompt": messages(q), "completion": [{"role": "assistant", "content": a}]} for q, a in rows]
        )
        lora = peft.LoraConfig(
            r=DEFAULTS["rank"],
            lora_alpha=DEFAULTS["alpha"],
            target_modules=DEFAULTS["target_modules"],
            lora_dropout=0.0,
            bias="none",
            task_type="CAUSAL_LM",
        )
        # The adapter of last round goes: each round trains afresh on everything gathered so far,
        # as flyloop's loop does on its newest dataset version.
        if isinstance(self.model, peft.PeftModel):
            self.model = self.model.unload()
        self.base = self.model
        with tempfile.TemporaryDirectory(prefix="flywheel-assistant-") as folder:
            config = trl.SFTConfig(
                output_dir=folder,
                max_steps=steps,
                per_device_train_batch_size=CPU_BATCH,
                learning_rate=learning_rate or LEARNING_RATES["sft"],
                max_length=max_length,
                seed=seed,
                data_seed=seed,
                bf16=False,
                gradient_checkpointing=False,
                use_cpu=True,
                logging_steps=1,
                save_strategy="no",
                report_to=[],
                disable_tqdm=True,
                dataloader_num_workers=0,
            )
            trainer = trl.SFTTrainer(
                model=self.base, args=config, train_dataset=data, processing_class=self.tokenizer, peft_config=lora
            )
            started = time.perf_counter()
            result = trainer.train()
            seconds = time.perf_counter() - started
        self.model = trainer.model
        self.version = f"lora-sft-{len(rows)}"
        return {"train_rows": len(rows), "steps": int(result.global_step), "seconds": round(seconds, 1),
                "train_loss": round(float(result.training_loss), 4)}  # fmt: skip
