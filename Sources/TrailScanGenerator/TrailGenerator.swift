// Synthetic CloudTrail trails.
