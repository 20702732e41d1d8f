//! One Gatehouse server per test binary: started on first use (PGlite, a temp data dir, a free
//! port, a known secret key), stopped when the binary exits. Set `GATEHOUSE_URL` and
//! `GATEHOUSE_SECRET_KEY` to run against a server of your own instead.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub struct Server {
    pub url: String,
    pub secret_key: String,
    // Holds the child's stdin open: the wrapper exits when it closes, at the end of this process.
    _child: Option<Child>,
}

// A Mutex rather than OnceLock, which needs Rust 1.70 (Debian 12 has 1.63).
static SERVER: Mutex<Option<&'static Server>> = Mutex::new(None);

/// The server of this test binary.
pub fn server() -> &'static Server {
    let mut server = SERVER.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    *server.get_or_insert_with(|| Box::leak(Box::new(match std::env::var("GATEHOUSE_URL") {
        Ok(url) if !url.is_empty() => Server {
            url,
            secret_key: std::env::var("GATEHOUSE_SECRET_KEY").expect("GATEHOUSE_SECRET_KEY goes with GATEHOUSE_URL"),
            _child: None,
        },
        _ => start(),
    })))
}

/// A client of the test server, made in the calling test's runtime.
pub fn client() -> gatehouse::Client {
    let server = server();
    gatehouse::Client::new(&server.url, &server.secret_key)
}

/// A value unique in this test run, for emails, names and slugs.
pub fn unique(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    format!("{prefix}-{}-{:x}-{}", std::process::id(), nanos % 0xffff_ffff, COUNTER.fetch_add(1, Ordering::Relaxed))
}

fn start() -> Server {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cli = root.join("packages/server/dist/cli.js");
    assert!(cli.exists(), "{} is missing: run `npx tsc -b packages/server` at the repository root", cli.display());
    let wrapper = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/server.mjs");

    let data_dir = std::env::temp_dir().join(unique("gatehouse-rust"));
    std::fs::create_dir_all(&data_dir).unwrap();
    // A free port: bound by the OS, released, then given to the server.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}");
    let secret_key = format!("sk_test_{:048x}", SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos() ^ (u128::from(port) << 64));

    let mut child = Command::new("node")
        .arg(&wrapper)
        .arg(&cli)
        .arg(&data_dir)
        .current_dir(&root)
        .env("GATEHOUSE_DATA_DIR", &data_dir)
        .env("PORT", port.to_string())
        .env("GATEHOUSE_SECRET_KEY", &secret_key)
        .env("PUBLIC_URL", &url)
        .env("DATABASE_URL", "")
        .env("LOG_LEVEL", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node could not be started");

    // Wait for "listening on", then keep draining stdout so the server never blocks on it.
    let stdout = child.stdout.take().unwrap();
    let (ready, wait) = mpsc::channel();
    std::thread::spawn(move || {
        let mut ready = Some(ready);
        for line in BufReader::new(stdout).lines() {
            let line = match line {
                Ok(line) => line,
                Err(_) => break,
            };
            if line.contains("listening on") {
                if let Some(ready) = ready.take() {
                    let _ = ready.send(());
                }
            }
        }
    });
    if wait.recv_timeout(Duration::from_secs(90)).is_err() {
        let _ = child.kill();
        let _ = std::fs::remove_dir_all(&data_dir);
        panic!("Gatehouse did not say \"listening on\" within 90 s");
    }
    Server { url, secret_key, _child: Some(child) }
}
