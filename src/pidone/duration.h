// Durations as the options take them: "5s", "500ms", "2m", "1h", "1.5s", "0"; a bare number
// means seconds (as docker stop -t). At most 24 hours.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sys/clock.h"

namespace pidone {

[[nodiscard]] std::optional<sys::Millis> parse_duration(std::string_view text);

// "5s", "250ms", "1.5s": the shortest exact form, for messages.
[[nodiscard]] std::string format_duration(sys::Millis ms);

}  // namespace pidone
