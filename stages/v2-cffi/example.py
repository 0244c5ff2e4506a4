"""Stage 2 example: call the Rust library through the installed hello_cffi package."""

import hello_cffi

print(hello_cffi.hello("Zoë 🦀"))
print("repeat('ab', 3) =", repr(hello_cffi.repeat("ab", 3)))
print("add(2, 40) =", hello_cffi.add(2, 40))
try:
    hello_cffi.repeat("ab", -1)
except hello_cffi.HelloError as error:
    print(f"{type(error).__name__}:", error)
try:
    hello_cffi.deliberate_panic("on purpose")
except hello_cffi.HelloError as error:
    print(f"{type(error).__name__}:", error)
print("loaded from", hello_cffi.LIBRARY_PATH.name)
