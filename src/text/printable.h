// Text a hostile process controls (its command name, its cgroup's path) made safe to print:
// a process may name itself "\e]0;pwn\a" or "tini\n\e[31mFAKE" to retitle the reader's
// terminal or fake a line of the report.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace pidone::text {

// `raw` with everything a terminal could act on escaped, C style, so the result is printable
// ASCII plus valid UTF-8 letters: a backslash becomes "\\"; newline, tab and carriage return
// "\n", "\t", "\r"; other control bytes, DEL and each byte that is not part of valid UTF-8
// "\xHH"; the C1 controls and the code points that reorder or break lines (bidi overrides,
// U+2028, U+2029) "\u{HHHH}". Text that needs none of this comes back unchanged.
[[nodiscard]] std::string printable(std::string_view raw);

// The length of the valid UTF-8 sequence at the start of `text` (1 to 4) and its code point,
// or 0 when it does not begin one: a stray continuation byte, a truncated sequence, an overlong
// form, a surrogate or a value past U+10FFFF (RFC 3629).
[[nodiscard]] std::size_t utf8_sequence(std::string_view text, char32_t& code_point);

}  // namespace pidone::text
