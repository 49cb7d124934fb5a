"""County client-transport badges: checking, issuing, renewing, suspending and withdrawing, and the due
lists."""
