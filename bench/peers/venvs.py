"""The peers' virtualenvs, one per peer under bench/.venvs/ (ignored by git), made with
``python -m venv`` and filled by pip from the package index, at the versions pinned here:
``python -m bench.peers.venvs`` (``make bench`` runs it through ``bench/bench_peers.py``). A venv
whose peer is already at its pinned version is left as it is.

The pins are the versions measured in BENCHMARKS.md. MLflow 3.18.0 is listed in the index but
cannot be installed (it needs mlflow-tracing 3.18.0, which the index does not have), so MLflow is
pinned at 3.17.2, the newest that installs."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

VENVS = Path(__file__).resolve().parents[2] / "bench" / ".venvs"

# peer -> the requirements pip installs; the first names the peer's own package (checked for).
PINS: dict[str, tuple[str, ...]] = {
    "mlflow": ("mlflow==3.17.2",),
    "phoenix": ("arize-phoenix==20.26.1", "arize-phoenix-client==3.5.0"),
}


def python(peer: str) -> Path:
    return VENVS / peer / "bin" / "python"


def installed(peer: str) -> dict[str, str]:
    """The versions of the pinned packages in ``peer``'s venv (empty when there is none)."""
    if not python(peer).exists():
        return {}
    names = [pin.split("==")[0] for pin in PINS[peer]]
    script = (
        "import json, sys\nfrom importlib.metadata import version, PackageNotFoundError\nout = {}\n"
        "for name in sys.argv[1:]:\n    try:\n        out[name] = version(name)\n"
        "    except PackageNotFoundError:\n        pass\nprint(json.dumps(out))"
    )
    answer = subprocess.run([str(python(peer)), "-c", script, *names], capture_output=True, text=True)
    return json.loads(answer.stdout) if answer.returncode == 0 else {}


def ensure(peer: str, log: Path | None = None) -> dict[str, str]:
    """Make ``peer``'s venv if its pins are not all installed; returns the installed versions.
    RuntimeError with pip's last lines when the install fails (a version missing from the index,
    a build that needs the internet)."""
    wanted = {pin.split("==")[0]: pin.split("==")[1] for pin in PINS[peer]}
    if installed(peer) == wanted:
        return wanted
    if not python(peer).exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENVS / peer)], check=True)
    log = log or VENVS / f"{peer}-install.log"
    with open(log, "w") as out:
        done = subprocess.run(
            [str(python(peer)), "-m", "pip", "install", "--disable-pip-version-check", *PINS[peer]],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    if done.returncode != 0:
        lines = [line for line in log.read_text().splitlines() if "is ignored" not in line]
        raise RuntimeError(f"pip install {' '.join(PINS[peer])} failed: " + " / ".join(lines[-3:]))
    return installed(peer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("peers", nargs="*", default=list(PINS), help=f"some of {', '.join(PINS)} (default: all)")
    args = parser.parse_args()
    failed = False
    for peer in args.peers:
        try:
            print(f"{peer}: {ensure(peer)}")
        except RuntimeError as error:
            print(f"{peer}: {error}", file=sys.stderr)
            failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
