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

std::optional<long> parse_down_signal(const std::string& text) {
  const auto sig = sys::parse_signal(text);
  return sig && *sig != SIGSTOP ? std::optional<long>(*sig) : std::nullopt;
}
std::optional<long> parse_notification_fd(const std::string& text) {
  const auto fd = parse_unsigned(text, 1023);
  return fd && *fd >= 3 ? fd : std::nullopt;
}
std::optional<long> parse_timeout_finish(const std::string& text) {
  return parse_unsigned(text, 24L * 3600 * 1000);
}

// The files that hold one value: each read, checked and refused the same way.
struct Setting {
  const char* file;
  const char* must_hold;  // completes "FILE must hold ..., not 'TEXT'"
  std::optional<long> (*parse)(const std::string&);
  void (*store)(ServiceSpec&, long);
};
constexpr std::array kSettings{
    Setting{"down-signal", "a signal name or number", parse_down_signal,
            [](ServiceSpec& spec, long value) { spec.down_signal = static_cast<int>(value); }},
    Setting{"notification-fd", "a descriptor number from 3 to 1023", parse_notification_fd,
            [](ServiceSpec& spec, long value) { spec.notification_fd = static_cast<int>(value); }},
    Setting{"timeout-finish", "milliseconds (0: no limit)", parse_timeout_finish,
            [](ServiceSpec& spec, long value) { spec.timeout_finish_ms = value; }},
};

std::expected<ServiceSpec, std::string> load_one(const std::string& dir, const std::string& name) {
  ServiceSpec spec;
  spec.name = name;
  spec.dir = dir + "/" + name;
  const std::string where = "service '" + text::printable(name) + "': ";
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
  for (const Setting& setting : kSettings) {
    const std::string path = spec.dir + "/" + setting.file;
    if (!exists(path)) {
      continue;
    }
    const auto text = read_value(path);
    if (!text) {
      return std::unexpected(where + setting.file + " cannot be read");
    }
    const auto value = setting.parse(*text);
    if (!value) {
      return std::unexpected(where + setting.file + " must hold " + setting.must_hold + ", not '" +
                             text::printable(*text) + "'");
    }
    setting.store(spec, *value);
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
  auto refuse = [&dir](const std::string& why) {
    return std::unexpected("services directory '" + text::printable(dir) + "'" + why);
  };
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    return refuse(std::string(": ") + std::strerror(errno));
  }
  if (!S_ISDIR(st.st_mode)) {
    return refuse(" is not a directory");
  }
  DIR* listing = ::opendir(dir.c_str());
  if (listing == nullptr) {
    return refuse(std::string(": ") + std::strerror(errno));
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
      return refuse(std::string(": cannot tell the current directory: ") + std::strerror(errno));
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
