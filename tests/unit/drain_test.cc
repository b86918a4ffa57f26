// The drain state machine, walked without a process: every transition of drain.h.
#include "pidone/drain.h"

#include <gtest/gtest.h>

namespace pidone {
namespace {

using Phase = Drain::Phase;

DrainConfig with(sys::Millis grace, std::optional<sys::Millis> stop_timeout = std::nullopt,
                 EndPolicy end = EndPolicy::kDrain) {
  return DrainConfig{grace, stop_timeout, end};
}

TEST(DrainMachine, StartsRunningWithNothingToDo) {
  Drain drain(with(5000));
  EXPECT_EQ(drain.phase(), Phase::kRunning);
  EXPECT_FALSE(drain.next_deadline());
  EXPECT_FALSE(drain.take_actions().any());
}

TEST(DrainMachine, StopSignalWithoutStopTimeoutSetsNoDeadline) {
  Drain drain(with(5000));
  drain.stop_signal(100);
  EXPECT_FALSE(drain.next_deadline());
  EXPECT_FALSE(drain.take_actions().any());
}

TEST(DrainMachine, StopTimeoutKillsTheChildOnceAtItsDeadline) {
  Drain drain(with(5000, 2000));
  drain.stop_signal(100);
  EXPECT_EQ(drain.next_deadline(), 2100);
  drain.deadline_reached(2099);  // early: nothing
  EXPECT_FALSE(drain.take_actions().any());
  drain.deadline_reached(2100);
  const DrainActions actions = drain.take_actions();
  EXPECT_TRUE(actions.kill_child);
  EXPECT_FALSE(actions.term_rest || actions.kill_rest || actions.exit);
  EXPECT_FALSE(drain.next_deadline());
  drain.deadline_reached(9999);
  EXPECT_FALSE(drain.take_actions().any());
  EXPECT_EQ(drain.phase(), Phase::kRunning);
}

TEST(DrainMachine, ASecondStopSignalDoesNotPostponeTheKill) {
  Drain drain(with(5000, 2000));
  drain.stop_signal(100);
  drain.stop_signal(1500);
  EXPECT_EQ(drain.next_deadline(), 2100);
}

TEST(DrainMachine, ChildExitDuringTheStopTimeoutCancelsItAndStartsTheGrace) {
  Drain drain(with(5000, 2000));
  drain.stop_signal(100);
  drain.child_exited(143, 500);
  EXPECT_EQ(drain.phase(), Phase::kGrace);
  EXPECT_EQ(drain.next_deadline(), 5500);
  const DrainActions actions = drain.take_actions();
  EXPECT_TRUE(actions.term_rest);
  EXPECT_FALSE(actions.kill_child);
  drain.deadline_reached(2100);  // the old stop deadline: nothing
  EXPECT_FALSE(drain.take_actions().any());
}

TEST(DrainMachine, ChildExitAloneEndsInTheSameTurn) {
  Drain drain(with(5000));
  drain.child_exited(3, 10);
  drain.no_children_left();
  const DrainActions actions = drain.take_actions();
  EXPECT_FALSE(actions.term_rest) << "nobody is left to receive it";
  EXPECT_EQ(actions.exit, 3);
  EXPECT_EQ(drain.phase(), Phase::kDone);
  EXPECT_FALSE(drain.next_deadline());
}

TEST(DrainMachine, LeftoversGetSigtermThenSigkillAfterTheGrace) {
  Drain drain(with(1000));
  drain.child_exited(0, 10);
  EXPECT_TRUE(drain.take_actions().term_rest);
  EXPECT_EQ(drain.next_deadline(), 1010);
  drain.deadline_reached(1010);
  const DrainActions actions = drain.take_actions();
  EXPECT_TRUE(actions.kill_rest);
  EXPECT_EQ(actions.kill_round, 1);
  EXPECT_FALSE(actions.exit);
  EXPECT_EQ(drain.phase(), Phase::kKilling);
}

TEST(DrainMachine, LeftoversThatExitWithinTheGraceEndItEarly) {
  Drain drain(with(1000));
  drain.child_exited(7, 10);
  (void)drain.take_actions();
  drain.no_children_left();
  EXPECT_EQ(drain.take_actions().exit, 7);
  drain.deadline_reached(1010);
  EXPECT_FALSE(drain.take_actions().any()) << "done: the grace deadline is gone";
}

TEST(DrainMachine, KillRoundsRepeatDoublingToOnceASecondUntilNoChildIsLeft) {
  Drain drain(with(1000));
  drain.child_exited(0, 0);
  (void)drain.take_actions();
  sys::Millis now = 1000;
  const sys::Millis expected_gaps[] = {50, 100, 200, 400, 800, 1000, 1000};
  int round = 1;
  for (const sys::Millis gap : expected_gaps) {
    drain.deadline_reached(now);
    const DrainActions actions = drain.take_actions();
    ASSERT_TRUE(actions.kill_rest);
    EXPECT_EQ(actions.kill_round, round++);
    ASSERT_EQ(drain.next_deadline(), now + gap);
    now += gap;
  }
  drain.no_children_left();
  EXPECT_EQ(drain.take_actions().exit, 0);
}

TEST(DrainMachine, ADeadlineWithNothingLeftEndsWithTheNextReapPass) {
  // The SIGKILL round found nobody (they exited between the scan and the deadline): the
  // supervisor's reap pass after it reports ECHILD, and that ends the drain.
  Drain drain(with(100));
  drain.child_exited(1, 0);
  (void)drain.take_actions();
  drain.deadline_reached(100);
  EXPECT_TRUE(drain.take_actions().kill_rest);
  drain.no_children_left();
  const DrainActions actions = drain.take_actions();
  EXPECT_EQ(actions.exit, 1);
  EXPECT_FALSE(actions.kill_rest);
}

TEST(DrainMachine, GraceZeroKillsTheRestAtOnce) {
  Drain drain(with(0));
  drain.child_exited(137, 20);
  const DrainActions actions = drain.take_actions();
  EXPECT_FALSE(actions.term_rest);
  EXPECT_TRUE(actions.kill_rest);
  EXPECT_EQ(actions.kill_round, 1);
  EXPECT_EQ(drain.next_deadline(), 20 + Drain::kFirstKillRetryMs);
}

TEST(DrainMachine, AStopSignalDuringTheDrainChangesNothing) {
  Drain drain(with(1000, 300));
  drain.child_exited(0, 0);
  (void)drain.take_actions();
  drain.stop_signal(10);
  EXPECT_FALSE(drain.take_actions().any());
  EXPECT_EQ(drain.next_deadline(), 1000) << "no stop deadline once the child has exited";
  EXPECT_EQ(drain.phase(), Phase::kGrace);
}

TEST(DrainMachine, ASecondChildExitIsIgnored) {
  Drain drain(with(1000));
  drain.child_exited(5, 0);
  (void)drain.take_actions();
  drain.child_exited(9, 10);
  EXPECT_FALSE(drain.take_actions().any());
  EXPECT_EQ(drain.child_status(), 5);
}

TEST(DrainMachine, NoChildrenWhileRunningIsNotTheEnd) {
  // Pause mode (catatonit -P) has no child: ECHILD then means nothing yet.
  Drain drain(with(1000));
  drain.no_children_left();
  EXPECT_FALSE(drain.take_actions().any());
  EXPECT_EQ(drain.phase(), Phase::kRunning);
}

TEST(DrainMachine, TermGroupAndExitSignalsTheGroupAndEndsAtOnce) {
  Drain drain(with(5000, std::nullopt, EndPolicy::kTermGroupAndExit));
  drain.child_exited(2, 0);
  const DrainActions actions = drain.take_actions();
  EXPECT_TRUE(actions.term_group);
  EXPECT_FALSE(actions.term_rest);
  EXPECT_EQ(actions.exit, 2);
  EXPECT_EQ(drain.phase(), Phase::kDone);
}

TEST(DrainMachine, ExitPolicyLeavesTheRestAlone) {
  Drain drain(with(5000, std::nullopt, EndPolicy::kExit));
  drain.child_exited(0, 0);
  const DrainActions actions = drain.take_actions();
  EXPECT_FALSE(actions.term_group || actions.term_rest || actions.kill_rest);
  EXPECT_EQ(actions.exit, 0);
}

TEST(DrainMachine, DoneIgnoresEveryEvent) {
  Drain drain(with(1000, 100));
  drain.child_exited(0, 0);
  drain.no_children_left();
  (void)drain.take_actions();
  drain.stop_signal(5);
  drain.child_exited(1, 6);
  drain.no_children_left();
  drain.deadline_reached(99999);
  EXPECT_FALSE(drain.take_actions().any());
  EXPECT_FALSE(drain.next_deadline());
}

}  // namespace
}  // namespace pidone

namespace pidone {
namespace {

DrainConfig with_services(sys::Millis grace) {
  DrainConfig config{grace, std::nullopt, EndPolicy::kDrain};
  config.services = true;
  return config;
}

TEST(DrainMachine, WithServicesTheyStopFirstThenTheRest) {
  Drain drain(with_services(1000));
  drain.child_exited(4, 100);
  DrainActions actions = drain.take_actions();
  EXPECT_TRUE(actions.stop_services);
  EXPECT_FALSE(actions.term_rest);
  EXPECT_EQ(drain.phase(), Drain::Phase::kServices);
  EXPECT_EQ(drain.next_deadline(), 1100);
  drain.services_at_rest(300);
  actions = drain.take_actions();
  EXPECT_TRUE(actions.term_rest);
  EXPECT_EQ(drain.phase(), Drain::Phase::kGrace);
  EXPECT_EQ(drain.next_deadline(), 1300) << "the rest get a grace of their own";
  drain.no_children_left();
  EXPECT_EQ(drain.take_actions().exit, 4);
}

TEST(DrainMachine, ServicesStillRunningAtTheirDeadlineAreKilled) {
  Drain drain(with_services(1000));
  drain.child_exited(0, 0);
  (void)drain.take_actions();
  drain.deadline_reached(1000);
  const DrainActions actions = drain.take_actions();
  EXPECT_TRUE(actions.kill_services);
  EXPECT_TRUE(actions.term_rest);
  EXPECT_EQ(drain.next_deadline(), 2000);
}

TEST(DrainMachine, NoChildrenWhileServicesStopEndsIt) {
  Drain drain(with_services(1000));
  drain.child_exited(0, 0);
  (void)drain.take_actions();
  drain.no_children_left();
  EXPECT_EQ(drain.take_actions().exit, 0);
}

}  // namespace
}  // namespace pidone
