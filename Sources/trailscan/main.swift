print("trailscan")
