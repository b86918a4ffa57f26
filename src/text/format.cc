#include "text/format.h"

#include <cstddef>
#include <cstring>
#include <type_traits>

namespace pidone::text {
namespace {

// Wider is taken for a mistake, not padding: copied verbatim like the rest.
constexpr std::size_t kMaxWidth = 4096;

enum class Length { kInt, kChar, kShort, kLong, kLongLong, kSize };

// The digits of `value` in `base`, lower or upper case, into the end of `buffer`; returns the
// first digit.
char* digits(unsigned long long value, unsigned base, bool upper, char* end) {
  const char* const set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char* p = end;
  do {
    *--p = set[value % base];
    value /= base;
  } while (value != 0);
  return p;
}

// Appends `sign` (may be empty) and `body`, padded to `width` as the flags ask.
void pad(std::string& out, const char* sign, const char* body, std::size_t body_size,
         std::size_t width, bool left, bool zeros) {
  const std::size_t sign_size = std::strlen(sign);
  const std::size_t size = sign_size + body_size;
  const std::size_t fill = width > size ? width - size : 0;
  if (fill > 0 && !left && !zeros) {
    out.append(fill, ' ');
  }
  out.append(sign, sign_size);
  if (fill > 0 && !left && zeros) {
    out.append(fill, '0');
  }
  out.append(body, body_size);
  if (fill > 0 && left) {
    out.append(fill, ' ');
  }
}

// The analyser checks each helper on its own and takes the va_list it is handed for
// uninitialised; every one is vformat's va_copy, initialised before the first va_arg.
// NOLINTBEGIN(clang-analyzer-valist.Uninitialized)
// The value of a signed conversion, as its length modifier narrows it.
long long signed_argument(Length length, std::va_list& args) {
  switch (length) {
    case Length::kChar:
      return static_cast<signed char>(va_arg(args, int));
    case Length::kShort:
      return static_cast<short>(va_arg(args, int));
    case Length::kLong:
      return va_arg(args, long);
    case Length::kLongLong:
      return va_arg(args, long long);
    case Length::kSize:
      // %zd: the signed type of size_t's width.
      return va_arg(args, std::make_signed_t<std::size_t>);
    case Length::kInt:
      break;
  }
  return va_arg(args, int);
}

unsigned long long unsigned_argument(Length length, std::va_list& args) {
  switch (length) {
    case Length::kChar:
      return static_cast<unsigned char>(va_arg(args, unsigned));
    case Length::kShort:
      return static_cast<unsigned short>(va_arg(args, unsigned));
    case Length::kLong:
      return va_arg(args, unsigned long);
    case Length::kLongLong:
      return va_arg(args, unsigned long long);
    case Length::kSize:
      return va_arg(args, std::size_t);
    case Length::kInt:
      break;
  }
  return va_arg(args, unsigned);
}

}  // namespace

std::string format(const char* format, ...) {
  std::va_list args;
  va_start(args, format);
  std::string out = vformat(format, args);
  va_end(args);
  return out;
}

std::string vformat(const char* format, std::va_list args) {
  std::va_list own;  // a copy the helpers can take by reference, whatever va_list is
  va_copy(own, args);
  std::string out;
  const char* p = format;
  while (*p != '\0') {
    const char* const percent = std::strchr(p, '%');
    if (percent == nullptr) {
      out.append(p);
      break;
    }
    out.append(p, static_cast<std::size_t>(percent - p));
    const char* q = percent + 1;
    bool left = false;
    bool zeros = false;
    for (;; ++q) {
      if (*q == '-') {
        left = true;
      } else if (*q == '0') {
        zeros = true;
      } else {
        break;
      }
    }
    std::size_t width = 0;
    for (; *q >= '0' && *q <= '9'; ++q) {
      width = width > kMaxWidth ? width : width * 10 + static_cast<std::size_t>(*q - '0');
    }
    Length length = Length::kInt;
    if (q[0] == 'h' && q[1] == 'h') {
      length = Length::kChar;
      q += 2;
    } else if (q[0] == 'h') {
      length = Length::kShort;
      ++q;
    } else if (q[0] == 'l' && q[1] == 'l') {
      length = Length::kLongLong;
      q += 2;
    } else if (q[0] == 'l') {
      length = Length::kLong;
      ++q;
    } else if (q[0] == 'z') {
      length = Length::kSize;
      ++q;
    }
    const bool modified = length != Length::kInt;
    char buffer[24];  // the longest: 20 decimal digits of 2^64 - 1
    char* const end = buffer + sizeof(buffer);
    if (width > kMaxWidth) {
      out.append(percent);
      break;
    }
    if (*q == '%' && !modified && width == 0 && !left && !zeros) {
      out += '%';
    } else if (*q == 's' && !modified) {
      const char* text = va_arg(own, const char*);
      if (text == nullptr) {
        text = "(null)";
      }
      pad(out, "", text, std::strlen(text), width, left, false);
    } else if (*q == 'c' && !modified) {
      const char c = static_cast<char>(va_arg(own, int));
      pad(out, "", &c, 1, width, left, false);
    } else if (*q == 'd' || *q == 'i') {
      const long long value = signed_argument(length, own);
      // The magnitude in unsigned arithmetic: -LLONG_MIN does not fit a long long.
      const unsigned long long magnitude = value < 0 ? 0ULL - static_cast<unsigned long long>(value)
                                                     : static_cast<unsigned long long>(value);
      const char* const first = digits(magnitude, 10, false, end);
      pad(out, value < 0 ? "-" : "", first, static_cast<std::size_t>(end - first), width, left,
          zeros);
    } else if (*q == 'u' || *q == 'x' || *q == 'X') {
      const unsigned long long value = unsigned_argument(length, own);
      const char* const first = digits(value, *q == 'u' ? 10 : 16, *q == 'X', end);
      pad(out, "", first, static_cast<std::size_t>(end - first), width, left, zeros);
    } else {
      // Not one of ours (%ls, %5%, %f, a '%' at the end, ...): verbatim from here on, and no
      // argument read after it. (The width check above does the same.)
      out.append(percent);
      break;
    }
    p = q + 1;
  }
  va_end(own);
  return out;
}
// NOLINTEND(clang-analyzer-valist.Uninitialized)

}  // namespace pidone::text
