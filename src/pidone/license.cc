// pidone's licence, as `pidone --license`, `tini -l` and `catatonit -L` print it. The text
// is LICENSE's, word for word (the Package.license test compares them), followed by what a
// static binary carries of other projects.
#include "pidone/license.h"

#include <cstdlib>  // defines __GLIBC__ on glibc

namespace pidone {
namespace {

#if defined(__GLIBC__)
constexpr const char* kLibc = "- the GNU C Library: LGPL-2.1+;\n";
#else
constexpr const char* kLibc =
    "- musl libc: Copyright (c) 2005-2020 Rich Felker, et al.; the MIT terms above;\n";
#endif

}  // namespace

std::string license_text() {
  return std::string(R"(MIT License

Copyright (c) 2026 The pidone authors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.

This binary also contains, under their own terms:
)") + kLibc +
         "- GCC's runtime library: GPL-3+ with the GCC Runtime Library Exception 3.1.\n"
         "The packages' /usr/share/doc/pidone/copyright gives each in full.\n";
}

}  // namespace pidone
