// Durations as the options take them: "5s", "500ms", "2m", "1h", "1.5s", "0"; a bare number
// means seconds (as docker stop -t). Digits as every number pidone takes (any number of leading
// zeros), a fraction of whole milliseconds, at most 24 hours.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sys/clock.h"

namespace pidone {

[[nodiscard]] std::optional<sys::Millis> parse_duration(std::string_view text);

// In the largest unit that says it exactly, for messages: "1h", "90m", "5s", "1.5s", "250ms",
// "0s". parse_duration reads it back.
[[nodiscard]] std::string format_duration(sys::Millis ms);

}  // namespace pidone
