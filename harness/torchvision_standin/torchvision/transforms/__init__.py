"""Part of the test host's torchvision stand-in: any use raises."""


def __getattr__(name):
    raise RuntimeError(f"torchvision.{__name__.split('.')[-1]}.{name} is not available in the XYZ Studio test host")
