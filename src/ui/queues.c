/* queues.c: more queues than panes: [ and ] show the previous or next configured queue
 * in the focused pane (never the one the other pane shows), with its own selection. */
#include "build-config.h"

#include "ui-private.h"

unsigned ui_pane_queue_cycle(struct ui *u, int direction)
{
	int n = (int)u->cfg->n_queues, other = -1, i, q;
	struct ui_pane *p;

	if (u->n_panes == 0)
		return 0;
	p = &u->panes[u->focus];
	if (u->n_panes > 1)
		other = u->panes[1 - u->focus].queue;
	for (i = 1; i < n; i++) {
		q = ((p->queue + direction * i) % n + n) % n;
		if (q == other)
			continue;
		p->queue = q;
		p->selected = p->first = 0;
		p->selected_id = 0;
		p->view_valid = false;
		return UI_DIRTY_LAYOUT | UI_DIRTY_STATUS;
	}
	ui_message(u, false,
		   "no other queue to show: [queue NAME] sections of the configuration add them");
	return UI_DIRTY_STATUS;
}
