// The licence pidone prints for --license (and tini -l, catatonit -L).
#pragma once

#include <string>

namespace pidone {

// LICENSE's text, then a note on the C and GCC runtime libraries linked in. Ends in a newline.
[[nodiscard]] std::string license_text();

}  // namespace pidone
