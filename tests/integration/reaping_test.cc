// Reaping: every process that ends as pidone's child is reaped, orphans included.
#include "fixture.h"

namespace pidone::testing {
namespace {

TEST(Reaping, TenThousandOrphansDyingAtOnceAreAllReapedAsPid1) {
  constexpr int kOrphans = 10000;
  PIDONE_LAUNCH_OR_SKIP(init, pidone_running({}, testkid({"orphans", std::to_string(kOrphans)})));
  ASSERT_TRUE(init.out().wait_for("released " + std::to_string(kOrphans), 100s))
      << init.out().seen() << init.err().read_rest(1s);
  // Left in the namespace: pidone and the main child, no zombie.
  std::vector<proc::ProcStat> table;
  const bool settled = eventually(
      [&] {
        table = processes_in(init);
        return table.size() == 2 && count_state(table, 'Z') == 0;
      },
      60s);
  EXPECT_TRUE(settled) << table.size() << " processes, " << count_state(table, 'Z') << " zombies";
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

TEST(Reaping, OrphansAreReapedAsASubreaper) {
  constexpr int kOrphans = 200;
  PIDONE_LAUNCH_OR_SKIP(init,
                        pidone_running({}, testkid({"orphans", std::to_string(kOrphans)}), false));
  ASSERT_TRUE(init.out().wait_for("released")) << init.err().read_rest(1s);
  ASSERT_TRUE(init.out().wait_for("ready")) << init.out().seen();
  std::vector<proc::ProcStat> below;
  const bool settled = eventually(
      [&] {
        below = proc::descendants_of(proc::scan_processes(), init.pid());
        return below.size() == 1 && below.front().state != 'Z';
      },
      30s);
  EXPECT_TRUE(settled) << below.size() << " descendants left";
  init.send(SIGTERM);
  EXPECT_EQ(init.wait_exit(), 0);
}

}  // namespace
}  // namespace pidone::testing
