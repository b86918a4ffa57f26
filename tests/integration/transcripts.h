// Reading what programs printed: counting a needle, waiting until several lines have come,
// and the services table of pidone-inspect. Shared by the services and the image tests.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "nsrun/lines.h"

namespace pidone::testing {

// How many times `needle` occurs in `text`, without overlaps.
inline int count_of(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

// Reads until every one of `needles` has been seen in some line (before or now), or the
// deadline.
inline bool saw_all(nsrun::LineReader& reader, std::initializer_list<std::string_view> needles,
                    nsrun::Clock::duration timeout = std::chrono::seconds(30)) {
  const auto deadline = nsrun::Clock::now() + timeout;
  for (;;) {
    const std::string seen = reader.seen();
    if (std::all_of(needles.begin(), needles.end(),
                    [&](std::string_view n) { return seen.find(n) != std::string::npos; })) {
      return true;
    }
    if (!reader.next_line(deadline)) {
      return false;
    }
  }
}

// The services' rows in pidone-inspect's table ("access-log 6 up yes 0"), spaces collapsed.
inline std::vector<std::string> service_rows(const std::string& text) {
  std::vector<std::string> rows;
  const auto at = text.find("services (pidone --services): ");
  if (at == std::string::npos) {
    return rows;
  }
  std::istringstream lines(text.substr(at));
  std::string line;
  std::getline(lines, line);  // the title
  std::getline(lines, line);  // the header
  while (std::getline(lines, line) && line.starts_with("  ")) {
    std::istringstream words(line);
    std::string row;
    for (std::string word; words >> word;) {
      row += (row.empty() ? "" : " ") + word;
    }
    rows.push_back(row);
  }
  return rows;
}

}  // namespace pidone::testing
