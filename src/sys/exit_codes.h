// The exit codes every pidone program speaks: the shell's convention, plus two of our own.
//
//   child exited with N          -> N
//   child killed by signal S     -> 128 + S
//   usage error                  -> 2    (kExitUsage; pidone, pidone-inspect, pidone-lab)
//   pidone failed to set up      -> 125  (kExitInitFailed)
//   command found, cannot run    -> 126  (kExitCannotRun)
//   command not found            -> 127  (kExitNotFound)
#pragma once

namespace pidone::sys {

inline constexpr int kExitUsage = 2;
inline constexpr int kExitInitFailed = 125;
inline constexpr int kExitCannotRun = 126;
inline constexpr int kExitNotFound = 127;

}  // namespace pidone::sys
