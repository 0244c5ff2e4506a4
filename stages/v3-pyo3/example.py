"""Stage 3 example: call the Rust core through the installed hello_pyo3 package."""

import hello_pyo3

print(hello_pyo3.hello("Zoë 🦀"))
print("repeat('ab', 3) =", repr(hello_pyo3.repeat("ab", 3)))
print("add(2, 40) =", hello_pyo3.add(2, 40))
try:
    hello_pyo3.repeat("ab", -1)
except hello_pyo3.HelloError as error:
    print(f"{type(error).__name__}:", error)
try:
    hello_pyo3.deliberate_panic("on purpose")
except hello_pyo3.HelloError as error:
    print(f"{type(error).__name__}:", error)
print(repr(hello_pyo3.default_greeter()), "greets:", hello_pyo3.default_greeter().greet("Ada"))
