#include "pidone/log.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <string>

#include "text/printable.h"

namespace pidone {
namespace {

// A line fits in one atomic pipe write (PIPE_BUF), so poll()'s POLLOUT (room for PIPE_BUF)
// promises it will not block, and lines from several processes never interleave.
constexpr std::size_t kMaxLine = 4000;

}  // namespace

Log::~Log() {
  for (const int fd : {out_, err_}) {
    if (fd >= 0) {
      (void)::close(fd);
    }
  }
}

int Log::open_private() {
  int failure = 0;
  for (const int stream : {1, 2}) {
    Kind kind = Kind::kPollFirst;
    int fd = -1;
    struct stat st {};
    if (::fstat(stream, &st) == 0) {
      if (S_ISREG(st.st_mode) || (S_ISCHR(st.st_mode) && ::isatty(stream) == 0)) {
        kind = Kind::kBlockingSafe;  // a file or /dev/null: a write does not wait on a reader
      } else if (S_ISSOCK(st.st_mode)) {
        kind = Kind::kSocket;  // send(MSG_DONTWAIT) is non-blocking for this call alone
      } else {
        // A pipe, FIFO or terminal: a description of our own, so O_NONBLOCK is ours alone.
        // O_NOCTTY: opening a terminal must not make it ours. Fails without /proc, without a
        // descriptor to spare, or when a pipe has no reader left (ENXIO): then poll first.
        const std::string path = "/proc/self/fd/" + std::to_string(stream);
        fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd >= 0) {
          kind = Kind::kNonblocking;
        } else if (failure == 0) {
          failure = errno;
        }
      }
    }
    (stream == 1 ? out_ : err_) = fd;
    (stream == 1 ? out_kind_ : err_kind_) = kind;
  }
  return failure;
}

Log::Target Log::target(int stream) const {
  const int fd = stream == 1 ? out_ : err_;
  const Kind kind = stream == 1 ? out_kind_ : err_kind_;
  if (kind == Kind::kNonblocking) {
    return {fd, kind};
  }
  return {stream, kind == Kind::kUnknown ? Kind::kPollFirst : kind};
}

void Log::line(int stream, std::string_view text) const {
  const int saved_errno = errno;
  std::string out = text::printable(text.substr(0, kMaxLine));
  if (out.size() > kMaxLine) {
    out.resize(kMaxLine);  // escaping grew it: cut, never split into two writes
  }
  out += '\n';
  const Target to = target(stream);
  ssize_t written = -1;
  switch (to.kind) {
    case Kind::kSocket:
      written = ::send(to.fd, out.data(), out.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
      break;
    case Kind::kPollFirst: {
      pollfd ready{to.fd, POLLOUT, 0};
      if (::poll(&ready, 1, 0) != 1 || (ready.revents & POLLOUT) == 0) {
        break;  // full (or gone): dropped
      }
      written = ::write(to.fd, out.data(), out.size());
      break;
    }
    case Kind::kUnknown:
    case Kind::kBlockingSafe:
    case Kind::kNonblocking:
      // SIGPIPE is blocked in pidone: a closed reader gives EPIPE here, nothing else.
      written = ::write(to.fd, out.data(), out.size());
      break;
  }
  if (written != static_cast<ssize_t>(out.size())) {
    ++dropped_;
  }
  errno = saved_errno;
}

}  // namespace pidone
