// The default --jobs: cgroup CPU quotas and the affinity mask, parsed from
// strings and a fake file system (nothing here reads the host's cgroup).

import Testing
import TrailScanIO

@Suite struct CPUBudgetTests {
    @Test(arguments: [
        ("max 100000", nil), ("max 100000\n", nil), ("200000 100000", 2), ("200000 100000\n", 2),
        ("100000 100000", 1), ("150000 100000", 2), ("50000 100000", 1), ("1 100000", 1),
        ("400000 50000", 8), ("", nil), ("200000", nil), ("0 100000", nil), ("-1 100000", nil),
        ("200000 0", nil), ("abc 100000", nil), ("200000 100000 7", nil),
    ] as [(String, Int?)])
    func cpuMaxIsTheQuotaOverThePeriodRoundedUp(text: String, cpus: Int?) {
        #expect(CPUBudget.cpusFromCPUMax(text) == cpus, "\(text.debugDescription)")
    }

    @Test func cfsQuotaOfVersion1() {
        #expect(CPUBudget.cpusFromCFS(quota: "-1\n", period: "100000\n") == nil)
        #expect(CPUBudget.cpusFromCFS(quota: "250000\n", period: "100000\n") == 3)
        #expect(CPUBudget.cpusFromCFS(quota: "x", period: "100000") == nil)
    }

    @Test func combineTakesTheSmallestLimit() {
        #expect(CPUBudget.combine(online: 64, affinity: nil, quota: nil) == 64)
        #expect(CPUBudget.combine(online: 64, affinity: nil, quota: 2) == 2)
        #expect(CPUBudget.combine(online: 64, affinity: 4, quota: 8) == 4)
        // A quota above the online CPUs is capped by them.
        #expect(CPUBudget.combine(online: 2, affinity: 2, quota: 16) == 2)
        #expect(CPUBudget.combine(online: 0, affinity: 0, quota: 0) == 1)
    }

    @Test func cgroupPathsOfBothHierarchies() {
        let v2 = CPUBudget.cgroupPaths("0::/kubepods.slice/pod1/cri-abc.scope\n")
        #expect(v2.unified == "/kubepods.slice/pod1/cri-abc.scope" && v2.cpu == nil)
        let v1 = CPUBudget.cgroupPaths("12:memory:/docker/x\n4:cpu,cpuacct:/docker/x\n1:name=systemd:/docker/x\n")
        #expect(v1.unified == nil && v1.cpu == "/docker/x")
        let hybrid = CPUBudget.cgroupPaths("3:cpuacct,cpu:/a\n0::/b\n")
        #expect(hybrid.unified == "/b" && hybrid.cpu == "/a")
        #expect(CPUBudget.cgroupPaths("garbage\n").unified == nil)
    }

    @Test func foldersWalkUpToTheMountRoot() {
        #expect(CPUBudget.folders(root: "/sys/fs/cgroup", path: "/") == ["/sys/fs/cgroup"])
        #expect(CPUBudget.folders(root: "/sys/fs/cgroup", path: "/a/b")
            == ["/sys/fs/cgroup/a/b", "/sys/fs/cgroup/a", "/sys/fs/cgroup"])
        #expect(CPUBudget.folders(root: "/r", path: "/../etc") == ["/r"])
    }

    /// A fake file system for quotaCPUs.
    static func reader(_ files: [String: String]) -> (String) -> String? { { files[$0] } }

    @Test func aContainerWithItsOwnCgroupNamespace() {
        // The process sees its cgroup as the root of the mount.
        let files = ["/proc/self/cgroup": "0::/\n", "/sys/fs/cgroup/cpu.max": "200000 100000\n"]
        #expect(CPUBudget.quotaCPUs(read: Self.reader(files)) == 2)
        let unlimited = ["/proc/self/cgroup": "0::/\n", "/sys/fs/cgroup/cpu.max": "max 100000\n"]
        #expect(CPUBudget.quotaCPUs(read: Self.reader(unlimited)) == nil)
    }

    @Test func theSmallestQuotaAlongThePathBinds() {
        let files = [
            "/proc/self/cgroup": "0::/kubepods/pod1/c1\n",
            "/sys/fs/cgroup/kubepods/pod1/c1/cpu.max": "max 100000\n",
            "/sys/fs/cgroup/kubepods/pod1/cpu.max": "150000 100000\n",
            "/sys/fs/cgroup/kubepods/cpu.max": "800000 100000\n",
        ]
        #expect(CPUBudget.quotaCPUs(read: Self.reader(files)) == 2)
    }

    @Test func aHostPathThatIsNotMountedFallsBackToTheMountRoot() {
        // Host cgroup namespace: /proc/self/cgroup names a path the
        // container's /sys/fs/cgroup does not have.
        let files = ["/proc/self/cgroup": "0::/docker/abc\n", "/sys/fs/cgroup/cpu.max": "300000 100000"]
        #expect(CPUBudget.quotaCPUs(read: Self.reader(files)) == 3)
    }

    @Test func version1WhenThereIsNoUnifiedQuota() {
        let files = [
            "/proc/self/cgroup": "4:cpu,cpuacct:/docker/abc\n",
            "/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "-1\n", "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000\n",
            "/sys/fs/cgroup/cpu/docker/abc/cpu.cfs_quota_us": "100000\n",
            "/sys/fs/cgroup/cpu/docker/abc/cpu.cfs_period_us": "100000\n",
        ]
        #expect(CPUBudget.quotaCPUs(read: Self.reader(files)) == 1)
        #expect(CPUBudget.quotaCPUs(read: Self.reader([:])) == nil)
    }
}
