#include "pidone/personality.h"

#include <signal.h>

#include <cstring>
#include <string_view>

#include "pidone/license.h"
#include "sys/exit_codes.h"
#include "sys/signal_names.h"

namespace pidone {
namespace {

// The versions whose interfaces these personalities reproduce.
constexpr const char* kTiniVersion = "0.19.0";
constexpr const char* kDumbInitVersion = "1.2.5";
constexpr const char* kCatatonitVersion = "0.1.7";

std::string pidone_suffix() {
  return std::string(" (pidone ") + PIDONE_VERSION + ")";
}

Invocation print(std::string text, bool to_stderr = false) {
  Invocation inv;
  inv.kind = Invocation::Kind::kPrint;
  inv.text = std::move(text);
  inv.to_stderr = to_stderr;
  return inv;
}

// The three originals exit 1 on a usage error.
Invocation usage_error(std::string text) {
  Invocation inv;
  inv.kind = Invocation::Kind::kUsageError;
  inv.text = std::move(text);
  inv.to_stderr = true;
  inv.exit_code = 1;
  return inv;
}

bool set(const EnvLookup& env, const char* name) {
  return env(name).has_value();
}

// A short-option scanner in the manner of getopt with "+": options end at the first
// non-option or after "--"; "-ab" is -a -b; an option taking a value takes the rest of the
// word or the next one.
class ShortOptions {
 public:
  ShortOptions(std::span<const char* const> args, std::string_view takes_value)
      : args_(args), takes_value_(takes_value) {}

  // Next option letter, 0 at the end of options, '?' for a missing value (`bad()` says which).
  char next() {
    for (;;) {
      if (word_ == nullptr || *word_ == '\0') {
        if (index_ >= args_.size()) {
          return 0;
        }
        const std::string_view arg = args_[index_];
        if (arg == "--") {
          ++index_;
          return 0;
        }
        if (arg.size() < 2 || arg[0] != '-') {
          return 0;
        }
        word_ = args_[index_++] + 1;
      }
      const char option = *word_++;
      value_ = nullptr;
      if (takes_value_.find(option) != std::string_view::npos) {
        if (*word_ != '\0') {
          value_ = word_;
        } else if (index_ < args_.size()) {
          value_ = args_[index_++];
        } else {
          bad_ = option;
          return '?';
        }
        word_ = nullptr;
      }
      return option;
    }
  }
  [[nodiscard]] const char* value() const { return value_; }
  [[nodiscard]] char bad() const { return bad_; }
  // What follows the options: the command.
  [[nodiscard]] std::vector<std::string> rest() const {
    return {args_.begin() + static_cast<std::ptrdiff_t>(index_), args_.end()};
  }

 private:
  std::span<const char* const> args_;
  std::string_view takes_value_;
  std::size_t index_ = 0;
  const char* word_ = nullptr;
  const char* value_ = nullptr;
  char bad_ = 0;
};

// ---- tini (and docker-init) -------------------------------------------------------------

std::string tini_usage() {
  return std::string("tini (tini version ") + kTiniVersion + pidone_suffix() +
         ")\n"
         "Usage: tini [OPTIONS] PROGRAM -- [ARGS] | --version\n\n"
         "Execute a program under the supervision of a valid init process (tini)\n\n"
         "Command line options:\n\n"
         "  --version: Show version and exit.\n"
         "  -h: Show this help message and exit.\n"
         "  -s: Register as a process subreaper (requires Linux >= 3.4).\n"
         "  -p SIGNAL: Trigger SIGNAL when parent dies, e.g. \"-p SIGKILL\".\n"
         "  -v: Generate more verbose output. Repeat up to 3 times.\n"
         "  -w: Print a warning when processes are getting reaped.\n"
         "  -g: Send signals to the child's process group.\n"
         "  -e EXIT_CODE: Remap EXIT_CODE (from 0 to 255) to 0.\n"
         "  -l: Show license and exit.\n\n"
         "Environment variables:\n\n"
         "  TINI_SUBREAPER: Register as a process subreaper (requires Linux >= 3.4).\n"
         "  TINI_VERBOSITY: Set the verbosity level (default: 1).\n"
         "  TINI_KILL_PROCESS_GROUP: Send signals to the child's process group.\n\n";
}

Invocation parse_tini(std::span<const char* const> args, const EnvLookup& env) {
  if (!args.empty() && std::strcmp(args[0], "--version") == 0) {
    return print(std::string("tini version ") + kTiniVersion + pidone_suffix() + "\n");
  }
  Invocation inv;
  Options& o = inv.options;
  o.personality = Personality::kTini;
  o.exec_failure = ExecFailureCodes::kTini;
  o.become_subreaper = set(env, "TINI_SUBREAPER");
  o.warn_not_subreaper = true;
  if (set(env, "TINI_KILL_PROCESS_GROUP")) {
    o.signal_target = SignalTarget::kGroup;
  }
  if (auto verbosity = env("TINI_VERBOSITY")) {
    o.verbosity = std::atoi(verbosity->c_str());
  }
  int verbose = 0;
  ShortOptions scan(args, "pe");
  for (char c = scan.next(); c != 0; c = scan.next()) {
    switch (c) {
      case 'h':
        return print(tini_usage());
      case 'l':
        return print(license_text());
      case 's':
        o.become_subreaper = true;
        break;
      case 'v':
        ++verbose;
        break;
      case 'w':
        o.warn_on_reap = true;
        break;
      case 'g':
        o.signal_target = SignalTarget::kGroup;
        break;
      case 'p': {
        const auto sig = sys::parse_signal(scan.value());
        if (!sig) {
          return usage_error(std::string("tini: Not a valid option for -p: ") + scan.value() +
                             "\n");
        }
        o.pdeathsig = *sig;
        break;
      }
      case 'e': {
        char* end = nullptr;
        const long code = std::strtol(scan.value(), &end, 10);
        if (*scan.value() == '\0' || *end != '\0' || code < 0 || code > 255) {
          return usage_error(std::string("tini: Not a valid option for -e: ") + scan.value() +
                             "\n");
        }
        o.exit_code_map[static_cast<std::size_t>(code)] = 0;
        break;
      }
      default:
        return usage_error(std::string("tini: invalid option -- '") + (c == '?' ? scan.bad() : c) +
                           "'\n" + tini_usage());
    }
  }
  if (verbose > 0) {
    o.verbosity = 1 + verbose;
  }
  o.command = scan.rest();
  if (o.command.empty()) {
    return usage_error(tini_usage());
  }
  return inv;
}

// ---- dumb-init --------------------------------------------------------------------------

std::string dumb_init_usage() {
  return std::string("dumb-init v") + kDumbInitVersion + pidone_suffix() +
         "\n"
         "Usage: dumb-init [option] command [[arg] ...]\n\n"
         "dumb-init is a simple process supervisor that forwards signals to children.\n"
         "It is designed to run as PID1 in minimal container environments.\n\n"
         "Optional arguments:\n"
         "   -c, --single-child   Run in single-child mode.\n"
         "                        In this mode, signals are only proxied to the\n"
         "                        direct child and not any of its descendants.\n"
         "   -r, --rewrite s:r    Rewrite received signal s to new signal r before proxying.\n"
         "                        To ignore (not proxy) a signal, rewrite it to 0.\n"
         "                        This option can be specified multiple times.\n"
         "   -v, --verbose        Print debugging information to stderr.\n"
         "   -h, --help           Print this help message and exit.\n"
         "   -V, --version        Print the current version and exit.\n";
}

Invocation parse_dumb_init(std::span<const char* const> args, const EnvLookup& env) {
  Invocation inv;
  Options& o = inv.options;
  o.personality = Personality::kDumbInit;
  o.exec_failure = ExecFailureCodes::kFixed;
  o.exec_failure_exit = 2;
  bool single_child = env("DUMB_INIT_SETSID").value_or("1") == "0";
  if (env("DUMB_INIT_DEBUG").value_or("0") != "0") {
    o.verbosity = 3;
  }
  // Long options first become their short twins, then the common scanner reads them.
  std::vector<std::string> words;
  std::size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--") {
      break;
    }
    if (!arg.starts_with("-")) {
      break;
    }
    if (arg == "--single-child") {
      words.emplace_back("-c");
    } else if (arg == "--verbose") {
      words.emplace_back("-v");
    } else if (arg == "--help") {
      words.emplace_back("-h");
    } else if (arg == "--version") {
      words.emplace_back("-V");
    } else if (arg == "--rewrite" || arg.starts_with("--rewrite=")) {
      words.emplace_back("-r");
      if (arg == "--rewrite") {
        if (i + 1 >= args.size()) {
          return usage_error("dumb-init: option '--rewrite' requires an argument\n");
        }
        words.emplace_back(args[++i]);
      } else {
        words.emplace_back(arg.substr(10));
      }
    } else if (arg.starts_with("--")) {
      return usage_error("dumb-init: unrecognized option '" + std::string(arg) + "'\n");
    } else {
      words.emplace_back(arg);
      // "-r 15:10" (or "-cr 15:10"): the value is the next word.
      if (arg.back() == 'r' && i + 1 < args.size()) {
        words.emplace_back(args[++i]);
      }
    }
  }
  std::vector<const char*> argv;
  argv.reserve(words.size() + 1 + args.size() - i);
  for (const auto& w : words) {
    argv.push_back(w.c_str());
  }
  // The options end here for the scanner too; a "--" of the caller's stays in front of the
  // command and is dropped below.
  argv.push_back("--");
  argv.insert(argv.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  ShortOptions scan(argv, "r");
  for (char c = scan.next(); c != 0; c = scan.next()) {
    switch (c) {
      case 'h':
        return print(dumb_init_usage(), true);
      case 'V':
        return print(std::string("dumb-init v") + kDumbInitVersion + pidone_suffix() + "\n", true);
      case 'c':
        single_child = true;
        break;
      case 'v':
        o.verbosity = 3;
        break;
      case 'r': {
        const std::string_view spec = scan.value();
        const auto colon = spec.find(':');
        const auto from = sys::parse_signal(spec.substr(0, colon));
        const std::string_view to_text =
            colon == std::string_view::npos ? std::string_view() : spec.substr(colon + 1);
        const auto to = to_text == "0" ? std::optional<int>(0) : sys::parse_signal(to_text);
        if (colon == std::string_view::npos || !from || !to) {
          return usage_error(
              "Usage: -r option takes <signum>:<signum>, where <signum> is between 1 and 31.\n"
              "This option can be specified multiple times.\n"
              "Use --help for full usage.\n");
        }
        o.signal_map[static_cast<std::size_t>(*from)] = static_cast<std::uint8_t>(*to);
        break;
      }
      default:
        return usage_error(std::string("dumb-init: invalid option -- '") +
                           (c == '?' ? scan.bad() : c) + "'\n");
    }
  }
  // dumb-init's default: the child leads a new session, signals go to its whole group, and
  // a TSTP/TTIN/TTOU forwarded to it stops dumb-init too.
  // In both modes dumb-init suspends itself after passing TSTP/TTIN/TTOU on; in setsid mode
  // they reach the child's group as SIGSTOP unless -r says otherwise.
  o.suspend_with_child = true;
  o.own_process_group = false;  // -c: the child stays in dumb-init's group
  if (!single_child) {
    o.own_process_group = true;
    o.new_session = true;
    o.signal_target = SignalTarget::kGroup;
    for (const int sig : {SIGTSTP, SIGTTIN, SIGTTOU}) {
      if (o.signal_map[static_cast<std::size_t>(sig)] == sig) {
        o.signal_map[static_cast<std::size_t>(sig)] = SIGSTOP;
      }
    }
  }
  // The command: everything after the options, the inserted "--" aside.
  std::vector<std::string> rest = scan.rest();
  if (!rest.empty() && rest.front() == "--") {
    rest.erase(rest.begin());
  }
  o.command = std::move(rest);
  if (o.command.empty()) {
    return usage_error(
        "Usage: dumb-init [option] program [args]\nTry dumb-init --help for full usage.\n");
  }
  return inv;
}

// ---- catatonit --------------------------------------------------------------------------

std::string catatonit_usage() {
  return "usage: catatonit [-ghLPV] [--] <progname> [<arguments>...]\n\n"
         "options:\n"
         "  -g              Forward signals to pid1's process group.\n"
         "  -h              Print this help page.\n"
         "  -L              Print license information.\n"
         "  -P              Run in pause mode (no program is run and quit on SIGINT).\n"
         "  -V, --version   Print version information.\n";
}

Invocation parse_catatonit(std::span<const char* const> args, const EnvLookup& /*env*/) {
  std::vector<const char*> argv(args.begin(), args.end());
  for (auto& arg : argv) {
    if (std::strcmp(arg, "--version") == 0) {
      arg = "-V";
    } else if (std::strncmp(arg, "--", 2) == 0 && arg[2] != '\0') {
      return usage_error(std::string("catatonit: unrecognized option '") + arg + "'\n" +
                         catatonit_usage());
    }
  }
  Invocation inv;
  Options& o = inv.options;
  o.personality = Personality::kCatatonit;
  o.exec_failure = ExecFailureCodes::kFixed;
  o.exec_failure_exit = 1;
  ShortOptions scan(argv, "");
  for (char c = scan.next(); c != 0; c = scan.next()) {
    switch (c) {
      case 'h':
        return print(catatonit_usage(), true);
      case 'V':
        return print(std::string("tini version ") + kCatatonitVersion + "_catatonit" +
                     pidone_suffix() + "\n");
      case 'L':
        return print(license_text());
      case 'g':
        o.signal_target = SignalTarget::kGroup;
        break;
      case 'P':
        o.pause = true;
        break;
      default:
        return usage_error(std::string("catatonit: invalid option -- '") + c + "'\n" +
                           catatonit_usage());
    }
  }
  o.command = scan.rest();
  if (o.command.empty() && !o.pause) {
    return usage_error("catatonit: missing program name\n" + catatonit_usage());
  }
  if (o.pause) {
    o.command.clear();
  }
  return inv;
}

Invocation parse_pidone(std::span<const char* const> args, const EnvLookup& env) {
  auto parsed = parse_command_line(args, env);
  if (!parsed) {
    Invocation inv;
    inv.kind = Invocation::Kind::kUsageError;
    inv.text = "pidone: " + parsed.error() + " (see 'pidone --help')\n";
    inv.to_stderr = true;
    inv.exit_code = sys::kExitUsage;
    return inv;
  }
  if (parsed->action == CliAction::kHelp) {
    return print(usage_text());
  }
  if (parsed->action == CliAction::kVersion) {
    return print(std::string("pidone ") + PIDONE_VERSION + "\n");
  }
  if (parsed->action == CliAction::kLicense) {
    return print(license_text());
  }
  Invocation inv;
  inv.options = std::move(parsed->options);
  return inv;
}

}  // namespace

Personality personality_from_argv0(const char* argv0) {
  if (argv0 == nullptr) {
    return Personality::kPidone;
  }
  std::string_view name = argv0;
  if (const auto slash = name.rfind('/'); slash != std::string_view::npos) {
    name.remove_prefix(slash + 1);
  }
  if (name == "tini" || name == "tini-static" || name == "docker-init") {
    return Personality::kTini;
  }
  if (name == "dumb-init") {
    return Personality::kDumbInit;
  }
  if (name == "catatonit") {
    return Personality::kCatatonit;
  }
  return Personality::kPidone;
}

Invocation parse_invocation(Personality personality, std::span<const char* const> args,
                            const EnvLookup& env) {
  switch (personality) {
    case Personality::kTini:
      return parse_tini(args, env);
    case Personality::kDumbInit:
      return parse_dumb_init(args, env);
    case Personality::kCatatonit:
      return parse_catatonit(args, env);
    case Personality::kPidone:
      break;
  }
  return parse_pidone(args, env);
}

}  // namespace pidone
