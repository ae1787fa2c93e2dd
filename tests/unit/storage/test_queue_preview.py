"""The small copy each cell's entry in ComfyUI's queue and history shows: its name says which
cell of which experiment, and nothing a user typed into a label reaches the path."""
from __future__ import annotations

from PIL import Image

from xyz_studio.protocol import Job, JobRole
from xyz_studio.storage.thumbnails import QUEUE_PREVIEW_SIZE, queue_preview_name, write_queue_preview

EXPERIMENT = "20261201-101500-a1b2c3"


def cell(labels: dict[str, str], experiment: str = EXPERIMENT) -> Job:
    return Job(experiment=experiment, role=JobRole.CELL, index=4, run_order=3, x=1, y=0, z=0, labels=labels)


def test_the_name_says_which_experiment_and_which_cell():
    assert queue_preview_name(cell({"x": "2", "y": "red"})) == f"XYZ {EXPERIMENT} cell 4 - x=2, y=red.jpg"


def test_labels_cannot_leave_the_folder_or_read_as_an_annotation():
    name = queue_preview_name(cell({"x": "../../etc/passwd", "y": "a\\b:c", "z": "x [output]"}))
    assert "/" not in name and "\\" not in name and ".." not in name and ":" not in name
    assert "[" not in name and "]" not in name
    assert name.endswith(".jpg")


def test_long_and_wide_labels_keep_the_name_within_a_file_name():
    name = queue_preview_name(cell({"x": "漢字" * 200, "y": "🙂" * 200, "z": "a" * 500}))
    assert len(name.encode()) <= 255
    assert name.startswith(f"XYZ {EXPERIMENT} cell 4 - x=漢字")


def test_the_copy_is_small_and_named_by_its_reference(tmp_path):
    image = Image.new("RGB", (1024, 512), (200, 30, 40))
    ref = write_queue_preview(tmp_path, cell({"x": "2"}), image)
    assert ref == {"filename": f"XYZ {EXPERIMENT} cell 4 - x=2.jpg", "subfolder": f"xyz_studio/{EXPERIMENT}",
                   "type": "temp"}
    with Image.open(tmp_path / ref["subfolder"] / ref["filename"]) as written:
        assert written.format == "JPEG" and max(written.size) == QUEUE_PREVIEW_SIZE
        assert written.size == (QUEUE_PREVIEW_SIZE, QUEUE_PREVIEW_SIZE // 2)
    assert image.size == (1024, 512)  # the cell's own image is left as it was, for the writer


def test_a_small_or_grey_cell_is_copied_as_it_is(tmp_path):
    ref = write_queue_preview(tmp_path, cell({}), Image.new("L", (64, 48), 128))
    assert ref is not None and ref["filename"] == f"XYZ {EXPERIMENT} cell 4.jpg"
    with Image.open(tmp_path / ref["subfolder"] / ref["filename"]) as written:
        assert written.size == (64, 48) and written.mode == "RGB"


def test_a_job_that_is_not_ours_writes_nothing(tmp_path):
    assert write_queue_preview(tmp_path, cell({}, experiment="../../elsewhere"), Image.new("RGB", (8, 8))) is None
    assert list(tmp_path.iterdir()) == []
