//! End-to-end test of real manifests in the playground (issue 11): a Deployment manifest and a
//! policy file dropped onto the editors (a `drop` event carrying a `DataTransfer` built in the
//! page, as a file manager's drag would) load into them and give the matrix of workload
//! endpoints, with kind badges on the headers.
//!
//! `web.yaml` holds the Deployments `shop/web` (app=web, port 8080) and `shop/client`
//! (app=client) and the StatefulSet `shop/db` (app=db); `policy.yaml` holds one NetworkPolicy
//! selecting app=web with one ingress rule from app=client pods on 8080/TCP. Derived by hand from
//! the API reference: web is isolated for ingress and admits only client on 8080/TCP, so on
//! 8080/TCP client → web is allowed, db → web denied, and web → client allowed (nothing selects
//! client).
//!
//! Needs `trunk build --release` first (or `NETPOL_DIST`); fails, never skips, without it.

use std::time::{Duration, Instant};

use fantoccini::Client;
use netpol_e2e::{
    click, dist_dir, expect_verdict, js, screenshot, set_viewport, target_dir, wait_js,
    Chromedriver, StaticServer,
};
use serde_json::{json, Value};

const T: Duration = Duration::from_secs(20);

const WORKLOADS: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - containerPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: client
  namespace: shop
spec:
  selector:
    matchLabels: {app: client}
  template:
    metadata:
      labels: {app: client}
    spec:
      containers:
      - {name: c, image: busybox}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: shop
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - {name: db, image: postgres}
";

const POLICY: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-from-client
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: web}
  ingress:
  - from:
    - podSelector:
        matchLabels: {app: client}
    ports:
    - {protocol: TCP, port: 8080}
";

/// Drops a file `name` holding `text` onto the textarea `css` (the event bubbles to the editor).
async fn drop_file(c: &Client, css: &str, name: &str, text: &str) -> Result<(), String> {
    js(
        c,
        "const [sel, name, text] = arguments;
         const dt = new DataTransfer();
         dt.items.add(new File([text], name, {type: 'application/yaml'}));
         const target = document.querySelector(sel);
         if (!target) return 'no ' + sel;
         for (const type of ['dragenter', 'dragover', 'drop']) {
           target.dispatchEvent(new DragEvent(type, {dataTransfer: dt, bubbles: true, cancelable: true}));
         }
         return true;",
        vec![json!(css), json!(name), json!(text)],
    )
    .await
    .and_then(|v| match v {
        Value::Bool(true) => Ok(()),
        other => Err(format!("drop onto {css}: {other}")),
    })
}

/// Waits until the textarea `css` starts with `prefix`.
async fn wait_editor(c: &Client, css: &str, prefix: &str) -> Result<(), String> {
    wait_js(
        c,
        &format!("{css} to start with {prefix:?}"),
        T,
        "const e = document.querySelector(arguments[0]);
         return e && e.value.startsWith(arguments[1]) ? true : null;",
        vec![json!(css), json!(prefix)],
    )
    .await
    .map(|_| ())
}

/// The text of the kind badge on the header `th.<class>[data-ep=ep]`, and its `data-kind`.
async fn badge(c: &Client, class: &str, ep: &str) -> Result<Value, String> {
    js(
        c,
        "const th = document.querySelector(`th.${arguments[0]}[data-ep=\"${arguments[1]}\"]`);
         if (!th) return null;
         const b = th.querySelector('.kind-badge');
         return [th.getAttribute('data-kind'), b ? b.textContent : null, b ? b.title : null,
                 th.getAttribute('aria-label')];",
        vec![json!(class), json!(ep)],
    )
    .await
}

async fn steps(c: &Client, base: &str) -> Result<(), String> {
    set_viewport(c, 1400, 900).await?;
    c.goto(base)
        .await
        .map_err(|e| format!("goto {base}: {e}"))?;
    js(c, "localStorage.clear(); return true;", vec![]).await?;
    c.goto(base)
        .await
        .map_err(|e| format!("goto {base}: {e}"))?;
    wait_js(
        c,
        "the drop hint",
        T,
        "const h = document.querySelector('[data-testid=drop-hint]');
         return h && h.textContent.includes('either editor') ? true : null;",
        vec![],
    )
    .await?;

    let cluster = "[data-testid=cluster-editor]";
    let policies = "[data-testid=policies-editor]";
    drop_file(c, cluster, "web.yaml", WORKLOADS).await?;
    wait_editor(
        c,
        cluster,
        "# Source: web.yaml\napiVersion: apps/v1\nkind: Deployment",
    )
    .await?;
    drop_file(c, policies, "policy.yaml", POLICY).await?;
    wait_editor(
        c,
        policies,
        "# Source: policy.yaml\napiVersion: networking.k8s.io/v1",
    )
    .await?;

    expect_verdict(c, "shop/client", "shop/web", "allow").await?;
    expect_verdict(c, "shop/db", "shop/web", "deny").await?;
    expect_verdict(c, "shop/web", "shop/client", "allow").await?;
    let port = js(
        c,
        "return document.querySelector('[data-testid=port-picker]').value;",
        vec![],
    )
    .await?;
    if port != json!("8080/TCP") {
        return Err(format!("port picker shows {port}, expected 8080/TCP"));
    }

    let expected = [
        (
            "row-head",
            "shop/web",
            "Deployment",
            "Deploy",
            "from shop/web (Deployment)",
        ),
        (
            "col-head",
            "shop/web",
            "Deployment",
            "Deploy",
            "to shop/web (Deployment)",
        ),
        (
            "row-head",
            "shop/db",
            "StatefulSet",
            "STS",
            "from shop/db (StatefulSet)",
        ),
        (
            "col-head",
            "shop/client",
            "Deployment",
            "Deploy",
            "to shop/client (Deployment)",
        ),
    ];
    for (class, ep, kind, text, label) in expected {
        let got = badge(c, class, ep).await?;
        if got != json!([kind, text, kind, label]) {
            return Err(format!("{class} {ep}: got {got}"));
        }
    }
    screenshot(c, &target_dir().join("e2e-manifests.png")).await?;

    // The toggle is saved with the work (these workloads have no replicas to group).
    click(c, "[data-testid=group-replicas]").await?;
    wait_js(
        c,
        "group_replicas saved",
        T,
        "const s = JSON.parse(localStorage.getItem('netpol-playground-v1') || '{}');
         return s.group_replicas === true ? true : null;",
        vec![],
    )
    .await?;
    expect_verdict(c, "shop/client", "shop/web", "allow").await?;
    Ok(())
}

async fn failure_report(c: &Client, err: &str) -> String {
    let shot = target_dir().join("e2e-manifests-failure.png");
    let _ = screenshot(c, &shot).await;
    let body = js(
        c,
        "return document.body ? document.body.innerText.slice(0, 3000) : '(no body)';",
        vec![],
    )
    .await
    .unwrap_or_else(Value::String);
    format!(
        "{err}\nscreenshot: {}\n{}",
        shot.display(),
        body.as_str().unwrap_or("")
    )
}

#[tokio::test(flavor = "current_thread")]
async fn dropped_manifests_end_to_end() {
    let started = Instant::now();
    let server = StaticServer::start(dist_dir());
    let driver = Chromedriver::start();
    let client = driver.connect().await;
    let result = steps(&client, &server.url()).await;
    let failure = match &result {
        Ok(()) => None,
        Err(e) => Some(failure_report(&client, e).await),
    };
    let _ = client.close().await;
    drop(driver);
    drop(server);
    println!("e2e (manifests) total: {:?}", started.elapsed());
    if let Some(msg) = failure {
        panic!("{msg}");
    }
}
