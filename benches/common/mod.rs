//! What the benchmarks share: the quick mode's timed runs.

use std::time::Duration;

/// Runs `run` (which times its own work) `runs` times, prints each time and then `label`
/// with the minimum, median and maximum: a quick reading on a busy machine, where criterion's
/// mean swings with the neighbours.
pub fn timed_runs(label: &str, runs: usize, mut run: impl FnMut() -> Duration) {
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let elapsed = run();
            eprintln!("  {elapsed:?}");
            elapsed
        })
        .collect();
    times.sort();
    eprintln!(
        "{label}: min {:?}, median {:?}, max {:?}",
        times[0],
        times[times.len() / 2],
        times[times.len() - 1]
    );
}
