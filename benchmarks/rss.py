"""Resident memory of the running process; shared by the benchmark and its start probes."""


def rss_mb() -> float:
    """VmRSS of this process, in MiB (NaN where /proc does not say)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")
