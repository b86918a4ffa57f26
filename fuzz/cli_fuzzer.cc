// libFuzzer target: the command line of every personality. The input is split at NUL bytes
// into arguments; its first byte picks the personality. Parsing must never crash, and what it
// accepts must be consistent.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "pidone/personality.h"

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
  std::vector<const char*> args;
  for (const auto& w : words) {
    args.push_back(w.c_str());
  }
  // The environment is the input's last word, offered under every variable name.
  const std::string env_value = words.back();
  const auto invocation = pidone::parse_invocation(
      personality, args,
      [&env_value](const std::string&) -> std::optional<std::string> { return env_value; });
  if (invocation.kind == pidone::Invocation::Kind::kRun) {
    const auto& o = invocation.options;
    if ((o.command.empty() && !o.pause) || o.grace_ms < 0 || o.pdeathsig < 0 || o.pdeathsig > 64) {
      __builtin_trap();
    }
    for (const int code : o.exit_code_map) {
      if (code < 0 || code > 255) {
        __builtin_trap();
      }
    }
  } else if (invocation.text.empty()) {
    __builtin_trap();  // help, version and errors always say something
  }
  return 0;
}
