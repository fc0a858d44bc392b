"""The ingest benchmark's BENCHMARKS.md section (``bench/bench_ingest.py``), rendered from its
figures alone (``report``), so ``--render`` and ``--sdk-only`` can rewrite it from the saved JSON."""

from __future__ import annotations

from typing import Any


def durable_row(figures: dict[str, Any]) -> str:
    if "sdk_durable_log_p50_us" not in figures:
        return ""
    return (
        f"| SDK `log` in durable mode (`sdk_durable`: one journal `write()` per call, no fsync), p50 / p99 / p99.9, "
        f"{figures['sdk_durable_log_calls']:,} calls at {figures['sdk_durable_log_rate_per_s']:,}/s | "
        f"{figures['sdk_durable_log_p50_us']} / {figures['sdk_durable_log_p99_us']} / "
        f"{figures['sdk_durable_log_p999_us']} us | p50 <= 10 |\n"
    )


def postgres_row(figures: dict[str, Any]) -> str:
    if "pg_http_signals_per_s" not in figures:
        return ""
    return (
        f"| extra: the same deployment on PostgreSQL 15 (its server on the same 2 cores), acknowledged / labelled "
        f"| {figures['pg_http_signals_per_s']:,} / {figures['pg_http_labelled_signals_per_s']:,} signals/s | |\n"
    )


def report(figures: dict[str, Any]) -> str:
    """The BENCHMARKS.md section for these figures."""
    pg_rounds = (
        f"; PostgreSQL acknowledged {figures['pg_rounds']}, labelled {figures['pg_labelled_rounds']}"
        if "pg_rounds" in figures
        else ""
    )
    return f"""
| figure | measured | target |
|---|---|---|
| HTTP batch ingest, SQLite `synchronous=FULL`, batches of 500: `flyloop serve` beside a `flyloop worker` | \
{figures["http_signals_per_s"]:,} signals/s acknowledged | >= 20,000 |
| raw `sqlite3` `executemany`, same rows and schema, WAL + FULL, commit per 500 | {figures["raw_sqlite_rows_per_s"]:,} \
rows/s | |
| ratio HTTP / raw: median of the per-round ratios (each round's two figures taken back to back); ratio of the medians \
| {figures["http_to_raw_ratio"]}; {figures.get("http_to_raw_ratio_of_medians", "-")} | >= 0.25 |
| the same rounds until the worker had labelled every signal (acknowledged and labelled) | \
{figures["http_labelled_signals_per_s"]:,} signals/s | |
| extra: plain `flyloop serve`, labelling in the same process every second | \
{figures["http_single_process_signals_per_s"]:,} signals/s | |
{postgres_row(figures)}| extra: HTTP, capture core only (no privacy gate, no labels) | \
{figures["http_core_signals_per_s"]:,} signals/s, ratio {figures["http_core_to_raw_ratio"]} | |
| extra: CPU per signal, serve / worker (full deployment) | {figures["serve_cpu_us_per_signal"]} / \
{figures["worker_cpu_us_per_signal"]} us | |
| extra: in-process cost per signal: parse / gates / store / listeners | {figures["stage_parse_us_per_signal"]} / \
{figures["stage_gates_us_per_signal"]} / {figures["stage_store_us_per_signal"]} / \
{figures["stage_listeners_us_per_signal"]} us | |
| HTTP interactions (extra: before the signals) | {figures["http_interactions_per_s"]:,} interactions/s | |
| SDK `log` on the app thread, p50 / p99 / p99.9 ({figures["sdk_log_calls"]:,} calls at \
{figures["sdk_log_rate_per_s"]:,}/s, sender draining) | {figures["sdk_log_p50_us"]} / {figures["sdk_log_p99_us"]} / \
{figures["sdk_log_p999_us"]} us | p50 < 20, p99 < 200 |
{durable_row(figures)}| peak RSS, {figures["signals_1m"]:,} signals (and {figures["interactions_1m"]:,} interactions: \
a day of 20,000 users' traffic) through the SDK: server / SDK client | {figures["rss_server_mb_1m"]} / \
{figures["rss_client_mb_1m"]} MB | < 500 |

Rounds (medians above): acknowledged {figures["full_rounds"]} signals/s; labelled {figures["labelled_rounds"]};
single process {figures["single_rounds"]}; core {figures["core_rounds"]}; raw {figures["raw_rounds"]} rows/s{pg_rounds}.
{figures["http_client_threads"]} keep-alive `http.client` connections send pre-encoded batches (the load generator \
shares
the 2 cores; httpx would spend about 3 ms of CPU on each 60 kB request). Each round first stores
{figures.get("round_interactions", 12_500):,} new interactions (untimed, and labelled before the clock starts), then \
times {figures.get("round_signals", 50_000):,} signals
about them, four each: signal n names interaction n mod {figures.get("round_interactions", 12_500):,}, so every signal \
of a batch touches
a different interaction (the labeller's worst case) and each interaction is touched four times.
The worker runs throughout at its default CPU niceness (`worker_nice`, 10), sharing the 2 cores
with the server and the clients; after each round the benchmark waits until it has labelled
everything, and the labelled figure counts that wait. The single-process server labels every
second in its own process, so much of a round's labelling falls after its clock stops there.
Rounds last one to three seconds on a machine whose speed drifts, so single rounds vary by a
fifth or more: compare the medians.
Every acknowledged signal is checked to be in the store after each round. The raw figure is
SQLite's own cost for these rows (four B-tree inserts each: the table, its key and two indexes),
the floor under any server writing them durably.
In the 1M run the app's thread logged every event in {figures["sdk_1m_app_logging_s"]} s, far faster
than any server takes them, so {figures["sdk_1m_overflowed_to_spool"]:,} events overflowed the SDK's in-memory queue
(100,000 events) to its disk spool, none lost; all were stored {figures["sdk_1m_elapsed_s"]} s after the start
({figures["sdk_1m_signals_per_s"]:,} signals/s through the whole pipeline, client and server sharing the 2 cores). \
Load average before / after:
{figures["load_average_before"]} / {figures["load_average_after"]} (other work on the machine skews every figure).
{sdk_note(figures)}"""


def sdk_note(figures: dict[str, Any]) -> str:
    if "_sdk_command" not in figures:
        return ""
    return (
        f"\nThe two SDK `log` rows were measured together, later, by `{figures['_sdk_command']}` "
        f"({figures['_sdk_at']}, load average {figures.get('_sdk_load_average', '-')}); "
        "the other rows by the command above.\n"
    )
