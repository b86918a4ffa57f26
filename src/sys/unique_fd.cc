#include "sys/unique_fd.h"

#include <dirent.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <climits>
#include <cstring>
#include <vector>

namespace pidone::sys {
namespace {

// close_range(2), Linux 5.9: closes [first, last] in one call.
bool close_range_of(unsigned first, unsigned last) {
#ifdef SYS_close_range
  return ::syscall(SYS_close_range, first, last, 0) == 0;
#else
  errno = ENOSYS;
  return false;
#endif
}

// Without close_range: what /proc/self/fd lists, read whole before any is closed (closing
// while reading the directory would also close the directory's own descriptor).
Result<void> close_listed(std::span<const int> keep) {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) {
    return errno_error("opendir /proc/self/fd");
  }
  const int own = ::dirfd(dir);
  std::array<int, 256> found{};  // a batch; the rest in the next call
  std::size_t count = 0;
  bool more = false;
  while (const dirent* entry = ::readdir(dir)) {
    int fd = -1;
    const char* end = entry->d_name + std::strlen(entry->d_name);
    if (std::from_chars(entry->d_name, end, fd).ptr != end || fd < 3 || fd == own ||
        std::find(keep.begin(), keep.end(), fd) != keep.end()) {
      continue;
    }
    if (count == found.size()) {
      more = true;
      break;
    }
    found[count++] = fd;
  }
  (void)::closedir(dir);
  for (std::size_t i = 0; i < count; ++i) {
    (void)::close(found[i]);
  }
  return more ? close_listed(keep) : Result<void>{};
}

}  // namespace

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) {
    // Even when close() fails with EINTR the descriptor is released (Linux), so no retry.
    (void)::close(fd_);
  }
  fd_ = fd;
}

Result<void> close_descriptors_but(std::span<const int> keep) {
  std::vector<int> sorted;
  sorted.reserve(keep.size());
  for (const int fd : keep) {
    if (fd >= 3) {
      sorted.push_back(fd);
    }
  }
  std::sort(sorted.begin(), sorted.end());
  const std::size_t n = sorted.size();
  // The gaps between the kept descriptors, then everything past the last one.
  unsigned first = 3;
  for (std::size_t i = 0; i <= n; ++i) {
    const unsigned stop = i < n ? static_cast<unsigned>(sorted[i]) : UINT_MAX;
    if (first < stop && !close_range_of(first, i < n ? stop - 1 : UINT_MAX)) {
      if (errno == ENOSYS || errno == EPERM) {  // an old kernel, or a seccomp profile
        return close_listed(keep);
      }
      return errno_error("close_range");
    }
    first = stop + 1;
  }
  return {};
}

}  // namespace pidone::sys
