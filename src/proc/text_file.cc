#include "proc/text_file.h"

#include <fstream>
#include <sstream>

namespace pidone::proc {

std::string read_text_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace pidone::proc
