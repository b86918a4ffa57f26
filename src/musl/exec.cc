// Linked into the musl pidone only: execvp and execvpe as glibc's behave, which pidone on
// glibc, tini and catatonit all run their command with. musl's differs in two ways a user would
// notice:
// - a program that the kernel refuses with ENOEXEC (a script without a "#!" line) is run by
//   /bin/sh, as POSIX asks of execvp; musl's fails with "Exec format error" instead;
// - without PATH in the environment the search is "/bin:/usr/bin", not musl's
//   "/usr/local/bin:/bin:/usr/bin".
// The rest is the usual search: a name with a '/' is run as it is; otherwise each directory
// of PATH in turn, going on past ENOENT, ENOTDIR, ESTALE, ENODEV, ETIMEDOUT and EACCES
// (EACCES is what it fails with if nothing runs), stopping at any other error.
//
// It runs in the child between fork (or vfork) and exec: no allocation (the names are built
// on the stack), nothing but system calls.
#include <alloca.h>
#include <limits.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace {

// Runs `path` through /bin/sh, as the shell would run a file it cannot exec: argv[0] stays
// the name the caller gave.
void run_through_shell(const char* path, char* const argv[], char* const envp[]) {
  std::size_t argc = 0;
  while (argv[argc] != nullptr) {
    ++argc;
  }
  // sh, the file, argv[1..], and the terminating null: argc + 2 (argv[0] is replaced).
  const std::size_t count = (argc > 0 ? argc : 1) + 2;
  // NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers, on the child's stack.
  auto** shell_argv = static_cast<char**>(alloca(count * sizeof(char*)));
  shell_argv[0] = const_cast<char*>("/bin/sh");
  shell_argv[1] = const_cast<char*>(path);
  for (std::size_t i = 1; i < argc; ++i) {
    shell_argv[i + 1] = argv[i];
  }
  shell_argv[count - 1] = nullptr;
  ::execve("/bin/sh", shell_argv, envp);
}

// execve, then the shell for a file the kernel does not know how to run.
void try_exec(const char* path, char* const argv[], char* const envp[]) {
  ::execve(path, argv, envp);
  if (errno == ENOEXEC) {
    run_through_shell(path, argv, envp);
    errno = ENOEXEC;  // the file itself is what could not be run
  }
}

}  // namespace

// NOLINTBEGIN(readability-identifier-naming): the C library's names.
extern "C" int execvp(const char* file, char* const argv[]) {
  return execvpe(file, argv, environ);
}

// The search takes PATH from pidone's own environment, as glibc's does, whatever `envp` is.
extern "C" int execvpe(const char* file, char* const argv[], char* const envp[]) {
  if (file == nullptr || *file == '\0') {
    errno = ENOENT;
    return -1;
  }
  if (std::strchr(file, '/') != nullptr) {
    try_exec(file, argv, envp);
    return -1;
  }
  const std::size_t name_length = std::strlen(file);
  if (name_length > NAME_MAX) {
    errno = ENAMETOOLONG;
    return -1;
  }
  const char* path = std::getenv("PATH");
  if (path == nullptr) {
    path = "/bin:/usr/bin";
  }
  bool denied = false;
  char candidate[PATH_MAX];
  for (const char* dir = path;; ++dir) {
    const char* end = std::strchr(dir, ':');
    const std::size_t dir_length =
        end != nullptr ? static_cast<std::size_t>(end - dir) : std::strlen(dir);
    // An empty entry is the current directory.
    if (dir_length + 1 + name_length < sizeof(candidate)) {
      std::size_t used = 0;
      for (; used < dir_length; ++used) {
        candidate[used] = dir[used];
      }
      if (used > 0) {
        candidate[used++] = '/';
      }
      std::memcpy(candidate + used, file, name_length + 1);  // with its terminating null
      try_exec(candidate, argv, envp);
      switch (errno) {
        case EACCES:
          denied = true;
          break;
        case ENOENT:
        case ENOTDIR:
        case ESTALE:
        case ENODEV:
        case ETIMEDOUT:
          break;
        default:
          return -1;
      }
    }
    if (end == nullptr) {
      break;
    }
    dir = end;
  }
  errno = denied ? EACCES : ENOENT;
  return -1;
}
// NOLINTEND(readability-identifier-naming)
