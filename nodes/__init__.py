"""The pack's V3 node classes (thin: the work is done in ../xyz_studio)."""
from __future__ import annotations

from .axis_node import XYZAxis
from .grid_assembler_node import GridAssembler
from .grid_driver_node import GridDriver

NODES = [XYZAxis, GridDriver, GridAssembler]

__all__ = ["NODES", "XYZAxis", "GridDriver", "GridAssembler"]
