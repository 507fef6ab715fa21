print("tunesmith")
