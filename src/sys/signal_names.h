// Signal names <-> numbers. Accepted everywhere a signal is taken: "TERM", "SIGTERM", "term",
// "15", "RTMIN+3", "SIGRTMAX-1". Real-time names follow glibc's SIGRTMIN (34 here), as kill -l.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sys/signal_set.h"

namespace pidone::sys {

// A signal 1..64, or nullopt for anything else.
[[nodiscard]] std::optional<int> parse_signal(std::string_view text);

// "SIGTERM", "SIGRTMIN+3", or "SIG32" for the two glibc keeps for itself.
[[nodiscard]] std::string signal_name(int sig);

// "SIGHUP SIGTERM", or "(none)" for an empty set: how masks read in logs and reports.
[[nodiscard]] std::string signal_set_names(SignalSet set);

}  // namespace pidone::sys
