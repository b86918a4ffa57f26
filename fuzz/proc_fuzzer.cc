// libFuzzer target: the /proc parsers (stat, status, syscall), fed whatever a corrupted or
// hostile /proc file could hold, and the escaping of the names a process chooses. Never a
// crash; a parsed stat has a name from inside the parentheses; printable() leaves no control
// byte; json_string() leaves no raw control byte and no byte of invalid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "inspect/syscall_state.h"
#include "proc/stat_parser.h"
#include "proc/status_parser.h"
#include "text/json.h"
#include "text/printable.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto stat = pidone::proc::parse_stat(text)) {
    if (stat->comm.size() > size) {
      __builtin_trap();
    }
  }
  (void)pidone::proc::parse_status(text);
  (void)pidone::inspect::parse_syscall(text);
  for (const char c : pidone::text::printable(text)) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      __builtin_trap();
    }
  }
  const std::string json = pidone::text::json_string(std::string(text));
  for (std::string_view rest = json; !rest.empty();) {
    char32_t code_point = 0;
    const std::size_t length = pidone::text::utf8_sequence(rest, code_point);
    if (length == 0 || code_point < 0x20) {
      __builtin_trap();
    }
    rest.remove_prefix(length);
  }
  return 0;
}
