#include "proc/text_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>

#include "sys/retry.h"
#include "sys/unique_fd.h"

namespace pidone::proc {

std::string read_text_file(const std::string& path) {
  std::string text;
  const sys::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    return text;
  }
  std::array<char, 4096> buffer;
  for (;;) {
    const ssize_t n =
        sys::retry_on_eintr([&] { return ::read(fd.get(), buffer.data(), buffer.size()); });
    if (n <= 0) {
      return text;  // the end, or an error: what was read so far
    }
    text.append(buffer.data(), static_cast<std::size_t>(n));
  }
}

}  // namespace pidone::proc
