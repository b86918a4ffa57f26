// The C heap of the musl-linked pidone (linked into that binary only; cmake/musl.cmake).
// Small blocks come from Arenas (arena.h). The first is small and lives in .bss, so the few
// blocks pidone keeps while it waits share the one page of its own and musl's data; more
// arenas are mapped when it is full (while draining, say).
// Requests of a page or more get a mapping of their own, returned whole when freed.
//
// Every allocation entry point of musl is defined here, its internal __libc_* names too:
// musl's mallocng is never linked, and were anything to pull it in, the link would fail
// with a duplicate symbol rather than run two heaps side by side.
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <new>

#include "musl/arena.h"

namespace {

using pidone::musl::Arena;

constexpr std::size_t kFirstArena = 1024;
constexpr std::size_t kMoreArena = std::size_t{256} * 1024;
constexpr std::size_t kMaxArenas = 16;
constexpr std::size_t kOwnMapping = 4096;  // requests this large get a mapping of their own

// A block with a mapping of its own: this header right before the payload.
struct Mapped {
  std::size_t length;  // of the whole mapping
  std::byte* base;     // where the mapping starts
};
static_assert(sizeof(Mapped) == Arena::kAlign);

alignas(Arena::kAlign) std::byte g_first_memory[kFirstArena];
alignas(Arena) std::byte g_arena_storage[kMaxArenas][sizeof(Arena)];
std::size_t g_arena_count = 0;  // constructed lazily: malloc may run before any constructor

Arena& arena(std::size_t i) {
  return *std::launder(reinterpret_cast<Arena*>(g_arena_storage[i]));
}

Arena* owner_of(const void* block) {
  for (std::size_t i = 0; i < g_arena_count; ++i) {
    if (arena(i).owns(block)) {
      return &arena(i);
    }
  }
  return nullptr;
}

void* from_arenas(std::size_t size) {
  if (g_arena_count == 0) {
    new (g_arena_storage[0]) Arena(g_first_memory, sizeof(g_first_memory));
    g_arena_count = 1;
  }
  for (std::size_t i = 0; i < g_arena_count; ++i) {
    if (void* block = arena(i).allocate(size)) {
      return block;
    }
  }
  if (g_arena_count == kMaxArenas) {
    return nullptr;
  }
  void* memory =
      ::mmap(nullptr, kMoreArena, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) {
    return nullptr;
  }
  Arena* more = new (g_arena_storage[g_arena_count]) Arena(memory, kMoreArena);
  ++g_arena_count;
  return more->allocate(size);
}

// A mapping of its own for `size` bytes aligned to `align` (a power of two, at least kAlign).
void* mapped(std::size_t size, std::size_t align) {
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  if (size > SIZE_MAX / 2 || align > SIZE_MAX / 4) {
    errno = ENOMEM;
    return nullptr;
  }
  const std::size_t length = (size + align + sizeof(Mapped) + page - 1) & ~(page - 1);
  void* memory =
      ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) {
    errno = ENOMEM;
    return nullptr;
  }
  auto* base = static_cast<std::byte*>(memory);
  const auto first = reinterpret_cast<std::uintptr_t>(base + sizeof(Mapped));
  auto* block =
      base + (((first + align - 1) & ~(align - 1)) - reinterpret_cast<std::uintptr_t>(base));
  auto* header = reinterpret_cast<Mapped*>(block - sizeof(Mapped));
  header->length = length;
  header->base = base;
  return block;
}

const Mapped& mapping_of(const void* block) {
  return *reinterpret_cast<const Mapped*>(static_cast<const std::byte*>(block) - sizeof(Mapped));
}

std::size_t usable(const void* block) {
  if (owner_of(block) != nullptr) {
    return Arena::usable_size(block);
  }
  const Mapped& m = mapping_of(block);
  return m.length - static_cast<std::size_t>(static_cast<const std::byte*>(block) - m.base);
}

void* allocate(std::size_t size) {
  if (size < kOwnMapping) {
    if (void* block = from_arenas(size)) {
      return block;
    }
  }
  return mapped(size, Arena::kAlign);
}

void release(void* block) {
  if (block == nullptr) {
    return;
  }
  if (Arena* owner = owner_of(block)) {
    owner->release(block);
    return;
  }
  const Mapped m = mapping_of(block);
  (void)::munmap(m.base, m.length);
}

void* allocate_zeroed(std::size_t count, std::size_t size) {
  if (size != 0 && count > SIZE_MAX / size) {
    errno = ENOMEM;
    return nullptr;
  }
  void* block = allocate(count * size);
  if (block != nullptr) {
    std::memset(block, 0, count * size);
  }
  return block;
}

void* reallocate(void* block, std::size_t size) {
  if (block == nullptr) {
    return allocate(size);
  }
  const std::size_t old = usable(block);
  if (size <= old) {
    return block;
  }
  void* moved = allocate(size);
  if (moved != nullptr) {
    std::memcpy(moved, block, old);
    release(block);
  }
  return moved;
}

void* allocate_aligned(std::size_t align, std::size_t size) {
  if (align == 0 || (align & (align - 1)) != 0) {
    errno = EINVAL;
    return nullptr;
  }
  return align <= Arena::kAlign ? allocate(size) : mapped(size, align);
}

}  // namespace

// NOLINTBEGIN(readability-identifier-naming,bugprone-reserved-identifier): the C library's names.
extern "C" {
void* malloc(std::size_t size) {
  return allocate(size);
}
void free(void* block) {
  release(block);
}
void* calloc(std::size_t count, std::size_t size) {
  return allocate_zeroed(count, size);
}
void* realloc(void* block, std::size_t size) {
  return reallocate(block, size);
}
void* aligned_alloc(std::size_t align, std::size_t size) {
  return allocate_aligned(align, size);
}
void* memalign(std::size_t align, std::size_t size) {
  return allocate_aligned(align, size);
}
int posix_memalign(void** out, std::size_t align, std::size_t size) {
  if (align < sizeof(void*)) {
    return EINVAL;
  }
  const int saved = errno;
  void* block = allocate_aligned(align, size);
  const int err = errno;
  errno = saved;
  if (block == nullptr) {
    return err;
  }
  *out = block;
  return 0;
}
std::size_t malloc_usable_size(void* block) {
  return block == nullptr ? 0 : usable(block);
}
// What musl calls inside itself (atexit, locales, posix_spawn's file actions, ...).
void* __libc_malloc(std::size_t size) {
  return allocate(size);
}
void* __libc_malloc_impl(std::size_t size) {
  return allocate(size);
}
void __libc_free(void* block) {
  release(block);
}
void* __libc_calloc(std::size_t count, std::size_t size) {
  return allocate_zeroed(count, size);
}
void* __libc_realloc(void* block, std::size_t size) {
  return reallocate(block, size);
}
}
// NOLINTEND(readability-identifier-naming,bugprone-reserved-identifier)
