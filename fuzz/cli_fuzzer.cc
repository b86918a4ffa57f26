// libFuzzer target: the command line and the environment of every personality. The input is
// split at NUL bytes into words; its first byte picks the personality. A word NAME=value with
// NAME in capitals (PIDONE_GRACE=abc, TINI_VERBOSITY=3, POSIXLY_CORRECT=) goes into the
// environment, the others are the arguments. Parsing must never crash, what it accepts must be
// in range, and what it prints must be one line per message with nothing a terminal acts on.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "pidone/personality.h"

namespace {

bool is_variable(const std::string& word) {
  const auto eq = word.find('=');
  if (eq == 0 || eq == std::string::npos) {
    return false;
  }
  for (std::size_t i = 0; i < eq; ++i) {
    if (!((word[i] >= 'A' && word[i] <= 'Z') || word[i] == '_')) {
      return false;
    }
  }
  return true;
}

void check(const pidone::Invocation& invocation, pidone::Personality personality) {
  using pidone::Invocation;
  if (invocation.kind == Invocation::Kind::kRun) {
    const auto& o = invocation.options;
    if ((o.command.empty() && !o.pause) || o.grace_ms < 0 || o.grace_ms > 24LL * 3600 * 1000 ||
        o.pdeathsig < 0 || o.pdeathsig > 64 || o.verbosity < 0 || o.verbosity > 4 ||
        o.personality != personality) {
      __builtin_trap();
    }
    for (const int code : o.exit_code_map) {
      if (code < 0 || code > 255) {
        __builtin_trap();
      }
    }
    for (const int sig : o.signal_map) {
      if (sig < 0 || sig > 64) {
        __builtin_trap();
      }
    }
    return;
  }
  if (invocation.text.empty() || invocation.text.back() != '\n') {
    __builtin_trap();  // help, version and errors always say something, and end their line
  }
  if (invocation.kind == Invocation::Kind::kUsageError) {
    for (const char c : invocation.text) {
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f) {
        __builtin_trap();  // escaped: no control character but the line ends
      }
    }
    if (personality == pidone::Personality::kPidone &&
        invocation.text.find('\n') != invocation.text.size() - 1) {
      __builtin_trap();  // pidone's usage errors are one line
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const auto personality = static_cast<pidone::Personality>(data[0] % 4);
  std::vector<std::string> words(1);
  for (std::size_t i = 1; i < size; ++i) {
    if (data[i] == 0) {
      words.emplace_back();
    } else {
      words.back() += static_cast<char>(data[i]);
    }
  }
  std::map<std::string, std::string> env;
  std::vector<const char*> args;
  for (const auto& w : words) {
    if (is_variable(w)) {
      env[w.substr(0, w.find('='))] = w.substr(w.find('=') + 1);
    } else {
      args.push_back(w.c_str());
    }
  }
  const auto lookup = [&env](const std::string& name) -> std::optional<std::string> {
    const auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  // Each time from scratch, under the name and without one: the parser keeps no state.
  const auto first = pidone::parse_invocation(personality, "/bin/x", args, lookup);
  check(first, personality);
  const auto again = pidone::parse_invocation(personality, nullptr, args, lookup);
  if (again.kind != first.kind || again.exit_code != first.exit_code ||
      again.options.command != first.options.command) {
    __builtin_trap();
  }
  return 0;
}
