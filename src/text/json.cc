#include "text/json.h"

#include <cstdint>

#include "text/format.h"
#include "text/printable.h"

namespace pidone::text {
namespace {

void append_unicode_escape(std::string& out, unsigned code_unit) {
  out += format("\\u%04x", code_unit);
}

}  // namespace

std::string json_string(const std::string& text) {
  std::string out = "\"";
  std::string_view rest = text;
  while (!rest.empty()) {
    char32_t code_point = 0;
    const std::size_t length = utf8_sequence(rest, code_point);
    if (length == 0) {
      // Not UTF-8: JSON text must be, so the byte becomes U+FFFD (the replacement character).
      out += "\\ufffd";
      rest.remove_prefix(1);
      continue;
    }
    switch (code_point) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        // Controls (C0, DEL, C1) and the separators JavaScript reads as line ends: escaped.
        if (code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F) ||
            code_point == 0x2028 || code_point == 0x2029) {
          append_unicode_escape(out, static_cast<unsigned>(code_point));
        } else {
          out.append(rest.substr(0, length));
        }
    }
    rest.remove_prefix(length);
  }
  return out + "\"";
}

std::string json_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += (i > 0 ? ", " : "") + json_string(items[i]);
  }
  return out + "]";
}

}  // namespace pidone::text
