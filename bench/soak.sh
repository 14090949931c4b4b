#!/usr/bin/env bash
# bench/soak.sh [minutes] [workers] — the mixed load of bench/faults.sh (checkouts on a hot product, catalogue reads,
# tickets and replies, chats) through the balancer of a running ./scripts/cluster.sh for MINUTES (default 30), with no
# fault: a per-minute table of requests, errors, p99 latency, each node's RSS and PostgreSQL's connections, then the
# verdict lines (error rate, p99 of the first 5 minutes against the last 5, RSS slope per 10 minutes, max connections)
# and the same checks as every fault case.
exec "$(dirname "$0")/faults.sh" --cases soak --minutes "${1:-30}" --workers "${2:-4}"
