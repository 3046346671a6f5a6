//! Zandbak (sandbox): an untrusted spreadsheet is read in a child process of the same binary,
//! with limits on memory, CPU time and wall time. A hostile file can make the child fail; the
//! service only sees a clear Dutch answer and keeps serving.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::reader;
use crate::domain::price_sheet::Extract;
use crate::errors::Error;

/// The child's name on the command line; not meant for people.
pub const SUBCOMMAND: &str = "read-cells";

#[derive(Clone, Debug)]
pub struct Limits {
    /// Address space of the child (RLIMIT_AS).
    pub memory_bytes: u64,
    /// CPU time of the child (RLIMIT_CPU).
    pub cpu_seconds: u64,
    /// Wall time before the child is killed.
    pub wall: Duration,
    /// Largest input the child accepts.
    pub max_input: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            memory_bytes: 768 * 1024 * 1024,
            cpu_seconds: 15,
            wall: Duration::from_secs(30),
            max_input: 64 * 1024 * 1024,
        }
    }
}

/// What the child prints: the cells, or why the file cannot be read.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Answer {
    Cells(Extract),
    Refused(String),
}

/// Reads the asked sheets of the spreadsheet that `feed` writes. `Ok(Err(reason))` is a file
/// that cannot be read, with the reason in Dutch; `Err` is a failure of the service itself.
pub fn read_cells<F>(exe: &Path, sheets: &[String], limits: &Limits, feed: F) -> Result<Result<Extract, String>, Error>
where
    F: FnOnce(&mut dyn Write) -> Result<(), Error> + Send + 'static,
{
    let mut cmd = Command::new(exe);
    cmd.arg(SUBCOMMAND)
        .arg("--memory-bytes")
        .arg(limits.memory_bytes.to_string())
        .arg("--cpu-seconds")
        .arg(limits.cpu_seconds.to_string())
        .arg("--max-input")
        .arg(limits.max_input.to_string());
    for s in sheets {
        cmd.arg("--sheet").arg(s);
    }
    let mut child = cmd
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::Internal(format!("leesproces niet te starten ({}): {e}", exe.display())))?;
    let (mut stdin, mut stdout, mut stderr) = match (child.stdin.take(), child.stdout.take(), child.stderr.take()) {
        (Some(i), Some(o), Some(e)) => (i, o, e),
        _ => return Err(Error::Internal("leesproces zonder kanalen".into())),
    };
    // Feeding and draining run beside the clock: a child that stops reading or floods its output
    // must still be stopped in time. A child that quits early makes feeding fail; that is fine.
    let feeder = std::thread::spawn(move || {
        let _ = feed(&mut stdin);
    });
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = (&mut stdout).take(512 * 1024 * 1024).read_to_end(&mut buf);
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = (&mut stderr).take(8 * 1024).read_to_end(&mut buf);
        buf
    });
    let deadline = Instant::now() + limits.wall;
    let status = loop {
        match child.try_wait().map_err(|e| Error::Internal(format!("leesproces: {e}")))? {
            Some(status) => break Some(status),
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    };
    let _ = feeder.join();
    let output = out.join().unwrap_or_default();
    let errors = err.join().unwrap_or_default();
    let Some(status) = status else {
        return Ok(Err(format!(
            "Het lezen van het bestand duurde langer dan {} seconden en is afgebroken. Het bestand is te groot of misvormd.",
            limits.wall.as_secs()
        )));
    };
    if status.success()
        && let Ok(answer) = serde_json::from_slice::<Answer>(&output)
    {
        return Ok(match answer {
            Answer::Cells(x) => Ok(x),
            Answer::Refused(reason) => Err(reason),
        });
    }
    tracing::warn!("leesproces gestopt ({status}): {}", String::from_utf8_lossy(&errors).trim());
    Ok(Err(failure(status)))
}

fn failure(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        // SIGXCPU and SIGKILL: the CPU limit.
        Some(24) | Some(9) => "Het lezen van het bestand kostte te veel rekentijd en is afgebroken. Het bestand is te groot of misvormd.".into(),
        _ => "Het bestand vraagt te veel geheugen of is misvormd, en kon niet veilig worden gelezen. Sla het opnieuw op als xlsx en probeer het nog eens.".into(),
    }
}

/// The child's side: limits itself first, then reads stdin and prints its answer as JSON.
pub fn child(sheets: &[String], memory_bytes: u64, cpu_seconds: u64, max_input: u64) -> i32 {
    use rlimit::Resource;
    // The hard limits too: what the file's parser does cannot raise them again.
    if Resource::AS.set(memory_bytes, memory_bytes).is_err() || Resource::CPU.set(cpu_seconds, cpu_seconds).is_err() {
        eprintln!("grenzen niet in te stellen");
        return 3;
    }
    let mut bytes = Vec::new();
    if std::io::stdin().take(max_input + 1).read_to_end(&mut bytes).is_err() {
        return 4;
    }
    let answer = if bytes.len() as u64 > max_input {
        Answer::Refused(format!("Het bestand is groter dan {} MB.", max_input / 1024 / 1024))
    } else {
        match reader::read(bytes, sheets) {
            Ok(x) => Answer::Cells(x),
            Err(reason) => Answer::Refused(reason),
        }
    };
    // Buffered: stdout on its own flushes every kilobyte or so, a syscall per few cells.
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    match serde_json::to_writer(&mut out, &answer).map_err(std::io::Error::other).and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(_) => 5,
    }
}
