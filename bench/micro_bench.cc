// Micro-benchmarks of the pieces pidone runs per event: parsing /proc/PID/stat (the drain
// reads one per process) and walking a process table for descendants (subreaper drain).
#include <benchmark/benchmark.h>

#include "proc/process_table.h"
#include "proc/stat_parser.h"

namespace {

constexpr const char* kStat =
    "4242 (worker (x)) S 1 4242 4242 0 -1 4194560 101 0 0 0 0 0 0 0 20 0 1 0 987654 5636096 224 "
    "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

void BM_ParseStat(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(pidone::proc::parse_stat(kStat));
  }
}
BENCHMARK(BM_ParseStat);

void BM_DescendantsOf(benchmark::State& state) {
  // A tree of N processes: each one's parent is (pid / 2), rooted at 1.
  std::vector<pidone::proc::ProcStat> table;
  for (int pid = 2; pid <= state.range(0); ++pid) {
    pidone::proc::ProcStat p;
    p.pid = pid;
    p.ppid = pid / 2;
    table.push_back(p);
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(pidone::proc::descendants_of(table, 1));
  }
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_DescendantsOf)->Range(64, 16384)->Complexity();

}  // namespace
