/* text-unit.c: customer text made safe for the terminal, and the countdown's wording. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text.h"

static void expect_sanitized(const char *in, bool keep, const char *want)
{
	char *got = text_sanitize(in, keep);

	if (strcmp(got, want) != 0)
		fail_msg("sanitize(\"%s\"): got \"%s\", expected \"%s\"", in, got, want);
	free(got);
}

static void test_sanitize(void **state)
{
	(void)state;
	expect_sanitized(NULL, true, "");
	expect_sanitized("plain text", true, "plain text");
	/* CSI, OSC (title), DCS: the ESC becomes a visible picture, the rest is harmless. */
	expect_sanitized("\x1b[2J\x1b]0;pwned\x07", false, "\xe2\x90\x9b[2J\xe2\x90\x9b]0;pwned\xe2\x90\x87");
	expect_sanitized("a\x1bPq#0\x1b\\b", false, "a\xe2\x90\x9bPq#0\xe2\x90\x9b\\b");
	/* C1 controls (CSI as U+009B) and DEL. */
	expect_sanitized("x\xc2\x9b" "31mred\x7f", false, "x\xef\xbf\xbd" "31mred\xe2\x90\xa1");
	/* Bidi overrides and isolates. */
	expect_sanitized("abc\xe2\x80\xae" "def\xe2\x81\xa6", false, "abc\xef\xbf\xbd" "def\xef\xbf\xbd");
	/* Invalid UTF-8: stray continuation, overlong, surrogate, truncated. */
	expect_sanitized("\x80", false, "\xef\xbf\xbd");
	expect_sanitized("\xc0\xaf", false, "\xef\xbf\xbd\xef\xbf\xbd");
	expect_sanitized("\xed\xa0\x80", false, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	expect_sanitized("ok\xe2\x82", false, "ok\xef\xbf\xbd\xef\xbf\xbd");
	/* Newlines and tabs. */
	expect_sanitized("a\nb\tc\r", true, "a\nb c\xe2\x90\x8d");
	expect_sanitized("a\nb", false, "a b");
	/* Wide, combining and right-to-left text passes untouched. */
	expect_sanitized("Zażółć 你好 👩‍💻 שלום e\xcc\x81", true, "Zażółć 你好 👩‍💻 שלום e\xcc\x81");
}

static void expect_inert(const char *in, const char *want)
{
	char *got = text_json_inert(in);

	if (strcmp(got, want) != 0)
		fail_msg("json_inert(\"%s\"): got \"%s\", expected \"%s\"", in, got, want);
	free(got);
}

/* JSON as jansson dumps it: C1, DEL and bidi controls escaped, every other character
 * (the ESC jansson escaped already, UTF-8 text, the escapes) as it was. */
static void test_json_inert(void **state)
{
	(void)state;
	expect_inert("[]", "[]");
	expect_inert("{\"t\": \"a\\u001b[2J\"}", "{\"t\": \"a\\u001b[2J\"}");
	expect_inert("\"\xc2\x9b"
		     "2J\xc2\x9d"
		     "0;x\xc2\x85\"",
		     "\"\\u009B2J\\u009D0;x\\u0085\"");
	expect_inert("\"\x7f\xc2\x80\xc2\x9f\xc2\xa0\"", "\"\\u007F\\u0080\\u009F\xc2\xa0\"");
	expect_inert("\"a\xe2\x80\xae"
		     "b\xe2\x81\xa6"
		     "c\xe2\x81\xa9"
		     "d\xe2\x80\xaa\"",
		     "\"a\\u202Eb\\u2066c\\u2069d\\u202A\"");
	expect_inert("\"Zażółć 你好 👩‍💻 שלום \xe2\x80\x8f\"",
		     "\"Zażółć 你好 👩‍💻 שלום \xe2\x80\x8f\"");
}

static void test_countdown(void **state)
{
	static const struct {
		int64_t seconds;
		const char *want;
	} cases[] = {
		{0, "0:00"},	 {102, "1:42"},	    {599, "9:59"},	{600, "10m"},
		{2520, "42m"},	 {3599, "59m"},	    {3600, "1h00m"},	{11100, "3h05m"},
		{86399, "23h59m"}, {86400, "1d00h"}, {187200, "2d04h"}, {-13, "-0:13"},
		{-700, "-11m"},	 {-3600, "-1h00m"}, {INT64_MIN, "-106751991167300d15h"},
	};
	char buf[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		text_countdown(cases[i].seconds, buf, sizeof(buf));
		if (strcmp(buf, cases[i].want) != 0)
			fail_msg("countdown(%lld): got %s, expected %s", (long long)cases[i].seconds, buf,
				 cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sanitize),
	    cmocka_unit_test(test_countdown),
	    cmocka_unit_test(test_json_inert),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
