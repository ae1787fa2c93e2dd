"""The command line refuses a malformed --server before it tries anything."""
from __future__ import annotations

import pytest

from xyz_studio.__main__ import main
from xyz_studio.runner import _bar


def test_a_server_without_a_scheme_is_an_argument_error(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["run", "workflow.json", "--server", "127.0.0.1:8188"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "--server" in err and "'127.0.0.1:8188'" in err and "http://host:port" in err


def test_the_progress_line_reads_its_times_as_the_editor_does():
    assert _bar(3, 1, 12, 12.34) == "[##########--------------------] 4/12 cells, 1 failed, 12 s, about 25 s left"
    assert _bar(12, 0, 12, 75.0) == f"[{'#' * 30}] 12/12 cells, 1:15"
