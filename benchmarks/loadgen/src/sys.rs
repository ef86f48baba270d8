//! What the generator reads about processes: its own CPU (getrusage), the server's RSS and CPU
//! from /proc (summed over the server's descendants), and the fd limit it raises.

use std::collections::HashMap;
use std::fs;

/// Raises the soft limit on open files to the hard limit; returns the limit now in force.
pub fn raise_nofile() -> u64 {
    // SAFETY: getrlimit/setrlimit with a valid pointer to a local struct.
    unsafe {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 0;
        }
        if lim.rlim_cur < lim.rlim_max {
            let want = libc::rlimit {
                rlim_cur: lim.rlim_max,
                rlim_max: lim.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &want) == 0 {
                lim.rlim_cur = lim.rlim_max;
            }
        }
        lim.rlim_cur
    }
}

/// This process's CPU time so far: (user, system) seconds, and its peak RSS in KiB.
pub fn self_cpu() -> (f64, f64, u64) {
    // SAFETY: getrusage fills the struct we hand it.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
            return (0.0, 0.0, 0);
        }
        let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
        (
            tv(usage.ru_utime),
            tv(usage.ru_stime),
            usage.ru_maxrss as u64,
        )
    }
}

pub fn self_cpu_total() -> f64 {
    let (user, sys, _) = self_cpu();
    user + sys
}

fn clock_ticks() -> f64 {
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if ticks > 0 {
        ticks as f64
    } else {
        100.0
    }
}

/// (ppid, utime + stime in ticks, cutime + cstime in ticks) from /proc/PID/stat.
fn stat_of(pid: u32) -> Option<(u32, u64, u64)> {
    let text = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces: fields start after the last ')'.
    let rest = &text[text.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // rest[0] is field 3 (state); ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
    let num = |i: usize| fields.get(i - 3).and_then(|s| s.parse::<u64>().ok());
    Some((num(4)? as u32, num(14)? + num(15)?, num(16)? + num(17)?))
}

/// `pid` and every live descendant of it.
pub fn process_tree(pid: u32) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    if let Ok(entries) = fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(child) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            if let Some((ppid, _, _)) = stat_of(child) {
                children.entry(ppid).or_default().push(child);
            }
        }
    }
    let mut out = vec![pid];
    let mut i = 0;
    while i < out.len() {
        if let Some(kids) = children.get(&out[i]) {
            out.extend(kids.iter().copied());
        }
        i += 1;
    }
    out
}

fn vm_rss_kb(pid: u32) -> Option<u64> {
    let text = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    text.lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

/// The server's resident set in KiB, summed over its process tree.
pub fn server_rss_kb(pid: u32) -> Option<u64> {
    let tree = process_tree(pid);
    let root = vm_rss_kb(pid)?;
    Some(root + tree[1..].iter().filter_map(|p| vm_rss_kb(*p)).sum::<u64>())
}

/// The server's CPU seconds so far (user + system), over its tree and its reaped children.
pub fn server_cpu_s(pid: u32) -> Option<f64> {
    let (_, own, reaped) = stat_of(pid)?;
    let mut ticks = own + reaped;
    for p in process_tree(pid).into_iter().skip(1) {
        if let Some((_, t, _)) = stat_of(p) {
            ticks += t;
        }
    }
    Some(ticks as f64 / clock_ticks())
}

/// CPU seconds the whole machine has spent busy (all cores; idle and iowait excluded).
pub fn machine_busy_s() -> Option<f64> {
    let text = fs::read_to_string("/proc/stat").ok()?;
    let line = text.lines().next()?.strip_prefix("cpu ")?;
    let v: Vec<u64> = line
        .split_whitespace()
        .filter_map(|s| s.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    let busy: u64 = v.iter().take(8).sum::<u64>() - v.get(3)? - v.get(4)?;
    Some(busy as f64 / clock_ticks())
}
