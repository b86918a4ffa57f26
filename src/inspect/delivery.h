// What the kernel does with a signal sent to a PID namespace's init (kernel/signal.c,
// sig_task_ignored and sig_ignored), from its masks alone:
//
//   SIGKILL, SIGSTOP  from inside: dropped (they cannot be caught, so always SIG_DFL);
//                     from an ancestor namespace: forced (kills / stops the init)
//   blocked           queued: never ignored while blocked (an init reading a signalfd)
//   SIG_IGN           ignored
//   a handler         delivered to the handler
//   SIG_DFL           dropped: the init is SIGNAL_UNKILLABLE
#pragma once

#include <cstdint>
#include <string>

namespace pidone::inspect {

enum class Delivery { kDropped, kIgnored, kHandled, kQueued, kForcedKill, kForcedStop };

struct SignalMasks {
  std::uint64_t blocked = 0;
  std::uint64_t ignored = 0;
  std::uint64_t caught = 0;
};

[[nodiscard]] Delivery delivery_to_init(int sig, const SignalMasks& masks,
                                        bool from_parent_namespace);

// "dropped", "ignored", "delivered to its handler", "queued (blocked)", "kills PID 1", ...
[[nodiscard]] const char* describe(Delivery delivery);

// Whether the sender sees anything happen to PID 1 (handled, queued or forced).
[[nodiscard]] bool reaches_init(Delivery delivery);

}  // namespace pidone::inspect
