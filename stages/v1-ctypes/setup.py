"""Build the Rust library with setuptools-rust and tag the wheel for what it really contains.

Everything else lives in pyproject.toml; this file exists for the two things that need code.
"""

from setuptools import setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools_rust import Binding, RustExtension


class bdist_wheel_platform_only(bdist_wheel):
    """Tag the wheel ``py3-none-<platform>``.

    The wheel carries a native library, so it is tied to one platform (never ``none-any``), but
    the library does not use Python's C API: any Python 3 can load it with ctypes, so the wheel
    is not tied to one CPython version either (``cp311-cp311``), which setuptools would assume.
    """

    def get_tag(self) -> tuple[str, str, str]:
        _python, _abi, platform = super().get_tag()
        return "py3", "none", platform


setup(
    rust_extensions=[
        # NoBinding: a plain cdylib with a C ABI, copied into the package next to __init__.py.
        RustExtension("hello_ctypes.libhello_ctypes", binding=Binding.NoBinding),
    ],
    cmdclass={"bdist_wheel": bdist_wheel_platform_only},
)
