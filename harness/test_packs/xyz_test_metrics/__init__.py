"""Test-only pack (never shipped): image statistics as node outputs, like a scoring pack.

"Image Mean (test)" gives an image's mean brightness (FLOAT, 0..1) and its width (INT).
"Flaky Score (test)" passes a number through, but answers NaN for one given value and
raises for another: a metric that is missing for a cell, and one whose node fails.
"""


class ImageMean:
    CATEGORY = "xyz test"
    RETURN_TYPES = ("FLOAT", "INT")
    RETURN_NAMES = ("mean", "width")
    FUNCTION = "measure"

    @classmethod
    def INPUT_TYPES(cls):
        return {"required": {"image": ("IMAGE",)}}

    def measure(self, image):
        return float(image.mean()), int(image.shape[2])


class FlakyScore:
    CATEGORY = "xyz test"
    RETURN_TYPES = ("FLOAT",)
    RETURN_NAMES = ("score",)
    FUNCTION = "score"

    @classmethod
    def INPUT_TYPES(cls):
        return {"required": {"value": ("FLOAT", {"default": 0.0, "min": -1e9, "max": 1e9, "step": 0.001}),
                             "nan_for": ("FLOAT", {"default": -1.0, "min": -1e9, "max": 1e9, "step": 0.001}),
                             "fail_for": ("FLOAT", {"default": -2.0, "min": -1e9, "max": 1e9, "step": 0.001})}}

    def score(self, value, nan_for, fail_for):
        if value == fail_for:
            raise RuntimeError(f"Flaky Score cannot score {value}")
        return (float("nan") if value == nan_for else float(value),)


NODE_CLASS_MAPPINGS = {"XYZTest.ImageMean": ImageMean, "XYZTest.FlakyScore": FlakyScore}
NODE_DISPLAY_NAME_MAPPINGS = {"XYZTest.ImageMean": "Image Mean (test)", "XYZTest.FlakyScore": "Flaky Score (test)"}
