// json_check: whether a text is one well-formed JSON document (RFC 8259), strings included:
// no raw control characters, only the escapes JSON defines, valid UTF-8. For the tests that
// feed pidone-inspect hostile command names; it checks the form, not a schema.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pidone::testing {

class JsonCheck {
 public:
  // "" when `text` is valid JSON; otherwise what is wrong and at which byte.
  static std::string error_in(std::string_view text) {
    JsonCheck check(text);
    check.skip_space();
    if (!check.value(0)) {
      return check.error_;
    }
    check.skip_space();
    if (check.pos_ != text.size()) {
      check.fail("text after the document");
      return check.error_;
    }
    return "";
  }

 private:
  explicit JsonCheck(std::string_view text) : text_(text) {}

  bool fail(const std::string& what) {
    if (error_.empty()) {
      error_ = what + " at byte " + std::to_string(pos_);
    }
    return false;
  }
  [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
  [[nodiscard]] char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void skip_space() {
    while (!at_end() && (peek() == ' ' || peek() == '\n' || peek() == '\t' || peek() == '\r')) {
      ++pos_;
    }
  }
  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) {
      return fail("bad literal");
    }
    pos_ += word.size();
    return true;
  }

  bool value(int depth) {
    if (depth > 64) {
      return fail("nested too deep");
    }
    switch (peek()) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
    }
  }

  bool object(int depth) {
    ++pos_;
    skip_space();
    if (peek() == '}') {
      ++pos_;
      return true;
    }
    for (;;) {
      skip_space();
      if (peek() != '"' || !string()) {
        return fail("expected a member name");
      }
      skip_space();
      if (peek() != ':') {
        return fail("expected ':'");
      }
      ++pos_;
      skip_space();
      if (!value(depth + 1)) {
        return false;
      }
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == '}') {
        ++pos_;
        return true;
      }
      return fail("expected ',' or '}'");
    }
  }

  bool array(int depth) {
    ++pos_;
    skip_space();
    if (peek() == ']') {
      ++pos_;
      return true;
    }
    for (;;) {
      skip_space();
      if (!value(depth + 1)) {
        return false;
      }
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == ']') {
        ++pos_;
        return true;
      }
      return fail("expected ',' or ']'");
    }
  }

  bool number() {
    const std::size_t start = pos_;
    if (peek() == '-') {
      ++pos_;
    }
    const auto digits = [this] {
      const std::size_t from = pos_;
      while (!at_end() && peek() >= '0' && peek() <= '9') {
        ++pos_;
      }
      return pos_ > from;
    };
    if (peek() == '0' && pos_ + 1 < text_.size() && text_[pos_ + 1] >= '0' &&
        text_[pos_ + 1] <= '9') {
      return fail("leading zero");
    }
    if (!digits()) {
      return fail("expected a value");
    }
    if (peek() == '.' && (++pos_, !digits())) {
      return fail("bad fraction");
    }
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      if (peek() == '+' || peek() == '-') {
        ++pos_;
      }
      if (!digits()) {
        return fail("bad exponent");
      }
    }
    return pos_ > start;
  }

  bool string() {
    ++pos_;  // the opening quote
    while (!at_end()) {
      const auto c = static_cast<std::uint8_t>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) {
        return fail("raw control character in a string");
      }
      if (c == '\\') {
        ++pos_;
        const char e = peek();
        if (e == 'u') {
          for (int i = 1; i <= 4; ++i) {
            const char h = pos_ + i < text_.size() ? text_[pos_ + i] : '\0';
            if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) {
              return fail("bad \\u escape");
            }
          }
          pos_ += 5;
          continue;
        }
        if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos || e == '\0') {
          return fail("bad escape");
        }
        ++pos_;
        continue;
      }
      if (c < 0x80) {
        ++pos_;
        continue;
      }
      if (!utf8(c)) {
        return fail("invalid UTF-8 in a string");
      }
    }
    return fail("unterminated string");
  }

  // One multi-byte UTF-8 sequence at pos_ (its lead byte `lead`), per RFC 3629.
  bool utf8(std::uint8_t lead) {
    std::size_t length = 0;
    std::uint32_t value = 0;
    std::uint32_t minimum = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2, value = lead & 0x1FU, minimum = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3, value = lead & 0x0FU, minimum = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4, value = lead & 0x07U, minimum = 0x10000;
    } else {
      return false;
    }
    if (pos_ + length > text_.size()) {
      return false;
    }
    for (std::size_t i = 1; i < length; ++i) {
      const auto c = static_cast<std::uint8_t>(text_[pos_ + i]);
      if ((c & 0xC0U) != 0x80U) {
        return false;
      }
      value = (value << 6U) | (c & 0x3FU);
    }
    if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
      return false;
    }
    pos_ += length;
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::string error_;
};

}  // namespace pidone::testing
