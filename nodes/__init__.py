"""The pack's V3 node classes (thin: the work is done in ../xyz_studio)."""
from __future__ import annotations

from .axis_node import XYZAxis
from .grid_assembler_node import GridAssembler
from .grid_driver_node import GridDriver
from .image_metric_nodes import BatchDiversity, Brisque, ImageCloseness, Sharpness
from .search_node import Search
from .servers_node import Servers
from .wandb_logger_node import WandbLogger

NODES = [XYZAxis, GridDriver, GridAssembler, WandbLogger, Servers, Search, Sharpness, Brisque, BatchDiversity,
         ImageCloseness]

__all__ = ["NODES", "XYZAxis", "GridDriver", "GridAssembler", "WandbLogger", "Servers", "Search",
           "Sharpness", "Brisque", "BatchDiversity", "ImageCloseness"]
