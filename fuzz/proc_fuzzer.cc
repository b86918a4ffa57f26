// libFuzzer target: the /proc parsers (stat and status), fed whatever a corrupted or hostile
// /proc file could hold. Never a crash; a parsed stat has a state and a name from inside the
// parentheses.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "proc/stat_parser.h"
#include "proc/status_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto stat = pidone::proc::parse_stat(text)) {
    if (stat->comm.size() > size) {
      __builtin_trap();
    }
  }
  (void)pidone::proc::parse_status(text);
  return 0;
}
