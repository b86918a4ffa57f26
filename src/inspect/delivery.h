// What the kernel does with a signal sent to a PID namespace's init, from the init's handlers
// and each of its threads' masks and waits (kernel/signal.c). Two steps:
//
// 1. When it is sent (sig_ignored, sig_task_ignored), the kernel looks at the main thread
//    only. SIGKILL and SIGSTOP: dropped from inside (they cannot be caught, so they are always
//    SIG_DFL), forced from an ancestor namespace (they kill / stop the init). Any other signal
//    the main thread blocks, or waits for in rt_sigtimedwait (its "real_blocked" mask), is
//    queued for the process. Otherwise: SIG_IGN ignored; a handler gets it; SIG_DFL dropped,
//    because the init is SIGNAL_UNKILLABLE.
// 2. A queued signal goes to a thread that does not block it (complete_signal, the main thread
//    first): a thread waiting for it in rt_sigtimedwait receives it; a thread that merely does
//    not block it runs the handler, or under SIG_DFL dequeues it and drops it (get_signal's
//    SIGNAL_UNKILLABLE test). If every thread blocks it, it stays queued until the init reads
//    it (a signalfd) or unblocks it: whether a signalfd of the init's asks for it is read from
//    /proc/PID/fdinfo ("sigmask:"); a blocked signal that no signalfd and no wait takes stays
//    pending, and nothing happens.
//
// While a thread waits in rt_sigtimedwait the kernel takes the awaited set out of its blocked
// mask (and keeps the mask it had in real_blocked, which /proc does not show): SigBlk then
// reads as if those signals were neither blocked nor caught. The set itself is read from the
// thread's memory. POSIX requires a program to block a signal before it waits for it, and the
// model assumes it did: the kernel offers no way to read real_blocked.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace pidone::inspect {

enum class Delivery {
  kDropped,
  kIgnored,
  kHandled,
  kQueued,        // every thread blocks it; a signalfd of the init's reads it
  kUnread,        // every thread blocks it; no signalfd asks for it and no thread waits for it
  kQueuedUnseen,  // every thread blocks it; who reads it could not be seen (descriptors
                  // unreadable, or no reader now but a thread was running)
  kForcedKill,
  kForcedStop,
  kWaited,          // a thread waits for it in rt_sigtimedwait and receives it
  kProbablyWaited,  // the main thread waits in rt_sigtimedwait on a set that cannot be read
  kRace,            // queued; one thread waits for it, another would take it and drop it
};

struct SignalMasks {
  std::uint64_t blocked = 0;
  std::uint64_t ignored = 0;
  std::uint64_t caught = 0;
};

// How one thread of the init stands towards signals.
enum class SigWait {
  kNone,        // not waiting in rt_sigtimedwait
  kKnownSet,    // waiting in rt_sigtimedwait for `wait_set`
  kUnknownSet,  // waiting there (its wchan says so), but the set could not be read
};

struct ThreadSignals {
  pid_t tid = 0;
  bool main = false;          // the thread-group leader, whose mask step 1 reads
  bool exiting = false;       // a dead thread (a main thread that called pthread_exit): takes none
  std::uint64_t blocked = 0;  // SigBlk, as /proc shows it (without a set being waited for)
  SigWait wait = SigWait::kNone;
  std::uint64_t wait_set = 0;  // with kKnownSet
  bool running = false;        // on a CPU or runnable when read: its next wait is unknown
};

struct InitSignals {
  std::uint64_t ignored = 0;           // SigIgn: dispositions are shared by all threads
  std::uint64_t caught = 0;            // SigCgt
  std::vector<ThreadSignals> threads;  // its main thread among them
  // What the init's signalfds ask for, all of them together; nullopt when its descriptors
  // could not be read.
  std::optional<std::uint64_t> signalfd;
};

[[nodiscard]] Delivery delivery_to_init(int sig, const InitSignals& init,
                                        bool from_parent_namespace);

// A single-threaded init that waits in no rt_sigtimedwait: its masks (and its signalfds) say
// it all.
[[nodiscard]] InitSignals one_thread(const SignalMasks& masks,
                                     std::optional<std::uint64_t> signalfd = std::nullopt);

// "dropped", "ignored", "delivered to its handler", "queued (blocked; read by PID 1)",
// "waited for (sigwait)", ...
[[nodiscard]] const char* describe(Delivery delivery);

// Whether the sender can count on something happening at PID 1 (handled, queued for a reader,
// waited for, or forced); not for dropped, ignored, left unread, or a race it may lose. A
// signal queued where the readers could not be seen counts: nothing says it is lost.
[[nodiscard]] bool reaches_init(Delivery delivery);

}  // namespace pidone::inspect
