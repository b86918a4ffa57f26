#include "pidone/duration.h"

#include <array>
#include <string>

namespace pidone {
namespace {

constexpr sys::Millis kSecond = 1000;
constexpr sys::Millis kMinute = 60 * kSecond;
constexpr sys::Millis kHour = 60 * kMinute;
constexpr sys::Millis kMaxDuration = 24 * kHour;

bool all_digits(std::string_view text) {
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

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
    scale = kSecond;
  } else if (unit == "ms") {
    scale = 1;
  } else if (unit == "m") {
    scale = kMinute;
  } else if (unit == "h") {
    scale = kHour;
  } else {
    return std::nullopt;
  }
  const auto dot = number.find('.');
  std::string_view whole = number.substr(0, dot);
  std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : number.substr(dot + 1);
  if (whole.empty() || !all_digits(whole) || !all_digits(fraction) ||
      (dot != std::string_view::npos && fraction.empty())) {
    return std::nullopt;
  }
  // Leading zeros of the whole part and trailing zeros of the fraction say nothing.
  while (whole.size() > 1 && whole.front() == '0') {
    whole.remove_prefix(1);
  }
  while (!fraction.empty() && fraction.back() == '0') {
    fraction.remove_suffix(1);
  }
  if (whole.size() > 9 || fraction.size() > 9) {
    return std::nullopt;  // past 24h in any unit, or finer than a millisecond in any unit
  }
  // In integers, no floating point: the value in units of 10^-9 of the unit.
  sys::Millis nanounits = 0;
  for (const char c : whole) {
    nanounits = nanounits * 10 + (c - '0');
  }
  std::size_t digits = 0;
  for (const char c : fraction) {
    nanounits = nanounits * 10 + (c - '0');
    ++digits;
  }
  for (; digits < 9; ++digits) {
    nanounits *= 10;
  }
  constexpr sys::Millis kNano = 1'000'000'000;
  if (nanounits / kNano > kMaxDuration / scale) {
    return std::nullopt;
  }
  // nanounits * scale / kNano milliseconds, exactly, without overflowing: split the product.
  const sys::Millis whole_ms = nanounits / kNano * scale;
  const sys::Millis rest = nanounits % kNano * scale;  // < 10^9 * 3.6e6: fits in 63 bits
  if (rest % kNano != 0) {
    return std::nullopt;  // finer than a millisecond, e.g. "1.5ms"
  }
  const sys::Millis ms = whole_ms + rest / kNano;
  if (ms > kMaxDuration) {
    return std::nullopt;
  }
  return ms;
}

std::string format_duration(sys::Millis ms) {
  if (ms == 0) {
    return "0s";
  }
  for (const auto& [size, unit] : std::array<std::pair<sys::Millis, const char*>, 3>{
           {{kHour, "h"}, {kMinute, "m"}, {kSecond, "s"}}}) {
    if (ms % size == 0) {
      return std::to_string(ms / size) + unit;
    }
  }
  if (ms < kSecond) {
    return std::to_string(ms) + "ms";
  }
  std::string fraction = std::to_string(kSecond + ms % kSecond).substr(1);
  while (fraction.back() == '0') {
    fraction.pop_back();
  }
  return std::to_string(ms / kSecond) + "." + fraction + "s";
}

}  // namespace pidone
