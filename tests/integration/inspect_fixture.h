// Helpers for the pidone-inspect integration tests: running it from the host (--pid) and from
// inside a namespace (as docker exec does), and reading its JSON verdicts.
#pragma once

#include <unistd.h>

#include <string>
#include <vector>

#include "fixture.h"

namespace pidone::testing {

inline std::string inspect_path() {
  return PIDONE_TEST_INSPECT;
}
inline std::string inspectkid_path() {
  return PIDONE_TEST_INSPECTKID;
}
inline std::string lab_program(const std::string& name) {
  return PIDONE_TEST_LAB_PROGRAMS "/" + name;
}
// pidone under one of its drop-in names: the build's symlink next to the binary.
inline std::string pidone_named(const std::string& name) {
  const std::string path = pidone_path();
  return path.substr(0, path.rfind('/') + 1) + name;
}

using Inspection = ToolRun;

inline Inspection inspect(std::vector<std::string> args) {
  args.insert(args.begin(), inspect_path());
  return run_tool(std::move(args));
}

inline Inspection inspect_pid(pid_t pid) {
  return inspect({"--pid", std::to_string(pid), "--json"});
}

inline constexpr const char* kNsenter = "/usr/bin/nsenter";

// pidone-inspect run inside the PID and mount namespaces of `pid1`, as `docker exec` runs it
// (nsenter's child is in the namespace; nsenter itself stays outside).
inline Inspection inspect_inside(pid_t pid1, std::vector<std::string> args,
                                 bool mount_namespace = true) {
  std::vector<std::string> argv = {kNsenter, "-t", std::to_string(pid1), "-p"};
  if (mount_namespace) {
    argv.emplace_back("-m");
  }
  argv.push_back(inspect_path());
  argv.insert(argv.end(), args.begin(), args.end());
  return run_tool(std::move(argv));
}

inline bool has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// The verdict for `signal` in pidone-inspect's JSON, from inside or from the parent namespace;
// "" if the row is missing.
inline std::string json_verdict(const std::string& json, const std::string& signal,
                                bool from_parent) {
  const std::string row = "{\"signal\": \"" + signal + "\", ";
  auto pos = json.find(row);
  if (pos == std::string::npos) {
    return "";
  }
  const std::string key = from_parent ? "\"from_parent_namespace\": \"" : "\"from_inside\": \"";
  pos = json.find(key, pos);
  if (pos == std::string::npos) {
    return "";
  }
  pos += key.size();
  return json.substr(pos, json.find('"', pos) - pos);
}

// Whether a verdict says that PID 1 gets the signal (docs/inspect.md).
inline bool verdict_receives(const std::string& verdict) {
  return verdict == "queued (blocked; read by PID 1)" ||
         verdict == "queued (blocked; whether PID 1 reads it could not be seen)" ||
         verdict == "delivered to its handler" || verdict == "waited for (sigwait)" ||
         verdict == "probably received (PID 1 waits for signals synchronously)";
}

// The wchan of every thread of host process `pid`.
inline std::vector<std::string> thread_wchans(pid_t pid) {
  std::vector<std::string> wchans;
  const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : proc::scan_processes(tasks)) {
    std::ifstream file(tasks + "/" + std::to_string(task.pid) + "/wchan");
    std::string wchan;
    std::getline(file, wchan);
    wchans.push_back(wchan);
  }
  return wchans;
}

// Whether each of `wanted` is part of the wchan of a thread of its own (a thread blocked in
// rt_sigtimedwait reads "do_sigtimedwait...").
inline bool threads_sleep_in(pid_t pid, const std::vector<std::string>& wanted) {
  std::vector<std::string> wchans = thread_wchans(pid);
  for (const auto& want : wanted) {
    const auto match = std::find_if(wchans.begin(), wchans.end(), [&](const std::string& w) {
      return w.find(want) != std::string::npos;
    });
    if (match == wchans.end()) {
      return false;
    }
    wchans.erase(match);
  }
  return true;
}

}  // namespace pidone::testing
