//! wrk, the load generator (Debian package `wrk`): requests per second and the 99th percentile.

use std::process::Command;

/// Requests per second and p99 in ms from wrk, after a warm-up.
pub fn wrk(url: &str, header: &str, connections: usize, seconds: u64) -> (f64, f64) {
    let run = |d: u64| {
        let out = Command::new("wrk")
            .args(["-t2", &format!("-c{connections}"), &format!("-d{d}s"), "--latency", "-H", header, url])
            .output()
            .expect("wrk (apt-get install wrk)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    run(2);
    let out = run(seconds);
    assert!(!out.contains("Non-2xx"), "{url}: non-2xx answers\n{out}");
    let rps = out
        .lines()
        .find(|l| l.starts_with("Requests/sec"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    let p99 = out
        .lines()
        .find(|l| l.trim_start().starts_with("99%"))
        .and_then(|l| l.split_whitespace().nth(1))
        .map(|v| {
            let unit = if v.ends_with("us") {
                0.001
            } else if v.ends_with("ms") {
                1.0
            } else {
                1000.0
            };
            v.trim_end_matches(char::is_alphabetic).parse::<f64>().unwrap_or(0.0) * unit
        })
        .unwrap_or(0.0);
    (rps, p99)
}
