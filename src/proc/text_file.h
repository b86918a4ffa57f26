// Reading a small text file whole (/proc and cgroup files): its text, or "" if unreadable.
// iostreams: for pidone-inspect, the lab and the tests, never the init's hot path.
#pragma once

#include <string>

namespace pidone::proc {

[[nodiscard]] std::string read_text_file(const std::string& path);

}  // namespace pidone::proc
