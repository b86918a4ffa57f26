#include "sys/wait_status.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pidone::sys {
namespace {

TEST(ExitCode, ExitedChildKeepsItsCode) {
  EXPECT_EQ((ChildExit{1, false, 0}.exit_code()), 0);
  EXPECT_EQ((ChildExit{1, false, 255}.exit_code()), 255);
}

TEST(ExitCode, SignalledChildIs128PlusSignal) {
  EXPECT_EQ((ChildExit{1, true, SIGTERM}.exit_code()), 143);
  EXPECT_EQ((ChildExit{1, true, SIGKILL}.exit_code()), 137);
}

TEST(ExitCode, ExecErrnoFollowsTheShell) {
  EXPECT_EQ(exit_code_for_exec_errno(ENOENT), kExitNotFound);
  EXPECT_EQ(exit_code_for_exec_errno(EACCES), kExitCannotRun);
  EXPECT_EQ(exit_code_for_exec_errno(ENOEXEC), kExitCannotRun);
}

TEST(Reap, ReportsAnExitedChildThenNoChildren) {
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::_exit(42);
  }
  // Block until it has exited, without reaping it (WNOWAIT): then reap_one must find it.
  siginfo_t info{};
  ASSERT_EQ(::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT), 0);
  auto r = reap_one();
  ASSERT_TRUE(r);
  const Reaped reaped = *r;
  ASSERT_EQ(reaped.outcome, ReapOutcome::kReaped);
  EXPECT_EQ(reaped.exit.pid, pid);
  EXPECT_EQ(reaped.exit.exit_code(), 42);
  EXPECT_EQ(reap_one()->outcome, ReapOutcome::kNoChildren);
}

}  // namespace
}  // namespace pidone::sys
