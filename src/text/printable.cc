#include "text/printable.h"

#include <cstdint>

#include "text/format.h"

namespace pidone::text {
namespace {

// Code points a terminal acts on or that change how the text around them is laid out.
bool is_format_control(char32_t c) {
  return (c >= 0x80 && c <= 0x9F) ||      // C1 controls (0x9B is CSI on some terminals)
         c == 0x200E || c == 0x200F ||    // left-to-right / right-to-left marks
         (c >= 0x202A && c <= 0x202E) ||  // bidi embeddings and overrides
         (c >= 0x2066 && c <= 0x2069) ||  // bidi isolates
         c == 0x2028 || c == 0x2029;      // line and paragraph separators
}

void append_byte(std::string& out, unsigned byte) {
  out += format("\\x%02x", byte);
}

void append_code_point(std::string& out, char32_t code_point) {
  out += format("\\u{%04x}", static_cast<unsigned>(code_point));
}

}  // namespace

std::size_t utf8_sequence(std::string_view text, char32_t& code_point) {
  if (text.empty()) {
    return 0;
  }
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
  const std::uint8_t lead = byte(0);
  std::size_t length = 0;
  char32_t value = 0;
  char32_t minimum = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    value = lead & 0x1FU;
    minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    value = lead & 0x0FU;
    minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    value = lead & 0x07U;
    minimum = 0x10000;
  } else {
    return 0;
  }
  if (text.size() < length) {
    return 0;
  }
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0U) != 0x80U) {
      return 0;
    }
    value = (value << 6U) | (byte(i) & 0x3FU);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return 0;
  }
  code_point = value;
  return length;
}

std::string printable(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  while (!raw.empty()) {
    const auto c = static_cast<std::uint8_t>(raw.front());
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7F) {
      append_byte(out, c);
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      char32_t code_point = 0;
      const std::size_t length = utf8_sequence(raw, code_point);
      if (length == 0) {
        append_byte(out, c);
      } else {
        if (is_format_control(code_point)) {
          append_code_point(out, code_point);
        } else {
          out.append(raw.substr(0, length));
        }
        raw.remove_prefix(length);
        continue;
      }
    }
    raw.remove_prefix(1);
  }
  return out;
}

}  // namespace pidone::text
