/* ui.h: the agent's screen: both queues live with their countdowns, the conversation
 * view, replies and notes through $EDITOR, tags and the help center, on ncursesw. */
#ifndef FRONTLINE_UI_H
#define FRONTLINE_UI_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"

/* Runs the screen until the agent quits (q, SIGINT or SIGTERM), with cfg and the token
 * already loaded. Needs a terminal on standard input and output. Returns an exit code:
 * 0, 1 when the screen could not be set up, 2 without a terminal. *exit_now is set when
 * desktop notifications ran: their threads live on, so once its own clean-up is done
 * the caller should end the process with _exit rather than let exit handlers wait. */
int ui_run(const struct config *cfg, const char *token, bool *exit_now);

/* Checks [keys] against the table of actions: -1, said on err with the file and line,
 * when it names no action (and which names are near), gives one key to two actions that
 * act in the same view, or takes an action's last key from it without being told so
 * (name = none). */
int ui_keys_check(const struct config *cfg, FILE *err);

/* The table of actions with their default keys, one a line (name, keys, where, what); as
 * man: the entries of frontline(1)'s list of actions. */
void ui_keys_write(FILE *out, bool man);

#endif
