#include "musl/arena.h"

#include <cstdint>

namespace pidone::musl {
namespace {

constexpr std::size_t kHeader = Arena::kAlign;
constexpr std::size_t kSmallest = 2 * Arena::kAlign;  // a header and one unit of payload

// The block size for a payload of `size` bytes, or 0 when that overflows.
std::size_t block_size_for(std::size_t size) {
  if (size > SIZE_MAX - kHeader - Arena::kAlign) {
    return 0;
  }
  const std::size_t whole = (size + kHeader + Arena::kAlign - 1) & ~(Arena::kAlign - 1);
  return whole < kSmallest ? kSmallest : whole;
}

}  // namespace

Arena::Arena(void* memory, std::size_t size)
    : begin_(static_cast<std::byte*>(memory)),
      top_(begin_),
      end_(begin_ + (size & ~(kAlign - 1))) {}

void* Arena::allocate(std::size_t size) {
  const std::size_t need = block_size_for(size);
  if (need == 0) {
    return nullptr;
  }
  for (std::byte* at = begin_; at < top_;) {
    auto* block = reinterpret_cast<Header*>(at);
    if (block->used == 0) {
      // Merge the free blocks that follow into this one.
      for (std::byte* next = at + block->size; next < top_;) {
        const auto* after = reinterpret_cast<Header*>(next);
        if (after->used != 0) {
          break;
        }
        block->size += after->size;
        next += after->size;
      }
      // The last block can grow into the untouched rest of the region.
      if (block->size < need && at + block->size == top_ &&
          need - block->size <= static_cast<std::size_t>(end_ - top_)) {
        top_ += need - block->size;
        block->size = need;
      }
      if (block->size >= need) {
        if (block->size - need >= kSmallest) {
          auto* rest = reinterpret_cast<Header*>(at + need);
          rest->size = block->size - need;
          rest->used = 0;
          block->size = need;
        }
        block->used = 1;
        return at + kHeader;
      }
    }
    at += block->size;
  }
  if (need > static_cast<std::size_t>(end_ - top_)) {
    return nullptr;
  }
  auto* block = reinterpret_cast<Header*>(top_);
  block->size = need;
  block->used = 1;
  top_ += need;
  return reinterpret_cast<std::byte*>(block) + kHeader;
}

void Arena::release(void* block) {
  reinterpret_cast<Header*>(static_cast<std::byte*>(block) - kHeader)->used = 0;
}

std::size_t Arena::usable_size(const void* block) {
  return reinterpret_cast<const Header*>(static_cast<const std::byte*>(block) - kHeader)->size -
         kHeader;
}

}  // namespace pidone::musl
