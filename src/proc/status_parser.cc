#include "proc/status_parser.h"

#include <charconv>

namespace pidone::proc {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

template <class Int>
bool parse_int(std::string_view text, Int& out) {
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return !text.empty() && ec == std::errc() && ptr == end;
}

}  // namespace

std::expected<std::uint64_t, std::string> parse_signal_mask(std::string_view hex) {
  hex = trim(hex);
  std::uint64_t bits = 0;
  if (hex.empty() || hex.size() > 16) {
    return std::unexpected("bad signal mask '" + std::string(hex) + "'");
  }
  const auto [ptr, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), bits, 16);
  if (ec != std::errc() || ptr != hex.data() + hex.size()) {
    return std::unexpected("bad signal mask '" + std::string(hex) + "'");
  }
  return bits;
}

std::expected<ProcStatus, std::string> parse_status(std::string_view text) {
  ProcStatus status;
  bool have_pid = false;
  bool have_masks[5] = {false, false, false, false, false};
  while (!text.empty()) {
    const auto newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      continue;
    }
    const std::string_view key = line.substr(0, colon);
    const std::string_view value = trim(line.substr(colon + 1));
    if (key == "Name") {
      status.name = std::string(value);
    } else if (key == "State") {
      if (value.empty()) {
        return std::unexpected("bad State field");
      }
      status.state = value.front();
    } else if (key == "Pid") {
      if (!parse_int(value, status.pid)) {
        return std::unexpected("bad Pid field");
      }
      have_pid = true;
    } else if (key == "PPid") {
      if (!parse_int(value, status.ppid)) {
        return std::unexpected("bad PPid field");
      }
    } else if (key == "Threads") {
      if (!parse_int(value, status.threads)) {
        return std::unexpected("bad Threads field");
      }
    } else if (key == "NSpid") {
      std::string_view rest = value;
      while (!rest.empty()) {
        const auto gap = rest.find_first_of(" \t");
        pid_t id = 0;
        if (!parse_int(rest.substr(0, gap), id)) {
          return std::unexpected("bad NSpid field");
        }
        status.nspid.push_back(id);
        rest = gap == std::string_view::npos ? std::string_view() : trim(rest.substr(gap));
      }
    } else {
      static constexpr std::string_view kMasks[] = {"SigPnd", "ShdPnd", "SigBlk", "SigIgn",
                                                    "SigCgt"};
      std::uint64_t* targets[] = {&status.sig_pnd, &status.shd_pnd, &status.sig_blk,
                                  &status.sig_ign, &status.sig_cgt};
      for (int i = 0; i < 5; ++i) {
        if (key == kMasks[i]) {
          auto bits = parse_signal_mask(value);
          if (!bits) {
            return std::unexpected(std::string(key) + ": " + bits.error());
          }
          *targets[i] = *bits;
          have_masks[i] = true;
        }
      }
    }
  }
  if (!have_pid) {
    return std::unexpected("truncated: no Pid field");
  }
  for (const bool have : have_masks) {
    if (!have) {
      return std::unexpected("truncated: a signal mask field is missing");
    }
  }
  return status;
}

}  // namespace pidone::proc
