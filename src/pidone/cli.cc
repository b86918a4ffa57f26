#include "pidone/cli.h"

#include <algorithm>
#include <array>
#include <cstdlib>

#include "pidone/duration.h"
#include "sys/signal_names.h"

namespace pidone {
namespace {

enum class OptionId {
  kHelp,
  kVersion,
  kLicense,
  kVerbose,
  kQuiet,
  kSignalTarget,
  kGrace,
  kStopTimeout,
  kRemapExit,
  kRewrite,
  kPdeathsig,
};

struct OptionSpec {
  OptionId id;
  const char* long_name;
  char short_name;         // 0: none
  const char* value_name;  // nullptr: a flag
  bool repeatable;
  bool from_environment;
  const char* help;
};

// The one table: parsing, the environment names and --help all come from it.
constexpr std::array<OptionSpec, 11> kOptions = {{
    {OptionId::kHelp, "help", 'h', nullptr, false, false, "show this help and exit"},
    {OptionId::kVersion, "version", 'V', nullptr, false, false, "show the version and exit"},
    {OptionId::kLicense, "license", 'L', nullptr, false, false, "show the license and exit"},
    {OptionId::kVerbose, "verbose", 'v', nullptr, true, true,
     "log more (repeat for debug); env: a count, PIDONE_VERBOSE=2"},
    {OptionId::kQuiet, "quiet", 'q', nullptr, false, true, "log errors only"},
    {OptionId::kSignalTarget, "signal-target", 0, "child|group", false, true,
     "forward signals to the child, or to its process group (default: child)"},
    {OptionId::kGrace, "grace", 0, "DURATION", false, true,
     "when the child exits, SIGTERM the rest, SIGKILL after this (default: 5s; 0: at once)"},
    {OptionId::kStopTimeout, "stop-timeout", 0, "DURATION", false, true,
     "SIGKILL the child this long after the first stop signal (default: off)"},
    {OptionId::kRemapExit, "remap-exit", 0, "FROM:TO", true, true,
     "exit with TO when the child's code is FROM, e.g. 143:0 (repeatable)"},
    {OptionId::kRewrite, "rewrite", 0, "FROM:TO", true, true,
     "forward signal FROM as TO; TO 0 drops it, e.g. TERM:QUIT (repeatable)"},
    {OptionId::kPdeathsig, "pdeathsig", 0, "SIG", false, true,
     "signal pidone receives when its parent dies (PR_SET_PDEATHSIG)"},
}};

std::string env_name(const OptionSpec& spec) {
  std::string name = "PIDONE_";
  for (const char* c = spec.long_name; *c != '\0'; ++c) {
    name += *c == '-' ? '_' : static_cast<char>(*c - 'a' + 'A');
  }
  return name;
}

using Status = std::expected<void, std::string>;

std::optional<int> parse_int_in(std::string_view text, int low, int high) {
  if (text.empty() || text.size() > 6) {
    return std::nullopt;
  }
  int value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  if (value < low || value > high) {
    return std::nullopt;
  }
  return value;
}

// "FROM:TO" -> the two halves, or nullopt without exactly one ':'.
std::optional<std::pair<std::string_view, std::string_view>> split_pair(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  return std::pair{text.substr(0, colon), text.substr(colon + 1)};
}

bool is_truthy(std::string_view text) {
  return text == "1" || text == "true" || text == "yes" || text == "on";
}
bool is_falsy(std::string_view text) {
  return text.empty() || text == "0" || text == "false" || text == "no" || text == "off";
}

// Applies one value of option `spec` to `options`. `where` names the source for messages:
// "--grace" or "PIDONE_GRACE".
Status apply(const OptionSpec& spec, std::string_view value, const std::string& where,
             Options& options) {
  auto invalid = [&](const char* expected) -> Status {
    return std::unexpected("invalid value '" + std::string(value) + "' for " + where +
                           ": expected " + expected);
  };
  switch (spec.id) {
    case OptionId::kHelp:
    case OptionId::kVersion:
    case OptionId::kLicense:
      return {};
    case OptionId::kVerbose:  // only reached from the environment: a count
      if (auto count = parse_int_in(value, 0, 9)) {
        options.verbosity = 1 + *count;
        return {};
      }
      return invalid("a count from 0 to 9");
    case OptionId::kQuiet:  // only reached from the environment
      if (is_truthy(value)) {
        options.verbosity = 0;
      } else if (!is_falsy(value)) {
        return invalid("1 or 0");
      }
      return {};
    case OptionId::kSignalTarget:
      if (value == "child") {
        options.signal_target = SignalTarget::kChild;
      } else if (value == "group") {
        options.signal_target = SignalTarget::kGroup;
      } else {
        return invalid("child or group");
      }
      return {};
    case OptionId::kGrace:
    case OptionId::kStopTimeout: {
      const auto ms = parse_duration(value);
      if (!ms) {
        return invalid("a duration such as 10s, 500ms, 2m or 0 (at most 24h)");
      }
      if (spec.id == OptionId::kGrace) {
        options.grace_ms = *ms;
      } else {
        options.stop_timeout_ms = *ms;
      }
      return {};
    }
    case OptionId::kRemapExit: {
      const auto pair = split_pair(value);
      const auto from = pair ? parse_int_in(pair->first, 0, 255) : std::nullopt;
      const auto to = pair ? parse_int_in(pair->second, 0, 255) : std::nullopt;
      if (!from || !to) {
        return invalid("FROM:TO with exit codes 0 to 255, e.g. 143:0");
      }
      options.exit_code_map[static_cast<std::size_t>(*from)] = static_cast<std::uint8_t>(*to);
      return {};
    }
    case OptionId::kRewrite: {
      const auto pair = split_pair(value);
      if (!pair) {
        return invalid(
            "FROM:TO with signal names or numbers 1 to 64 (TO may be 0), e.g. TERM:QUIT");
      }
      const auto from = sys::parse_signal(pair->first);
      int to = 0;
      if (pair->second != "0") {
        const auto parsed = sys::parse_signal(pair->second);
        to = parsed.value_or(-1);
      }
      if (!from || to < 0) {
        return invalid(
            "FROM:TO with signal names or numbers 1 to 64 (TO may be 0), e.g. TERM:QUIT");
      }
      options.signal_map[static_cast<std::size_t>(*from)] = static_cast<std::uint8_t>(to);
      return {};
    }
    case OptionId::kPdeathsig:
      if (auto sig = sys::parse_signal(value)) {
        options.pdeathsig = *sig;
        return {};
      }
      return invalid("a signal name or number 1 to 64, e.g. TERM");
  }
  return {};
}

// A comma-separated list for repeatable options, one value otherwise.
Status apply_environment(const EnvLookup& env, Options& options) {
  for (const auto& spec : kOptions) {
    if (!spec.from_environment) {
      continue;
    }
    const std::string name = env_name(spec);
    const auto value = env(name);
    if (!value) {
      continue;
    }
    if (!spec.repeatable || spec.id == OptionId::kVerbose) {
      if (auto status = apply(spec, *value, name, options); !status) {
        return status;
      }
      continue;
    }
    std::string_view rest = *value;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const std::string_view item = rest.substr(0, comma);
      if (auto status = apply(spec, item, name, options); !status) {
        return status;
      }
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  return {};
}

const OptionSpec* find_long(std::string_view name) {
  for (const auto& spec : kOptions) {
    if (name == spec.long_name) {
      return &spec;
    }
  }
  return nullptr;
}

const OptionSpec* find_short(char name) {
  for (const auto& spec : kOptions) {
    if (spec.short_name != 0 && spec.short_name == name) {
      return &spec;
    }
  }
  return nullptr;
}

}  // namespace

std::expected<CliResult, std::string> parse_command_line(std::span<const char* const> args,
                                                         const EnvLookup& env) {
  CliResult result;
  Options& options = result.options;
  if (auto status = apply_environment(env, options); !status) {
    return std::unexpected(status.error());
  }

  // What the command line sets replaces the environment's value; lists are replaced whole.
  std::array<int, kOptions.size()> seen{};
  int verbose_count = 0;
  auto take = [&](const OptionSpec& spec, std::optional<std::string_view> value,
                  const std::string& where) -> Status {
    const auto index = static_cast<std::size_t>(&spec - kOptions.data());
    if (seen[index]++ > 0 && !spec.repeatable) {
      return std::unexpected("option " + where + " given more than once");
    }
    switch (spec.id) {
      case OptionId::kHelp:
        result.action = CliAction::kHelp;
        return {};
      case OptionId::kVersion:
        result.action = CliAction::kVersion;
        return {};
      case OptionId::kLicense:
        result.action = CliAction::kLicense;
        return {};
      case OptionId::kVerbose:
        ++verbose_count;
        return {};
      case OptionId::kQuiet:
        return {};
      case OptionId::kRemapExit:
        if (seen[index] == 1) {
          options.exit_code_map = Options::identity_exit_map();
        }
        break;
      case OptionId::kRewrite:
        if (seen[index] == 1) {
          options.signal_map = Options::identity_signal_map();
        }
        break;
      default:
        break;
    }
    return apply(spec, value.value_or(""), where, options);
  };

  std::size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--") {
      ++i;
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      break;  // the command starts here
    }
    if (arg.starts_with("--")) {
      const auto eq = arg.find('=');
      const std::string_view name = arg.substr(2, eq == std::string_view::npos ? eq : eq - 2);
      const OptionSpec* spec = find_long(name);
      const std::string where = "--" + std::string(name);
      if (spec == nullptr) {
        return std::unexpected("unknown option '" + where + "'");
      }
      std::optional<std::string_view> value;
      if (eq != std::string_view::npos) {
        if (spec->value_name == nullptr) {
          return std::unexpected("option " + where + " takes no value");
        }
        value = arg.substr(eq + 1);
      } else if (spec->value_name != nullptr) {
        if (i + 1 >= args.size()) {
          return std::unexpected("option " + where + " needs a value (" + spec->value_name + ")");
        }
        value = args[++i];
      }
      if (auto status = take(*spec, value, where); !status) {
        return std::unexpected(status.error());
      }
      continue;
    }
    // A cluster of short flags, e.g. -vv; a short option with a value takes the rest or the next.
    for (std::size_t j = 1; j < arg.size(); ++j) {
      const OptionSpec* spec = find_short(arg[j]);
      const std::string where = std::string("-") + arg[j];
      if (spec == nullptr) {
        return std::unexpected("unknown option '" + where + "'");
      }
      std::optional<std::string_view> value;
      if (spec->value_name != nullptr) {
        if (j + 1 < arg.size()) {
          value = arg.substr(j + 1);
        } else if (i + 1 < args.size()) {
          value = args[++i];
        } else {
          return std::unexpected("option " + where + " needs a value (" + spec->value_name + ")");
        }
        j = arg.size();
      }
      if (auto status = take(*spec, value, where); !status) {
        return std::unexpected(status.error());
      }
    }
  }

  const auto quiet_index = static_cast<std::size_t>(OptionId::kQuiet);
  if (verbose_count > 0 && seen[quiet_index] > 0) {
    return std::unexpected("options -v and -q contradict each other");
  }
  if (verbose_count > 0) {
    options.verbosity = 1 + verbose_count;
  } else if (seen[quiet_index] > 0) {
    options.verbosity = 0;
  }
  if (result.action != CliAction::kRun) {
    return result;
  }
  for (; i < args.size(); ++i) {
    options.command.emplace_back(args[i]);
  }
  if (options.command.empty()) {
    return std::unexpected("no command given (usage: pidone [OPTIONS] [--] COMMAND [ARG...])");
  }
  if (options.command.front().empty()) {
    return std::unexpected("the command name is empty");
  }
  return result;
}

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) {
      return std::nullopt;
    }
    return std::string(value);
  };
}

std::string usage_text() {
  std::string text =
      "Usage: pidone [OPTIONS] [--] COMMAND [ARG...]\n"
      "\n"
      "Runs COMMAND as the child of a container init: forwards signals to it, reaps every\n"
      "zombie, drains the other processes when it exits, and exits with its status.\n"
      "\n"
      "Options:\n";
  for (const auto& spec : kOptions) {
    std::string left = "  ";
    left += spec.short_name != 0 ? std::string("-") + spec.short_name + ", " : "    ";
    left += "--";
    left += spec.long_name;
    if (spec.value_name != nullptr) {
      left += std::string(" ") + spec.value_name;
    }
    left.resize(std::max<std::size_t>(left.size() + 2, 34), ' ');
    text += left + spec.help + "\n";
  }
  text +=
      "\n"
      "Every option OPT can also be set as PIDONE_OPT (e.g. PIDONE_GRACE=10s,\n"
      "PIDONE_REMAP_EXIT=143:0,130:0); the command line wins.\n"
      "\n"
      "Exit status: the child's code, 128+N if it was killed by signal N, 126 if COMMAND\n"
      "cannot be run, 127 if it is not found, 2 for a usage error, 125 if pidone itself\n"
      "could not start.\n";
  return text;
}

}  // namespace pidone
