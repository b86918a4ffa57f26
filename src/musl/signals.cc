// Linked into the musl binaries only. musl numbers the real-time signals from 35 (it keeps
// 32 to 34 for itself), glibc from 34. pidone's names follow glibc's, as procps' kill -l and
// every glibc program do (sys/signal_names.h): "RTMIN+2" must mean signal 36 to pidone on
// either C library. These two answer musl's SIGRTMIN and SIGRTMAX macros; musl itself uses
// its reserved signals by number, never through them.
#include <signal.h>

// NOLINTBEGIN(readability-identifier-naming,bugprone-reserved-identifier): musl's names.
extern "C" {
int __libc_current_sigrtmin() {
  return 34;
}
int __libc_current_sigrtmax() {
  return _NSIG - 1;
}
}
// NOLINTEND(readability-identifier-naming,bugprone-reserved-identifier)
