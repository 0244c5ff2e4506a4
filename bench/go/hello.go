// The journey's Go library, rebuilt with the functions of the Rust stages, as the reference
// row of bench/compare.py: hello, repeat, add, abi_version and deliberate_panic, exported
// through cgo from a `-buildmode=c-shared` library (libhello_go.so).
//
// Ownership: every `char *` returned here is allocated with C's malloc (C.CString) and owned
// by the caller, who frees it with hello_go_string_free exactly once. Go's garbage collector
// never sees these strings: Go memory must not be kept by C after a call returns (cgo's
// pointer-passing rules), so each result is copied out of Go.
//
// Errors: Go has no thread-local storage a C caller could read afterwards (goroutines move
// between threads), so a function that can fail returns NULL and writes its message to an
// out-parameter, which the caller frees as well.
package main

/*
#include <stdint.h>
#include <stdlib.h>
*/
import "C"

import (
	"fmt"
	"strings"
	"unsafe"
)

// repeatMaxBytes is the limit the Rust stages use: 64 MiB of UTF-8.
const repeatMaxBytes = 64 * 1024 * 1024

//export abi_version
func abi_version() C.uint32_t {
	return 1
}

//export add
func add(a, b C.int64_t) C.int64_t {
	// Go's signed integers wrap around on overflow, like the Rust stages' wrapping_add.
	return a + b
}

//export hello
func hello(name *C.char) *C.char {
	return C.CString(fmt.Sprintf("Hello, %s!", C.GoString(name)))
}

//export repeat
func repeat(text *C.char, count C.int64_t, errorOut **C.char) *C.char {
	goText := C.GoString(text)
	if count < 0 {
		*errorOut = C.CString(fmt.Sprintf("count must not be negative, got %d", count))
		return nil
	}
	// Checked before anything is allocated, and without overflowing: len * count could.
	if len(goText) > 0 && int64(count) > repeatMaxBytes/int64(len(goText)) {
		*errorOut = C.CString(fmt.Sprintf(
			"repeating %d bytes %d times exceeds the limit of %d bytes",
			len(goText), count, repeatMaxBytes))
		return nil
	}
	return C.CString(strings.Repeat(goText, int(count)))
}

// deliberate_panic panics, on purpose: a Go panic cannot be recovered on the C side, so an
// unrecovered panic in an exported function ends the whole process (SIGABRT, in a library).
//
//export deliberate_panic
func deliberate_panic(message *C.char) {
	panic(C.GoString(message))
}

//export hello_go_string_free
func hello_go_string_free(s *C.char) {
	C.free(unsafe.Pointer(s)) // free(NULL) is a no-op
}

// A c-shared library needs a main package with a main function, never called.
func main() {}
