// One service's life (service.h), walked without a process.
#include "pidone/service.h"

#include <gtest/gtest.h>

namespace pidone {
namespace {

using State = Service::State;

TEST(ServiceMachine, StartsRunOnce) {
  Service service(false, 5000);
  service.start(100);
  EXPECT_TRUE(service.take_actions().start_run);
  EXPECT_EQ(service.state(), State::kUp);
  service.start(200);
  EXPECT_FALSE(service.take_actions().any());
  EXPECT_EQ(service.starts(), 1);
}

TEST(ServiceMachine, ACrashRestartsNoSoonerThanASecondAfterTheLastStart) {
  Service service(false, 5000);
  service.start(1000);
  (void)service.take_actions();
  service.run_exited(1, 0, 1200);
  EXPECT_EQ(service.state(), State::kWaiting);
  EXPECT_EQ(service.next_deadline(), 2000);
  service.deadline_reached(1999);
  EXPECT_FALSE(service.take_actions().any());
  service.deadline_reached(2000);
  EXPECT_TRUE(service.take_actions().start_run);
  EXPECT_EQ(service.starts(), 2);
}

TEST(ServiceMachine, ALongRunRestartsAtOnce) {
  Service service(false, 5000);
  service.start(0);
  (void)service.take_actions();
  service.run_exited(0, 0, 60'000);
  EXPECT_EQ(service.next_deadline(), 60'000);
}

TEST(ServiceMachine, FinishGetsTheExitCodeOr256AndTheSignal) {
  Service service(true, 5000);
  service.start(0);
  (void)service.take_actions();
  service.run_exited(1, 0, 10);
  ServiceActions actions = service.take_actions();
  ASSERT_TRUE(actions.start_finish);
  EXPECT_EQ(actions.finish_code, 1);
  EXPECT_EQ(actions.finish_signal, 0);
  EXPECT_EQ(service.state(), State::kFinishing);
  service.finish_exited(0, 20);
  service.deadline_reached(1000);
  (void)service.take_actions();
  service.run_exited(0, 9, 1100);
  actions = service.take_actions();
  EXPECT_EQ(actions.finish_code, 256);
  EXPECT_EQ(actions.finish_signal, 9);
}

TEST(ServiceMachine, FinishIsKilledAtItsTimeout) {
  Service service(true, 300);
  service.start(0);
  (void)service.take_actions();
  service.run_exited(0, 0, 100);
  (void)service.take_actions();
  EXPECT_EQ(service.next_deadline(), 400);
  service.deadline_reached(400);
  EXPECT_TRUE(service.take_actions().kill_finish);
  service.finish_exited(128 + 9, 410);
  EXPECT_EQ(service.state(), State::kWaiting);
}

TEST(ServiceMachine, TimeoutFinishZeroMeansNoLimit) {
  Service service(true, 0);
  service.start(0);
  (void)service.take_actions();
  service.run_exited(0, 0, 100);
  (void)service.take_actions();
  EXPECT_FALSE(service.next_deadline());
}

TEST(ServiceMachine, Finish125IsAPermanentFailure) {
  Service service(true, 5000);
  service.start(0);
  (void)service.take_actions();
  service.run_exited(3, 0, 10);
  (void)service.take_actions();
  service.finish_exited(125, 20);
  EXPECT_TRUE(service.take_actions().permanent_failure);
  EXPECT_EQ(service.state(), State::kFailed);
  EXPECT_FALSE(service.next_deadline());
  EXPECT_TRUE(service.at_rest());
}

TEST(ServiceMachine, StopSignalsARunningServiceAndItStaysDown) {
  Service service(true, 5000);
  service.start(0);
  (void)service.take_actions();
  service.stop();
  EXPECT_TRUE(service.take_actions().signal_run);
  service.run_exited(0, 15, 50);
  EXPECT_TRUE(service.take_actions().start_finish) << "finish runs on the way down too";
  service.finish_exited(0, 60);
  EXPECT_EQ(service.state(), State::kStopped);
  EXPECT_FALSE(service.next_deadline());
  EXPECT_TRUE(service.at_rest());
}

TEST(ServiceMachine, StopWhileWaitingToRestartStopsAtOnce) {
  Service service(false, 5000);
  service.start(0);
  (void)service.take_actions();
  service.run_exited(1, 0, 10);
  service.stop();
  EXPECT_FALSE(service.take_actions().any());
  EXPECT_EQ(service.state(), State::kStopped);
  service.deadline_reached(5000);
  EXPECT_FALSE(service.take_actions().start_run);
}

TEST(ServiceMachine, KillTakesWhateverRuns) {
  Service running(false, 5000);
  running.start(0);
  (void)running.take_actions();
  running.kill();
  EXPECT_TRUE(running.take_actions().kill_run);
  Service finishing(true, 0);
  finishing.start(0);
  (void)finishing.take_actions();
  finishing.run_exited(0, 0, 1);
  (void)finishing.take_actions();
  finishing.kill();
  EXPECT_TRUE(finishing.take_actions().kill_finish);
}

TEST(ServiceMachine, ADownServiceNeverStarted) {
  Service service(false, 5000);
  EXPECT_TRUE(service.at_rest());
  service.stop();
  EXPECT_EQ(service.state(), State::kStopped);
  service.start(0);
  EXPECT_FALSE(service.take_actions().any());
}

}  // namespace
}  // namespace pidone
