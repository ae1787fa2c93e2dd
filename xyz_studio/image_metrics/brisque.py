"""BRISQUE (Mittal, Moorthy and Bovik, 2012): a no-reference quality score from natural scene statistics.

What it measures: how far an image's local statistics are from those of undistorted photographs.
The brightness is normalised by its local mean and contrast (MSCN coefficients, a 7x7 Gaussian
window); generalised Gaussian fits of those coefficients and of their products with each of four
neighbours give 18 features, at full and half size; a support vector regressor trained on human
ratings of distorted photographs (blur, noise, JPEG, ...) maps the 36 features to a score. Lower is
better: about 0 to 100 on photographs, and it may leave that range.

This is the computation of the PyPI package `brisque` 0.2.0, with its trained model: the SVM and
the feature ranges are read from that package's files (pip install --no-deps brisque==0.2.0 is
enough: its code, OpenCV and libsvm are not imported). The half-size image is OpenCV's bicubic
resize (a = -0.75, edges repeated) and the SVM's RBF regression is evaluated here, in numpy; the
fits use scipy (a ComfyUI dependency) as the package does. Nothing is downloaded.

Limits: the model learnt what photographers' distortions look like, on photographs; generated
images (smooth skies, painted styles, tiny test models) are scored against that yardstick, so
the number ranks cells of one subject and style at best and is no aesthetic judgement. A flat
image has no statistics to fit: its score is not a number, which the Grid Assembler records as
missing. Small images give noisy fits (at least 32 pixels a side is required here).
"""
from __future__ import annotations

import functools
import io
import pickle
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

from ..errors import NotInstalled
from .pixels import checked_batch

PACKAGE, VERSION = "brisque", "0.2.0"
SVM_FILE, RANGES_FILE = "brisque/models/svm.txt", "brisque/models/normalize.pickle"
GREY_WEIGHTS = np.array([0.2125, 0.7154, 0.0721])  # scikit-image's rgb2gray, which the package uses
WINDOW, WINDOW_SIGMA = 7, 7 / 6
MIN_SIDE = 32
# OpenCV's bicubic weights (a = -0.75) at distances 1.5, 0.5, 0.5, 1.5: a half-size resize samples there
HALF_SIZE_TAPS = np.array([-0.09375, 0.59375, 0.59375, -0.09375])


@dataclass(frozen=True)
class BrisqueModel:
    gamma: float
    rho: float
    coefficients: np.ndarray   # (n,) one per support vector
    support: np.ndarray        # (n, 36)
    low: np.ndarray            # (36,) the features' ranges in training, scaled to -1..1
    high: np.ndarray


class _PlainData(pickle.Unpickler):
    """The ranges file holds a dict of lists of floats: refuse anything that would import code."""

    def find_class(self, module: str, name: str) -> type:
        raise pickle.UnpicklingError(f"{RANGES_FILE} refers to {module}.{name}; expected plain numbers")


def parse_svm(text: str) -> tuple[float, float, np.ndarray, np.ndarray]:
    """gamma, rho, coefficients and dense support vectors of a libsvm epsilon-SVR model with an RBF kernel."""
    header, _, body = text.partition("\nSV\n")
    fields = dict(line.split(" ", 1) for line in header.splitlines())
    if fields.get("svm_type") != "epsilon_svr" or fields.get("kernel_type") != "rbf":
        raise ValueError(f"{SVM_FILE}: expected an epsilon_svr model with an rbf kernel")
    rows = [line.split() for line in body.splitlines() if line.strip()]
    coefficients = np.array([float(row[0]) for row in rows])
    support = np.zeros((len(rows), 36))
    for i, row in enumerate(rows):
        for item in row[1:]:
            index, value = item.split(":")
            support[i, int(index) - 1] = float(value)
    return float(fields["gamma"]), float(fields["rho"]), coefficients, support


@functools.cache
def load_model(package: str = PACKAGE) -> BrisqueModel:
    """The trained model of the installed `package` (brisque 0.2.0's layout), read once per process."""
    try:
        dist = metadata.distribution(package)
        svm_text = Path(str(dist.locate_file(SVM_FILE))).read_text(encoding="ascii")
        ranges = _PlainData(io.BytesIO(Path(str(dist.locate_file(RANGES_FILE))).read_bytes())).load()
    except (metadata.PackageNotFoundError, OSError) as e:
        raise NotInstalled(
            f"BRISQUE needs the trained model of the PyPI package {package} {VERSION}, which is not installed "
            f"({e}); install it in ComfyUI's Python with `python -m pip install --no-deps {package}=={VERSION}` "
            "(its model files are all that is used) and restart ComfyUI") from None
    gamma, rho, coefficients, support = parse_svm(svm_text)
    return BrisqueModel(gamma, rho, coefficients, support, np.array(ranges["min_"], dtype=np.float64),
                        np.array(ranges["max_"], dtype=np.float64))


def _window() -> np.ndarray:
    y, x = np.indices((WINDOW, WINDOW)) - WINDOW // 2
    kernel = 1 / (2 * np.pi * WINDOW_SIGMA ** 2) * np.exp(-(x ** 2 + y ** 2) / (2 * WINDOW_SIGMA ** 2))
    return kernel / np.sum(kernel)


def mscn(grey: np.ndarray) -> np.ndarray:
    """Mean-subtracted, contrast-normalised coefficients (zero padding at the borders, as the package)."""
    from scipy.signal import convolve2d  # type: ignore[import-untyped]  # scipy ships no types; ComfyUI needs it

    kernel = _window()
    mean = convolve2d(grey, kernel, "same")
    deviation = np.sqrt(np.abs(mean ** 2 - convolve2d(grey ** 2, kernel, "same")))
    result: np.ndarray = (grey - mean) / (deviation + 1 / 255)
    return result


def _aggd_fit(x: np.ndarray) -> tuple[float, float, float, float]:
    """Asymmetric generalised Gaussian fit by moments: shape, mean, left and right sigma."""
    from scipy import optimize, special  # type: ignore[import-untyped]

    def mean_square(values: np.ndarray) -> float:
        return float(np.sum(values ** 2) / values.size)

    r_hat = (np.sum(np.abs(x)) / x.size) ** 2 / (np.sum(x ** 2) / x.size)
    gamma = np.sqrt(mean_square(x[x < 0])) / np.sqrt(mean_square(x[x >= 0]))
    big_r = r_hat * (gamma ** 3 + 1) * (gamma + 1) / (gamma ** 2 + 1) ** 2

    def phi(a: np.ndarray) -> np.ndarray:
        return special.gamma(2 / a) ** 2 / (special.gamma(1 / a) * special.gamma(3 / a))  # type: ignore[no-any-return]

    alpha = float(optimize.root(lambda z: phi(z) - big_r, [0.2]).x[0])
    sigma_l, sigma_r = np.sqrt(mean_square(x[x < 0])), np.sqrt(mean_square(x[x >= 0]))
    constant = np.sqrt(special.gamma(1 / alpha) / special.gamma(3 / alpha))
    mean = (sigma_r - sigma_l) * constant * (special.gamma(2 / alpha) / special.gamma(1 / alpha))
    return alpha, float(mean), float(sigma_l), float(sigma_r)


def features(grey: np.ndarray) -> list[float]:
    """The 18 features of one scale: MSCN shape and variance, then shape, mean and both variances of the
    horizontal, vertical and both diagonal neighbour products."""
    m = mscn(grey)
    alpha, _, sigma_l, sigma_r = _aggd_fit(m)
    out = [alpha, (sigma_l ** 2 + sigma_r ** 2) / 2]
    for product in (m[:, :-1] * m[:, 1:], m[:-1, :] * m[1:, :], m[:-1, :-1] * m[1:, 1:], m[1:, :-1] * m[:-1, 1:]):
        alpha, mean, sigma_l, sigma_r = _aggd_fit(product)
        out += [alpha, mean, sigma_l ** 2, sigma_r ** 2]
    return out


def _half_axis(plane: np.ndarray, axis: int) -> np.ndarray:
    """OpenCV's INTER_CUBIC resize by 0.5 along one axis: output pixel d samples at 2d + 0.5, edges repeated."""
    n = plane.shape[axis]
    size = round(n * 0.5)  # OpenCV rounds the new size half to even, as Python's round
    starts = 2 * np.arange(size)
    taps = [np.clip(starts + k - 1, 0, n - 1) for k in range(4)]
    moved = np.moveaxis(plane, axis, 0)
    out = sum(w * moved[t] for w, t in zip(HALF_SIZE_TAPS, taps))
    return np.moveaxis(np.asarray(out), 0, axis)


def half_size(grey: np.ndarray) -> np.ndarray:
    """cv2.resize(grey, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_CUBIC) for a float64 image."""
    return _half_axis(_half_axis(grey, 1), 0)


def grey_of(image: np.ndarray) -> np.ndarray:
    """Brightness 0..1 as scikit-image's rgb2gray gives it (a grey image: its own values)."""
    scaled = image.astype(np.float64) / 255.0
    return scaled[:, :, 0] if image.shape[2] == 1 else scaled[:, :, :3] @ GREY_WEIGHTS


def brisque_of(image: np.ndarray, model: BrisqueModel | None = None) -> float:
    """One image's BRISQUE score (lower is better); NaN where the statistics cannot be fitted (a flat image)."""
    model = model or load_model()
    grey = grey_of(image)
    with np.errstate(all="ignore"):  # a flat image divides 0 by 0: its score is NaN, recorded as missing
        values = np.array(features(grey) + features(half_size(grey)))
        scaled = -1 + 2.0 / (model.high - model.low) * (values - model.low)
        kernel = np.exp(-model.gamma * np.sum((model.support - scaled) ** 2, axis=1))
    return float(model.coefficients @ kernel - model.rho)


def brisque(images: list[np.ndarray], input_name: str = "image") -> float:
    """The mean BRISQUE score of a batch (lower is better)."""
    model = load_model()
    return float(np.mean([brisque_of(image, model) for image in checked_batch(images, input_name, MIN_SIDE)]))
