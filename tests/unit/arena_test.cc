// The arena under the musl-linked pidone's heap (src/musl/malloc.cc), checked on its own.
#include "musl/arena.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

namespace pidone::musl {
namespace {

struct Region {
  alignas(Arena::kAlign) std::byte bytes[4096];
};

bool aligned(const void* p) {
  return reinterpret_cast<std::uintptr_t>(p) % Arena::kAlign == 0;
}

TEST(Arena, BlocksAreAlignedInsideAndDisjoint) {
  Region region;
  Arena arena(region.bytes, sizeof(region.bytes));
  std::byte* a = static_cast<std::byte*>(arena.allocate(1));
  std::byte* b = static_cast<std::byte*>(arena.allocate(100));
  std::byte* c = static_cast<std::byte*>(arena.allocate(0));
  for (std::byte* p : {a, b, c}) {
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(aligned(p));
    EXPECT_TRUE(arena.owns(p));
  }
  EXPECT_GE(Arena::usable_size(a), 1U);
  EXPECT_GE(Arena::usable_size(b), 100U);
  EXPECT_GE(b, a + Arena::usable_size(a));
  EXPECT_GE(c, b + Arena::usable_size(b));
  int outside = 0;
  EXPECT_FALSE(arena.owns(&outside));
}

TEST(Arena, TouchesOnlyWhatItHandsOut) {
  Region region;
  Arena arena(region.bytes, sizeof(region.bytes));
  (void)arena.allocate(40);
  (void)arena.allocate(40);
  EXPECT_LE(arena.high_water(), 2 * (40 + 16 + 16U));
}

TEST(Arena, AFreedBlockIsReusedAndNeighboursMerge) {
  Region region;
  Arena arena(region.bytes, sizeof(region.bytes));
  void* a = arena.allocate(64);
  void* b = arena.allocate(64);
  void* c = arena.allocate(64);
  arena.release(a);
  EXPECT_EQ(arena.allocate(48), a);  // first fit
  arena.release(a);
  arena.release(b);
  // a and b merged hold 64 + 16 + 64 bytes: one block that fits before c.
  void* both = arena.allocate(64 + 16 + 64);
  EXPECT_EQ(both, a);
  EXPECT_LT(static_cast<std::byte*>(both), static_cast<std::byte*>(c));
}

TEST(Arena, TheLastFreeBlockGrowsIntoTheRest) {
  Region region;
  Arena arena(region.bytes, sizeof(region.bytes));
  void* a = arena.allocate(32);
  void* b = arena.allocate(32);
  arena.release(b);
  void* bigger = arena.allocate(1000);
  EXPECT_EQ(bigger, b);
  arena.release(a);
}

TEST(Arena, FullIsNullNotAnOverrun) {
  Region region;
  Arena arena(region.bytes, sizeof(region.bytes));
  EXPECT_EQ(arena.allocate(sizeof(region.bytes)), nullptr);
  EXPECT_EQ(arena.allocate(SIZE_MAX), nullptr);
  EXPECT_EQ(arena.allocate(SIZE_MAX - 8), nullptr);
  std::vector<void*> blocks;
  while (void* p = arena.allocate(100)) {
    blocks.push_back(p);
  }
  EXPECT_FALSE(blocks.empty());
  EXPECT_LE(arena.high_water(), sizeof(region.bytes));
  for (void* p : blocks) {
    arena.release(p);
  }
  // Everything merges back: the whole region is one block again.
  EXPECT_NE(arena.allocate(sizeof(region.bytes) - 16), nullptr);
}

// Random allocations and frees against a record of what each block must still hold.
TEST(Arena, RandomUseKeepsEveryLiveBlockIntact) {
  static Region regions[16];
  Arena arena(regions, sizeof(regions));
  std::mt19937 random(12345);
  struct Live {
    unsigned char* p;
    std::size_t size;
    unsigned char fill;
  };
  std::vector<Live> live;
  for (int step = 0; step < 20000; ++step) {
    if (live.empty() || random() % 3 != 0) {
      const std::size_t size = random() % 700;
      auto* p = static_cast<unsigned char*>(arena.allocate(size));
      if (p == nullptr) {
        continue;
      }
      ASSERT_TRUE(aligned(p));
      ASSERT_TRUE(arena.owns(p));
      ASSERT_GE(Arena::usable_size(p), size);
      const auto fill = static_cast<unsigned char>(random());
      std::memset(p, fill, size);
      live.push_back({p, size, fill});
    } else {
      const std::size_t i = random() % live.size();
      const Live gone = live[i];
      ASSERT_TRUE(
          std::all_of(gone.p, gone.p + gone.size, [&](unsigned char c) { return c == gone.fill; }))
          << "block " << static_cast<void*>(gone.p) << " was overwritten";
      arena.release(gone.p);
      live[i] = live.back();
      live.pop_back();
    }
  }
  for (const Live& block : live) {
    ASSERT_TRUE(std::all_of(block.p, block.p + block.size,
                            [&](unsigned char c) { return c == block.fill; }));
  }
}

}  // namespace
}  // namespace pidone::musl
