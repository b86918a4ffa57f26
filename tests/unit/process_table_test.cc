#include "proc/process_table.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>

namespace pidone::proc {
namespace {

ProcStat make(pid_t pid, pid_t ppid) {
  ProcStat p;
  p.pid = pid;
  p.ppid = ppid;
  p.comm = "p" + std::to_string(pid);
  return p;
}

std::vector<pid_t> pids(const std::vector<ProcStat>& list) {
  std::vector<pid_t> out;
  for (const auto& p : list) {
    out.push_back(p.pid);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ProcessTable, DescendantsFollowTheWholeChain) {
  const std::vector<ProcStat> table = {make(1, 0),   make(10, 1), make(11, 10),
                                       make(12, 11), make(20, 1), make(30, 99)};
  EXPECT_EQ(pids(descendants_of(table, 10)), (std::vector<pid_t>{11, 12}));
  EXPECT_EQ(pids(descendants_of(table, 1)), (std::vector<pid_t>{10, 11, 12, 20}));
  EXPECT_TRUE(descendants_of(table, 12).empty());
}

TEST(ProcessTable, ACycleInMalformedInputTerminates) {
  const std::vector<ProcStat> table = {make(5, 6), make(6, 5), make(7, 5)};
  EXPECT_EQ(pids(descendants_of(table, 5)), (std::vector<pid_t>{6, 7}));
}

TEST(ProcessTable, ScanSeesThisProcess) {
  const auto table = scan_processes();
  const pid_t self = ::getpid();
  EXPECT_TRUE(
      std::any_of(table.begin(), table.end(), [self](const ProcStat& p) { return p.pid == self; }));
}

TEST(ProcessTable, MissingProcRootGivesNothing) {
  EXPECT_TRUE(scan_processes("/nonexistent-proc").empty());
  EXPECT_FALSE(proc_matches_own_namespace("/nonexistent-proc"));
}

}  // namespace
}  // namespace pidone::proc
