// libFuzzer target: the small value parsers (durations, signals, signal masks, pids.max and
// pids.events). Never a crash, and what they accept is in range.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pidone/duration.h"
#include "proc/pids_cgroup.h"
#include "proc/status_parser.h"
#include "sys/signal_names.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto ms = pidone::parse_duration(text); ms && (*ms < 0 || *ms > 24LL * 3600 * 1000)) {
    __builtin_trap();
  }
  if (auto sig = pidone::parse_signal(text); sig && (*sig < 1 || *sig > 64)) {
    __builtin_trap();
  }
  if (auto sig = pidone::parse_signal(text);
      sig && pidone::parse_signal(pidone::signal_name(*sig)) != sig && *sig != 32 && *sig != 33) {
    __builtin_trap();  // a name round-trips
  }
  (void)pidone::proc::parse_signal_mask(text);
  if (auto max = pidone::proc::parse_pids_max(text); max && *max < -1) {
    __builtin_trap();
  }
  if (auto events = pidone::proc::parse_pids_events(text); events && *events < 0) {
    __builtin_trap();
  }
  return 0;
}
