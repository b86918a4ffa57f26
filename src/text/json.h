// JSON text for the reports (pidone-lab, pidone-inspect): strings and lists of strings.
#pragma once

#include <string>
#include <vector>

namespace pidone::text {

// The string quoted and escaped for JSON: always valid JSON (and UTF-8), whatever the bytes;
// each byte that is not part of valid UTF-8 becomes U+FFFD.
[[nodiscard]] std::string json_string(const std::string& text);
// ["a", "b"], each escaped.
[[nodiscard]] std::string json_list(const std::vector<std::string>& items);

}  // namespace pidone::text
