#include "lab/report.h"

#include <cstdio>

#include "text/json.h"

namespace pidone::lab {

using text::json_list;
using text::json_string;

bool ScenarioResult::passed() const {
  if (!skipped.empty() || checks.empty()) {
    return false;
  }
  for (const auto& check : checks) {
    if (!check.pass) {
      return false;
    }
  }
  return true;
}

const char* ScenarioResult::verdict() const {
  if (!skipped.empty()) {
    return "SKIP";
  }
  return passed() ? "PASS" : "FAIL";
}

std::string render_text(const ScenarioResult& result) {
  std::string text = "== " + result.name + ": " + result.title + "\n";
  if (!result.skipped.empty()) {
    return text + "   skipped: " + result.skipped + "\nverdict: SKIP\n\n";
  }
  text += "\n  commands run:\n";
  for (const auto& command : result.commands) {
    text += "    $ " + command + "\n";
  }
  for (const auto& table : result.tables) {
    text += "\n" + table;
  }
  text += "\n";
  char row[512];
  std::snprintf(row, sizeof(row), "  %-13s %-37s %-33s %s\n", "subject", "action",
                "seed / kernel says", "observed");
  text += row;
  for (const auto& c : result.checks) {
    std::snprintf(row, sizeof(row), "  %-13s %-37s %-33s %s%s\n", c.subject.c_str(),
                  c.action.c_str(), c.expected.c_str(), c.observed.c_str(),
                  c.pass ? "" : "   <-- MISMATCH");
    text += row;
  }
  if (!result.explanations.empty()) {
    text += "\n  why:\n";
    for (const auto& line : result.explanations) {
      text += "  - " + line + "\n";
    }
  }
  return text + "\nverdict: " + result.verdict() + "\n\n";
}

std::string render_json(const std::vector<ScenarioResult>& results) {
  bool all = true;
  std::string out = "{\n  \"scenarios\": [";
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    all = all && (r.passed() || !r.skipped.empty());
    out += i > 0 ? ",\n    {" : "\n    {";
    out += "\"name\": " + json_string(r.name) + ", \"title\": " + json_string(r.title) +
           ", \"verdict\": " + json_string(r.verdict());
    if (!r.skipped.empty()) {
      out += ", \"skipped\": " + json_string(r.skipped);
    }
    out += ",\n     \"commands\": " + json_list(r.commands);
    out += ",\n     \"tables\": " + json_list(r.tables);
    out += ",\n     \"checks\": [";
    for (std::size_t j = 0; j < r.checks.size(); ++j) {
      const auto& c = r.checks[j];
      out += (j > 0 ? ",\n       {" : "\n       {");
      out += "\"subject\": " + json_string(c.subject) + ", \"action\": " + json_string(c.action) +
             ", \"expected\": " + json_string(c.expected) +
             ", \"observed\": " + json_string(c.observed) +
             ", \"pass\": " + (c.pass ? "true" : "false") + "}";
    }
    out += "],\n     \"explanations\": " + json_list(r.explanations) + "}";
  }
  out += std::string("\n  ],\n  \"verdict\": ") + (all ? "\"PASS\"" : "\"FAIL\"") + "\n}\n";
  return out;
}

}  // namespace pidone::lab
