#include "sys/spawn.h"

#include <elf.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "sys/retry.h"
#include "sys/unique_fd.h"

extern char** environ;  // NOLINT(readability-identifier-naming): libc's name

namespace pidone::sys {
namespace {

// The child runs on a stack of its own, mapped for the spawn and unmapped after: execvp keeps
// a PATH_MAX buffer on it, and a script's argv when it falls back to /bin/sh.
constexpr std::size_t kChildStack = std::size_t{64} * 1024;

// Shared between pidone and the child (CLONE_VM): the child writes, pidone reads once the
// child has exec'd or exited.
struct ChildContext {
  const SpawnRequest* request = nullptr;
  char* const* argv = nullptr;
  char* const* envp = nullptr;        // null: pidone's own environment
  char* listen_pid_digits = nullptr;  // where the child writes its pid, in envp's entry
  int failed_step = -1;               // a SpawnStep, or -1
  int failed_errno = 0;
  int tty_error = 0;
};

// Decimal digits of `value` at `out` (room for 20), NUL-terminated. Async-signal-safe.
void write_decimal(char* out, long value) {
  std::array<char, 24> reversed{};
  std::size_t n = 0;
  do {
    reversed[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0 && n < reversed.size());
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = reversed[n - 1 - i];
  }
  out[n] = '\0';
}

// Runs in the child, on its own stack, in pidone's memory: async-signal-safe calls only, no
// allocation, and never returns but through exec or the exit system call.
int run_child(void* arg) {
  auto& context = *static_cast<ChildContext*>(arg);
  const SpawnRequest& request = *context.request;
  auto fail = [&](SpawnStep step, int err) {
    context.failed_step = static_cast<int>(step);
    context.failed_errno = err;
    // The exit system call, not _exit(): ASan's hook before a noreturn call cannot make sense
    // of this stack and prints a warning into the child's stderr.
    ::syscall(SYS_exit, 127);
    __builtin_unreachable();
  };
  if (request.cwd != nullptr && ::chdir(request.cwd) != 0) {
    fail(SpawnStep::kChdir, errno);
  }
  if (request.stdin_null) {
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd < 0 || (null_fd != STDIN_FILENO && ::dup2(null_fd, STDIN_FILENO) < 0)) {
      fail(SpawnStep::kFds, errno);
    }
    if (null_fd != STDIN_FILENO) {
      (void)::close(null_fd);
    }
  }
  if (request.pass_fd >= 0) {
    // dup2 clears close-on-exec on the copy; a descriptor already in place needs it cleared.
    if (request.pass_fd == request.pass_fd_as ? ::fcntl(request.pass_fd, F_SETFD, 0) != 0
                                              : ::dup2(request.pass_fd, request.pass_fd_as) < 0) {
      fail(SpawnStep::kFds, errno);
    }
  }
#ifdef SYS_close_range
  if (request.close_other_fds) {
    // close_range where the kernel has it (5.9); else what is left stays (close-on-exec
    // covers pidone's own descriptors anyway).
    const unsigned keep = request.pass_fd_as >= 3 ? static_cast<unsigned>(request.pass_fd_as) : 0U;
    if (keep == 0U) {
      (void)::syscall(SYS_close_range, 3U, ~0U, 0U);
    } else {
      if (keep > 3U) {
        (void)::syscall(SYS_close_range, 3U, keep - 1U, 0U);
      }
      (void)::syscall(SYS_close_range, keep + 1U, ~0U, 0U);
    }
  }
#endif
  if (request.new_session) {
    if (::setsid() < 0) {
      fail(SpawnStep::kSetsid, errno);
    }
    // As dumb-init: the new session takes the terminal (best effort, as dumb-init's is).
    if (request.controlling_tty >= 0 && ::ioctl(request.controlling_tty, TIOCSCTTY, 0) != 0) {
      context.tty_error = errno;
    }
  } else if (request.new_process_group && ::setpgid(0, 0) != 0) {
    fail(SpawnStep::kSetpgid, errno);
  }
  // SIGTTOU is still blocked here, so a background group may take the terminal. ENOTTY and
  // ENXIO mean there is no terminal to take after all; tini tolerates the same two.
  if (request.foreground_tty >= 0 && ::tcsetpgrp(request.foreground_tty, ::getpgrp()) != 0 &&
      errno != ENOTTY && errno != ENXIO) {
    fail(SpawnStep::kTcsetpgrp, errno);
  }
  // Dispositions before the mask: a signal unblocked by the mask must find its disposition
  // already as the program is to see it. (Without CLONE_SIGHAND these are the child's own.)
  for (int sig = 1; sig <= kMaxSignal; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) {
      continue;  // always SIG_DFL
    }
    if (!set_disposition(sig, request.ignored.contains(sig))) {
      fail(SpawnStep::kSignals, errno);
    }
  }
  if (context.listen_pid_digits != nullptr) {
    write_decimal(context.listen_pid_digits, static_cast<long>(::getpid()));
  }
  if (!set_signal_mask(request.mask)) {
    fail(SpawnStep::kSignals, errno);
  }
  if (context.envp != nullptr) {
    ::execvpe(context.argv[0], context.argv, context.envp);
  } else {
    ::execvp(context.argv[0], context.argv);
  }
  fail(SpawnStep::kExec, errno);
  return 127;  // not reached
}

// The stack, mapped for one spawn.
class ChildStack {
 public:
  ChildStack()
      : base_(::mmap(nullptr, kChildStack, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0)) {}
  ~ChildStack() {
    if (valid()) {
      (void)::munmap(base_, kChildStack);
    }
  }
  ChildStack(const ChildStack&) = delete;
  ChildStack& operator=(const ChildStack&) = delete;
  [[nodiscard]] bool valid() const { return base_ != MAP_FAILED; }
  // Stacks grow down on every architecture pidone is built for.
  [[nodiscard]] void* top() const { return static_cast<char*>(base_) + kChildStack; }

 private:
  void* base_;
};

std::string_view first_word(std::string_view text) {
  const auto start = text.find_first_not_of(" \t");
  if (start == std::string_view::npos) {
    return {};
  }
  text.remove_prefix(start);
  return text.substr(0, text.find_first_of(" \t\n"));
}

// The program interpreter (PT_INTERP) of an ELF file's header block, or "".
template <class Ehdr, class Phdr>
std::string elf_interpreter(int fd, const Ehdr& header) {
  for (unsigned i = 0; i < header.e_phnum; ++i) {
    Phdr program{};
    const auto at = static_cast<off_t>(header.e_phoff + i * sizeof(Phdr));
    if (::pread(fd, &program, sizeof(program), at) != static_cast<ssize_t>(sizeof(program))) {
      return {};
    }
    if (program.p_type == PT_INTERP && program.p_filesz > 1 && program.p_filesz < 4096) {
      std::string path(program.p_filesz, '\0');
      if (::pread(fd, path.data(), path.size(), static_cast<off_t>(program.p_offset)) !=
          static_cast<ssize_t>(path.size())) {
        return {};
      }
      path.resize(std::strlen(path.c_str()));
      return path;
    }
  }
  return {};
}

std::string interpreter_of(const std::string& path) {
  const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    return {};
  }
  std::array<char, 256> head{};
  const ssize_t n = ::pread(fd.get(), head.data(), head.size(), 0);
  if (n < 4) {
    return {};
  }
  const std::string_view text(head.data(), static_cast<std::size_t>(n));
  if (text.starts_with("#!")) {
    return std::string(first_word(text.substr(2)));
  }
  if (std::memcmp(head.data(), ELFMAG, SELFMAG) != 0) {
    return {};
  }
  if (head[EI_CLASS] == ELFCLASS64 && static_cast<std::size_t>(n) >= sizeof(Elf64_Ehdr)) {
    Elf64_Ehdr header;
    std::memcpy(&header, head.data(), sizeof(header));
    return elf_interpreter<Elf64_Ehdr, Elf64_Phdr>(fd.get(), header);
  }
  if (head[EI_CLASS] == ELFCLASS32 && static_cast<std::size_t>(n) >= sizeof(Elf32_Ehdr)) {
    Elf32_Ehdr header;
    std::memcpy(&header, head.data(), sizeof(header));
    return elf_interpreter<Elf32_Ehdr, Elf32_Phdr>(fd.get(), header);
  }
  return {};
}

// Where execvp finds `file`: itself when it has a slash, else the first PATH entry holding it.
std::string resolve(const std::string& file) {
  if (file.find('/') != std::string::npos) {
    return ::access(file.c_str(), F_OK) == 0 ? file : std::string();
  }
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "/bin:/usr/bin";
  while (true) {
    const auto colon = dirs.find(':');
    std::string candidate(dirs.substr(0, colon));
    candidate += candidate.empty() ? "./" : "/";
    candidate += file;
    if (::access(candidate.c_str(), F_OK) == 0) {
      return candidate;
    }
    if (colon == std::string_view::npos) {
      return {};
    }
    dirs.remove_prefix(colon + 1);
  }
}

}  // namespace

std::expected<Spawned, SpawnError> spawn_child(const SpawnRequest& request) {
  auto parent_error = [](const char* operation) {
    return std::unexpected(SpawnError{SpawnStep::kClone, SysError{errno, operation}});
  };
  if (request.argv.empty()) {
    errno = EINVAL;
    return parent_error("spawn");
  }
  // Built before clone: the child must not allocate.
  std::vector<char*> argv;
  argv.reserve(request.argv.size() + 1);
  for (const auto& arg : request.argv) {
    argv.push_back(const_cast<char*>(arg.c_str()));
  }
  argv.push_back(nullptr);

  ChildContext context;
  context.request = &request;
  context.argv = argv.data();
  std::vector<char*> envp;
  std::array<char, 40> listen_pid{};
  if (request.set_listen_pid) {
    constexpr std::string_view kName = "LISTEN_PID=";
    std::memcpy(listen_pid.data(), kName.data(), kName.size());
    context.listen_pid_digits = listen_pid.data() + kName.size();
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
      if (!std::string_view(*entry).starts_with(kName)) {
        envp.push_back(*entry);
      }
    }
    envp.push_back(listen_pid.data());
    envp.push_back(nullptr);
    context.envp = envp.data();
  }

  const ChildStack stack;
  if (!stack.valid()) {
    return parent_error("mmap");
  }
  // SIGCHLD as the exit signal: the child is reaped like any other. CLONE_VFORK: we resume once
  // it has exec'd or exited, so `context` is final when we read it.
  const pid_t pid = ::clone(run_child, stack.top(), CLONE_VM | CLONE_VFORK | SIGCHLD, &context);
  if (pid < 0) {
    return parent_error("clone");
  }
  if (context.failed_step < 0) {
    return Spawned{pid, context.tty_error};
  }
  // The child failed before or at exec and has exited; reap it so it leaves no zombie.
  int status = 0;
  (void)retry_on_eintr([&] { return ::waitpid(pid, &status, 0); });
  // One name per SpawnStep, in its order: a step without one was read past the end.
  static constexpr std::array<const char*, 8> kOperations = {
      "clone", "setsid", "setpgid", "tcsetpgrp", "rt_sigaction", "execvp", "chdir", "dup2"};
  static_assert(kOperations.size() == static_cast<std::size_t>(SpawnStep::kFds) + 1);
  const auto step = static_cast<SpawnStep>(context.failed_step);
  return std::unexpected(SpawnError{
      step, SysError{context.failed_errno, kOperations[static_cast<std::size_t>(step)]}});
}

std::string missing_interpreter(const std::string& file) {
  const std::string path = resolve(file);
  if (path.empty()) {
    return {};
  }
  std::string interpreter = interpreter_of(path);
  if (interpreter.empty() || ::access(interpreter.c_str(), F_OK) == 0) {
    return {};
  }
  return interpreter;
}

}  // namespace pidone::sys
