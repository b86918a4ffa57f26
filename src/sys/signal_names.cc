#include "sys/signal_names.h"

#include <signal.h>

#include <array>
#include <cctype>
#include <charconv>
#include <tuple>

namespace pidone::sys {
namespace {

struct NamedSignal {
  const char* name;
  int number;
};

constexpr std::array<NamedSignal, 32> kNames = {{
    {"HUP", SIGHUP},       {"INT", SIGINT},   {"QUIT", SIGQUIT},     {"ILL", SIGILL},
    {"TRAP", SIGTRAP},     {"ABRT", SIGABRT}, {"IOT", SIGIOT},       {"BUS", SIGBUS},
    {"FPE", SIGFPE},       {"KILL", SIGKILL}, {"USR1", SIGUSR1},     {"SEGV", SIGSEGV},
    {"USR2", SIGUSR2},     {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},     {"TERM", SIGTERM},
    {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT},     {"STOP", SIGSTOP},
    {"TSTP", SIGTSTP},     {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},
    {"XCPU", SIGXCPU},     {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},
    {"WINCH", SIGWINCH},   {"IO", SIGIO},     {"PWR", SIGPWR},       {"SYS", SIGSYS},
}};

std::optional<int> parse_number(std::string_view text) {
  int value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) {
    return std::nullopt;
  }
  return value;
}

std::optional<int> in_range(std::optional<int> sig) {
  if (sig && *sig >= 1 && *sig <= kMaxSignal) {
    return sig;
  }
  return std::nullopt;
}

}  // namespace

std::optional<int> parse_signal(std::string_view text) {
  if (!text.empty() && std::isdigit(static_cast<unsigned char>(text.front())) != 0) {
    return in_range(parse_number(text));
  }
  std::string upper;
  for (const char c : text) {
    upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  std::string_view name = upper;
  if (name.starts_with("SIG")) {
    name.remove_prefix(3);
  }
  for (const auto& named : kNames) {
    if (name == named.name) {
      return named.number;
    }
  }
  // RTMIN, RTMIN+N, RTMAX, RTMAX-N
  for (const auto& [prefix, base, sign] :
       {std::tuple{"RTMIN", SIGRTMIN, '+'}, std::tuple{"RTMAX", SIGRTMAX, '-'}}) {
    const std::string_view p(prefix);
    if (!name.starts_with(p)) {
      continue;
    }
    std::string_view rest = name.substr(p.size());
    if (rest.empty()) {
      return base;
    }
    if (rest.front() != sign) {
      return std::nullopt;
    }
    rest.remove_prefix(1);
    if (rest.empty() || std::isdigit(static_cast<unsigned char>(rest.front())) == 0) {
      return std::nullopt;
    }
    const auto offset = parse_number(rest);
    if (!offset) {
      return std::nullopt;
    }
    const int sig = sign == '+' ? base + *offset : base - *offset;
    if (sig < SIGRTMIN || sig > SIGRTMAX) {
      return std::nullopt;
    }
    return sig;
  }
  return std::nullopt;
}

std::string signal_name(int sig) {
  for (const auto& named : kNames) {
    if (named.number == sig && std::string_view(named.name) != "IOT") {
      return std::string("SIG") + named.name;
    }
  }
  if (sig == SIGRTMIN) {
    return "SIGRTMIN";
  }
  if (sig > SIGRTMIN && sig <= SIGRTMAX) {
    return "SIGRTMIN+" + std::to_string(sig - SIGRTMIN);
  }
  return "SIG" + std::to_string(sig);
}

std::string signal_set_names(SignalSet set) {
  std::string text;
  for (int sig = 1; sig <= kMaxSignal; ++sig) {
    if (set.contains(sig)) {
      text += (text.empty() ? "" : " ") + signal_name(sig);
    }
  }
  return text.empty() ? "(none)" : text;
}

}  // namespace pidone::sys
