enum DemoTrail { static func prepare() throws -> String { throw CommandFailure.usage("demo not ready") } }
