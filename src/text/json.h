// JSON text for the reports (pidone-lab, pidone-inspect): strings and lists of strings.
#pragma once

#include <string>
#include <vector>

namespace pidone::text {

// The string quoted and escaped for JSON.
[[nodiscard]] std::string json_string(const std::string& text);
// ["a", "b"], each escaped.
[[nodiscard]] std::string json_list(const std::vector<std::string>& items);

}  // namespace pidone::text
