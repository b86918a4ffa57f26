#include "sys/error.h"

#include <cstring>

namespace pidone::sys {

std::string SysError::to_string() const {
  std::string text(operation);
  text += ": ";
  text += std::strerror(code);
  return text;
}

}  // namespace pidone::sys
