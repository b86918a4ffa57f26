// Linked into the pidone executable only. pidone catches no exception: one thrown by the
// standard library (out of memory, a length or range error) would end in std::terminate. These
// definitions end it the same way, one line and abort(), without linking the C++ unwinder and
// the demangler of the verbose terminate handler: about 100 KiB of a static binary.
// pidone uses only the plain forms of new and delete (no arrays, no alignment, no nothrow).
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace {

[[noreturn]] void die(const char* what) {
  static constexpr char kPrefix[] = "pidone: fatal: ";
  (void)!::write(STDERR_FILENO, kPrefix, sizeof(kPrefix) - 1);
  (void)!::write(STDERR_FILENO, what, std::strlen(what));
  (void)!::write(STDERR_FILENO, "\n", 1);
  std::abort();
}

}  // namespace

namespace std {
// NOLINTBEGIN(readability-identifier-naming,bugprone-reserved-identifier): libstdc++'s names.
[[noreturn]] void __throw_bad_alloc() {
  die("out of memory");
}
[[noreturn]] void __throw_bad_array_new_length() {
  die("bad array new length");
}
[[noreturn]] void __throw_bad_function_call() {
  die("bad function call");
}
[[noreturn]] void __throw_length_error(const char* what) {
  die(what);
}
[[noreturn]] void __throw_logic_error(const char* what) {
  die(what);
}
[[noreturn]] void __throw_out_of_range_fmt(const char* what, ...) {
  die(what);
}
// std::stol and the like (pidone-inspect on musl, where libstdc++'s are not linked).
[[noreturn]] void __throw_invalid_argument(const char* what) {
  die(what);
}
[[noreturn]] void __throw_out_of_range(const char* what) {
  die(what);
}
// NOLINTEND(readability-identifier-naming,bugprone-reserved-identifier)
}  // namespace std

// libstdc++'s operator new throws std::bad_alloc, which links the whole unwinder.
void* operator new(std::size_t size) {
  if (void* memory = std::malloc(size == 0 ? 1 : size)) {
    return memory;
  }
  die("out of memory");
}
void operator delete(void* memory) noexcept {
  std::free(memory);
}
void operator delete(void* memory, std::size_t /*size*/) noexcept {
  std::free(memory);
}

// NOLINTBEGIN(readability-identifier-naming,bugprone-reserved-identifier): libstdc++'s name.
namespace __gnu_cxx {
[[noreturn]] void __verbose_terminate_handler() {
  die("terminate called");
}
}  // namespace __gnu_cxx
// NOLINTEND(readability-identifier-naming,bugprone-reserved-identifier)
