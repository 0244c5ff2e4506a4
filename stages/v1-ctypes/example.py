"""Stage 1 example: call the Rust library through the installed hello_ctypes package."""

import hello_ctypes

hello_ctypes.hello()
print("add(2, 40) =", hello_ctypes.add(2, 40))
print("hello_message() =", repr(hello_ctypes.hello_message()))
print("loaded from", hello_ctypes.LIBRARY_PATH.name)
