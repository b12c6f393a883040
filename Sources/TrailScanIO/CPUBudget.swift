// How many worker threads fit the CPUs this process may actually use: the
// online CPUs, narrowed by the affinity mask (taskset, cpusets) and by a
// cgroup CPU quota (a container's or a Kubernetes pod's CPU limit), which
// leaves the host's cores visible but lets the process run only
// quota/period CPUs' worth of time. More threads than that only queue.
//
// The parsing is pure (strings in, numbers out) and tested on strings; only
// `available` reads the machine.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

package enum CPUBudget {
    /// The default worker count: online CPUs, capped by the affinity mask
    /// and by every cgroup CPU quota above this process; at least 1.
    package static var available: Int {
        combine(online: onlineCPUs(), affinity: affinityCPUs(), quota: quotaCPUs(read: readSmallFile))
    }

    /// min(online, affinity, quota), at least 1; nil means "no limit".
    package static func combine(online: Int, affinity: Int?, quota: Int?) -> Int {
        var count = max(1, online)
        if let affinity, affinity > 0 { count = min(count, affinity) }
        if let quota, quota > 0 { count = min(count, quota) }
        return count
    }

    // MARK: - cgroup quotas

    /// CPUs a cgroup v2 `cpu.max` allows: "QUOTA PERIOD" gives
    /// ceil(QUOTA / PERIOD) (a limit of 1.5 CPUs keeps 2 threads busy part
    /// time); "max ..." (no limit) and anything malformed give nil.
    package static func cpusFromCPUMax(_ text: String) -> Int? {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
        guard fields.count == 2, fields[0] != "max" else { return nil }
        return cpus(quota: fields[0], period: fields[1])
    }

    /// CPUs a cgroup v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us` pair allows;
    /// a quota of -1 (no limit) or malformed text gives nil.
    package static func cpusFromCFS(quota: String, period: String) -> Int? {
        cpus(quota: Substring(quota.trimmingWhitespace), period: Substring(period.trimmingWhitespace))
    }

    private static func cpus(quota: Substring, period: Substring) -> Int? {
        guard let quota = Int(quota), let period = Int(period), quota > 0, period > 0 else { return nil }
        return (quota + period - 1) / period
    }

    /// The cgroup paths of this process in /proc/self/cgroup's text: the
    /// unified (v2) hierarchy's ("0::/PATH") and the v1 cpu controller's
    /// ("N:cpu,cpuacct:/PATH" or "N:cpuacct,cpu:/PATH"), when present.
    package static func cgroupPaths(_ procSelfCgroup: String) -> (unified: String?, cpu: String?) {
        var unified: String?
        var cpu: String?
        for line in procSelfCgroup.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[2].hasPrefix("/") else { continue }
            if parts[0] == "0" && parts[1].isEmpty {
                unified = String(parts[2])
            } else if parts[1].split(separator: ",").contains("cpu") {
                cpu = String(parts[2])
            }
        }
        return (unified, cpu)
    }

    /// The folder `path` and each of its parents up to `root` (inclusive):
    /// "/sys/fs/cgroup" + "/a/b" gives .../a/b, .../a, and the root itself.
    /// Limits nest, so the smallest along the way is the one that binds.
    package static func folders(root: String, path: String) -> [String] {
        var components = path.split(separator: "/").filter { $0 != "." && !$0.isEmpty }
        guard !components.contains("..") else { return [root] }
        var result: [String] = []
        while true {
            result.append(([root] + components.map(String.init)).joined(separator: "/"))
            if components.isEmpty { return result }
            components.removeLast()
        }
    }

    /// The smallest CPU quota along this process's cgroup path (v2
    /// `cpu.max`, else v1 `cpu.cfs_quota_us`), reading files with `read`
    /// (path → contents, nil when unreadable); nil when none is set.
    ///
    /// In a container the process's cgroup is often the root of the
    /// mounted hierarchy (cgroup namespace), or not mounted at all: the
    /// folders that do not exist read as nil, and the mount root's own
    /// files count.
    package static func quotaCPUs(read: (String) -> String?) -> Int? {
        let paths = cgroupPaths(read("/proc/self/cgroup") ?? "")
        var limits: [Int] = []
        for folder in folders(root: "/sys/fs/cgroup", path: paths.unified ?? "/") {
            if let text = read(folder + "/cpu.max"), let cpus = cpusFromCPUMax(text) { limits.append(cpus) }
        }
        if limits.isEmpty {
            for folder in folders(root: "/sys/fs/cgroup/cpu", path: paths.cpu ?? "/") {
                if let quota = read(folder + "/cpu.cfs_quota_us"), let period = read(folder + "/cpu.cfs_period_us"),
                    let cpus = cpusFromCFS(quota: quota, period: period)
                {
                    limits.append(cpus)
                }
            }
        }
        return limits.min()
    }

    // MARK: - The machine

    static func onlineCPUs() -> Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// CPUs in this thread's affinity mask (sched_getaffinity), nil when it
    /// cannot be read. sched_getaffinity is a GNU extension the Glibc module
    /// does not import, so it is looked up by name.
    static func affinityCPUs() -> Int? {
        #if os(Linux)
        typealias GetAffinity = @convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "sched_getaffinity") else { return nil }
        let getAffinity = unsafeBitCast(symbol, to: GetAffinity.self)
        // 8192 CPUs' worth of mask (glibc's cpu_set_t holds 1024): the
        // kernel refuses a mask shorter than its own (EINVAL).
        var mask = [UInt64](repeating: 0, count: 128)
        let result = mask.withUnsafeMutableBytes { getAffinity(0, $0.count, $0.baseAddress!) }
        guard result >= 0 else { return nil }
        let count = mask.reduce(0) { $0 + $1.nonzeroBitCount }
        return count > 0 ? count : nil
        #else
        return nil
        #endif
    }

    /// The contents of a small file (up to 4 KiB: cgroup files are a line),
    /// or nil when it cannot be opened or read.
    static func readSmallFile(_ path: String) -> String? {
        guard case .success(let fd) = Syscall.open(path, O_RDONLY) else { return nil }
        defer { Syscall.close(fd) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        var filled = 0
        while filled < bytes.count {
            let result = bytes.withUnsafeMutableBytes {
                Syscall.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...]))
            }
            guard case .success(let count) = result else { return nil }
            if count == 0 { break }
            filled += count
        }
        return String(decoding: bytes[..<filled], as: UTF8.self)
    }
}

extension String {
    fileprivate var trimmingWhitespace: Substring {
        var text = Substring(self)
        while let last = text.last, last == "\n" || last == " " || last == "\t" { text.removeLast() }
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        return text
    }
}
