// A snapshot of the processes visible in a /proc mount, and the questions the init asks of it.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "proc/stat_parser.h"

namespace pidone::proc {

// Reads PROC_ROOT/[0-9]*/stat. Processes that vanish while it reads are skipped.
[[nodiscard]] std::vector<ProcStat> scan_processes(const std::string& proc_root = "/proc");

// All processes below `ancestor` in the parent chain (not `ancestor` itself).
[[nodiscard]] std::vector<ProcStat> descendants_of(const std::vector<ProcStat>& table,
                                                   pid_t ancestor);

// Re-reads one process's stat; nullopt-like empty result when it is gone or unreadable.
[[nodiscard]] std::expected<ProcStat, std::string> read_stat(
    pid_t pid, const std::string& proc_root = "/proc");

// True when `proc_root` is a mount of the caller's own PID namespace (its "self" is our PID).
[[nodiscard]] bool proc_matches_own_namespace(const std::string& proc_root = "/proc");

}  // namespace pidone::proc
