//! Harness for the playground's end-to-end tests: a static file server over the release build
//! (`dist/`), chromedriver in its own process group (killed with the group on drop, even when a
//! test panics), and a headless Chromium session through fantoccini.
//!
//! Native only; run with `cargo test -p netpol-e2e` after `trunk build --release`.
//!
//! Editor hooks: tests set an editor's text with `textarea.value = text` and a plain
//! `new Event('input')`, which always replaces the WHOLE text. An editor of more than 1,000
//! lines is windowed (`web/src/editor.rs`): its textarea holds only the lines
//! `data-window-start`..`data-window-end` (0-based, end exclusive) of `data-lines` (always
//! set), and an `InputEvent` with an `inputType` (real typing, or a script's
//! `new InputEvent('input', {bubbles: true, inputType: 'insertText'})` after `setRangeText`) is an
//! edit of those lines. Read a windowed editor's whole text back from the saved work
//! (`localStorage['netpol-playground-v1']`), not from `textarea.value`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

/// Chromium flags for our offline, often-root machines (see shared/TOOLCHAIN.md).
pub const CHROMIUM_ARGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--window-size=1280,800",
];

/// The repository root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

/// `target/` of the workspace, where screenshots go.
pub fn target_dir() -> PathBuf {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    std::fs::create_dir_all(&dir).expect("create target dir");
    dir
}

/// The release build to test: `$NETPOL_DIST`, or `<repo>/dist`. Panics (never skips) when it is
/// missing, telling how to make it.
pub fn dist_dir() -> PathBuf {
    let dir = match std::env::var_os("NETPOL_DIST") {
        Some(d) => PathBuf::from(d),
        None => repo_root().join("dist"),
    };
    let has_wasm = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "wasm"))
        })
        .unwrap_or(false);
    if !dir.join("index.html").is_file() || !has_wasm {
        panic!(
            "no release build at {} (index.html + .wasm expected): run `trunk build --release` \
             at the repository root first (scripts/test.sh does), or point NETPOL_DIST at a dist dir",
            dir.display()
        );
    }
    dir
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn unique_suffix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{}-{nanos}", std::process::id())
}

// ---------------------------------------------------------------------------------------------
// Static file server

/// A tiny HTTP/1.1 static file server over a directory, on an ephemeral localhost port.
pub struct StaticServer {
    addr: SocketAddr,
    prefix: String,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    missing: Arc<Mutex<Vec<String>>>,
}

impl StaticServer {
    pub fn start(root: PathBuf) -> StaticServer {
        StaticServer::start_under(root, "/")
    }

    /// Serves `root` under the URL path `prefix` (e.g. `/netpol/`), as a web server hosting the
    /// playground in a sub-directory does; every other path is a 404.
    pub fn start_under(root: PathBuf, prefix: &str) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind static server");
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let missing = Arc::new(Mutex::new(Vec::new()));
        let site = Site {
            root,
            prefix: prefix.to_string(),
            missing: missing.clone(),
        };
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let site = site.clone();
                std::thread::spawn(move || {
                    let _ = serve_connection(conn, &site);
                });
            }
        });
        StaticServer {
            addr,
            prefix: prefix.to_string(),
            stop,
            thread: Some(thread),
            missing,
        }
    }

    /// `http://127.0.0.1:PORT/` (with the prefix, when there is one).
    pub fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.prefix)
    }

    /// The URL paths requested so far that were not found (404), e.g. `/favicon.ico`.
    pub fn missing(&self) -> Vec<String> {
        self.missing.lock().map(|m| m.clone()).unwrap_or_default()
    }
}

/// What a server serves: a directory under a URL prefix; it notes the paths it could not find.
#[derive(Clone)]
struct Site {
    root: PathBuf,
    prefix: String,
    missing: Arc<Mutex<Vec<String>>>,
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr); // wake the accept loop
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "yaml" | "yml" | "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn serve_connection(conn: TcpStream, site: &Site) -> std::io::Result<()> {
    conn.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(conn.try_clone()?);
    let mut out = conn;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        let mut keep_alive = true;
        let mut body_len = 0usize;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 {
                return Ok(());
            }
            let h = header.trim_end().to_ascii_lowercase();
            if h.is_empty() {
                break;
            }
            if h == "connection: close" {
                keep_alive = false;
            }
            if let Some(v) = h.strip_prefix("content-length:") {
                body_len = v.trim().parse().unwrap_or(0);
            }
        }
        if body_len > 0 {
            std::io::copy(
                &mut (&mut reader).take(body_len as u64),
                &mut std::io::sink(),
            )?;
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or("");
        let target = parts.next().unwrap_or("/");
        let path = target.split(['?', '#']).next().unwrap_or("/");
        let file = path
            .strip_prefix(site.prefix.trim_end_matches('/'))
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
            .and_then(|rest| resolve(&site.root, rest));
        if file.is_none() {
            if let Ok(mut m) = site.missing.lock() {
                m.push(path.to_string());
            }
        }
        let (status, ctype, body) = match (method, file) {
            ("GET" | "HEAD", Some(f)) => match std::fs::read(&f) {
                Ok(b) => ("200 OK", content_type(&f), b),
                Err(_) => ("404 Not Found", "text/plain", b"not found".to_vec()),
            },
            ("GET" | "HEAD", None) => ("404 Not Found", "text/plain", b"not found".to_vec()),
            _ => (
                "405 Method Not Allowed",
                "text/plain",
                b"method not allowed".to_vec(),
            ),
        };
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\nConnection: {}\r\n\r\n",
            body.len(),
            if keep_alive { "keep-alive" } else { "close" }
        );
        out.write_all(head.as_bytes())?;
        if method != "HEAD" {
            out.write_all(&body)?;
        }
        out.flush()?;
        if !keep_alive {
            return Ok(());
        }
    }
}

/// Maps a URL path to a file under `root`; `/` and directories give `index.html`. Refuses `..`.
fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let rel = Path::new(url_path.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let mut p = root.join(rel);
    if p.is_dir() {
        p = p.join("index.html");
    }
    p.is_file().then_some(p)
}

// ---------------------------------------------------------------------------------------------
// chromedriver + Chromium

/// chromedriver running in its own process group; dropping it kills the whole group (driver and
/// every Chromium process it started) and removes the temporary Chromium profile.
pub struct Chromedriver {
    child: Child,
    port: u16,
    profile: PathBuf,
}

impl Chromedriver {
    /// Starts `$CHROMEDRIVER` (default `/usr/bin/chromedriver`) on a free port and waits until it
    /// accepts connections.
    pub fn start() -> Chromedriver {
        let bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        if !Path::new(&bin).exists() {
            panic!(
                "chromedriver not found at {bin}: `apt-get install -y chromium chromium-driver` \
                 (scripts/test.sh does)"
            );
        }
        let port = free_port();
        let log = target_dir().join("e2e-chromedriver.log");
        let log_file = std::fs::File::create(&log).expect("chromedriver log");
        let child = Command::new(&bin)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().unwrap())
            .stderr(log_file)
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {bin}: {e}"));
        let profile = std::env::temp_dir().join(format!("netpol-e2e-profile-{}", unique_suffix()));
        std::fs::create_dir_all(&profile).expect("chromium profile dir");
        let driver = Chromedriver {
            child,
            port,
            profile,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                panic!(
                    "chromedriver did not listen on port {port}; see {}",
                    log.display()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// WebDriver capabilities for headless Chromium with a fresh profile.
    pub fn capabilities(&self) -> serde_json::Map<String, Value> {
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", self.profile.display()));
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium, "args": args },
        });
        caps.as_object().unwrap().clone()
    }

    /// Opens a browser session.
    pub async fn connect(&self) -> Client {
        ClientBuilder::new(HttpConnector::new())
            .capabilities(self.capabilities())
            .connect(&self.url())
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start a Chromium session through chromedriver: {e}; see {}",
                    target_dir().join("e2e-chromedriver.log").display()
                )
            })
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let pgid = self.child.id() as libc::pid_t;
        // SAFETY: plain syscall on the process group we created (process_group(0) above).
        #[allow(unsafe_code)]
        unsafe {
            libc::killpg(pgid, libc::SIGKILL);
        }
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

// ---------------------------------------------------------------------------------------------
// Page helpers

/// How long a test waits for the page to reach an expected state.
pub const WAIT: Duration = Duration::from_secs(20);

/// Waits for the element matching `css`, clicks it, and waits for the page to settle.
pub async fn click(c: &Client, css: &str) -> Result<(), String> {
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .map_err(|e| format!("waiting for {css}: {e}"))?
        .click()
        .await
        .map_err(|e| format!("click {css}: {e}"))?;
    settle(c).await
}

/// Waits until the playground's core (in its Web Worker) has answered every event sent so far
/// (`data-busy` on `<html>` is not `true`); pages without it are settled at once.
pub async fn settle(c: &Client) -> Result<(), String> {
    wait_js(
        c,
        "the playground to answer",
        WAIT,
        "return document.documentElement.getAttribute('data-busy') !== 'true';",
        vec![],
    )
    .await
    .map(|_| ())
}

/// The selector of the main matrix's cell (a button) `from` → `to`.
pub fn cell(from: &str, to: &str) -> String {
    format!(r#"button[data-from="{from}"][data-to="{to}"][data-verdict]"#)
}

/// Waits until the matrix cell `from` → `to` shows `verdict` for the selected port.
pub async fn expect_verdict(c: &Client, from: &str, to: &str, verdict: &str) -> Result<(), String> {
    let sel = cell(from, to);
    let got = wait_js(
        c,
        &format!("{from} -> {to} to be {verdict}"),
        WAIT,
        "const e = document.querySelector(arguments[0]);
         return e && e.getAttribute('data-verdict') === arguments[1] ? true : null;",
        vec![json!(sel), json!(verdict)],
    )
    .await;
    if got.is_err() {
        let actual = js(
            c,
            "const e = document.querySelector(arguments[0]); return e ? e.getAttribute('data-verdict') : 'no such cell';",
            vec![json!(sel)],
        )
        .await?;
        return Err(format!(
            "cell {from} -> {to}: expected {verdict}, got {actual}"
        ));
    }
    Ok(())
}

/// Runs `script` (a function body; `arguments` holds `args`) and returns its value.
pub async fn js(client: &Client, script: &str, args: Vec<Value>) -> Result<Value, String> {
    client
        .execute(script, args)
        .await
        .map_err(|e| format!("script failed: {e}\n{script}"))
}

/// Polls `script` every 50 ms until it returns something other than `null`/`false`, or fails
/// after `timeout` with `what` in the message.
pub async fn wait_js(
    client: &Client,
    what: &str,
    timeout: Duration,
    script: &str,
    args: Vec<Value>,
) -> Result<Value, String> {
    let deadline = Instant::now() + timeout;
    loop {
        let v = js(client, script, args.clone()).await?;
        if !(v.is_null() || v == Value::Bool(false)) {
            return Ok(v);
        }
        if Instant::now() > deadline {
            return Err(format!("timed out after {timeout:?} waiting for {what}"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Resizes the window so that the page's viewport (not the window) is `width` x `height`.
pub async fn set_viewport(client: &Client, width: u32, height: u32) -> Result<(), String> {
    client
        .set_window_size(width, height)
        .await
        .map_err(|e| format!("set window size: {e}"))?;
    let v = js(
        client,
        "return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];",
        vec![],
    )
    .await?;
    let dw = v[0].as_u64().unwrap_or(0) as u32;
    let dh = v[1].as_u64().unwrap_or(0) as u32;
    if dw > 0 || dh > 0 {
        client
            .set_window_size(width + dw, height + dh)
            .await
            .map_err(|e| format!("set window size: {e}"))?;
    }
    Ok(())
}

/// A Chrome DevTools Protocol command sent through chromedriver (`goog/cdp/execute`).
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or("")
        ))
    }

    fn method_and_body(&self, _url: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

async fn cdp(client: &Client, cmd: &'static str, params: Value) -> Result<(), String> {
    client
        .issue_cmd(Cdp { cmd, params })
        .await
        .map(|_| ())
        .map_err(|e| format!("{cmd}: {e}"))
}

/// Emulates a viewport of `width` x `height` CSS pixels, as a phone's below 800 px (a desktop
/// window cannot be narrower than about 500 px).
pub async fn emulate_viewport(client: &Client, width: u32, height: u32) -> Result<(), String> {
    cdp(
        client,
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 800 }),
    )
    .await
}

/// Makes the page prefer the dark (or light) colour scheme.
pub async fn emulate_dark(client: &Client, dark: bool) -> Result<(), String> {
    let value = if dark { "dark" } else { "light" };
    cdp(
        client,
        "Emulation.setEmulatedMedia",
        json!({ "features": [{ "name": "prefers-color-scheme", "value": value }] }),
    )
    .await
}

/// Saves a PNG screenshot of the viewport.
pub async fn screenshot(client: &Client, path: &Path) -> Result<(), String> {
    let png = client
        .screenshot()
        .await
        .map_err(|e| format!("screenshot: {e}"))?;
    std::fs::write(path, png).map_err(|e| format!("write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_stays_inside_the_root() {
        let root = std::env::temp_dir().join(format!("netpol-e2e-resolve-{}", unique_suffix()));
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("index.html"), "x").unwrap();
        std::fs::write(root.join("sub/a.wasm"), "x").unwrap();
        assert_eq!(resolve(&root, "/"), Some(root.join("index.html")));
        assert_eq!(resolve(&root, "/sub/a.wasm"), Some(root.join("sub/a.wasm")));
        assert_eq!(resolve(&root, "/../etc/passwd"), None);
        assert_eq!(resolve(&root, "/missing.js"), None);
        assert_eq!(content_type(Path::new("x.wasm")), "application/wasm");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
