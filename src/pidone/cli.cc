#include "pidone/cli.h"

#include <signal.h>

#include <algorithm>
#include <array>
#include <cstdlib>

#include "pidone/duration.h"
#include "sys/signal_names.h"
#include "text/printable.h"

namespace pidone {

// ---- The value grammar -----------------------------------------------------------------

std::optional<int> parse_number(std::string_view text, int low, int high) {
  if (text.empty()) {
    return std::nullopt;
  }
  long long value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    // Past any int the value stays out of range; leading zeros cost nothing.
    value = std::min(value * 10 + (c - '0'), 1LL << 40);
  }
  if (value < low || value > high) {
    return std::nullopt;
  }
  return static_cast<int>(value);
}

namespace {

// `text` in lower case, if it is no longer than `max` (the longest word it may be).
std::optional<std::string> lower_word(std::string_view text, std::size_t max) {
  if (text.size() > max) {
    return std::nullopt;
  }
  std::string lower;
  for (const char c : text) {
    lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return lower;
}

}  // namespace

std::optional<bool> parse_boolean(std::string_view text) {
  const auto lower = lower_word(text, 5);
  if (!lower) {
    return std::nullopt;
  }
  for (const char* yes : {"1", "true", "yes", "on"}) {
    if (*lower == yes) {
      return true;
    }
  }
  for (const char* no : {"0", "false", "no", "off"}) {
    if (*lower == no) {
      return false;
    }
  }
  return std::nullopt;
}

std::optional<std::vector<std::string_view>> split_list(std::string_view text) {
  std::vector<std::string_view> items;
  if (text.empty()) {
    return items;
  }
  for (;;) {
    const auto comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    if (item.empty()) {
      return std::nullopt;
    }
    items.push_back(item);
    if (comma == std::string_view::npos) {
      return items;
    }
    text.remove_prefix(comma + 1);
  }
}

const char* why_not_rewritable(int sig) {
  switch (sig) {
    case SIGKILL:
      return "SIGKILL cannot be caught, so it never reaches pidone";
    case SIGSTOP:
      return "SIGSTOP cannot be caught, so it never reaches pidone";
    case SIGCHLD:
      return "SIGCHLD is pidone's own (it reaps with it) and is never forwarded";
    default:
      return nullptr;
  }
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

// ---- The option scanner ----------------------------------------------------------------

OptionScanner::Item OptionScanner::next() {
  if (ended_) {
    return {};
  }
  if (cluster_ != nullptr && *cluster_ != '\0') {
    return short_option();
  }
  cluster_ = nullptr;
  for (;;) {
    if (index_ >= args_.size()) {
      ended_ = true;
      return {};
    }
    const std::string_view arg = args_[index_];
    if (arg == "--") {
      ++index_;
      ended_ = true;
      return {};
    }
    if (arg.size() < 2 || arg[0] != '-') {  // an operand, "-" included
      if (!rules_.permute) {
        ended_ = true;
        return {};
      }
      skipped_.push_back(index_++);
      continue;
    }
    ++index_;
    // getopt without long options reads "--x" as the short options "-", "x".
    if (arg[1] == '-' && !rules_.long_options.empty()) {
      return long_option(arg.substr(2));
    }
    cluster_ = args_[index_ - 1] + 1;
    return short_option();
  }
}

OptionScanner::Item OptionScanner::short_option() {
  Item item;
  const char letter = *cluster_++;
  item.spelled = std::string("-") + letter;
  const auto pos = rules_.short_options.find(letter);
  if (letter == ':' || pos == std::string_view::npos) {
    ended_ = true;
    item.kind = Kind::kError;
    item.fault = Fault::kUnknownShort;
    item.faulty = std::string(1, letter);
    return item;
  }
  item.kind = Kind::kOption;
  item.id = letter;
  if (pos + 1 < rules_.short_options.size() && rules_.short_options[pos + 1] == ':') {
    if (*cluster_ != '\0') {
      item.value = cluster_;
    } else if (index_ < args_.size()) {
      item.value = args_[index_++];
    } else {
      ended_ = true;
      item.kind = Kind::kError;
      item.fault = Fault::kMissingValue;
      item.faulty = std::string(1, letter);
    }
    cluster_ = nullptr;
  }
  return item;
}

const LongOption* OptionScanner::find_long(std::string_view name, Item& error) const {
  for (const auto& option : rules_.long_options) {
    if (name == option.name) {
      return &option;
    }
  }
  if (rules_.abbreviations) {
    std::vector<const LongOption*> matches;
    for (const auto& option : rules_.long_options) {
      if (std::string_view(option.name).starts_with(name)) {
        matches.push_back(&option);
      }
    }
    // As glibc: prefixes of options that mean the same are not ambiguous.
    const bool same = std::all_of(matches.begin(), matches.end(), [&](const LongOption* m) {
      return m->id == matches.front()->id && m->takes_value == matches.front()->takes_value;
    });
    if (!matches.empty() && same) {
      return matches.front();
    }
    if (!matches.empty()) {
      error.fault = Fault::kAmbiguous;
      error.candidates = std::move(matches);
      return nullptr;
    }
  }
  error.fault = Fault::kUnknownLong;
  return nullptr;
}

OptionScanner::Item OptionScanner::long_option(std::string_view word) {
  Item item;
  const auto eq = word.find('=');
  const std::string_view name = word.substr(0, eq);
  const LongOption* option = find_long(name, item);
  if (option == nullptr) {
    ended_ = true;
    item.kind = Kind::kError;
    item.faulty = std::string(word);
    item.spelled = "--" + std::string(name);
    return item;
  }
  item.kind = Kind::kOption;
  item.id = option->id;
  item.spelled = std::string("--") + option->name;
  if (eq != std::string_view::npos) {
    if (option->takes_value) {
      item.value = word.data() + eq + 1;  // the word is the rest of a NUL-terminated argument
      return item;
    }
    item.fault = Fault::kUnwantedValue;
  } else if (option->takes_value) {
    if (index_ < args_.size()) {
      item.value = args_[index_++];
      return item;
    }
    item.fault = Fault::kMissingValue;
  } else {
    return item;
  }
  ended_ = true;
  item.kind = Kind::kError;
  item.faulty = option->name;
  return item;
}

std::vector<std::string> OptionScanner::operands() const {
  std::vector<std::string> words;
  words.reserve(skipped_.size() + args_.size() - std::min(index_, args_.size()));
  for (const std::size_t i : skipped_) {
    words.emplace_back(args_[i]);
  }
  for (std::size_t i = index_; i < args_.size(); ++i) {
    words.emplace_back(args_[i]);
  }
  return words;
}

std::string getopt_message(const OptionScanner::Item& item) {
  const std::string faulty = text::printable(item.faulty);
  const bool is_long = item.spelled.starts_with("--");
  switch (item.fault) {
    case OptionScanner::Fault::kUnknownShort:
      return "invalid option -- '" + faulty + "'";
    case OptionScanner::Fault::kUnknownLong:
      return "unrecognized option '--" + faulty + "'";
    case OptionScanner::Fault::kMissingValue:
      return is_long ? "option '--" + faulty + "' requires an argument"
                     : "option requires an argument -- '" + faulty + "'";
    case OptionScanner::Fault::kUnwantedValue:
      return "option '--" + faulty + "' doesn't allow an argument";
    case OptionScanner::Fault::kAmbiguous: {
      std::string message = "option '--" + faulty + "' is ambiguous; possibilities:";
      for (const LongOption* candidate : item.candidates) {
        message += std::string(" '--") + candidate->name + "'";
      }
      return message;
    }
    case OptionScanner::Fault::kNone:
      break;
  }
  return "invalid option";
}

// ---- pidone's options ------------------------------------------------------------------

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
  kResetSignals,
  kServices,
  kReadyTimeout,
};

struct OptionSpec {
  OptionId id;
  const char* long_name;
  char short_name;         // 0: none
  const char* value_name;  // nullptr: a flag
  bool repeatable;
  std::optional<Setting> setting;  // what it sets; nullopt: not from the environment
  const char* help;
};

// The one table: parsing, the environment names and --help all come from it.
constexpr std::array<OptionSpec, 14> kOptions = {{
    {OptionId::kHelp, "help", 'h', nullptr, false, std::nullopt, "show this help and exit"},
    {OptionId::kVersion, "version", 'V', nullptr, false, std::nullopt, "show the version and exit"},
    {OptionId::kLicense, "license", 'L', nullptr, false, std::nullopt, "show the license and exit"},
    {OptionId::kVerbose, "verbose", 'v', nullptr, true, Setting::kVerbosity,
     "log more (repeat for debug); env: a count, PIDONE_VERBOSE=2"},
    {OptionId::kQuiet, "quiet", 'q', nullptr, false, Setting::kVerbosity, "log errors only"},
    {OptionId::kSignalTarget, "signal-target", 0, "child|group", false, Setting::kSignalTarget,
     "forward signals to the child, or to its process group (default: child)"},
    {OptionId::kGrace, "grace", 0, "DURATION", false, Setting::kGrace,
     "when the child exits, SIGTERM the rest, SIGKILL after this (default: 5s; 0: at once)"},
    {OptionId::kStopTimeout, "stop-timeout", 0, "DURATION", false, Setting::kStopTimeout,
     "SIGKILL the child this long after the first stop signal (default: off; 0: at once)"},
    {OptionId::kRemapExit, "remap-exit", 0, "FROM:TO", true, Setting::kRemapExit,
     "exit with TO when the child's code is FROM, e.g. 143:0 (repeatable)"},
    {OptionId::kRewrite, "rewrite", 0, "FROM:TO", true, Setting::kRewrite,
     "forward signal FROM as TO; TO 0 drops it, e.g. TERM:QUIT (repeatable)"},
    {OptionId::kPdeathsig, "pdeathsig", 0, "SIG", false, Setting::kPdeathsig,
     "signal pidone receives when its parent dies (PR_SET_PDEATHSIG)"},
    {OptionId::kResetSignals, "reset-signals", 0, nullptr, false, Setting::kResetSignals,
     "start the child with an empty signal mask and default dispositions"},
    {OptionId::kServices, "services", 0, "DIR", false, Setting::kServices,
     "supervise the s6 service directories in DIR beside COMMAND (COMMAND optional)"},
    {OptionId::kReadyTimeout, "ready-timeout", 0, "DURATION", false, Setting::kReadyTimeout,
     "with --services: how long COMMAND waits for them to be ready (default: 30s)"},
}};

// The scanner's view of the table: ids are 1 + the index in kOptions.
constexpr std::array<LongOption, kOptions.size()> long_options() {
  std::array<LongOption, kOptions.size()> longs{};
  for (std::size_t i = 0; i < kOptions.size(); ++i) {
    longs[i] = {kOptions[i].long_name, kOptions[i].value_name != nullptr, static_cast<char>(i + 1)};
  }
  return longs;
}
constexpr std::array<LongOption, kOptions.size()> kLongOptions = long_options();

const OptionSpec* find_short(char name) {
  for (const auto& spec : kOptions) {
    if (spec.short_name != 0 && spec.short_name == name) {
      return &spec;
    }
  }
  return nullptr;
}

std::string env_name(const OptionSpec& spec) {
  std::string name = "PIDONE_";
  for (const char* c = spec.long_name; *c != '\0'; ++c) {
    name += *c == '-' ? '_' : static_cast<char>(*c - 'a' + 'A');
  }
  return name;
}

using Status = std::expected<void, std::string>;

Status invalid(std::string_view value, std::string_view where, std::string_view expected) {
  return std::unexpected("invalid value '" + text::printable(value) + "' for " +
                         std::string(where) + ": " + std::string(expected));
}

constexpr const char* kExpectSignal = "expected a signal name or number 1 to 64, e.g. TERM";
constexpr const char* kExpectRewrite =
    "expected FROM:TO with signal names or numbers 1 to 64 (TO may be 0), e.g. TERM:QUIT";

// "FROM:TO" -> the two halves, or nullopt without exactly one ':'.
std::optional<std::pair<std::string_view, std::string_view>> split_pair(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  return std::pair{text.substr(0, colon), text.substr(colon + 1)};
}

// One value of a valued option (one item of a list) into `options`. `where` names the source
// for messages: "--grace" or "PIDONE_GRACE".
Status apply_value(const OptionSpec& spec, std::string_view value, std::string_view where,
                   Options& options) {
  switch (spec.id) {
    case OptionId::kSignalTarget: {
      const auto lower = lower_word(value, 5);
      if (lower == "child") {
        options.signal_target = SignalTarget::kChild;
      } else if (lower == "group") {
        options.signal_target = SignalTarget::kGroup;
      } else {
        return invalid(value, where, "expected child or group");
      }
      return {};
    }
    case OptionId::kGrace:
    case OptionId::kStopTimeout: {
      const auto ms = parse_duration(value);
      if (!ms) {
        return invalid(value, where,
                       "expected a duration such as 10s, 500ms, 2m or 0 (at most 24h)");
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
      const auto from = pair ? parse_number(pair->first, 0, 255) : std::nullopt;
      const auto to = pair ? parse_number(pair->second, 0, 255) : std::nullopt;
      if (!from || !to) {
        return invalid(value, where, "expected FROM:TO with exit codes 0 to 255, e.g. 143:0");
      }
      options.exit_code_map[static_cast<std::size_t>(*from)] = static_cast<std::uint8_t>(*to);
      return {};
    }
    case OptionId::kRewrite: {
      const auto pair = split_pair(value);
      if (!pair) {
        return invalid(value, where, kExpectRewrite);
      }
      const auto from = sys::parse_signal(pair->first);
      const auto to = parse_number(pair->second, 0, 0) ? std::optional<int>(0)
                                                       : sys::parse_signal(pair->second);
      if (!from || !to) {
        return invalid(value, where, kExpectRewrite);
      }
      if (const char* why = why_not_rewritable(*from)) {
        return invalid(value, where, why);
      }
      options.signal_map[static_cast<std::size_t>(*from)] = static_cast<std::uint8_t>(*to);
      return {};
    }
    case OptionId::kServices:
      if (value.empty()) {
        return invalid(value, where, "expected a directory");
      }
      options.services_dir = std::string(value);
      return {};
    case OptionId::kReadyTimeout:
      if (const auto ms = parse_duration(value)) {
        options.ready_timeout_ms = *ms;
        return {};
      }
      return invalid(value, where, "expected a duration such as 30s, 500ms or 2m (at most 24h)");
    case OptionId::kPdeathsig:
      if (auto sig = sys::parse_signal(value)) {
        options.pdeathsig = *sig;
        return {};
      }
      return invalid(value, where, kExpectSignal);
    case OptionId::kHelp:
    case OptionId::kVersion:
    case OptionId::kLicense:
    case OptionId::kVerbose:
    case OptionId::kQuiet:
    case OptionId::kResetSignals:
      break;  // flags: set by the caller
  }
  return {};
}

constexpr int kMaxVerbosity = 4;  // -vvv
constexpr int kMaxVerboseCount = kMaxVerbosity - 1;

// Moves what `settings` name from `from` to `to`.
void copy_settings(const Options& from, Settings settings, Options& to) {
  for (std::size_t i = 0; i < settings.size(); ++i) {
    if (!settings[i]) {
      continue;
    }
    switch (static_cast<Setting>(i)) {
      case Setting::kVerbosity:
        to.verbosity = from.verbosity;
        break;
      case Setting::kSignalTarget:
        to.signal_target = from.signal_target;
        break;
      case Setting::kGrace:
        to.grace_ms = from.grace_ms;
        break;
      case Setting::kStopTimeout:
        to.stop_timeout_ms = from.stop_timeout_ms;
        break;
      case Setting::kRemapExit:
        to.exit_code_map = from.exit_code_map;
        break;
      case Setting::kRewrite:
        to.signal_map = from.signal_map;
        break;
      case Setting::kPdeathsig:
        to.pdeathsig = from.pdeathsig;
        break;
      case Setting::kResetSignals:
        to.reset_signals = from.reset_signals;
        break;
      case Setting::kServices:
        to.services_dir = from.services_dir;
        break;
      case Setting::kReadyTimeout:
        to.ready_timeout_ms = from.ready_timeout_ms;
        break;
      case Setting::kCount:
        break;
    }
  }
}

}  // namespace

std::expected<Options, std::string> options_from_environment(const EnvLookup& env,
                                                             Settings replaced) {
  Options options;
  std::optional<int> verbose_count;
  bool quiet = false;
  for (const auto& spec : kOptions) {
    if (!spec.setting || replaced[bit(*spec.setting)]) {
      continue;
    }
    const std::string name = env_name(spec);
    const auto value = env(name);
    if (!value || value->empty()) {
      continue;  // an empty variable is an unset one
    }
    switch (spec.id) {
      case OptionId::kVerbose:
        verbose_count = parse_number(*value, 0, kMaxVerboseCount);
        if (!verbose_count) {
          return std::unexpected(
              invalid(*value, name, "expected a count from 0 to 3 (the number of -v)").error());
        }
        continue;
      case OptionId::kQuiet:
      case OptionId::kResetSignals: {
        const auto on = parse_boolean(*value);
        if (!on) {
          return std::unexpected(
              invalid(*value, name, "expected 1, 0, true, false, yes, no, on or off").error());
        }
        (spec.id == OptionId::kQuiet ? quiet : options.reset_signals) = *on;
        continue;
      }
      default:
        break;
    }
    const auto items =
        spec.repeatable ? split_list(*value) : std::optional(std::vector<std::string_view>{*value});
    if (!items) {
      return std::unexpected(
          invalid(*value, name, "an empty item in the list (items are separated by one comma)")
              .error());
    }
    for (const std::string_view item : *items) {
      if (auto status = apply_value(spec, item, name, options); !status) {
        return std::unexpected(status.error());
      }
    }
  }
  if (quiet && verbose_count.value_or(0) > 0) {
    return std::unexpected("PIDONE_QUIET and PIDONE_VERBOSE contradict each other");
  }
  if (quiet) {
    options.verbosity = 0;
  } else if (verbose_count) {
    options.verbosity = 1 + *verbose_count;
  }
  return options;
}

std::expected<CliResult, std::string> parse_command_line(std::span<const char* const> args,
                                                         const EnvLookup& env) {
  CliResult result;
  Options given_options;  // what the command line says, on the defaults
  Settings given;
  std::array<int, kOptions.size()> seen{};
  int verbose_count = 0;
  bool quiet = false;

  static constexpr ScannerRules kRules{"hVLvq", kLongOptions};
  OptionScanner scanner(kRules, args);
  for (auto item = scanner.next(); item.kind != OptionScanner::Kind::kEnd; item = scanner.next()) {
    const std::string where = text::printable(item.spelled);
    const OptionSpec* spec = item.id == 0 ? nullptr
                             : item.spelled.starts_with("--")
                                 ? &kOptions[static_cast<std::size_t>(item.id) - 1]
                                 : find_short(item.id);
    if (item.kind == OptionScanner::Kind::kError || spec == nullptr) {
      switch (item.fault) {
        case OptionScanner::Fault::kMissingValue:
          return std::unexpected("option " + where + " needs a value (" +
                                 (spec != nullptr ? spec->value_name : "") + ")");
        case OptionScanner::Fault::kUnwantedValue:
          return std::unexpected("option " + where + " takes no value");
        default:
          return std::unexpected("unknown option '" + where + "'");
      }
    }
    const auto index = static_cast<std::size_t>(spec - kOptions.data());
    if (seen[index]++ > 0 && !spec->repeatable) {
      return std::unexpected("option " + where + " given more than once");
    }
    if (spec->setting) {
      given[bit(*spec->setting)] = true;
    }
    switch (spec->id) {
      case OptionId::kHelp:
        result.action = CliAction::kHelp;
        break;
      case OptionId::kVersion:
        result.action = CliAction::kVersion;
        break;
      case OptionId::kLicense:
        result.action = CliAction::kLicense;
        break;
      case OptionId::kVerbose:
        ++verbose_count;
        break;
      case OptionId::kQuiet:
        quiet = true;
        break;
      case OptionId::kResetSignals:
        given_options.reset_signals = true;
        break;
      default:
        if (auto status = apply_value(*spec, item.value, where, given_options); !status) {
          return std::unexpected(status.error());
        }
    }
  }
  if (verbose_count > 0 && quiet) {
    return std::unexpected("options -v and -q contradict each other");
  }
  if (verbose_count > 0) {
    given_options.verbosity = std::min(1 + verbose_count, kMaxVerbosity);
  } else if (quiet) {
    given_options.verbosity = 0;
  }
  if (result.action != CliAction::kRun) {
    result.options = std::move(given_options);
    return result;  // the environment is not read: help and version work whatever it holds
  }
  given_options.command = scanner.operands();
  if (!given_options.command.empty() && given_options.command.front().empty()) {
    return std::unexpected("the command name is empty");
  }
  auto options = options_from_environment(env, given);
  if (!options) {
    return std::unexpected(options.error());
  }
  copy_settings(given_options, given, *options);
  options->command = std::move(given_options.command);
  if (options->command.empty() && options->services_dir.empty()) {
    return std::unexpected("no command given (usage: pidone [OPTIONS] [--] COMMAND [ARG...])");
  }
  result.options = std::move(*options);
  return result;
}

std::string usage_text() {
  std::string text =
      "Usage: pidone [OPTIONS] [--] COMMAND [ARG...]\n"
      "       pidone [OPTIONS] --services DIR [--] [COMMAND [ARG...]]\n"
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
      "PIDONE_REMAP_EXIT=143:0,130:0, PIDONE_QUIET=yes); an empty one counts as unset, and\n"
      "the command line wins.\n"
      "Values: DURATION 5s, 500ms, 2m, 1h, 1.5s, or a number of seconds; SIG TERM, SIGTERM,\n"
      "15, RTMIN+2; numbers are decimal digits; booleans 1/0, true/false, yes/no, on/off.\n"
      "\n"
      "Exit status: the child's code, 128+N if it was killed by signal N, 126 if COMMAND\n"
      "cannot be run, 127 if it is not found, 2 for a usage error, 125 if pidone itself\n"
      "could not start.\n";
  return text;
}

}  // namespace pidone
