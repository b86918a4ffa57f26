#include "inspect/delivery.h"

#include <signal.h>

namespace pidone::inspect {
namespace {

bool has(std::uint64_t mask, int sig) {
  return (mask >> (sig - 1)) & 1U;
}

}  // namespace

Delivery delivery_to_init(int sig, const SignalMasks& masks, bool from_parent_namespace) {
  if (sig == SIGKILL || sig == SIGSTOP) {
    if (!from_parent_namespace) {
      return Delivery::kDropped;
    }
    return sig == SIGKILL ? Delivery::kForcedKill : Delivery::kForcedStop;
  }
  if (has(masks.blocked, sig)) {
    return Delivery::kQueued;
  }
  if (has(masks.ignored, sig)) {
    return Delivery::kIgnored;
  }
  if (has(masks.caught, sig)) {
    return Delivery::kHandled;
  }
  return Delivery::kDropped;
}

const char* describe(Delivery delivery) {
  switch (delivery) {
    case Delivery::kDropped:
      return "dropped";
    case Delivery::kIgnored:
      return "ignored";
    case Delivery::kHandled:
      return "delivered to its handler";
    case Delivery::kQueued:
      return "queued (blocked; read by PID 1)";
    case Delivery::kForcedKill:
      return "kills PID 1";
    case Delivery::kForcedStop:
      return "stops PID 1";
  }
  return "?";
}

bool reaches_init(Delivery delivery) {
  return delivery != Delivery::kDropped && delivery != Delivery::kIgnored;
}

}  // namespace pidone::inspect
