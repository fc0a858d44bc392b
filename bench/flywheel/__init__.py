"""The flywheel benchmark (issue 15): a simulated product run through the whole wheel for several
rounds, arms side by side on the same seeded traffic, accuracy measured by the harness on a
held-out set whose truth the system never sees.

- :mod:`bench.flywheel.data`: the labelled mail (SpamAssassin's time split, or any JSONL file);
- :mod:`bench.flywheel.population`: the simulated users and how they react;
- :mod:`bench.flywheel.arms`: the arm interface, static, naive and oracle;
- :mod:`bench.flywheel.flyloop_arm`: flyloop's arm (public interfaces only) and its ablations;
- :mod:`bench.flywheel.seeded`: the seed's project keys and event ids, so a run reproduces;
- :mod:`bench.flywheel.run`: the rounds, the table, the JSON, the plot.

The entry point is ``bench/bench_flywheel.py``.
"""
