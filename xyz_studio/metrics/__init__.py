"""Per-cell metrics: numbers any node computes for a cell, wired into the Grid Assembler."""
