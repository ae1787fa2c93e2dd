"""The command line refuses a malformed --server before it tries anything."""
from __future__ import annotations

import pytest

from xyz_studio.__main__ import main


def test_a_server_without_a_scheme_is_an_argument_error(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["run", "workflow.json", "--server", "127.0.0.1:8188"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "--server" in err and "'127.0.0.1:8188'" in err and "http://host:port" in err
