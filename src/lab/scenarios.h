// The seed's experiments, each run for real and checked against what the seed says.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "lab/report.h"

namespace pidone::lab {

class Runtime;

struct LabConfig {
  Runtime* runtime = nullptr;  // runs the subjects: namespaces (default) or runc
  int zombies = 1000;          // app-test's N in `zombies`
  int child_seconds = 1;       // how long app-test's children sleep (60 in the seed)

  // Where a lab program is, as the runtime's containers see it.
  [[nodiscard]] std::string program(const std::string& name) const;
};

struct Scenario {
  const char* name;
  const char* title;
  ScenarioResult (*run)(const LabConfig& config);
};

[[nodiscard]] const std::vector<Scenario>& scenarios();

ScenarioResult run_kill_pid1(const LabConfig& config);
ScenarioResult run_zombies(const LabConfig& config);
ScenarioResult run_pids_limit(const LabConfig& config);
ScenarioResult run_stop(const LabConfig& config);
ScenarioResult run_basic_signals(const LabConfig& config);

}  // namespace pidone::lab
