"""Domain services. Write operations commit their own transaction (the race handling needs it)."""
