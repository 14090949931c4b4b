-- The agents' queue (/Admin/Tickets) and its counts read the tickets that are still somebody's work: on a year of
-- data a few hundred of 100,000. Without an index that holds just them, the planner scanned the whole table on
-- every visit to the queue (bench/pages-year.sh, docs/benchmarks.md). ListTicketQueue writes the same statuses
-- into its SQL so that the planner can see this index fits.

CREATE INDEX ix_tickets_active ON tickets (status) WHERE status IN ('New', 'Open', 'WaitingOnBuyer', 'WaitingOnSupplier');
