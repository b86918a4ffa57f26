// libFuzzer target: the value grammar (numbers, booleans, lists, durations, signals) and the
// small /proc value parsers (signal masks, pids.max and pids.events). Never a crash, what they
// accept is in range, and what pidone prints of a value reads back as the same value.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "pidone/cli.h"
#include "pidone/duration.h"
#include "proc/pids_cgroup.h"
#include "proc/status_parser.h"
#include "sys/signal_names.h"

namespace {

bool all_digits(std::string_view text) {
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return !text.empty();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // Numbers: digits only, in range.
  if (auto n = pidone::parse_number(text, 0, 255); n && (*n < 0 || *n > 255 || !all_digits(text))) {
    __builtin_trap();
  }
  if (auto b = pidone::parse_boolean(text); b && text.size() > 5) {
    __builtin_trap();
  }
  // Lists: the items, joined again by commas, are the text; none is empty.
  if (auto items = pidone::split_list(text)) {
    std::string joined;
    for (const auto item : *items) {
      if (item.empty()) {
        __builtin_trap();
      }
      joined += (joined.empty() ? "" : ",") + std::string(item);
    }
    if (joined != text) {
      __builtin_trap();
    }
  }
  // Durations: in range, and the message form reads back as the same duration.
  if (auto ms = pidone::parse_duration(text)) {
    if (*ms < 0 || *ms > 24LL * 3600 * 1000 ||
        pidone::parse_duration(pidone::format_duration(*ms)) != ms) {
      __builtin_trap();
    }
  }
  if (size >= 4) {
    const auto ms = static_cast<pidone::sys::Millis>(
        (std::uint32_t{data[0]} << 24 | std::uint32_t{data[1]} << 16 | std::uint32_t{data[2]} << 8 |
         std::uint32_t{data[3]}) %
        (24U * 3600 * 1000 + 1));
    if (pidone::parse_duration(pidone::format_duration(ms)) != ms) {
      __builtin_trap();
    }
  }
  // Signals: 1..64, and a name reads back as its signal.
  if (auto sig = pidone::sys::parse_signal(text)) {
    if (*sig < 1 || *sig > 64) {
      __builtin_trap();
    }
    if (*sig != 32 && *sig != 33 &&
        pidone::sys::parse_signal(pidone::sys::signal_name(*sig)) != sig) {
      __builtin_trap();
    }
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
