// What a scenario found, and how it is shown: text for people, JSON for programs.
#pragma once

#include <string>
#include <vector>

namespace pidone::lab {

// One observation set against what the seed (or the kernel rule behind it) says.
struct Check {
  std::string subject;   // "c-init-sig"
  std::string action;    // "kill -9 1 from inside"
  std::string expected;  // "survives"
  std::string observed;  // "survived"
  bool pass = false;
};

struct ScenarioResult {
  std::string name;     // "kill-pid1"
  std::string title;    // one line
  std::string skipped;  // non-empty: why it did not run (then it neither passes nor fails)
  std::vector<std::string> commands;  // every command run, in order
  std::vector<std::string> tables;    // captioned ps-style tables
  std::vector<Check> checks;
  std::vector<std::string> explanations;  // why, read from the live system

  [[nodiscard]] bool passed() const;
  [[nodiscard]] const char* verdict() const;  // "PASS", "FAIL", "SKIP"
};

[[nodiscard]] std::string render_text(const ScenarioResult& result);
[[nodiscard]] std::string render_json(const std::vector<ScenarioResult>& results);

}  // namespace pidone::lab
