#include "text/format.h"

#include <gtest/gtest.h>

#include <climits>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace pidone::text {
namespace {

// The C library's answer, for comparison (embedded NULs from %c kept).
[[gnu::format(printf, 1, 2)]] std::string c_format(const char* format, ...) {
  char buffer[512];
  std::va_list args;
  va_start(args, format);
  const int n = std::vsnprintf(buffer, sizeof(buffer), format, args);
  va_end(args);
  EXPECT_GE(n, 0);
  EXPECT_LT(n, static_cast<int>(sizeof(buffer)));
  return {buffer, static_cast<std::size_t>(n)};
}

// format() and snprintf() with the same literal format and arguments, so gcc checks both.
#define EXPECT_AS_PRINTF(...) EXPECT_EQ(format(__VA_ARGS__), c_format(__VA_ARGS__))

TEST(Format, TextWithoutConversionsIsCopied) {
  EXPECT_AS_PRINTF("plain text, no conversions");
  EXPECT_AS_PRINTF("100%% sure, %%d is not read");
  EXPECT_AS_PRINTF("%%");
}

TEST(Format, Strings) {
  EXPECT_AS_PRINTF("%s", "");
  EXPECT_AS_PRINTF("started '%s' as pid %d", "sleep 10", 7);
  EXPECT_AS_PRINTF("%s%s%s", "a", "", "c");
  EXPECT_AS_PRINTF("[%8s] [%-8s] [%2s] [%-2s]", "abc", "abc", "abcdef", "abcdef");
  EXPECT_AS_PRINTF("%s", "caf\xc3\xa9 \x1b[31m\n");
  const std::string long_text(3000, 'x');
  EXPECT_EQ(format("<%s>", long_text.c_str()), "<" + long_text + ">");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-overflow"
  const char* null_text = nullptr;
  EXPECT_EQ(format("%s", null_text), "(null)");  // as musl and glibc print it
#pragma GCC diagnostic pop
}

TEST(Format, Characters) {
  EXPECT_AS_PRINTF("%c%c%c", 'a', ' ', '%');
  EXPECT_AS_PRINTF("[%3c] [%-3c]", 'x', 'y');
  EXPECT_AS_PRINTF("a%cb", '\0');  // a NUL inside, as snprintf writes it
  EXPECT_EQ(format("a%cb", '\0'), std::string("a\0b", 3));
  EXPECT_AS_PRINTF("%c", '\xff');
}

TEST(Format, SignedDecimal) {
  for (const int v : {0, 1, -1, 7, -42, 1000000, INT_MAX, INT_MIN}) {
    EXPECT_AS_PRINTF("%d", v);
    EXPECT_AS_PRINTF("%i", v);
    EXPECT_AS_PRINTF("[%5d] [%-5d] [%05d] [%1d] [%012d]", v, v, v, v, v);
  }
  for (const long v : {0L, -1L, LONG_MAX, LONG_MIN}) {
    EXPECT_AS_PRINTF("%ld [%20ld] [%-21ld] [%022ld]", v, v, v, v);
  }
  for (const long long v : {0LL, 123456789012LL, -123456789012LL, LLONG_MAX, LLONG_MIN}) {
    EXPECT_AS_PRINTF("%lld %lli [%25lld] [%025lld] [%-25lld]", v, v, v, v, v);
  }
  for (const int v : {0, 127, -128, 200, -200, 40000, -40000}) {
    EXPECT_AS_PRINTF("%hhd %hd", static_cast<signed char>(v), static_cast<short>(v));
  }
  for (const std::ptrdiff_t v : {std::ptrdiff_t{0}, std::ptrdiff_t{-5}, PTRDIFF_MIN}) {
    EXPECT_AS_PRINTF("%zd", v);
  }
}

TEST(Format, UnsignedDecimal) {
  for (const unsigned v : {0U, 1U, 4096U, UINT_MAX}) {
    EXPECT_AS_PRINTF("%u [%8u] [%-8u] [%08u]", v, v, v, v);
  }
  for (const unsigned long v : {0UL, ULONG_MAX}) {
    EXPECT_AS_PRINTF("%lu [%24lu]", v, v);
  }
  for (const unsigned long long v : {0ULL, 18446744073709551615ULL, 10000000000000000000ULL}) {
    EXPECT_AS_PRINTF("%llu [%021llu] [%-21llu]", v, v, v);
  }
  for (const std::size_t v : {std::size_t{0}, std::size_t{99}, SIZE_MAX}) {
    EXPECT_AS_PRINTF("%zu [%22zu]", v, v);
  }
  for (const unsigned v : {0U, 255U, 256U, 65535U, 70000U}) {
    EXPECT_AS_PRINTF("%hhu %hu", static_cast<unsigned char>(v), static_cast<unsigned short>(v));
  }
}

TEST(Format, Hexadecimal) {
  for (const unsigned v : {0U, 0x1bU, 0x7fU, 0xffU, 0x200eU, 0x10ffffU, UINT_MAX}) {
    EXPECT_AS_PRINTF("%x %X [%02x] [%04x] [%08X] [%-6x] [%6x]", v, v, v, v, v, v, v);
    EXPECT_AS_PRINTF("\\u{%04x} \\x%02x \\u%04x", v, v, v);
  }
  for (const unsigned long v : {0UL, 0xdeadbeefUL, ULONG_MAX}) {
    EXPECT_AS_PRINTF("%lx %lX [%018lx]", v, v, v);
  }
  for (const unsigned long long v : {0ULL, 0x123456789abcdefULL, ULLONG_MAX}) {
    EXPECT_AS_PRINTF("%llx %llX", v, v);
  }
  EXPECT_AS_PRINTF("%zx %hhx %hx", std::size_t{0xabc}, static_cast<unsigned char>(0xfe),
                   static_cast<unsigned short>(0xbeef));
}

TEST(Format, MixedAsPidoneSaysIt) {
  EXPECT_AS_PRINTF("%s forwarded as %s to %s %d", "SIGTERM", "SIGQUIT", "group", 12);
  EXPECT_AS_PRINTF("reaped %d (%s %d)", 42, "signal", 9);
  EXPECT_AS_PRINTF("%llu log lines were dropped: the stream was full", 3ULL);
  EXPECT_AS_PRINTF("[%-5s tini (%d)] %s", "INFO", 1, "Spawned child process");
}

TEST(Format, WhatItDoesNotSupportIsCopiedVerbatimAndReadsNoFurther) {
  // A precision, a float, a pointer, '+': from there on the format itself, no argument read.
  EXPECT_EQ(format("a %d %.3s %d", 1, "abcdef", 2), "a 1 %.3s %d");
  EXPECT_EQ(format("x=%f, n=%d", 1.5, 3), "x=%f, n=%d");
  EXPECT_EQ(format("%+d and %s", 5, "more"), "%+d and %s");
  EXPECT_EQ(format("%#x", 255U), "%#x");
  EXPECT_EQ(format("%ls", L"wide"), "%ls");
  EXPECT_EQ(format("[%4096d]", 1).size(), 4098U);
  EXPECT_EQ(format("[%4097d] %s", 1, "x"), "[%4097d] %s");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
#pragma GCC diagnostic ignored "-Wformat-overflow"
  EXPECT_EQ(format("%99999999999999999999999d", 1), "%99999999999999999999999d");
  EXPECT_EQ(format(""), "");
  EXPECT_EQ(format("ends in %"), "ends in %");
  EXPECT_EQ(format("%5%"), "%5%");
  EXPECT_EQ(format("%q and %d", 1), "%q and %d");
#pragma GCC diagnostic pop
}

}  // namespace
}  // namespace pidone::text
