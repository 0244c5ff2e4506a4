"""Stage 3 example: call the Rust core through the installed hello_pyo3 package."""

import hello_pyo3

print(hello_pyo3.hello("World"))
print("add(2, 40) =", hello_pyo3.add(2, 40))
print("repeat('ab', 3) =", repr(hello_pyo3.repeat("ab", 3)))
try:
    hello_pyo3.deliberate_panic("a bug in Rust")
except hello_pyo3.HelloError as error:
    print("deliberate_panic raised", type(error).__name__, repr(str(error)))
print("loaded from", hello_pyo3._native.__file__.rsplit("/", 1)[-1])
