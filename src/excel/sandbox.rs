//! Zandbak (sandbox): an untrusted spreadsheet is read in a child process of the same binary,
//! with limits on memory, CPU time and wall time, in an empty working folder, without the
//! service's environment. A hostile file can make the child fail; the service only sees a
//! clear Dutch answer, and never more than a bounded answer, and keeps serving.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::reader::{self, Bounds};
use crate::domain::price_sheet::Extract;
use crate::errors::Error;

/// The child's name on the command line; not meant for people.
pub const SUBCOMMAND: &str = "read-cells";
/// The most the service reads of a child's answer: a prijzenblad of 10,000 lines needs 2 MB.
const MAX_ANSWER: u64 = 16 * 1024 * 1024;
/// How long an upload waits for a free reader before it is told to try again.
const QUEUE_WAIT: Duration = Duration::from_secs(60);

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

/// How many children may read at once: each may take its memory limit, and the machine must
/// keep room for the service itself.
#[derive(Clone)]
pub struct Readers(Arc<(Mutex<usize>, Condvar)>, usize);

impl Readers {
    pub fn new(at_once: usize) -> Readers {
        Readers(Arc::new((Mutex::new(0), Condvar::new())), at_once.max(1))
    }

    /// Waits for a free reader; refuses with a Dutch message when none frees up in time.
    fn acquire(&self) -> Result<Slot, Error> {
        let (lock, freed) = &*self.0;
        let guard = lock.lock().map_err(|_| Error::Internal("lezers: vergrendeling kapot".into()))?;
        let (mut busy, timeout) = freed
            .wait_timeout_while(guard, QUEUE_WAIT, |busy| *busy >= self.1)
            .map_err(|_| Error::Internal("lezers: vergrendeling kapot".into()))?;
        if timeout.timed_out() && *busy >= self.1 {
            return Err(Error::Conflict(
                "Het is erg druk: uw prijzenblad kon niet binnen een minuut worden gelezen. Probeer het zo opnieuw; er is niets opgeslagen.".into(),
            ));
        }
        *busy += 1;
        Ok(Slot(self.0.clone()))
    }
}

struct Slot(Arc<(Mutex<usize>, Condvar)>);

impl Drop for Slot {
    fn drop(&mut self) {
        let (lock, freed) = &*self.0;
        if let Ok(mut busy) = lock.lock() {
            *busy = busy.saturating_sub(1);
        }
        freed.notify_one();
    }
}

/// What the child prints: the cells, or why the file cannot be read.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Answer {
    Cells(Extract),
    Refused(String),
}

/// Exit codes of the child for its own failures, as opposed to a file that made it fail.
const EXIT_LIMITS: i32 = 3;
const EXIT_INPUT: i32 = 4;
const EXIT_OUTPUT: i32 = 5;

/// Reads the asked sheets of the spreadsheet that `feed` writes. `Ok(Err(reason))` is a file
/// that cannot be read, with the reason in Dutch; `Err` is a failure of the service itself.
pub fn read_cells<F>(
    readers: &Readers,
    exe: &Path,
    sheets: &[String],
    bounds: &Bounds,
    limits: &Limits,
    feed: F,
) -> Result<Result<Extract, String>, Error>
where
    F: FnOnce(&mut dyn Write) -> Result<(), Error> + Send + 'static,
{
    let _slot = readers.acquire()?;
    let columns: Vec<String> = bounds.columns.iter().map(u32::to_string).collect();
    // Absolute: a relative path would be taken from the child's own working folder.
    let exe =
        exe.canonicalize().map_err(|e| Error::Internal(format!("leesproces {} niet gevonden: {e}", exe.display())))?;
    let mut cmd = Command::new(&exe);
    // `--name=value`: a sheet name that starts with a dash stays a value.
    cmd.arg(SUBCOMMAND)
        .arg(format!("--memory-bytes={}", limits.memory_bytes))
        .arg(format!("--cpu-seconds={}", limits.cpu_seconds))
        .arg(format!("--max-input={}", limits.max_input))
        .arg(format!("--last-row={}", bounds.last_row))
        .arg(format!("--last-col={}", bounds.last_col))
        .arg(format!("--columns={}", columns.join(",")));
    for s in sheets {
        cmd.arg(format!("--sheet={s}"));
    }
    let mut child = cmd
        .env_clear()
        .current_dir(std::env::temp_dir())
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
    // must still be stopped in time.
    let feeder = std::thread::spawn(move || feed(&mut stdin));
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = (&mut stdout).take(MAX_ANSWER + 1).read_to_end(&mut buf);
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
            None => std::thread::sleep(Duration::from_millis(2)),
        }
    };
    let fed = feeder.join().map_err(|_| Error::Internal("leesproces: invoer afgebroken".into()))?;
    let output = out.join().unwrap_or_default();
    let errors = String::from_utf8_lossy(&err.join().unwrap_or_default()).trim().to_owned();
    let Some(status) = status else {
        return Ok(Err(format!(
            "Het lezen van het bestand duurde langer dan {} seconden en is afgebroken. Het bestand is te groot of misvormd.",
            limits.wall.as_secs()
        )));
    };
    if output.len() as u64 > MAX_ANSWER {
        let _ = child.kill();
        return Ok(Err("Het bestand bevat te veel gegevens voor een prijzenblad en is niet verder gelezen.".into()));
    }
    if status.success()
        && let Ok(answer) = serde_json::from_slice::<Answer>(&output)
    {
        return Ok(match answer {
            Answer::Cells(x) => Ok(x),
            Answer::Refused(reason) => Err(reason),
        });
    }
    // A broken feed is the vault failing (or a child that quit early, which the status tells).
    fed?;
    match status.code() {
        Some(EXIT_LIMITS | EXIT_INPUT | EXIT_OUTPUT) | Some(2) => {
            Err(Error::Internal(format!("leesproces weigerde ({status}): {errors}")))
        }
        _ => {
            tracing::warn!("leesproces gestopt op een bestand ({status}): {errors}");
            Ok(Err(failure(status)))
        }
    }
}

fn failure(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        // SIGXCPU and SIGKILL: the CPU limit.
        Some(24) | Some(9) => "Het lezen van het bestand kostte te veel rekentijd en is afgebroken. Het bestand is te groot of misvormd.".into(),
        _ => "Het bestand vraagt te veel geheugen of is misvormd, en kon niet veilig worden gelezen. Sla het opnieuw op als xlsx en probeer het nog eens.".into(),
    }
}

/// Sets a limit no higher than the hard limit the service itself runs under.
fn limit(resource: rlimit::Resource, wanted: u64) -> bool {
    let hard = resource.get().map(|(_, hard)| hard).unwrap_or(rlimit::INFINITY);
    let value = wanted.min(hard);
    resource.set(value, value).is_ok()
}

/// The child's side: limits itself first, then reads stdin and prints its answer as JSON.
pub fn child(sheets: &[String], bounds: &Bounds, memory_bytes: u64, cpu_seconds: u64, max_input: u64) -> i32 {
    use rlimit::Resource;
    // The hard limits too: what the file's parser does cannot raise them again.
    if !limit(Resource::AS, memory_bytes) || !limit(Resource::CPU, cpu_seconds) {
        eprintln!("grenzen niet in te stellen");
        return EXIT_LIMITS;
    }
    let mut bytes = Vec::new();
    if std::io::stdin().take(max_input + 1).read_to_end(&mut bytes).is_err() {
        return EXIT_INPUT;
    }
    let answer = if bytes.len() as u64 > max_input {
        Answer::Refused(format!("Het bestand is groter dan {} MB.", max_input / 1024 / 1024))
    } else {
        match reader::read(bytes, sheets, bounds) {
            Ok(x) => Answer::Cells(x),
            Err(reason) => Answer::Refused(reason),
        }
    };
    // Buffered: stdout on its own flushes every kilobyte or so, a syscall per few cells.
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    match serde_json::to_writer(&mut out, &answer).map_err(std::io::Error::other).and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(_) => EXIT_OUTPUT,
    }
}
