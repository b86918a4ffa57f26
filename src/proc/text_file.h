// Reading a small text file whole (/proc and cgroup files): its text, or "" if unreadable.
// Plain read() calls, no iostreams: every pidone program may link it.
#pragma once

#include <string>

namespace pidone::proc {

[[nodiscard]] std::string read_text_file(const std::string& path);

}  // namespace pidone::proc
