#include "pidone/duration.h"

#include <string>

namespace pidone {
namespace {

constexpr sys::Millis kMaxDuration = sys::Millis{24} * 3600 * 1000;

}  // namespace

std::optional<sys::Millis> parse_duration(std::string_view text) {
  // Split "1.5s" into the number "1.5" and the unit "s".
  std::size_t pos = 0;
  while (pos < text.size() && ((text[pos] >= '0' && text[pos] <= '9') || text[pos] == '.')) {
    ++pos;
  }
  const std::string_view number = text.substr(0, pos);
  const std::string_view unit = text.substr(pos);
  sys::Millis scale = 0;
  if (unit.empty() || unit == "s") {
    scale = 1000;
  } else if (unit == "ms") {
    scale = 1;
  } else if (unit == "m") {
    scale = sys::Millis{60} * 1000;
  } else if (unit == "h") {
    scale = sys::Millis{3600} * 1000;
  } else {
    return std::nullopt;
  }
  // Whole part and up to three decimals, in integers: no floating point, no rounding surprises.
  const auto dot = number.find('.');
  const std::string_view whole = number.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : number.substr(dot + 1);
  if (whole.empty() || fraction.find('.') != std::string_view::npos ||
      (dot != std::string_view::npos && fraction.empty()) || fraction.size() > 3 ||
      whole.size() > 9) {
    return std::nullopt;
  }
  sys::Millis thousandths = 0;
  for (const char c : whole) {
    thousandths = thousandths * 10 + (c - '0');
  }
  std::size_t digits = 0;
  for (const char c : fraction) {
    thousandths = thousandths * 10 + (c - '0');
    ++digits;
  }
  for (; digits < 3; ++digits) {
    thousandths *= 10;
  }
  // thousandths of the unit -> milliseconds
  if (thousandths > kMaxDuration * 1000 / scale) {
    return std::nullopt;
  }
  const sys::Millis ms = thousandths * scale / 1000;
  if (thousandths * scale % 1000 != 0) {
    return std::nullopt;  // finer than a millisecond, e.g. "1.5ms"
  }
  return ms;
}

std::string format_duration(sys::Millis ms) {
  if (ms % 1000 != 0) {
    return ms < 1000
               ? std::to_string(ms) + "ms"
               : std::to_string(ms / 1000) + "." + std::to_string(1000 + ms % 1000).substr(1) + "s";
  }
  return std::to_string(ms / 1000) + "s";
}

}  // namespace pidone
