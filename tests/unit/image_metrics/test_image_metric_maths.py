"""The image metrics' maths against values computed once with the reference packages.

The reference values were computed on the pictures of metric_pictures.py in a scratch venv
(python 3.11, numpy 2.4.6, opencv-python-headless 5.1.0.95, ImageHash 4.3.2, scikit-image 0.26.0):

    grey = img.astype(np.float64) @ [0.299, 0.587, 0.114]
    cv2.Laplacian(grey, cv2.CV_64F, ksize=1).var()
    str(imagehash.phash(PIL.Image.fromarray(img)))
    skimage.metrics.structural_similarity(a, b, channel_axis=2, data_range=255, gaussian_weights=True,
                                          sigma=1.5, use_sample_covariance=False)
    skimage.metrics.peak_signal_noise_ratio(a, b, data_range=255)
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from metric_pictures import box_blur, flat, pattern, rings

from xyz_studio.image_metrics.closeness import psnr, ssim
from xyz_studio.image_metrics.diversity import batch_diversity, phash
from xyz_studio.image_metrics.pixels import ImageInputError
from xyz_studio.image_metrics.sharpness import laplacian_variance, sharpness


def pictures() -> dict[str, np.ndarray]:
    p, r = pattern(), rings()
    return {"pattern": p, "soft": box_blur(p), "rings": r, "rings_t": np.ascontiguousarray(r.transpose(1, 0, 2)),
            "pattern_dark": (p // 2).astype(np.uint8)}


# name: (cv2 Laplacian variance, imagehash pHash)
OPENCV_AND_IMAGEHASH = {
    "pattern": (21190.127186758942, "c9c031c81fbafea8"),
    "soft": (260.80980648849584, "c1c0314c1fbafeb8"),
    "rings": (0.5038318722558583, "d56714473d4d512d"),
    "rings_t": (0.5038318722558583, "80d649aa0dfd50df"),
    "pattern_dark": (5292.433693251562, "c9c0314c1fbafea8"),
}
# (a, b): (skimage SSIM, skimage PSNR)
SKIMAGE = {
    ("pattern", "soft"): (0.6170033047603277, 13.256806012608049),
    ("pattern", "pattern_dark"): (0.6566960739514018, 10.425966153879076),
    ("rings", "pattern"): (0.02973334028621206, 5.761391276862927),
}


@pytest.mark.parametrize("name", sorted(OPENCV_AND_IMAGEHASH))
def test_laplacian_variance_is_opencvs_and_the_phash_is_imagehashs(name):
    image = pictures()[name]
    expected_variance, expected_hash = OPENCV_AND_IMAGEHASH[name]
    assert laplacian_variance(image) == pytest.approx(expected_variance, rel=1e-12)
    assert np.packbits(phash(image)).tobytes().hex() == expected_hash


def test_blurring_lowers_sharpness_and_a_batch_reads_its_mean():
    p = pattern()
    values = [laplacian_variance(p), laplacian_variance(box_blur(p, 1)), laplacian_variance(box_blur(p, 2)),
              laplacian_variance(box_blur(p, 4))]
    assert values == sorted(values, reverse=True) and values[-1] < values[0] / 50
    assert laplacian_variance(flat(77)) == 0.0
    assert sharpness([p, box_blur(p)]) == pytest.approx((values[0] + values[2]) / 2)
    # a grey (one channel) image reads as its own brightness, an alpha channel is ignored
    grey = (p.astype(np.float64) @ [0.299, 0.587, 0.114]).round().astype(np.uint8)
    assert sharpness([grey[:, :, None]]) == pytest.approx(laplacian_variance(np.repeat(grey[:, :, None], 3, axis=2)),
                                                         rel=1e-12)  # weights summing to 1 in floats
    assert sharpness([np.dstack([p, np.zeros(p.shape[:2], np.uint8)])]) == values[0]


@pytest.mark.parametrize(("a", "b"), sorted(SKIMAGE))
def test_ssim_and_psnr_are_scikit_images(a, b):
    pics = pictures()
    expected_ssim, expected_psnr = SKIMAGE[(a, b)]
    assert ssim([pics[a]], [pics[b]]) == pytest.approx(expected_ssim, abs=1e-12)
    assert psnr([pics[a]], [pics[b]]) == pytest.approx(expected_psnr, rel=1e-12)


def test_identical_images_are_closest_and_read_finite_numbers():
    p = pattern()
    assert ssim([p], [p]) == 1.0
    assert psnr([p], [p]) == pytest.approx(10 * math.log10(255 ** 2 / 1e-10))  # 148.13 dB, not infinity
    one_off = p.copy()
    one_off[0, 0, 0] ^= 1  # the smallest difference there is: one value by one level
    assert psnr([one_off], [p]) == pytest.approx(10 * math.log10(255 ** 2 * p.size))
    assert psnr([one_off], [p]) < psnr([p], [p])
    # closer is better on both: the slightly blurred copy beats the more blurred one
    assert ssim([box_blur(p, 1)], [p]) > ssim([box_blur(p, 3)], [p])
    assert psnr([box_blur(p, 1)], [p]) > psnr([box_blur(p, 3)], [p])


def test_a_batch_is_compared_with_one_reference_or_one_each():
    p, soft, dark = pattern(), box_blur(pattern()), (pattern() // 2).astype(np.uint8)
    assert psnr([soft, dark], [p]) == pytest.approx((psnr([soft], [p]) + psnr([dark], [p])) / 2)
    assert ssim([soft, dark], [p, dark]) == pytest.approx((ssim([soft], [p]) + 1.0) / 2)
    with pytest.raises(ImageInputError, match=r'input "reference": got a batch of 3 images; expected 1 image or as '
                                              r"many as image has \(2\)"):
        psnr([soft, dark], [p, p, p])


def test_images_a_metric_cannot_read_are_refused_with_what_was_expected():
    with pytest.raises(ImageInputError, match=r'input "reference": got an image of 48x40x3; expected the size and '
                                              r"channels of image, 40x48x3"):
        psnr([pattern()], [pattern().transpose(1, 0, 2)])
    with pytest.raises(ImageInputError, match=r"got an image of 8x8 pixels; expected images at least 11 pixels"):
        ssim([pattern(8, 8)], [pattern(8, 8)])
    with pytest.raises(ImageInputError, match=r"got an array of float32 40x48x3; expected 8-bit images"):
        sharpness([pattern().astype(np.float32)])
    with pytest.raises(ImageInputError, match=r'input "images": got a batch of 1 image; expected a batch of at '
                                              r"least 2"):
        batch_diversity([pattern()])
    with pytest.raises(ImageInputError, match="got an empty batch"):
        sharpness([])
    assert ImageInputError("image", "x", "y").for_node("Sharpness #5") == 'Sharpness #5, input "image": got x; ' \
                                                                          "expected y."


def test_diversity_is_the_mean_pairwise_hash_distance_over_64_bits():
    pics = pictures()
    # imagehash's distances: pattern-soft 4 bits, pattern-dark 2, rings-pattern 34 (see the hashes above)
    assert batch_diversity([pics["pattern"], pics["soft"]]) == 4 / 64
    assert batch_diversity([pics["pattern"], pics["pattern"], pics["pattern"]]) == 0.0
    three = [pics["pattern"], pics["soft"], pics["rings"]]
    distances = [4, bin(0xc9c031c81fbafea8 ^ 0xd56714473d4d512d).count("1"),
                 bin(0xc1c0314c1fbafeb8 ^ 0xd56714473d4d512d).count("1")]
    assert batch_diversity(three) == pytest.approx(sum(distances) / 3 / 64)
    # near-copies read far less diverse than different pictures
    assert batch_diversity([pics["pattern"], pics["pattern_dark"]]) < batch_diversity([pics["rings"],
                                                                                        pics["rings_t"]])
