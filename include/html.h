/* html.h: HTML message bodies and help articles turned into plain text for the terminal. */
#ifndef FRONTLINE_HTML_H
#define FRONTLINE_HTML_H

/*
 * Converts an HTML fragment or document (UTF-8) to plain text, parsed by libxml2's
 * forgiving HTML parser, so malformed markup still gives its text.
 *
 * - p, h1-h6, ul, ol, pre, blockquote, table and hr are separated by a blank line;
 *   div, li, tr, dt, dd and the like start a new line; br is a line break.
 * - List items get "- " (ul) or "1. ", "2. " (ol, honouring start=), indented two
 *   spaces per level of nesting (16 at most).
 * - Table cells of one row are joined with " | ".
 * - Entities are decoded; script, style, template and head are dropped; comments too.
 * - A link keeps its text, followed by " (URL)" when the URL differs from the text
 *   (mailto:/tel: links whose address is the text count as equal).
 * - An image becomes "[ALT]", or "[image]" without alt text.
 * - Outside pre, runs of space, tab, CR and LF collapse to one space; lines carry no
 *   leading or trailing spaces; the result has no leading or trailing blank lines.
 * - Other characters, control characters included, are kept byte for byte: making
 *   text safe for a terminal is the caller's job. (libxml2 would drop C0 controls; they
 *   are carried through the parser as private-use code points and put back.)
 *
 * Returns a newly allocated string the caller frees; "" for NULL, empty or
 * markup-only input. Never returns NULL.
 */
char *html_to_text(const char *html);

#endif
