// Monotonic time and deadlines, in milliseconds: all the event loop needs.
#pragma once

#include <cstdint>
#include <optional>

namespace pidone::sys {

using Millis = std::int64_t;

[[nodiscard]] Millis monotonic_now_ms();

// Milliseconds until `deadline` for poll(): -1 (block) with no deadline, 0 once it has passed.
[[nodiscard]] int poll_timeout_ms(std::optional<Millis> deadline, Millis now);

}  // namespace pidone::sys
