"""Image metrics computed inside the cell's graph, with nothing downloaded: numpy in, a float out.

Each module holds one metric's maths and says what it measures and where it misleads; the nodes
in nodes/image_metric_nodes.py feed them a cell's image as the Grid Assembler saves it (8-bit),
so a value can be recomputed from the cell's PNG.
"""
