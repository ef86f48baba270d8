//! Latency samples and their summary.

use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Latency samples in microseconds.
#[derive(Default, Debug)]
pub struct Samples(pub Vec<u32>);

impl Samples {
    pub fn push_us(&mut self, us: u128) {
        self.0.push(us.min(u32::MAX as u128) as u32);
    }

    pub fn extend(&mut self, other: Samples) {
        self.0.extend(other.0);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// count, mean, p50, p90, p99, p99.9 and max, in milliseconds (nearest rank).
    pub fn summary(mut self) -> Value {
        if self.0.is_empty() {
            return json!({"count": 0});
        }
        self.0.sort_unstable();
        let n = self.0.len();
        let at = |q: f64| {
            let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
            ms(self.0[rank - 1])
        };
        let mean = self.0.iter().map(|&v| v as f64).sum::<f64>() / n as f64 / 1000.0;
        json!({
            "count": n,
            "mean_ms": round3(mean),
            "p50_ms": at(0.50),
            "p90_ms": at(0.90),
            "p99_ms": at(0.99),
            "p999_ms": at(0.999),
            "max_ms": ms(self.0[n - 1]),
        })
    }
}

fn ms(us: u32) -> f64 {
    round3(us as f64 / 1000.0)
}

pub fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// Failures counted by kind.
#[derive(Default, Debug)]
pub struct Counts(pub BTreeMap<String, u64>);

impl Counts {
    pub fn add(&mut self, kind: impl Into<String>) {
        *self.0.entry(kind.into()).or_insert(0) += 1;
    }

    pub fn merge(&mut self, other: Counts) {
        for (k, v) in other.0 {
            *self.0.entry(k).or_insert(0) += v;
        }
    }

    pub fn total(&self) -> u64 {
        self.0.values().sum()
    }

    pub fn to_json(&self) -> Value {
        json!(self.0)
    }
}
