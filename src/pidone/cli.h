// The command line and its environment twins, under every name.
//
// Every option OPT of pidone is also read from PIDONE_OPT (upper case, '-' as '_'), and under
// every name pidone answers to: tini, dumb-init and catatonit take their base options from the
// PIDONE_* variables and overlay their own options and variables (personality.h). The command
// line wins: a variable whose option was given is not read at all, so a bad value there is no
// error. One grammar for every value (docs/options.md, "Values"): the functions below.
#pragma once

#include <bitset>
#include <expected>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pidone/options.h"

namespace pidone {

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Reads the real process environment.
[[nodiscard]] EnvLookup process_environment();

// ---- The value grammar -----------------------------------------------------------------

// A number: decimal digits only (no sign, no space), any number of leading zeros; nullopt
// when malformed or outside [low, high].
[[nodiscard]] std::optional<int> parse_number(std::string_view text, int low, int high);

// A boolean: 1, true, yes, on / 0, false, no, off, in any case.
[[nodiscard]] std::optional<bool> parse_boolean(std::string_view text);

// A list: items separated by commas, none of them empty (so no leading, trailing or double
// comma); nullopt otherwise. The empty text is no list at all (an empty variable is unset).
[[nodiscard]] std::optional<std::vector<std::string_view>> split_list(std::string_view text);

// A signal for --rewrite FROM: any signal but the three that never reach pidone to be
// forwarded. The reason, for a message, when `sig` cannot be rewritten; nullptr when it can.
[[nodiscard]] const char* why_not_rewritable(int sig);

// ---- The option scanner ----------------------------------------------------------------

// GNU getopt_long's grammar, without its global state: "-abc" clusters short options, an
// option that takes a value takes the rest of its word or the next one, "--name=value" or
// "--name value", "--" ends the options. The originals parse with getopt_long, and under their
// names pidone accepts and refuses exactly what they do, with the same messages.
struct LongOption {
  const char* name;
  bool takes_value;
  char id;  // what next() reports, as for the short option of that letter
};

struct ScannerRules {
  std::string_view short_options;  // getopt's letters; a ':' after one: it takes a value
  std::span<const LongOption> long_options;
  // GNU's default order: options may follow operands (`tini cmd -v` is -v). Off: options end
  // at the first operand (getopt's "+", or POSIXLY_CORRECT set).
  bool permute = false;
  bool abbreviations = false;  // a unique prefix of a long option names it ("--verb")
};

class OptionScanner {
 public:
  enum class Kind { kOption, kEnd, kError };
  enum class Fault {
    kNone,
    kUnknownShort,   // "invalid option -- 'x'"
    kUnknownLong,    // "unrecognized option '--yolo'"
    kMissingValue,   // "option requires an argument -- 'r'" / "option '--rewrite' requires ..."
    kUnwantedValue,  // "option '--help' doesn't allow an argument"
    kAmbiguous,      // "option '--ver' is ambiguous; possibilities: '--verbose' '--version'"
  };
  struct Item {
    Kind kind = Kind::kEnd;
    char id = 0;                  // kOption: the option's letter or LongOption::id
    const char* value = nullptr;  // kOption: its value, if it takes one
    std::string spelled;          // "-v", or the long option's full name: "--verbose"
    Fault fault = Fault::kNone;   // kError
    std::string faulty;           // kError: what getopt names ("x", "yolo=1", "rewrite")
    std::vector<const LongOption*> candidates;  // kAmbiguous
  };

  OptionScanner(const ScannerRules& rules, std::span<const char* const> args)
      : rules_(rules), args_(args) {}

  // The next option, kEnd after the last one, or kError (and nothing after it).
  [[nodiscard]] Item next();

  // After kEnd: the operands, in order (for an init, the command and its arguments).
  [[nodiscard]] std::vector<std::string> operands() const;

 private:
  [[nodiscard]] Item long_option(std::string_view word);
  [[nodiscard]] Item short_option();
  [[nodiscard]] const LongOption* find_long(std::string_view name, Item& error) const;

  ScannerRules rules_;
  std::span<const char* const> args_;
  std::size_t index_ = 0;
  const char* cluster_ = nullptr;     // the rest of a short-option word ("-vq": "q")
  std::vector<std::size_t> skipped_;  // operands met before the options ended (permute)
  bool ended_ = false;
};

// getopt's message for a kError item, without the "argv0: " in front.
[[nodiscard]] std::string getopt_message(const OptionScanner::Item& item);

// ---- pidone's options ------------------------------------------------------------------

// What a PIDONE_* variable sets. A personality's own option or variable that sets the same
// replaces it (tini -e replaces PIDONE_REMAP_EXIT, dumb-init -v PIDONE_VERBOSE).
enum class Setting {
  kVerbosity,  // PIDONE_VERBOSE, PIDONE_QUIET
  kSignalTarget,
  kGrace,
  kStopTimeout,
  kRemapExit,
  kRewrite,
  kPdeathsig,
  kResetSignals,
  kServices,
  kReadyTimeout,
  kCount,
};
using Settings = std::bitset<static_cast<std::size_t>(Setting::kCount)>;

[[nodiscard]] constexpr std::size_t bit(Setting setting) {
  return static_cast<std::size_t>(setting);
}

// The options the PIDONE_* variables give, on pidone's defaults, reading none of those in
// `replaced`. An empty variable counts as unset. On error: one line without "pidone: " and
// without a newline, naming the variable.
[[nodiscard]] std::expected<Options, std::string> options_from_environment(const EnvLookup& env,
                                                                           Settings replaced);

enum class CliAction { kRun, kHelp, kVersion, kLicense };

struct CliResult {
  CliAction action = CliAction::kRun;
  Options options;
};

// pidone's own command line over the PIDONE_* variables. `args` excludes argv[0]. --help and
// --version read no variable. On error: a one-line message (no "pidone: " prefix, no newline,
// whatever was given escaped); the caller exits with kExitUsage.
[[nodiscard]] std::expected<CliResult, std::string> parse_command_line(
    std::span<const char* const> args, const EnvLookup& env);

[[nodiscard]] std::string usage_text();

}  // namespace pidone
