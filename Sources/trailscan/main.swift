// Entry point: parse, run, and map errors to trailscan's exit codes
// (0 everything read, 1 some input failed, 2 usage error).
TrailScanCommand.main()
