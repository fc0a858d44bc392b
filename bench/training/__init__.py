"""The training benchmark's parts (``python bench/bench_training.py --part NAME``): each module
has ``run(args) -> (figures, markdown)``; the driver writes each part's section and merges every
part's figures into ``bench/results/training.json``."""
