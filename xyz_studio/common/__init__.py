"""Small pieces any layer of the core may use, knowing nothing of experiments: a lazily started
worker thread with a queue (`background.py`). They import nothing else of the pack."""
