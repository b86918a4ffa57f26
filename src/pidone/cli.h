// The command line and its environment twins. Every option OPT is also read from PIDONE_OPT
// (upper case, '-' as '_'); the command line wins. Repeatable options take a comma-separated
// list in the environment: PIDONE_REMAP_EXIT=143:0,130:0.
#pragma once

#include <expected>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "pidone/options.h"

namespace pidone {

enum class CliAction { kRun, kHelp, kVersion, kLicense };

struct CliResult {
  CliAction action = CliAction::kRun;
  Options options;
};

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// `args` excludes argv[0]. On error: a one-line message (no "pidone: " prefix, no newline);
// the caller exits with kExitUsage.
[[nodiscard]] std::expected<CliResult, std::string> parse_command_line(
    std::span<const char* const> args, const EnvLookup& env);

// Reads the real process environment.
[[nodiscard]] EnvLookup process_environment();

[[nodiscard]] std::string usage_text();

}  // namespace pidone
