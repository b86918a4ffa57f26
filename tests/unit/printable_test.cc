#include "text/printable.h"

#include <gtest/gtest.h>

#include "json_check.h"
#include "text/json.h"

namespace pidone::text {
namespace {

TEST(Printable, PlainTextAndUtf8LettersPassUnchanged) {
  EXPECT_EQ(printable("nginx: worker"), "nginx: worker");
  EXPECT_EQ(printable("caf\xc3\xa9 \xe6\x97\xa5\xf0\x9f\x90\xb3"),
            "caf\xc3\xa9 \xe6\x97\xa5\xf0\x9f\x90\xb3");
}

TEST(Printable, TerminalControlsAreEscaped) {
  EXPECT_EQ(printable("\x1b]0;pwn\a"), "\\x1b]0;pwn\\x07");
  EXPECT_EQ(printable("tini\n\x1b[31mFAKE"), "tini\\n\\x1b[31mFAKE");
  EXPECT_EQ(printable("a\tb\rc\x7f"), "a\\tb\\rc\\x7f");
  EXPECT_EQ(printable(std::string("a\0b", 3)), "a\\x00b");
  // A backslash is escaped too, so "\x1b" typed by a process cannot pass for an escape.
  EXPECT_EQ(printable("\\x1b"), "\\\\x1b");
}

TEST(Printable, InvalidUtf8BytesAreEscapedOneByOne) {
  EXPECT_EQ(printable("ti\xffni"), "ti\\xffni");
  EXPECT_EQ(printable("\xc3"), "\\xc3");                             // truncated
  EXPECT_EQ(printable("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // a surrogate
  EXPECT_EQ(printable("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // past U+10FFFF
  EXPECT_EQ(printable("\x80"), "\\x80");                             // a stray continuation byte
}

TEST(Printable, C1ControlsAndBidiOverridesAreEscaped) {
  EXPECT_EQ(printable("\xc2\x9b"
                      "31m"),
            "\\u{009b}31m");  // CSI as a C1 control
  EXPECT_EQ(printable("ab\xe2\x80\xae"
                      "cd"),
            "ab\\u{202e}cd");  // right-to-left override
  EXPECT_EQ(printable("\xe2\x80\xa8"), "\\u{2028}");
}

TEST(JsonString, IsValidJsonWhateverTheBytes) {
  for (const std::string& raw :
       {std::string("ti\xffni"), std::string("\x1b]0;pwn\a"), std::string("a\"b\\c"),
        std::string("\xc3"), std::string("\xc2\x9b\xe2\x80\xa8"), std::string("a\0b", 3),
        std::string("caf\xc3\xa9")}) {
    const std::string json = "[" + json_string(raw) + "]";
    EXPECT_EQ(testing::JsonCheck::error_in(json), "") << json;
  }
  EXPECT_EQ(json_string("ti\xffni"), "\"ti\\ufffdni\"");
  EXPECT_EQ(json_string("\x1b"), "\"\\u001b\"");
  EXPECT_EQ(json_string("\xc2\x9b"), "\"\\u009b\"");
  EXPECT_EQ(json_string("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
}

TEST(JsonCheck, RejectsWhatIsNotJson) {
  for (const char* bad : {"", "{", "{\"a\" 1}", "[1,]", "\"\x01\"", "\"\xff\"", "\"\\x41\"",
                          "[1] 2", "{\"a\": tru}", "01a"}) {
    EXPECT_NE(testing::JsonCheck::error_in(bad), "") << bad;
  }
  EXPECT_EQ(testing::JsonCheck::error_in("{\"a\": [1, -2.5e3, true, null, \"\\u00e9\"]}"), "");
}

}  // namespace
}  // namespace pidone::text
