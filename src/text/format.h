// format(): printf's conversions that pidone's lines use, without the C library's printf.
// musl's vfprintf brings floating point, positional arguments and wide characters, a twelfth
// of the static binary, for lines that only ever hold text and integers.
//
// Supported, as printf does them: %s (a null pointer is "(null)", as musl and glibc print it),
// %c, %%, and %d %i %u %x %X with the length modifiers hh, h, l, ll and z, the flags '-' (pad
// on the right) and '0' (pad with zeros after the sign), and a decimal width up to 4096. Anything
// else (a precision, '*', '+', '#', %f, %p, %n, ...) is not read: it and the rest of the format are
// copied verbatim, and no argument after it is read, so a mistake shows in the text instead of
// reading the wrong argument. The format attribute keeps gcc checking every caller's arguments.
#pragma once

#include <cstdarg>
#include <string>

namespace pidone::text {

[[nodiscard]] [[gnu::format(printf, 1, 2)]] std::string format(const char* format, ...);
[[nodiscard]] [[gnu::format(printf, 1, 0)]] std::string vformat(const char* format,
                                                                std::va_list args);

}  // namespace pidone::text
