/* snooze.c: `s`: a one-key menu of snooze presets (1 hour, 4 hours, tomorrow 9:00, next
 * Monday 9:00) and a custom duration typed like "90m", sent as WRITE_SNOOZE. */
#include "build-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sla.h"
#include "ui-private.h"
#include "util.h"

/* 9:00 local time, days after the day of now. */
static fl_time nine_o_clock(fl_time now, int days)
{
	time_t t = (time_t)now;
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return now + (fl_time)days * 86400;
	tm.tm_mday += days;
	tm.tm_hour = 9;
	tm.tm_min = 0;
	tm.tm_sec = 0;
	tm.tm_isdst = -1; /* mktime works out summer time for that day */
	t = mktime(&tm);
	return t == (time_t)-1 ? now + (fl_time)days * 86400 : (fl_time)t;
}

fl_time ui_snooze_preset(int preset, fl_time now)
{
	time_t t = (time_t)now;
	struct tm tm;
	int to_monday;

	switch (preset) {
	case 0:
		return now + 3600;
	case 1:
		return now + 4 * 3600;
	case 2:
		return nine_o_clock(now, 1);
	default:
		if (!localtime_r(&t, &tm))
			return now + 7 * 86400;
		/* tm_wday: 0 Sunday, 1 Monday; on a Monday, the next one */
		to_monday = (8 - tm.tm_wday) % 7;
		return nine_o_clock(now, to_monday ? to_monday : 7);
	}
}

static unsigned snooze_until(struct ui *u, fl_time until, const char *how)
{
	struct write_op w = {
	    .kind = WRITE_SNOOZE, .conversation = u->snooze_target, .until = until};
	char when[64] = "", *what;
	time_t t = (time_t)until;
	struct tm tm;
	unsigned dirty;

	if (!w.conversation)
		return 0;
	if (localtime_r(&t, &tm))
		strftime(when, sizeof(when), "%a %H:%M", &tm);
	what = xasprintf("%s (until %s)", how, when);
	dirty = ui_write_each(u, &w, "snooze", what);
	free(what);
	return dirty;
}

static void on_custom_entered(struct ui *u, const char *text)
{
	int64_t seconds;
	char *how;

	if (!*text)
		return;
	if (sla_parse_duration(text, &seconds) != 0 || seconds <= 0) {
		ui_message(u, true, "snooze: \"%s\" is not a duration (90m, 2h, 1d, 1h30m)", text);
		return;
	}
	how = xasprintf("for %s", text);
	u->dirty |= snooze_until(u, engine_now(&u->engine) + seconds, how);
	free(how);
}

unsigned ui_snooze_text(struct ui *u, const char *text)
{
	u->snooze_target = ui_current_conversation(u);
	if (!u->snooze_target && !ui_marks_apply(u))
		return 0;
	if (!u->snooze_target)
		u->snooze_target = u->marks[0];
	on_custom_entered(u, text);
	return UI_DIRTY_STATUS | UI_DIRTY_ROWS;
}

static unsigned on_snooze_key(struct ui *u, int key)
{
	static const char *how[] = {"for 1 hour", "for 4 hours", "till tomorrow 9:00",
				    "till Monday 9:00"};

	if (key >= '1' && key <= '4')
		return snooze_until(u, ui_snooze_preset(key - '1', engine_now(&u->engine)),
				    how[key - '1']);
	if (key == '5' || key == 'c') {
		ui_prompt_start(u, "snooze for (90m, 2h, 1d): ", "", on_custom_entered);
		return UI_DIRTY_STATUS;
	}
	return 0;
}

unsigned ui_snooze_menu(struct ui *u)
{
	u->snooze_target = ui_current_conversation(u);
	if (!u->snooze_target)
		return 0;
	if (ui_marks_apply(u))
		ui_choice_start(u, on_snooze_key,
				"snooze %zu marked: 1 1h · 2 4h · 3 tomorrow 9:00 · 4 Monday 9:00 · "
				"5 other",
				u->n_marks);
	else
		ui_choice_start(u, on_snooze_key,
				"snooze #%lld: 1 1h · 2 4h · 3 tomorrow 9:00 · 4 Monday 9:00 · 5 "
				"other",
				(long long)u->snooze_target);
	return UI_DIRTY_STATUS;
}
