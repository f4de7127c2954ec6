"""HTTP API: one router per area, all under /v1."""
