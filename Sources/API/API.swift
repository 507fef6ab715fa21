// HTTP API (Hummingbird).
