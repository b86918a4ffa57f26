#include "pidone/service_dir.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

#include "proc/text_file.h"
#include "sys/signal_names.h"
#include "text/printable.h"

namespace pidone {
namespace {

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// The file's text without surrounding blanks and newlines; nullopt when it cannot be read.
std::optional<std::string> read_value(const std::string& path) {
  if (::access(path.c_str(), R_OK) != 0) {
    return std::nullopt;
  }
  std::string text = proc::read_text_file(path);
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    return std::string();
  }
  text.erase(0, first);
  text.erase(text.find_last_not_of(" \t\r\n") + 1);
  return text;
}

std::optional<long> parse_unsigned(const std::string& text, long max) {
  long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0 ||
      value > max) {
    return std::nullopt;
  }
  return value;
}

std::expected<ServiceSpec, std::string> load_one(const std::string& dir, const std::string& name) {
  ServiceSpec spec;
  spec.name = name;
  spec.dir = dir + "/" + name;
  const std::string where = "service '" + text::printable(name) + "': ";
  auto bad = [&](const char* file, const std::string& why) {
    return std::unexpected(where + file + " " + why);
  };
  if (!is_executable_file(spec.dir + "/run")) {
    return std::unexpected(
        where + (exists(spec.dir + "/run") ? "run is not an executable file" : "no run file"));
  }
  spec.has_finish = is_executable_file(spec.dir + "/finish");
  if (!spec.has_finish && exists(spec.dir + "/finish")) {
    spec.ignored.emplace_back("finish (not executable)");
  }
  spec.down = exists(spec.dir + "/down");
  spec.setsid = !exists(spec.dir + "/nosetsid");
  if (exists(spec.dir + "/down-signal")) {
    const auto text = read_value(spec.dir + "/down-signal");
    if (!text) {
      return bad("down-signal", "cannot be read");
    }
    const auto sig = sys::parse_signal(*text);
    if (!sig || *sig == SIGSTOP) {
      return bad("down-signal",
                 "must hold a signal name or number, not '" + text::printable(*text) + "'");
    }
    spec.down_signal = *sig;
  }
  if (exists(spec.dir + "/notification-fd")) {
    const auto text = read_value(spec.dir + "/notification-fd");
    if (!text) {
      return bad("notification-fd", "cannot be read");
    }
    const auto fd = parse_unsigned(*text, 1023);
    if (!fd || *fd < 3) {
      return bad("notification-fd", "must hold a descriptor number from 3 to 1023, not '" +
                                        text::printable(*text) + "'");
    }
    spec.notification_fd = static_cast<int>(*fd);
  }
  if (exists(spec.dir + "/timeout-finish")) {
    const auto text = read_value(spec.dir + "/timeout-finish");
    if (!text) {
      return bad("timeout-finish", "cannot be read");
    }
    const auto ms = parse_unsigned(*text, 24L * 3600 * 1000);
    if (!ms) {
      return bad("timeout-finish",
                 "must hold milliseconds (0: no limit), not '" + text::printable(*text) + "'");
    }
    spec.timeout_finish_ms = *ms;
  }
  for (const char* other : {"log", "timeout-kill", "max-death-tally", "lock-fd"}) {
    if (exists(spec.dir + "/" + other)) {
      spec.ignored.emplace_back(other);
    }
  }
  return spec;
}

}  // namespace

std::expected<std::vector<ServiceSpec>, std::string> load_services(const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    return std::unexpected("services directory '" + text::printable(dir) +
                           "': " + std::strerror(errno));
  }
  if (!S_ISDIR(st.st_mode)) {
    return std::unexpected("services directory '" + text::printable(dir) + "' is not a directory");
  }
  DIR* listing = ::opendir(dir.c_str());
  if (listing == nullptr) {
    return std::unexpected("services directory '" + text::printable(dir) +
                           "': " + std::strerror(errno));
  }
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(listing)) {
    const std::string name = entry->d_name;
    // Dot entries are hidden (s6-svscan skips them too); only directories are services.
    if (name.empty() || name.front() == '.') {
      continue;
    }
    struct stat sub {};
    if (::stat((dir + "/" + name).c_str(), &sub) == 0 && S_ISDIR(sub.st_mode)) {
      names.push_back(name);
    }
  }
  (void)::closedir(listing);
  std::sort(names.begin(), names.end());
  // A service's path stays valid once pidone has left the directory it started in (it goes
  // to /): a relative DIR is taken from there now.
  std::string base = dir;
  if (!dir.starts_with('/')) {
    std::array<char, 4096> cwd{};
    if (::getcwd(cwd.data(), cwd.size()) == nullptr) {
      return std::unexpected("services directory '" + text::printable(dir) +
                             "': cannot tell the current directory: " + std::strerror(errno));
    }
    base = std::string(cwd.data()) + "/" + dir;
  }
  std::vector<ServiceSpec> specs;
  specs.reserve(names.size());
  for (const auto& name : names) {
    auto spec = load_one(base, name);
    if (!spec) {
      return std::unexpected(spec.error());
    }
    specs.push_back(std::move(*spec));
  }
  return specs;
}

}  // namespace pidone
