#include "proc/stat_parser.h"

#include <charconv>
#include <vector>

namespace pidone::proc {
namespace {

template <class Int>
bool parse_int(std::string_view text, Int& out) {
  if (text.empty()) {
    return false;
  }
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

}  // namespace

std::expected<ProcStat, std::string> parse_stat(std::string_view text) {
  const auto open = text.find('(');
  const auto close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return std::unexpected("no '(command)' field");
  }
  ProcStat stat;
  std::string_view pid_text = text.substr(0, open);
  while (!pid_text.empty() && pid_text.back() == ' ') {
    pid_text.remove_suffix(1);
  }
  if (!parse_int(pid_text, stat.pid)) {
    return std::unexpected("bad pid field");
  }
  stat.comm = std::string(text.substr(open + 1, close - open - 1));

  // Fields 3.. follow ") ". Field 3 is the state, 4 ppid, 5 pgrp, 6 session, 22 starttime.
  std::vector<std::string_view> fields;
  std::string_view rest = text.substr(close + 1);
  std::size_t pos = 0;
  while (pos < rest.size() && fields.size() < 20) {
    while (pos < rest.size() && (rest[pos] == ' ' || rest[pos] == '\n')) {
      ++pos;
    }
    const std::size_t start = pos;
    while (pos < rest.size() && rest[pos] != ' ' && rest[pos] != '\n') {
      ++pos;
    }
    if (pos > start) {
      fields.push_back(rest.substr(start, pos - start));
    }
  }
  if (fields.size() < 20) {
    return std::unexpected("truncated: fewer than 22 fields");
  }
  if (fields[0].size() != 1) {
    return std::unexpected("bad state field");
  }
  stat.state = fields[0][0];
  if (!parse_int(fields[1], stat.ppid) || !parse_int(fields[2], stat.pgrp) ||
      !parse_int(fields[3], stat.session) || !parse_int(fields[19], stat.start_time)) {
    return std::unexpected("bad numeric field");
  }
  return stat;
}

}  // namespace pidone::proc
