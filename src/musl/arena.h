// Arena: first-fit blocks in one region of memory, the heap of the musl-linked pidone
// (src/musl/malloc.cc). An init allocates a few small blocks at start-up and some short-lived
// ones while it drains, so a plain list of blocks is enough; what it buys is that the blocks
// sit together, in pages that are only touched (and so only counted as pidone's memory) once
// a block is there. musl's own malloc spreads the same few blocks over a brk page and an
// mmap'd group: 16 KiB of private dirty memory instead of 4.
//
// Each block is a 16-byte header (its size, header included, and whether it is in use) and
// its payload, 16-byte aligned. Blocks are laid out from the start of the region to `top`;
// beyond it the region has not been touched. Adjacent free blocks are merged as allocate()
// walks past them. Not thread-safe: pidone and its fork()ed child before exec never allocate
// at the same time (the child does not allocate).
#pragma once

#include <cstddef>

namespace pidone::musl {

class Arena {
 public:
  static constexpr std::size_t kAlign = 16;

  // `memory` is kAlign-aligned; `size` is rounded down to a multiple of kAlign.
  Arena(void* memory, std::size_t size);

  // A block of at least `size` bytes, kAlign-aligned, or nullptr when none is left.
  [[nodiscard]] void* allocate(std::size_t size);
  // `block` came from allocate() on this arena.
  void release(void* block);

  [[nodiscard]] bool owns(const void* block) const {
    const auto* p = static_cast<const std::byte*>(block);
    return p >= begin_ && p < end_;
  }
  // The payload size of a block from allocate(): at least what was asked for.
  [[nodiscard]] static std::size_t usable_size(const void* block);

  // Bytes from the start of the region to the end of the last block ever laid out.
  [[nodiscard]] std::size_t high_water() const { return static_cast<std::size_t>(top_ - begin_); }

 private:
  struct Header {
    std::size_t size;  // the whole block, header included; a multiple of kAlign
    std::size_t used;  // 1 in use, 0 free
  };
  static_assert(sizeof(Header) == kAlign);

  std::byte* begin_;
  std::byte* top_;
  std::byte* end_;
};

}  // namespace pidone::musl
