"""Small pieces any layer of the core may use, knowing nothing of experiments: how numbers,
times, sizes and cells read for a person (`format.py`, the same rule as js/src/format.ts) and a
lazily started worker thread with a queue (`background.py`). They import nothing else of the pack."""
