// Worker pool and callback delivery.
