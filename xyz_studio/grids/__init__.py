"""An experiment's grids: laid out from its plan, drawn band by band, most of it while the cells come in.

`drawing` lays out one grid and writes it a band at a time; `live` draws the rows
whose cells are all in while the experiment runs; `finish` draws what is left when
the last cell is in. The pixels are the same whichever of them drew a row.
"""
