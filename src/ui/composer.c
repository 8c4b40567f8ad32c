/* composer.c: the inline composer: a multi-line reply or note typed in the bottom part
 * of the screen with readline's keys, saved to the conversation's draft file in drafts/
 * every few seconds and when it closes, so that a crash loses at most the last seconds;
 * the same file $EDITOR gets, with the thread quoted below a scissors line. */
#include "build-config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "loop.h"
#include "text.h"
#include "ui-private.h"
#include "util.h"

#define SAVE_MS	 2000
#define TEXT_MAX (256u * 1024) /* characters */

/* ---- the draft file ---- */

int ui_draft_write(const char *path, const char *text)
{
	char *tmp = xasprintf("%s.tmp", path), *dir = xstrdup(path), *slash;
	size_t len = strlen(text), done = 0;
	ssize_t n;
	int fd, rc = -1, saved;

	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	if (slash && util_mkdir_p(dir, 0700) != 0)
		goto out;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		goto out;
	while (done < len) {
		n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	/* written, on disk, then in place: a crash leaves the old draft or the new one */
	if (done == len && fsync(fd) == 0 && close(fd) == 0) {
		fd = -1;
		rc = rename(tmp, path);
	}
	saved = errno;
	if (fd >= 0)
		(void)close(fd);
	if (rc != 0)
		(void)unlink(tmp);
	errno = saved;
out:
	free(tmp);
	free(dir);
	return rc;
}

/* ---- the text ---- */

static void composer_reserve(struct ui_composer *c, size_t n)
{
	xgrow(&c->buf, &c->cap, n + 1, sizeof(*c->buf));
}

/* Inserts n characters at the cursor. The limit keeps a draft file under what is read
 * back (TEXT_MAX characters of at most 4 bytes): false when the text would pass it. */
static bool composer_insert(struct ui_composer *c, const wchar_t *s, size_t n)
{
	if (c->len + n > TEXT_MAX)
		return false;
	composer_reserve(c, c->len + n);
	wmemmove(c->buf + c->cursor + n, c->buf + c->cursor, c->len - c->cursor);
	wmemcpy(c->buf + c->cursor, s, n);
	c->len += n;
	c->cursor += n;
	return true;
}

/* utf8 as wide characters, made safe as text_sanitize makes customer text, so that the
 * buffer only ever holds what may be drawn as it is (a pasted bidirectional override
 * becomes U+FFFD, a tab a space). Returns a new string, *n its length; NULL when the
 * locale cannot hold it. */
static wchar_t *composer_widen(const char *utf8, size_t *n)
{
	char *safe = text_sanitize(utf8, true);
	size_t len = mbstowcs(NULL, safe, 0);
	wchar_t *w = NULL;

	if (len != (size_t)-1) {
		w = xcalloc(len + 1, sizeof(*w));
		(void)mbstowcs(w, safe, len + 1);
		*n = len;
	}
	free(safe);
	return w;
}

/* Removes [from, to), keeping it for C-y when kill is set. */
static void composer_delete(struct ui_composer *c, size_t from, size_t to, bool kill)
{
	if (from >= to)
		return;
	if (kill) {
		free(c->killed);
		c->killed = xmalloc((to - from + 1) * sizeof(*c->killed));
		wmemcpy(c->killed, c->buf + from, to - from);
		c->killed[to - from] = 0;
	}
	wmemmove(c->buf + from, c->buf + to, c->len - to);
	c->len -= to - from;
	if (c->cursor > to)
		c->cursor -= to - from;
	else if (c->cursor > from)
		c->cursor = from;
}

/* The draft file's text, whatever its length: one written in $EDITOR may pass what
 * can be typed, and must not come back empty (the next save would lose it). */
static void composer_set_text(struct ui_composer *c, const char *utf8)
{
	size_t n = 0;
	wchar_t *w = composer_widen(utf8, &n);

	c->len = c->cursor = 0;
	if (!w)
		return;
	composer_reserve(c, n);
	wmemcpy(c->buf, w, n);
	c->len = c->cursor = n;
	free(w);
}

char *ui_composer_text(const struct ui *u)
{
	const struct ui_composer *c = &u->composer;
	size_t n, i, out = 0;
	char *s;
	mbstate_t st;

	s = xmalloc(c->len * MB_CUR_MAX + 1);
	memset(&st, 0, sizeof(st));
	for (i = 0; i < c->len; i++) {
		n = wcrtomb(s + out, c->buf[i], &st);
		if (n != (size_t)-1)
			out += n;
	}
	s[out] = '\0';
	return s;
}

static size_t line_start(const struct ui_composer *c, size_t at)
{
	while (at > 0 && c->buf[at - 1] != L'\n')
		at--;
	return at;
}

static size_t line_end(const struct ui_composer *c, size_t at)
{
	while (at < c->len && c->buf[at] != L'\n')
		at++;
	return at;
}

/* A mark drawn on the character before it (a combining accent, a zero-width joiner):
 * the cursor never stops between the two. */
static bool composer_joins(wchar_t ch) { return ch != L'\n' && wcwidth(ch) == 0; }

/* The start of the character on screen after at (with its combining marks). */
static size_t composer_next(const struct ui_composer *c, size_t at)
{
	if (at < c->len)
		at++;
	while (at < c->len && composer_joins(c->buf[at]))
		at++;
	return at;
}

/* The start of the character on screen before at. */
static size_t composer_prev(const struct ui_composer *c, size_t at)
{
	while (at > 0 && composer_joins(c->buf[--at]))
		;
	return at;
}

struct composer_row {
	size_t from, to; /* characters of the buffer on this screen row */
};

/* Columns the character ch takes, as the layout and the drawing count them. */
static int composer_width(wchar_t ch)
{
	int w = wcwidth(ch);

	return w < 0 ? 1 : w;
}

/* Splits the text into screen rows of width columns, at word boundaries (a space stays
 * at the end of its row; a word longer than a row breaks where the row ends), by display
 * width; returns how many, and where the cursor is. rows may be NULL to count only. The
 * text itself is unchanged: the wrap is on screen only. */
static size_t composer_layout(const struct ui_composer *c, int width, struct composer_row *rows,
			      size_t max, size_t *cursor_row, int *cursor_col)
{
	size_t n = 0, i, j, from = 0;
	int col = 0, w;

	*cursor_row = 0;
	*cursor_col = 0;
	for (i = 0; i <= c->len; i++) {
		if (i == c->cursor) {
			*cursor_row = n;
			*cursor_col = col;
		}
		if (i == c->len || c->buf[i] == L'\n') {
			if (rows && n < max)
				rows[n] = (struct composer_row){from, i};
			n++;
			from = i + 1;
			col = 0;
			continue;
		}
		w = composer_width(c->buf[i]);
		/* a space past the edge hangs there: the next row starts after it */
		if (col + w > width && c->buf[i] == L' ' && col <= width) {
			col += w;
			continue;
		}
		if (col + w > width) {
			/* back to the last space of the row, unless the row is one word */
			for (j = i; j > from && !iswspace((wint_t)c->buf[j - 1]); j--)
				;
			if (j == from)
				j = i;
			if (rows && n < max)
				rows[n] = (struct composer_row){from, j};
			n++;
			from = j;
			col = 0;
			for (j = from; j < i; j++)
				col += composer_width(c->buf[j]);
			if (c->cursor >= from && c->cursor <= i) {
				*cursor_row = n;
				*cursor_col = 0;
				for (j = from; j < c->cursor; j++)
					*cursor_col += composer_width(c->buf[j]);
			}
		}
		col += w;
	}
	return n;
}

/* Up or down a screen row (as the last draw wrapped the text), at the same column or
 * the row's end. */
static void composer_vertical(struct ui_composer *c, bool down)
{
	size_t n, row, target, i, end;
	int col, at = 0;
	struct composer_row *rows;

	n = composer_layout(c, c->width > 0 ? c->width : 1 << 20, NULL, 0, &row, &col);
	if (down ? row + 1 >= n : row == 0)
		return;
	rows = xcalloc(n + 1, sizeof(*rows));
	n = composer_layout(c, c->width > 0 ? c->width : 1 << 20, rows, n + 1, &row, &col);
	target = down ? row + 1 : row - 1;
	end = rows[target].to;
	/* a row that a space ends: the cursor stops before the space, as at a line's end */
	if (target + 1 < n && end == rows[target + 1].from && end > rows[target].from &&
	    c->buf[end - 1] == L' ')
		end--;
	for (i = rows[target].from; i < end; i = composer_next(c, i)) {
		if (at + composer_width(c->buf[i]) > col)
			break;
		at += composer_width(c->buf[i]);
	}
	c->cursor = i < end ? i : end;
	free(rows);
}

static void composer_kill_word(struct ui_composer *c)
{
	size_t at = c->cursor;

	while (at > 0 && iswspace((wint_t)c->buf[at - 1]))
		at--;
	while (at > 0 && !iswspace((wint_t)c->buf[at - 1]))
		at--;
	composer_delete(c, at, c->cursor, true);
}

/* A typed (or pasted) character, through the same sanitizer as a loaded draft. */
static bool composer_type(struct ui_composer *c, wchar_t ch)
{
	char mb[MB_LEN_MAX + 1];
	mbstate_t st;
	size_t n;
	wchar_t *w;
	bool ok;

	memset(&st, 0, sizeof(st));
	n = wcrtomb(mb, ch, &st);
	if (n == (size_t)-1)
		return true; /* the locale cannot hold it: nothing to insert */
	mb[n] = '\0';
	w = composer_widen(mb, &n);
	ok = !w || composer_insert(c, w, n);
	free(w);
	return ok;
}

enum composer_change {
	COMPOSER_SAME,	  /* the cursor moved, or nothing happened */
	COMPOSER_CHANGED, /* the text changed */
	COMPOSER_FULL,	  /* refused: the text is at its limit */
};

/* The editing keys. */
static enum composer_change composer_edit(struct ui_composer *c, int key)
{
	wchar_t ch;

	switch (key) {
	case UI_KEY_CTRL('a'):
	case KEY_HOME | UI_KEY_FUNCTION:
		c->cursor = line_start(c, c->cursor);
		return COMPOSER_SAME;
	case UI_KEY_CTRL('e'):
	case KEY_END | UI_KEY_FUNCTION:
		c->cursor = line_end(c, c->cursor);
		return COMPOSER_SAME;
	case UI_KEY_CTRL('b'):
	case KEY_LEFT | UI_KEY_FUNCTION:
		c->cursor = composer_prev(c, c->cursor);
		return COMPOSER_SAME;
	case UI_KEY_CTRL('f'):
	case KEY_RIGHT | UI_KEY_FUNCTION:
		c->cursor = composer_next(c, c->cursor);
		return COMPOSER_SAME;
	case UI_KEY_CTRL('p'):
	case KEY_UP | UI_KEY_FUNCTION:
		composer_vertical(c, false);
		return COMPOSER_SAME;
	case UI_KEY_CTRL('n'):
	case KEY_DOWN | UI_KEY_FUNCTION:
		composer_vertical(c, true);
		return COMPOSER_SAME;
	case UI_KEY_CTRL('k'):
		/* at the end of a line, C-k joins the next one */
		composer_delete(c, c->cursor,
				line_end(c, c->cursor) == c->cursor && c->cursor < c->len
				    ? c->cursor + 1
				    : line_end(c, c->cursor),
				true);
		return COMPOSER_CHANGED;
	case UI_KEY_CTRL('u'):
		composer_delete(c, line_start(c, c->cursor), c->cursor, true);
		return COMPOSER_CHANGED;
	case UI_KEY_CTRL('w'):
		composer_kill_word(c);
		return COMPOSER_CHANGED;
	case UI_KEY_CTRL('y'):
		if (c->killed && !composer_insert(c, c->killed, wcslen(c->killed)))
			return COMPOSER_FULL;
		return COMPOSER_CHANGED;
	case 127:
	case 8:
	case KEY_BACKSPACE | UI_KEY_FUNCTION:
		/* one code point: an accent typed last goes first */
		if (c->cursor)
			composer_delete(c, c->cursor - 1, c->cursor, false);
		return COMPOSER_CHANGED;
	case KEY_DC | UI_KEY_FUNCTION:
		composer_delete(c, c->cursor, composer_next(c, c->cursor), false);
		return COMPOSER_CHANGED;
	case '\r':
	case '\n':
	case KEY_ENTER | UI_KEY_FUNCTION:
		ch = L'\n';
		return composer_insert(c, &ch, 1) ? COMPOSER_CHANGED : COMPOSER_FULL;
	default:
		/* a pasted tab comes as C-i: a space, as in a loaded draft */
		if ((key & UI_KEY_FUNCTION) || (key != '\t' && !iswprint((wint_t)key)))
			return COMPOSER_SAME;
		return composer_type(c, (wchar_t)key) ? COMPOSER_CHANGED : COMPOSER_FULL;
	}
}

/* ---- saving ---- */

int ui_composer_save(struct ui *u)
{
	struct ui_composer *c = &u->composer;
	char *text;
	int rc;

	if (c->save_timer) {
		loop_timer_cancel(u->loop, c->save_timer);
		c->save_timer = 0;
	}
	if (!c->open || !c->unsaved || !u->draft.path)
		return 0;
	text = ui_composer_text(u);
	/* an emptied draft is no draft: q must not ask about it */
	if (!text[strspn(text, " \t\n")])
		rc = unlink(u->draft.path) == 0 || errno == ENOENT ? 0 : -1;
	else
		rc = ui_draft_write(u->draft.path, text);
	free(text);
	if (rc != 0) {
		ui_message(u, true, "cannot save the draft %s: %s", u->draft.path, strerror(errno));
		return -1;
	}
	c->unsaved = false;
	return 0;
}

static void on_save_timer(void *arg)
{
	struct ui *u = arg;

	u->composer.save_timer = 0;
	(void)ui_composer_save(u);
}

static void composer_changed(struct ui *u)
{
	u->composer.unsaved = true;
	if (!u->composer.save_timer)
		u->composer.save_timer = loop_timer_add(u->loop, SAVE_MS, on_save_timer, u);
}

/* Inserts utf8 at the cursor as a paragraph of its own: a blank line before it unless it
 * starts the text or follows one, and one after it unless it ends the text. */
bool ui_composer_insert_paragraph(struct ui *u, const char *utf8)
{
	struct ui_composer *c = &u->composer;
	size_t n = 0, at = c->cursor;
	wchar_t *w = composer_widen(utf8, &n);
	bool ok;

	if (!w)
		return false;
	while (n > 0 && (w[n - 1] == L'\n' || w[n - 1] == L' '))
		n--;
	ok = (at == 0 || c->buf[at - 1] == L'\n' || composer_insert(c, L"\n", 1)) &&
	     (c->cursor < 2 || c->buf[c->cursor - 2] == L'\n' || composer_insert(c, L"\n", 1)) &&
	     composer_insert(c, w, n);
	if (ok && c->cursor < c->len && c->buf[c->cursor] != L'\n') {
		ok = composer_insert(c, L"\n\n", 2);
		c->cursor -= ok ? 2 : 0;
	}
	free(w);
	composer_changed(u);
	return ok;
}

/* ---- opening and closing ---- */

void ui_composer_load(struct ui *u)
{
	char *raw = u->draft.path ? ui_file_read(u->draft.path) : NULL;
	char *text = text_draft_clean(raw ? raw : "");
	size_t n = strlen(text);

	/* the newline an editor leaves at the end is not the agent's */
	while (n > 0 && text[n - 1] == '\n')
		text[--n] = '\0';
	composer_set_text(&u->composer, text);
	free(text);
	free(raw);
	u->composer.top = 0;
}

unsigned ui_composer_open(struct ui *u)
{
	struct ui_composer *c = &u->composer;

	if (!c->open)
		ui_composer_load(u);
	c->open = true;
	c->prefix = false;
	u->mode = UI_MODE_COMPOSE;
	return UI_DIRTY_LAYOUT;
}

void ui_composer_close(struct ui *u)
{
	struct ui_composer *c = &u->composer;

	(void)ui_composer_save(u);
	if (c->save_timer)
		loop_timer_cancel(u->loop, c->save_timer);
	free(c->buf);
	free(c->killed);
	memset(c, 0, sizeof(*c));
	u->dirty |= UI_DIRTY_LAYOUT;
}

int ui_composer_rows(const struct ui *u)
{
	int rows;

	if (!u->composer.open)
		return 0;
	rows = u->rows / 3;
	if (rows < 4)
		rows = 4;
	if (rows > 12)
		rows = 12;
	/* the queues or the thread keep at least a few rows */
	if (u->rows - 1 - rows < 4)
		rows = u->rows - 5;
	return rows > 2 ? rows : 0;
}

/* C-d: the review step; C-x C-e (or C-x e): $EDITOR; Esc: later. */
unsigned ui_composer_key(struct ui *u, int key)
{
	struct ui_composer *c = &u->composer;
	char again[32];

	if (key == (KEY_RESIZE | UI_KEY_FUNCTION))
		return UI_DIRTY_LAYOUT;
	if (c->prefix) {
		c->prefix = false;
		if (key == UI_KEY_CTRL('e') || key == 'e') {
			(void)ui_composer_save(u);
			return ui_compose_editor(u);
		}
		return UI_DIRTY_STATUS;
	}
	switch (key) {
	case UI_KEY_CTRL('x'):
		c->prefix = true;
		return UI_DIRTY_STATUS;
	case UI_KEY_CTRL('r'):
		return ui_saved_reply_pick(u);
	case UI_KEY_CTRL('d'):
		if (ui_composer_save(u) != 0)
			return UI_DIRTY_STATUS;
		u->mode = UI_MODE_REVIEW;
		ui_collision_check(u);
		return UI_DIRTY_STATUS | UI_DIRTY_PAGER | UI_DIRTY_ROWS;
	case 27:
	case UI_KEY_CTRL('g'):
		if (ui_composer_save(u) != 0)
			return UI_DIRTY_STATUS;
		if (access(u->draft.path, F_OK) != 0)
			ui_message(u, false, "nothing written: no %s kept",
				   u->draft.kind == WRITE_NOTE ? "note" : "reply");
		else
			ui_message(u, false,
				   "the %s to #%lld is kept in drafts/; %s opens it again",
				   u->draft.kind == WRITE_NOTE ? "note" : "reply",
				   (long long)u->draft.conversation,
				   ui_key_for(u, u->draft.kind == WRITE_NOTE ? "note" : "reply",
					      again, sizeof(again)));
		u->draft.active = false;
		u->mode = UI_MODE_NORMAL;
		ui_composer_close(u);
		return UI_DIRTY_LAYOUT | UI_DIRTY_STATUS;
	default:
		switch (composer_edit(c, key)) {
		case COMPOSER_CHANGED:
			composer_changed(u);
			break;
		case COMPOSER_FULL:
			ui_message(u, true,
				   "the text is at its limit of %u characters: C-x C-e goes on in "
				   "$EDITOR",
				   TEXT_MAX);
			break;
		case COMPOSER_SAME:
			break;
		}
		return UI_DIRTY_STATUS; /* the composer is drawn with the status row */
	}
}

/* ---- drawing ---- */

void ui_composer_draw(struct ui *u)
{
	struct ui_composer *c = &u->composer;
	int height = ui_composer_rows(u), y0, width = u->cols - 1, cursor_col, r;
	size_t n, cursor_row, i;
	struct composer_row *rows;
	char *title;
	wchar_t *w;

	if (!height || width < 1)
		return;
	y0 = u->rows - 1 - height;
	title = xasprintf(" %s to #%lld%s", u->draft.kind == WRITE_NOTE ? "internal note" : "reply",
			  (long long)u->draft.conversation,
			  u->mode == UI_MODE_REVIEW ? "  (review)" : "");
	w = ui_fit(title, u->cols);
	attrset(ui_style_attr(u, u->draft.kind == WRITE_NOTE ? UI_STYLE_NOTE : UI_STYLE_TITLE) |
		A_REVERSE);
	(void)mvaddwstr(y0, 0, w);
	attrset(A_NORMAL);
	free(w);
	free(title);
	c->width = width;
	n = composer_layout(c, width, NULL, 0, &cursor_row, &cursor_col);
	rows = xcalloc(n + 1, sizeof(*rows));
	n = composer_layout(c, width, rows, n + 1, &cursor_row, &cursor_col);
	if (cursor_row < c->top)
		c->top = cursor_row;
	else if (cursor_row >= c->top + (size_t)(height - 1))
		c->top = cursor_row - (size_t)(height - 2);
	for (r = 0; r < height - 1; r++) {
		size_t row = c->top + (size_t)r, len = 0;
		wchar_t *line =
		    xcalloc((size_t)u->cols + (row < n ? rows[row].to - rows[row].from : 0) + 1,
			    sizeof(*line));
		int col = 0;

		if (row < n)
			for (i = rows[row].from; i < rows[row].to; i++) {
				int cw = wcwidth(c->buf[i]);

				/* what curses cannot place takes a column, as in the layout */
				line[len++] = cw < 0 ? L'\ufffd' : c->buf[i];
				col += cw < 0 ? 1 : cw;
			}
		while (col++ < u->cols)
			line[len++] = L' ';
		line[len] = 0;
		(void)move(y0 + 1 + r, 0);
		(void)clrtoeol();
		(void)mvaddwstr(y0 + 1 + r, 0, line);
		free(line);
	}
	free(rows);
	c->cursor_y = y0 + 1 + (int)(cursor_row - c->top);
	c->cursor_x = cursor_col < u->cols ? cursor_col : u->cols - 1;
}

const char *ui_composer_hint(const struct ui *u)
{
	if (u->composer.prefix)
		return "C-x: C-e edit in $EDITOR";
	return "C-d done · C-x C-e $EDITOR · Esc later · Enter new line · C-a C-e C-k C-u C-w "
	       "C-y";
}
