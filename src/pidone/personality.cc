#include "pidone/personality.h"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <climits>
#include <cstdint>
#include <string_view>

#include "pidone/license.h"
#include "sys/exit_codes.h"
#include "sys/signal_names.h"
#include "text/printable.h"

namespace pidone {
namespace {

// The versions whose interfaces these personalities reproduce.
constexpr const char* kTiniVersion = "0.19.0";
constexpr const char* kDumbInitVersion = "1.2.5";
constexpr const char* kCatatonitVersion = "0.1.7";

// The three originals exit 1 on a usage error.
constexpr int kOriginalUsageExit = 1;

// What each original's debug output needs on pidone's verbosity scale (options.h).
constexpr int kDumbInitDebug = 3;
constexpr int kCatatonitDebug = 4;
constexpr int kMaxVerbosity = 4;

std::string pidone_suffix() {
  return std::string(" (pidone ") + PIDONE_VERSION + ")";
}

// ---- One record per original: its name, its getopt_long call, its texts and codes ---------

struct Original {
  Personality personality;
  const char* name;  // as its messages spell it
  ScannerRules rules;
  bool posixly_correct_stops = false;  // GNU's permuting order, unless POSIXLY_CORRECT is set
  ExecFailureCodes exec_failure;
  int exec_failure_exit;
  // One line in the original's error format, for its own checks and a bad PIDONE_* value.
  std::string (*error_line)(std::string_view message);
};

std::string tini_error_line(std::string_view message) {
  return "[FATAL tini (" + std::to_string(::getpid()) + ")] " + std::string(message) + "\n";
}
std::string dumb_init_error_line(std::string_view message) {
  return "[dumb-init] " + std::string(message) + "\n";
}
std::string catatonit_error_line(std::string_view message) {
  return "ERROR (catatonit:" + std::to_string(::getpid()) + "): " + std::string(message) + "\n";
}

constexpr std::array<LongOption, 5> kDumbInitLongOptions = {{
    {"help", false, 'h'},
    {"single-child", false, 'c'},
    {"rewrite", true, 'r'},
    {"verbose", false, 'v'},
    {"version", false, 'V'},
}};
constexpr std::array<LongOption, 1> kCatatonitLongOptions = {{{"version", false, 'V'}}};

// tini: getopt(argc, argv, "p:hvwgle:s"), no long options; GNU order.
constexpr Original kTini = {Personality::kTini,
                            "tini",
                            ScannerRules{"p:hvwgle:s", {}, true, false},
                            true,
                            ExecFailureCodes::kTini,
                            0,
                            tini_error_line};
// dumb-init: getopt_long(argc, argv, "+hvVcr:", ...): options end at the first operand.
constexpr Original kDumbInit = {Personality::kDumbInit,
                                "dumb-init",
                                ScannerRules{"hvVcr:", kDumbInitLongOptions, false, true},
                                false,
                                ExecFailureCodes::kFixed,
                                2,
                                dumb_init_error_line};
// catatonit: getopt_long(argc, argv, "ghLPV", {version}); GNU order.
constexpr Original kCatatonit = {Personality::kCatatonit,
                                 "catatonit",
                                 ScannerRules{"ghLPV", kCatatonitLongOptions, true, true},
                                 true,
                                 ExecFailureCodes::kFixed,
                                 1,
                                 catatonit_error_line};

Invocation print(std::string text, bool to_stderr = false) {
  Invocation inv;
  inv.kind = Invocation::Kind::kPrint;
  inv.text = std::move(text);
  inv.to_stderr = to_stderr;
  return inv;
}

Invocation usage_error(std::string text) {
  Invocation inv;
  inv.kind = Invocation::Kind::kUsageError;
  inv.text = std::move(text);
  inv.to_stderr = true;
  inv.exit_code = kOriginalUsageExit;
  return inv;
}

// The original's getopt rules for this environment.
ScannerRules rules_of(const Original& original, const EnvLookup& env) {
  ScannerRules rules = original.rules;
  if (original.posixly_correct_stops && env("POSIXLY_CORRECT")) {
    rules.permute = false;  // glibc reads it whatever its value
  }
  return rules;
}

// "ARGV0: invalid option -- 'x'\n", as getopt prints it.
std::string getopt_error(std::string_view argv0, const OptionScanner::Item& item) {
  return text::printable(argv0) + ": " + getopt_message(item) + "\n";
}

// The base under the original's name: the PIDONE_* variables its own parse did not replace,
// then its record. A bad value is a usage error in its words.
std::expected<Options, Invocation> base_options(const Original& original, const EnvLookup& env,
                                                Settings replaced) {
  auto options = options_from_environment(env, replaced);
  if (!options) {
    return std::unexpected(usage_error(original.error_line(options.error())));
  }
  options->personality = original.personality;
  options->exec_failure = original.exec_failure;
  options->exec_failure_exit = original.exec_failure_exit;
  return std::move(*options);
}

// How C reads a decimal number (strtol, atoi, scanf's %d): spaces, a sign, digits; the value
// saturates at the range of long. nullopt without a digit; `length` is what it read.
struct CNumber {
  long long value = 0;
  std::size_t length = 0;
};
std::optional<CNumber> c_decimal(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r'))) {
    ++i;
  }
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i++] == '-';
  }
  const std::size_t first_digit = i;
  unsigned long long magnitude = 0;
  bool saturated = false;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    const auto digit = static_cast<unsigned long long>(text[i] - '0');
    if (magnitude > (static_cast<unsigned long long>(LLONG_MAX) - digit) / 10) {
      saturated = true;
    } else {
      magnitude = magnitude * 10 + digit;
    }
  }
  if (i == first_digit) {
    return std::nullopt;
  }
  long long value = 0;
  if (saturated) {
    value = negative ? LLONG_MIN : LLONG_MAX;
  } else {
    value = negative ? -static_cast<long long>(magnitude) : static_cast<long long>(magnitude);
  }
  return CNumber{value, i};
}

// A long stored into an int, as C does on this ABI: the low 32 bits.
int to_c_int(long long value) {
  return static_cast<int>(static_cast<std::uint32_t>(static_cast<unsigned long long>(value)));
}

std::string basename_of(std::string_view path) {
  if (const auto slash = path.rfind('/'); slash != std::string_view::npos) {
    path.remove_prefix(slash + 1);
  }
  return std::string(path);
}

// ---- tini (and docker-init, tini-static) ---------------------------------------------------

// tini names itself by the basename of argv[0] in its help.
std::string tini_help(std::string_view argv0) {
  const std::string name = text::printable(basename_of(argv0));
  return name + " (tini version " + kTiniVersion + pidone_suffix() +
         ")\n"
         "Usage: " +
         name +
         " [OPTIONS] PROGRAM -- [ARGS] | --version\n\n"
         "Execute a program under the supervision of a valid init process (" +
         name +
         ")\n\n"
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

// The names tini's -p takes: its own table, spelled exactly so.
constexpr std::array<std::string_view, 28> kTiniSignalNames = {
    "SIGHUP",  "SIGINT",  "SIGQUIT", "SIGILL",    "SIGTRAP", "SIGABRT",  "SIGBUS",
    "SIGFPE",  "SIGKILL", "SIGUSR1", "SIGSEGV",   "SIGUSR2", "SIGPIPE",  "SIGALRM",
    "SIGTERM", "SIGCHLD", "SIGCONT", "SIGSTOP",   "SIGTSTP", "SIGTTIN",  "SIGTTOU",
    "SIGURG",  "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGSYS",
};

std::optional<int> tini_signal(std::string_view text) {
  for (const auto name : kTiniSignalNames) {
    if (text == name) {
      return sys::parse_signal(name);
    }
  }
  return std::nullopt;
}

// tini's -e: strtol(arg, &end, 10) with nothing left over, 0..255. As in tini, "" is 0 (no
// digit read, and the end is the start, which is the terminating NUL).
std::optional<int> tini_status(std::string_view text) {
  if (text.empty()) {
    return 0;
  }
  const auto number = c_decimal(text);
  if (!number || number->length != text.size() || number->value < 0 || number->value > 255) {
    return std::nullopt;
  }
  return static_cast<int>(number->value);
}

// TINI_VERBOSITY: atoi() into tini's unsigned level, so a negative value means everything.
int tini_verbosity(std::string_view text) {
  const int level = to_c_int(c_decimal(text).value_or(CNumber{}).value);
  return level < 0 || level > kMaxVerbosity ? kMaxVerbosity : level;
}

Invocation parse_tini(std::string_view argv0, std::span<const char* const> args,
                      const EnvLookup& env) {
  // tini takes --version only as its one argument.
  if (args.size() == 1 && std::string_view(args[0]) == "--version") {
    return print(std::string("tini version ") + kTiniVersion + pidone_suffix() + "\n");
  }
  bool subreaper = false;
  bool group = false;
  bool warn_on_reap = false;
  int verbose = 0;
  std::optional<int> pdeathsig;
  std::vector<int> remapped_to_zero;
  OptionScanner scanner(rules_of(kTini, env), args);
  for (auto item = scanner.next(); item.kind != OptionScanner::Kind::kEnd; item = scanner.next()) {
    if (item.kind == OptionScanner::Kind::kError) {
      return usage_error(getopt_error(argv0, item) + tini_help(argv0));
    }
    switch (item.id) {
      case 'h':
        return print(tini_help(argv0));
      case 's':
        subreaper = true;
        break;
      case 'p':
        pdeathsig = tini_signal(item.value);
        if (!pdeathsig) {
          return usage_error(kTini.error_line(std::string("Not a valid option for -p: ") +
                                              text::printable(item.value)));
        }
        break;
      case 'v':
        ++verbose;
        break;
      case 'w':
        warn_on_reap = true;
        break;
      case 'g':
        group = true;
        break;
      case 'e': {
        const auto status = tini_status(item.value);
        if (!status) {
          return usage_error(kTini.error_line(std::string("Not a valid option for -e: ") +
                                              text::printable(item.value)));
        }
        remapped_to_zero.push_back(*status);
        break;
      }
      case 'l':
        return print(license_text());
      default:
        break;
    }
  }
  std::vector<std::string> command = scanner.operands();
  if (command.empty()) {
    return usage_error(tini_help(argv0));
  }
  // tini reads its variables after the options: TINI_VERBOSITY wins over -v.
  subreaper = subreaper || env("TINI_SUBREAPER").has_value();  // any value, even empty
  group = group || env("TINI_KILL_PROCESS_GROUP").has_value();
  const auto verbosity_variable = env("TINI_VERBOSITY");

  Settings replaced;
  replaced[bit(Setting::kPdeathsig)] = pdeathsig.has_value();
  replaced[bit(Setting::kRemapExit)] = !remapped_to_zero.empty();
  replaced[bit(Setting::kSignalTarget)] = group;
  replaced[bit(Setting::kVerbosity)] = verbose > 0 || verbosity_variable.has_value();
  auto base = base_options(kTini, env, replaced);
  if (!base) {
    return base.error();
  }
  Invocation inv;
  Options& o = inv.options = std::move(*base);
  o.command = std::move(command);
  o.become_subreaper = subreaper;
  o.warn_not_subreaper = true;
  o.warn_on_reap = warn_on_reap;
  if (group) {
    o.signal_target = SignalTarget::kGroup;
  }
  if (pdeathsig) {
    o.pdeathsig = *pdeathsig;
  }
  for (const int status : remapped_to_zero) {
    o.exit_code_map[static_cast<std::size_t>(status)] = 0;
  }
  if (verbosity_variable) {
    o.verbosity = tini_verbosity(*verbosity_variable);
  } else if (verbose > 0) {
    o.verbosity = std::min(1 + verbose, kMaxVerbosity);  // tini's default 1, one up per -v
  }
  return inv;
}

// ---- dumb-init ---------------------------------------------------------------------------

std::string dumb_init_help(std::string_view argv0) {
  return std::string("dumb-init v") + kDumbInitVersion + pidone_suffix() +
         "\n"
         "Usage: " +
         text::printable(argv0) +
         " [option] command [[arg] ...]\n\n"
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
         "   -V, --version        Print the current version and exit.\n"
         "\n"
         "Full help is available online at https://github.com/Yelp/dumb-init\n";
}

// dumb-init's signals: 1..31 (its MAXSIG).
constexpr int kDumbInitMaxSignal = 31;

// -r s:r as dumb-init reads it: sscanf(arg, "%d:%d") must convert both, then 1 <= s <= 31 and
// 0 <= r <= 31. So "15:3:1" is 15:3, " 15: 3" is 15:3, and names are refused.
std::optional<std::pair<int, int>> dumb_init_rewrite(std::string_view text) {
  const auto from = c_decimal(text);
  if (!from || from->length >= text.size() || text[from->length] != ':') {
    return std::nullopt;
  }
  const auto to = c_decimal(text.substr(from->length + 1));
  if (!to) {
    return std::nullopt;
  }
  const int signum = to_c_int(from->value);
  const int replacement = to_c_int(to->value);
  if (signum < 1 || signum > kDumbInitMaxSignal || replacement < 0 ||
      replacement > kDumbInitMaxSignal) {
    return std::nullopt;
  }
  return std::pair{signum, replacement};
}

Invocation parse_dumb_init(std::string_view argv0, std::span<const char* const> args,
                           const EnvLookup& env) {
  bool debug = false;
  bool single_child = false;
  std::vector<std::pair<int, int>> rewrites;
  OptionScanner scanner(rules_of(kDumbInit, env), args);
  for (auto item = scanner.next(); item.kind != OptionScanner::Kind::kEnd; item = scanner.next()) {
    if (item.kind == OptionScanner::Kind::kError) {
      return usage_error(getopt_error(argv0, item));
    }
    switch (item.id) {
      case 'h':
        return print(dumb_init_help(argv0), true);
      case 'v':
        debug = true;
        break;
      case 'V':
        return print(std::string("dumb-init v") + kDumbInitVersion + pidone_suffix() + "\n", true);
      case 'c':
        single_child = true;
        break;
      case 'r': {
        const auto rewrite = dumb_init_rewrite(item.value);
        if (!rewrite) {
          return usage_error(
              "Usage: -r option takes <signum>:<signum>, where <signum> is between 1 and 31.\n"
              "This option can be specified multiple times.\n"
              "Use --help for full usage.\n");
        }
        rewrites.push_back(*rewrite);
        break;
      }
      default:
        break;
    }
  }
  std::vector<std::string> command = scanner.operands();
  if (command.empty()) {
    const std::string name = text::printable(argv0);
    return usage_error("Usage: " + name + " [option] program [args]\nTry " + name +
                       " --help for full usage.\n");
  }
  // Read after the options, as dumb-init does; each takes exactly one value.
  std::vector<std::string> notes;
  if (env("DUMB_INIT_DEBUG") == "1") {
    debug = true;
    notes.emplace_back("Running in debug mode.");
  }
  if (env("DUMB_INIT_SETSID") == "0") {
    single_child = true;
    notes.emplace_back("Not running in setsid mode.");
  }

  Settings replaced;
  replaced[bit(Setting::kRewrite)] = !rewrites.empty();
  replaced[bit(Setting::kVerbosity)] = debug;
  replaced[bit(Setting::kSignalTarget)] = true;  // the mode decides
  auto base = base_options(kDumbInit, env, replaced);
  if (!base) {
    return base.error();
  }
  Invocation inv;
  Options& o = inv.options = std::move(*base);
  o.command = std::move(command);
  o.startup_notes = std::move(notes);
  std::array<bool, kDumbInitMaxSignal + 1> rewritten{};
  for (const auto& [from, to] : rewrites) {
    o.signal_map[static_cast<std::size_t>(from)] = static_cast<std::uint8_t>(to);
    rewritten[static_cast<std::size_t>(from)] = true;
  }
  if (debug) {
    o.verbosity = kDumbInitDebug;
  }
  // Not PID 1, dumb-init is no subreaper and does not drain: in setsid mode it sends SIGTERM
  // to the child's session and exits, with -c it just exits.
  o.become_subreaper = false;
  o.suspend_with_child = true;  // in both modes
  if (single_child) {
    o.own_process_group = false;  // -c: the child stays in dumb-init's group
    o.signal_target = SignalTarget::kChild;
    o.end_when_not_pid1 = EndPolicy::kExit;
  } else {
    // The child leads a new session and signals go to its whole group; the TTY stops become
    // SIGSTOP unless a -r (or PIDONE_REWRITE) says what they become.
    o.new_session = true;
    o.signal_target = SignalTarget::kGroup;
    o.end_when_not_pid1 = EndPolicy::kTermGroupAndExit;
    for (const int sig : {SIGTSTP, SIGTTOU, SIGTTIN}) {
      const auto index = static_cast<std::size_t>(sig);
      if (!rewritten[index] && o.signal_map[index] == sig) {
        o.signal_map[index] = static_cast<std::uint8_t>(SIGSTOP);
      }
    }
  }
  return inv;
}

// ---- catatonit ---------------------------------------------------------------------------

constexpr const char* kCatatonitUsage =
    "usage: catatonit [-ghLPV] [--] <progname> [<arguments>...]\n";

std::string catatonit_help() {
  return std::string(kCatatonitUsage) +
         "\n"
         "options:\n"
         "  -g              Forward signals to pid1's process group.\n"
         "  -h              Print this help page.\n"
         "  -L              Print license information.\n"
         "  -P              Run in pause mode (no program is run and quit on SIGINT).\n"
         "  -V, --version   Print version information.\n"
         "\n"
         "The source code can be found at <https://github.com/openSUSE/catatonit/>.\n"
         "For bug reporting instructions, please see: <https://bugs.opensuse.org/>.\n";
}

Invocation parse_catatonit(std::string_view argv0, std::span<const char* const> args,
                           const EnvLookup& env) {
  // catatonit reads its variables before anything else.
  const bool debug = env("CATATONIT_DEBUG").has_value();  // any value
  if (env("CATATONIT_LOG")) {
    return usage_error(kCatatonit.error_line("CATATONIT_LOG is reserved for future use"));
  }
  bool group = false;
  bool pause = false;
  OptionScanner scanner(rules_of(kCatatonit, env), args);
  for (auto item = scanner.next(); item.kind != OptionScanner::Kind::kEnd; item = scanner.next()) {
    if (item.kind == OptionScanner::Kind::kError) {
      return usage_error(getopt_error(argv0, item) + kCatatonitUsage);
    }
    switch (item.id) {
      case 'g':
        group = true;
        break;
      case 'P':
        pause = true;
        break;
      case 'h':
        return print(catatonit_help(), true);
      case 'L':
        return print(license_text());
      case 'V':
        return print(std::string("tini version ") + kCatatonitVersion + "_catatonit" +
                     pidone_suffix() + "\n");
      default:
        break;
    }
  }
  std::vector<std::string> command = scanner.operands();
  if (command.empty() && !pause) {
    return usage_error(kCatatonit.error_line("missing program name") + kCatatonitUsage);
  }
  Settings replaced;
  replaced[bit(Setting::kSignalTarget)] = group;
  replaced[bit(Setting::kVerbosity)] = debug;
  auto base = base_options(kCatatonit, env, replaced);
  if (!base) {
    return base.error();
  }
  Invocation inv;
  Options& o = inv.options = std::move(*base);
  o.pause = pause;
  if (!pause) {
    o.command = std::move(command);  // in pause mode a program is ignored, as catatonit does
  }
  if (group) {
    o.signal_target = SignalTarget::kGroup;
  }
  if (debug) {
    o.verbosity = kCatatonitDebug;
  }
  return inv;
}

// ---- pidone ------------------------------------------------------------------------------

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
  const std::string name = basename_of(argv0);
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

Invocation parse_invocation(Personality personality, const char* argv0,
                            std::span<const char* const> args, const EnvLookup& env) {
  switch (personality) {
    case Personality::kTini:
      return parse_tini(argv0 != nullptr ? argv0 : kTini.name, args, env);
    case Personality::kDumbInit:
      return parse_dumb_init(argv0 != nullptr ? argv0 : kDumbInit.name, args, env);
    case Personality::kCatatonit:
      return parse_catatonit(argv0 != nullptr ? argv0 : kCatatonit.name, args, env);
    case Personality::kPidone:
      break;
  }
  return parse_pidone(args, env);
}

}  // namespace pidone
