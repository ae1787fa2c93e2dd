"""An experiment's life: starting it, queueing its prompts, saving its cells, assembling
it in its final prompt, and changing its course (cancel, resume, retry, delete, rename).
The path of a cell through these modules is in docs/architecture.md."""
