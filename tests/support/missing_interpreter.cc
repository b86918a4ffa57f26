// A dynamically linked program whose program interpreter (PT_INTERP) does not exist: execve
// fails with ENOENT although the file is there (tests/CMakeLists.txt sets the path).
int main() {
  return 0;
}
