/* html.c: HTML to plain text with libxml2's HTML parser (message bodies, help articles). */
#include "build-config.h"

#include "html.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "util.h"

/*
 * libxml2 drops C0 control characters (invalid in XML), but the text must come out byte
 * for byte. So before parsing, each control byte c becomes the code point
 * U+100000 + group * 64 + c (plane 16, private use), in a group of 64 code points the
 * input does not mention, neither literally nor as a character reference; afterwards
 * those code points become c again. The UTF-8 of such a code point is
 * F4, 80|group>>6, 80|group&63, 80|c.
 */
#define HIDE_GROUPS 1024

static bool is_hidden_control(unsigned char c)
{
	return c > 0 && c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

static void mark_code_point(unsigned char *used, unsigned long cp)
{
	unsigned group;

	if (cp < 0x100000 || cp > 0x10ffff)
		return;
	group = (cp >> 6) & (HIDE_GROUPS - 1);
	used[group / 8] |= 1u << (group % 8);
}

/* Marks the group a "&#NNN" or "&#xHHH" reference at s points into, if any. The
 * semicolon is optional, as it is for libxml2. */
static void mark_reference(unsigned char *used, const char *s)
{
	unsigned long cp = 0;
	int base = 10;
	size_t digits = 0;

	s += 2;
	if (*s == 'x' || *s == 'X') {
		base = 16;
		s++;
	}
	for (;; s++, digits++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		if (cp > 0x10ffff)
			continue; /* too big already: keep scanning the digits, mark nothing */
		cp = cp * base + (unsigned long)d;
	}
	if (digits)
		mark_code_point(used, cp);
}

/* Returns the group to hide controls in, or -1 when the input leaves none free. */
static int hide_group_pick(const char *html, size_t len)
{
	unsigned char used[HIDE_GROUPS / 8] = {0};
	const unsigned char *s = (const unsigned char *)html;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == 0xf4 && i + 2 < len) {
			unsigned group = ((s[i + 1] & 0x0fu) << 6) | (s[i + 2] & 0x3fu);

			used[group / 8] |= 1u << (group % 8);
		} else if (s[i] == '&' && i + 1 < len && s[i + 1] == '#') {
			mark_reference(used, html + i);
		}
	}
	for (int g = 0; g < HIDE_GROUPS; g++)
		if (!(used[g / 8] & (1u << (g % 8))))
			return g;
	return -1;
}

/* Returns a copy of html with its controls hidden in group, or NULL when it has none. */
static char *controls_hide(const char *html, size_t len, int group, size_t *out_len)
{
	size_t n = 0;
	char *copy, *w;

	for (size_t i = 0; i < len; i++)
		n += is_hidden_control((unsigned char)html[i]);
	if (n == 0)
		return NULL;
	copy = xmalloc(len + 3 * n + 1);
	w = copy;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)html[i];

		if (!is_hidden_control(c)) {
			*w++ = (char)c;
			continue;
		}
		*w++ = (char)0xf4;
		*w++ = (char)(0x80 | (group >> 6));
		*w++ = (char)(0x80 | (group & 0x3f));
		*w++ = (char)(0x80 | c);
	}
	*w = '\0';
	*out_len = (size_t)(w - copy);
	return copy;
}

static void controls_restore(char *text, int group)
{
	const unsigned char b1 = (unsigned char)(0x80 | (group >> 6));
	const unsigned char b2 = (unsigned char)(0x80 | (group & 0x3f));
	unsigned char *r = (unsigned char *)text, *w = r;

	while (*r) {
		if (r[0] == 0xf4 && r[1] == b1 && r[2] == b2 && r[3] > 0x80 && r[3] < 0xa0) {
			*w++ = r[3] & 0x3f;
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

/* The text being written, with the separators owed to it: block boundaries and
 * collapsed white space are only written once the next visible text arrives, so none
 * pile up at the ends or between empty blocks. */
struct text_out {
	char *buf;
	size_t len;
	size_t cap;
	int breaks_owed; /* newlines the next text must follow: 1 new line, 2 blank line */
	bool space_owed;
	int pre_depth;
};

static void out_append(struct text_out *out, const char *s, size_t n)
{
	xgrow(&out->buf, &out->cap, out->len + n + 1, 1);
	memcpy(out->buf + out->len, s, n);
	out->len += n;
	out->buf[out->len] = '\0';
}

static char out_last(const struct text_out *out)
{
	return out->len ? out->buf[out->len - 1] : '\n';
}

static void out_trim_spaces(struct text_out *out)
{
	while (out->len && out->buf[out->len - 1] == ' ')
		out->len--;
	if (out->buf)
		out->buf[out->len] = '\0';
}

/* Writes the separators owed, now that text follows. */
static void out_settle(struct text_out *out)
{
	if (out->len == 0) {
		out->breaks_owed = 0;
		out->space_owed = false;
		return;
	}
	if (out->breaks_owed) {
		int have = 0;

		out_trim_spaces(out);
		for (size_t i = out->len; i > 0 && out->buf[i - 1] == '\n' && have < 2; i--)
			have++;
		for (; have < out->breaks_owed; have++)
			out_append(out, "\n", 1);
	} else if (out->space_owed && out_last(out) != ' ' && out_last(out) != '\n') {
		out_append(out, " ", 1);
	}
	out->breaks_owed = 0;
	out->space_owed = false;
}

static bool is_html_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Writes text as HTML renders it: outside pre, white space runs become one space. */
static void out_text(struct text_out *out, const char *s)
{
	if (out->pre_depth) {
		if (*s) {
			out_settle(out);
			out_append(out, s, strlen(s));
		}
		return;
	}
	while (*s) {
		size_t run;

		if (is_html_space(*s)) {
			out->space_owed = true;
			s++;
			continue;
		}
		for (run = 0; s[run] && !is_html_space(s[run]); run++)
			;
		out_settle(out);
		out_append(out, s, run);
		s += run;
	}
}

static void out_block(struct text_out *out, int breaks)
{
	if (out->breaks_owed < breaks)
		out->breaks_owed = breaks;
}

static void out_line_break(struct text_out *out)
{
	if (out->len == 0)
		return;
	out->space_owed = false;
	out_settle(out);
	out_trim_spaces(out);
	out_append(out, "\n", 1);
}

enum element_kind {
	ELEMENT_INLINE,
	ELEMENT_LINE,	   /* starts and ends a line */
	ELEMENT_PARAGRAPH, /* a blank line before and after */
	ELEMENT_DROP,	   /* neither it nor its content is shown */
	ELEMENT_BR,
	ELEMENT_LIST,
	ELEMENT_ITEM,
	ELEMENT_CELL,
	ELEMENT_LINK,
	ELEMENT_IMAGE,
	ELEMENT_PRE,
};

static const struct {
	const char *name;
	enum element_kind kind;
} elements[] = {
	{"p", ELEMENT_PARAGRAPH}, {"h1", ELEMENT_PARAGRAPH}, {"h2", ELEMENT_PARAGRAPH},
	{"h3", ELEMENT_PARAGRAPH}, {"h4", ELEMENT_PARAGRAPH}, {"h5", ELEMENT_PARAGRAPH},
	{"h6", ELEMENT_PARAGRAPH}, {"blockquote", ELEMENT_PARAGRAPH}, {"dl", ELEMENT_PARAGRAPH},
	{"hr", ELEMENT_PARAGRAPH}, {"table", ELEMENT_PARAGRAPH}, {"div", ELEMENT_LINE},
	{"tr", ELEMENT_LINE}, {"dt", ELEMENT_LINE}, {"dd", ELEMENT_LINE}, {"address", ELEMENT_LINE},
	{"article", ELEMENT_LINE}, {"aside", ELEMENT_LINE}, {"caption", ELEMENT_LINE},
	{"details", ELEMENT_LINE}, {"summary", ELEMENT_LINE}, {"figure", ELEMENT_LINE},
	{"figcaption", ELEMENT_LINE}, {"header", ELEMENT_LINE}, {"footer", ELEMENT_LINE},
	{"main", ELEMENT_LINE}, {"nav", ELEMENT_LINE}, {"section", ELEMENT_LINE},
	{"form", ELEMENT_LINE}, {"ul", ELEMENT_LIST}, {"ol", ELEMENT_LIST}, {"menu", ELEMENT_LIST},
	{"li", ELEMENT_ITEM}, {"td", ELEMENT_CELL}, {"th", ELEMENT_CELL}, {"br", ELEMENT_BR},
	{"a", ELEMENT_LINK}, {"img", ELEMENT_IMAGE}, {"pre", ELEMENT_PRE}, {"script", ELEMENT_DROP},
	{"style", ELEMENT_DROP}, {"template", ELEMENT_DROP}, {"head", ELEMENT_DROP},
	{"title", ELEMENT_DROP},
};

static enum element_kind element_kind_of(const xmlNode *n)
{
	for (size_t i = 0; i < sizeof(elements) / sizeof(elements[0]); i++)
		if (strcasecmp((const char *)n->name, elements[i].name) == 0)
			return elements[i].kind;
	return ELEMENT_INLINE;
}

static bool is_list(const xmlNode *n)
{
	return n->type == XML_ELEMENT_NODE && element_kind_of(n) == ELEMENT_LIST;
}

static const xmlNode *list_ancestor(const xmlNode *n, int *depth)
{
	const xmlNode *nearest = NULL;

	*depth = 0;
	for (n = n->parent; n; n = n->parent) {
		if (!is_list(n))
			continue;
		if (!nearest)
			nearest = n;
		++*depth;
	}
	return nearest;
}

static char *attribute_get(const xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *copy;

	if (!v)
		return NULL;
	copy = xstrdup((const char *)v);
	xmlFree(v);
	return copy;
}

/* The next number of an ordered list lives in the ol node's _private (libxml2 leaves
 * that field to the application), so nesting needs no stack of our own. */
static void list_enter(struct text_out *out, xmlNode *n)
{
	int depth;
	long long start = 1;
	char *attr;

	list_ancestor(n, &depth);
	out_block(out, depth ? 1 : 2);
	if (strcasecmp((const char *)n->name, "ol") != 0)
		return;
	attr = attribute_get(n, "start");
	if (!attr || util_parse_ll(attr, -1000000, 1000000, &start) < 0)
		start = 1;
	free(attr);
	n->_private = (void *)(intptr_t)start;
}

#define INDENT_MAX 16

static void item_enter(struct text_out *out, xmlNode *n)
{
	int depth;
	xmlNode *list = (xmlNode *)list_ancestor(n, &depth);
	int indent = depth > 1 ? 2 * (depth - 1) : 0;
	char *marker;

	/* Hostile nesting must not push the text off a terminal's width. */
	if (indent > INDENT_MAX)
		indent = INDENT_MAX;
	out_block(out, 1);
	out->space_owed = false;
	out_settle(out);
	if (list && strcasecmp((const char *)list->name, "ol") == 0) {
		intptr_t number = (intptr_t)list->_private;

		list->_private = (void *)(number + 1);
		marker = xasprintf("%*s%ld. ", indent, "", (long)number);
	} else {
		marker = xasprintf("%*s- ", indent, "");
	}
	out_append(out, marker, strlen(marker));
	free(marker);
}

static void cell_enter(struct text_out *out)
{
	if (out->breaks_owed || out_last(out) == '\n')
		return;
	out->space_owed = true;
	out_text(out, "| ");
}

static void image_enter(struct text_out *out, const xmlNode *n)
{
	char *alt = attribute_get(n, "alt");
	char *label;

	label = xasprintf("[%s]", alt && *alt ? alt : "image");
	out_text(out, label);
	free(label);
	free(alt);
}

static bool link_text_is_url(const char *text, size_t len, const char *url)
{
	static const char *const schemes[] = {"", "mailto:", "tel:"};

	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		size_t skip = strlen(schemes[i]);

		if (strncasecmp(url, schemes[i], skip) == 0 && strlen(url + skip) == len &&
		    memcmp(url + skip, text, len) == 0)
			return true;
	}
	return false;
}

/* The link's text starts where the output was when the a element was entered (kept in
 * its _private); the URL follows it unless it says nothing new. */
static void link_leave(struct text_out *out, xmlNode *n)
{
	size_t start = (size_t)(uintptr_t)n->_private - 1;
	char *href = attribute_get(n, "href");
	const char *text;
	size_t len;

	if (start > out->len)
		start = out->len;
	text = out->buf ? out->buf + start : "";
	len = out->len - start;
	while (len && is_html_space(*text)) {
		text++;
		len--;
	}
	while (len && is_html_space(text[len - 1]))
		len--;
	if (href && *href && *href != '#' && strncasecmp(href, "javascript:", 11) != 0 &&
	    !link_text_is_url(text, len, href)) {
		char *suffix = len ? xasprintf(" (%s)", href) : xstrdup(href);

		out_text(out, suffix);
		free(suffix);
	}
	free(href);
}

/* Returns whether the walk goes into n's children. */
static bool node_enter(struct text_out *out, xmlNode *n)
{
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content)
			out_text(out, (const char *)n->content);
		return false;
	}
	if (n->type != XML_ELEMENT_NODE || !n->name)
		return false;
	switch (element_kind_of(n)) {
	case ELEMENT_DROP:
		return false;
	case ELEMENT_BR:
		out_line_break(out);
		return false;
	case ELEMENT_IMAGE:
		image_enter(out, n);
		return false;
	case ELEMENT_LINE:
		out_block(out, 1);
		break;
	case ELEMENT_PARAGRAPH:
		out_block(out, 2);
		break;
	case ELEMENT_PRE:
		out_block(out, 2);
		out->pre_depth++;
		break;
	case ELEMENT_LIST:
		list_enter(out, n);
		break;
	case ELEMENT_ITEM:
		item_enter(out, n);
		break;
	case ELEMENT_CELL:
		cell_enter(out);
		break;
	case ELEMENT_LINK:
		n->_private = (void *)(uintptr_t)(out->len + 1);
		break;
	case ELEMENT_INLINE:
		break;
	}
	return true;
}

static void node_leave(struct text_out *out, xmlNode *n)
{
	switch (element_kind_of(n)) {
	case ELEMENT_LINE:
	case ELEMENT_ITEM:
		out_block(out, 1);
		break;
	case ELEMENT_PARAGRAPH:
		out_block(out, 2);
		break;
	case ELEMENT_PRE:
		out->pre_depth--;
		out_block(out, 2);
		break;
	case ELEMENT_LIST: {
		int depth;

		list_ancestor(n, &depth);
		out_block(out, depth ? 1 : 2);
		break;
	}
	case ELEMENT_LINK:
		link_leave(out, n);
		break;
	default:
		break;
	}
}

/* Depth-first without recursion: hostile input may nest elements very deeply. */
static void tree_walk(struct text_out *out, xmlDoc *doc)
{
	xmlNode *stop = (xmlNode *)doc;
	xmlNode *n = doc->children;

	while (n) {
		if (node_enter(out, n)) {
			if (n->children) {
				n = n->children;
				continue;
			}
			node_leave(out, n);
		}
		while (!n->next) {
			n = n->parent;
			if (!n || n == stop)
				return;
			node_leave(out, n);
		}
		n = n->next;
	}
}

char *html_to_text(const char *html)
{
	struct text_out out = {0};
	size_t len = html ? strlen(html) : 0;
	char *hidden = NULL;
	int group = -1;
	htmlDocPtr doc;

	if (len == 0 || len > INT_MAX)
		return xstrdup("");
	group = hide_group_pick(html, len);
	if (group >= 0)
		hidden = controls_hide(html, len, group, &len);
	if (len > INT_MAX) {
		free(hidden);
		return xstrdup("");
	}
	doc = htmlReadMemory(hidden ? hidden : html, (int)len, NULL, "UTF-8",
			     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
				     HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC);
	if (doc) {
		tree_walk(&out, doc);
		xmlFreeDoc(doc);
	}
	while (out.len && (is_html_space(out.buf[out.len - 1])))
		out.len--;
	if (!out.buf)
		out.buf = xstrdup("");
	out.buf[out.len] = '\0';
	if (hidden)
		controls_restore(out.buf, group);
	free(hidden);
	return out.buf;
}
