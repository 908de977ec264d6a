"""Every current status update of the items in view: the item history and the notes feed.

Why: a figure is trusted when its source can be read. The items explorer shows an
item's full history with notes; "what changed" lists the notes written between
two dates. Called by the items page, `compare.compare_dates` and exports.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics.context import ViewContext
from analytics.metrics.queries import filter_params, run
from analytics.store import Store

HISTORY_COLUMNS = ["item_id", "title", "domain", "as_of", "percent_complete", "status", "note",
                   "reported_by", "party", "upload_id"]


def update_history(store: Store, ctx: ViewContext, item_id: str | None = None, *,
                   since: date | None = None) -> pd.DataFrame:
    """Current updates with since < as_of <= ctx.as_of (newest first), one item or all."""
    params = {"as_of": ctx.as_of, "since": since, "item_id": item_id, **filter_params(ctx)}
    return run(store, "update_history", params)[HISTORY_COLUMNS]
