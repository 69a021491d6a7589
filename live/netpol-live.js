// netpol live blocks: turns marked <pre> blocks of any static page into live, editable
// NetworkPolicy examples with a result matrix beneath. No dependencies; the engine is the
// playground's own, compiled to wasm (./pkg, built by live/build.sh).
//
//   <script type="module" src="netpol-live.js"></script>
//   <div data-netpol-group data-netpol-port="53/UDP">      <!-- the port is optional -->
//     <pre data-netpol="cluster">namespaces: ...</pre>
//     <pre data-netpol="policies">apiVersion: networking.k8s.io/v1 ...</pre>
//   </div>
//
// Optional on a group: data-netpol-playground="https://example.org/playground/" (the base URL of
// the "Open in playground" link; default: the directory above this script).
// Each group gets data-netpol-state="loading" | "ready" | "error" (handy for tests), and every
// matrix cell is a button with data-from, data-to and data-verdict="allow" | "deny" | "na".

import init, * as engine from './pkg/netpol_live.js';

const DEBOUNCE_MS = 50;
const FILES = { 'cluster.yaml': 'cluster', 'policies.yaml': 'policies' };
const MARK = {
  allow: { symbol: '✓', word: 'allowed' },
  deny: { symbol: '✗', word: 'denied' },
  na: { symbol: '–', word: 'not a cluster flow (external to external)' },
};

const STYLE = `
.netpol-live, .nl-label, pre.nl-editable {
  --nl-fg: #1f2328; --nl-muted: #59636e; --nl-border: #d1d9e0; --nl-bg: #ffffff;
  --nl-head: #f6f8fa; --nl-focus: #0969da;
  --nl-allow-bg: #dafbe1; --nl-allow-fg: #116329; --nl-deny-bg: #ffebe9; --nl-deny-fg: #a40e26;
  --nl-na-bg: #f6f8fa; --nl-na-fg: #59636e; --nl-warn: #9a6700; --nl-err: #cf222e;
}
@media (prefers-color-scheme: dark) {
  .netpol-live, .nl-label, pre.nl-editable {
    --nl-fg: #e6edf3; --nl-muted: #9198a1; --nl-border: #3d444d; --nl-bg: #0d1117;
    --nl-head: #151b23; --nl-focus: #4493f8;
    --nl-allow-bg: #12361f; --nl-allow-fg: #6fdd8b; --nl-deny-bg: #4b1113; --nl-deny-fg: #ffa198;
    --nl-na-bg: #151b23; --nl-na-fg: #9198a1; --nl-warn: #d29922; --nl-err: #ff7b72;
  }
}
.nl-label { display: flex; justify-content: space-between; gap: 1em; margin: 1em 0 .25em;
  font: 600 .8rem/1.4 system-ui, sans-serif; color: var(--nl-muted); }
.nl-label .nl-hint { font-weight: 400; }
pre.nl-editable { outline: 1px dashed var(--nl-border); outline-offset: 2px; cursor: text;
  white-space: pre; overflow-x: auto; tab-size: 2; caret-color: var(--nl-focus); }
pre.nl-editable:focus { outline: 2px solid var(--nl-focus); }
.netpol-live { margin: .75em 0 1.5em; padding: .75em 1em; border: 1px solid var(--nl-border);
  border-radius: 8px; background: var(--nl-bg); color: var(--nl-fg);
  font: .9rem/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
.netpol-live .nl-bar { display: flex; flex-wrap: wrap; align-items: center; gap: .5em 1em;
  margin-bottom: .5em; }
.netpol-live select { font: inherit; color: inherit; background: var(--nl-bg);
  border: 1px solid var(--nl-border); border-radius: 6px; padding: .1em .3em; }
.netpol-live .nl-status { color: var(--nl-muted); }
.netpol-live .nl-open { margin-left: auto; color: var(--nl-focus); }
.netpol-live .nl-scroll { overflow-x: auto; }
.netpol-live table { border-collapse: collapse; font-size: .85rem; }
.netpol-live caption { caption-side: bottom; text-align: left; color: var(--nl-muted);
  padding-top: .4em; font-size: .8rem; }
.netpol-live th { background: var(--nl-head); border: 1px solid var(--nl-border);
  padding: .25em .5em; font-weight: 600; font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
  font-size: .78rem; }
.netpol-live thead th { vertical-align: bottom; max-width: 7em; overflow-wrap: anywhere; }
.netpol-live tbody th { text-align: right; white-space: nowrap; }
.netpol-live th.nl-corner { font-family: inherit; font-weight: 400; color: var(--nl-muted); }
.netpol-live td { border: 1px solid var(--nl-border); padding: 0; text-align: center; }
.netpol-live td button { all: unset; box-sizing: border-box; display: block; width: 100%;
  min-width: 2.4em; padding: .25em .4em; cursor: pointer; font-size: 1rem; line-height: 1.3; }
.netpol-live td button:focus-visible { outline: 2px solid var(--nl-focus); outline-offset: -2px; }
.netpol-live td button[aria-pressed="true"] { box-shadow: inset 0 0 0 2px var(--nl-focus); }
.netpol-live [data-verdict="allow"] { background: var(--nl-allow-bg); color: var(--nl-allow-fg); }
.netpol-live [data-verdict="deny"] { background: var(--nl-deny-bg); color: var(--nl-deny-fg);
  font-weight: 700; }
.netpol-live [data-verdict="na"] { background: var(--nl-na-bg); color: var(--nl-na-fg); }
.netpol-live .nl-legend { margin: .3em 0 0; color: var(--nl-muted); font-size: .8rem; }
.netpol-live .nl-diags { margin: 0 0 .5em; padding: 0; list-style: none; }
.netpol-live .nl-diags li { margin: .15em 0; font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
  font-size: .8rem; }
.netpol-live .nl-diags .nl-error { color: var(--nl-err); }
.netpol-live .nl-diags .nl-warning, .netpol-live .nl-diags .nl-info { color: var(--nl-warn); }
.netpol-live .nl-explain { margin: .6em 0 0; padding-top: .5em; border-top: 1px solid var(--nl-border); }
.netpol-live .nl-explain p { margin: .2em 0; }
.netpol-live .nl-explain .nl-verdict { font-weight: 600; }
.netpol-live .nl-explain ul { margin: .2em 0; padding-left: 1.2em; }
`;

let enginePromise = null;

function loadEngine() {
  if (!enginePromise) enginePromise = init();
  return enginePromise;
}

function injectStyle() {
  if (document.getElementById('netpol-live-style')) return;
  const style = document.createElement('style');
  style.id = 'netpol-live-style';
  style.textContent = STYLE;
  document.head.appendChild(style);
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c !== null && c !== undefined) e.append(c);
  }
  return e;
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    return { error: `internal error: ${e}` };
  }
}

/** Makes a <pre> editable in place (plain text only, keyboard accessible). */
function makeEditable(pre, role) {
  pre.classList.add('nl-editable');
  pre.setAttribute('contenteditable', 'plaintext-only');
  if (pre.contentEditable !== 'plaintext-only') pre.setAttribute('contenteditable', 'true');
  pre.setAttribute('spellcheck', 'false');
  pre.setAttribute('autocapitalize', 'off');
  pre.setAttribute('autocorrect', 'off');
  pre.setAttribute('role', 'textbox');
  pre.setAttribute('aria-multiline', 'true');
  const name = role === 'policies' ? 'Policies' : 'Cluster';
  pre.setAttribute('aria-label', `${name} YAML (editable: the matrix below updates as you type)`);
  // Pasting rich text into a contenteditable="true" fallback: keep it plain.
  pre.addEventListener('paste', (ev) => {
    if (pre.contentEditable === 'plaintext-only') return;
    ev.preventDefault();
    const text = ev.clipboardData ? ev.clipboardData.getData('text/plain') : '';
    document.execCommand('insertText', false, text);
  });
  const label = el('div', { class: 'nl-label', 'aria-hidden': 'true' },
    el('span', { text: role === 'policies' ? 'policies.yaml' : 'cluster.yaml' }),
    el('span', { class: 'nl-hint', text: 'editable ✎' }));
  pre.before(label);
}

function textOf(pre) {
  if (!pre) return '';
  // innerText (not textContent): the <br> (and, in the contenteditable="true" fallback, the
  // <div>) that typing Enter may insert become newlines. Non-breaking spaces become spaces.
  return pre.innerText.replace(/\u00a0/g, ' ');
}

function playgroundBase(group) {
  const explicit = group.getAttribute('data-netpol-playground');
  return new URL(explicit || '../', explicit ? document.baseURI : import.meta.url).href;
}

class LiveGroup {
  constructor(group) {
    this.group = group;
    this.policies = group.querySelector('pre[data-netpol="policies"]');
    this.cluster = group.querySelector('pre[data-netpol="cluster"]');
    this.port = (group.getAttribute('data-netpol-port') || '').trim();
    this.selected = null; // [from, to]
    this.timer = 0;
    this.result = null;

    for (const [pre, role] of [[this.cluster, 'cluster'], [this.policies, 'policies']]) {
      if (!pre) continue;
      makeEditable(pre, role);
      pre.addEventListener('input', () => this.schedule());
    }

    this.select = el('select', { 'aria-label': 'Destination port and protocol' });
    this.select.addEventListener('change', () => {
      this.port = this.select.value;
      this.update();
    });
    this.status = el('span', { class: 'nl-status', role: 'status' });
    this.open = el('a', { class: 'nl-open', target: '_blank', rel: 'noopener', hidden: true,
      text: 'Open in playground ↗' });
    this.diags = el('ul', { class: 'nl-diags', 'aria-label': 'Problems in the YAML' });
    this.legend = el('p', { class: 'nl-legend',
      text: '✓ allowed · ✗ denied · – not a cluster flow (external to external)' });
    this.table = el('div', { class: 'nl-scroll' });
    this.explainBox = el('div', { class: 'nl-explain', 'aria-live': 'polite' });
    this.root = el('div', { class: 'netpol-live', 'data-netpol-result': true },
      el('div', { class: 'nl-bar' },
        el('label', {}, 'Port ', this.select),
        this.status,
        this.open),
      this.diags,
      this.table,
      this.legend,
      this.explainBox);
    group.append(this.root);
    this.table.addEventListener('click', (ev) => {
      const b = ev.target.closest('button[data-from]');
      if (!b) return;
      const pick = [b.getAttribute('data-from'), b.getAttribute('data-to')];
      const same = this.selected && this.selected[0] === pick[0] && this.selected[1] === pick[1];
      this.selected = same ? null : pick;
      this.renderSelection();
      this.renderExplanation();
    });
    group.setAttribute('data-netpol-state', 'loading');
    this.status.textContent = 'Loading the engine…';
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), DEBOUNCE_MS);
  }

  texts() {
    return [textOf(this.cluster), textOf(this.policies)];
  }

  update() {
    const [cluster, policies] = this.texts();
    const r = parseJson(engine.evaluate(cluster, policies, this.port));
    this.result = r;
    this.renderPorts(r);
    this.renderDiagnostics(r.diagnostics || []);
    if (r.error) {
      this.status.textContent = r.error;
      this.table.replaceChildren();
      this.explainBox.replaceChildren();
    } else {
      const n = r.sources.length;
      this.status.textContent = `${n} endpoint${n === 1 ? '' : 's'} on ${r.port}/${r.protocol}`;
      this.renderMatrix(r);
      if (this.selected && !(r.sources.includes(this.selected[0]) && r.destinations.includes(this.selected[1]))) {
        this.selected = null;
      }
      this.renderSelection();
      this.renderExplanation();
    }
    if (typeof engine.share_fragment === 'function') {
      const port = r.error ? this.port : `${r.port}/${r.protocol}`;
      this.open.href = playgroundBase(this.group) + engine.share_fragment(cluster, policies, port);
      this.open.hidden = false;
    }
    this.group.setAttribute('data-netpol-state', 'ready');
  }

  currentPort() {
    const r = this.result;
    return r && !r.error ? `${r.port}/${r.protocol}` : this.port;
  }

  renderPorts(r) {
    const ports = [...(r.ports || [])];
    const current = this.currentPort();
    if (current && !ports.includes(current)) ports.push(current);
    const same = ports.length === this.select.options.length
      && ports.every((p, i) => this.select.options[i].value === p);
    if (!same) {
      this.select.replaceChildren(...ports.map((p) => el('option', { value: p, text: p })));
    }
    this.select.value = current;
  }

  renderDiagnostics(diags) {
    const items = diags.map((d) => {
      const sev = d.severity || 'error';
      const icon = sev === 'error' ? '✖ error' : sev === 'warning' ? '⚠ warning' : 'ℹ info';
      return el('li', { class: `nl-${sev}`, 'data-severity': sev },
        `${icon}: ${FILES[d.file] || d.file} line ${d.line}, column ${d.col}: ${d.message}`);
    });
    const errors = diags.filter((d) => d.severity === 'error').length;
    if (errors) {
      items.push(el('li', { class: 'nl-note', text:
        'Objects with errors are left out: the matrix shows what the valid objects allow.' }));
    }
    this.diags.replaceChildren(...items);
    this.diags.hidden = items.length === 0;
  }

  renderMatrix(r) {
    const names = r.sources;
    if (names.length === 0) {
      this.table.replaceChildren(el('p', { text: 'No pods or external endpoints declared yet.' }));
      return;
    }
    const external = (i) => (r.kinds || [])[i] === 'external';
    const label = (name) => {
      // Break long names after the namespace.
      const slash = name.indexOf('/');
      return slash < 0 ? [name] : [name.slice(0, slash + 1), el('wbr'), name.slice(slash + 1)];
    };
    const head = el('tr', {},
      el('th', { class: 'nl-corner', scope: 'col', text: 'from ↓ to →' }),
      ...r.destinations.map((d) => el('th', { scope: 'col', title: d }, ...label(d))));
    const rows = names.map((from, i) => el('tr', {},
      el('th', { scope: 'row', title: from }, from),
      ...r.destinations.map((to, j) => {
        const v = external(i) && external(j) ? 'na' : r.allowed[i][j] ? 'allow' : 'deny';
        const b = el('button', {
          type: 'button',
          'data-from': from,
          'data-to': to,
          'data-verdict': v,
          'aria-pressed': 'false',
          'aria-label': `${from} to ${to}: ${MARK[v].word}`,
          title: `${from} → ${to}: ${MARK[v].word} (click for why)`,
          text: MARK[v].symbol,
        });
        return el('td', { 'data-verdict': v }, b);
      })));
    this.table.replaceChildren(el('table', {},
      el('caption', { text: `Flows on ${r.port}/${r.protocol}: rows are sources, columns destinations` }),
      el('thead', {}, head),
      el('tbody', {}, ...rows)));
  }

  renderSelection() {
    for (const b of this.table.querySelectorAll('button[data-from]')) {
      const on = !!this.selected && b.getAttribute('data-from') === this.selected[0]
        && b.getAttribute('data-to') === this.selected[1];
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
    }
  }

  renderExplanation() {
    if (!this.selected) {
      this.explainBox.replaceChildren(el('p', { class: 'nl-hint',
        text: 'Click a cell (or focus it and press Enter) to see why the flow is allowed or denied.' }));
      return;
    }
    const [cluster, policies] = this.texts();
    const [from, to] = this.selected;
    const x = parseJson(engine.explain(cluster, policies, from, to, this.currentPort()));
    if (x.error) {
      this.explainBox.replaceChildren(el('p', { text: x.error }));
      return;
    }
    const [first, ...rest] = (x.sentences || []).filter((t) => t.trim() !== '');
    const mark = MARK[x.verdict] || MARK.deny;
    this.explainBox.replaceChildren(
      el('p', { class: 'nl-verdict', 'data-verdict': x.verdict }, `${mark.symbol} ${first || ''}`),
      rest.length ? el('ul', {}, ...rest.map((s) => el('li', { text: s }))) : null);
  }
}

/** Turns every `[data-netpol-group]` under `root` live (once). Returns a promise. */
export async function upgrade(root = document) {
  injectStyle();
  const groups = [...root.querySelectorAll('[data-netpol-group]')]
    .filter((g) => !g.netpolLive)
    .map((g) => (g.netpolLive = new LiveGroup(g)));
  try {
    await loadEngine();
  } catch (e) {
    for (const g of groups) {
      g.status.textContent = `The live engine could not load: ${e}`;
      g.group.setAttribute('data-netpol-state', 'error');
    }
    return groups;
  }
  for (const g of groups) g.update();
  return groups;
}

/** Settles when the page's groups are live (module scripts run after parsing anyway). */
export const ready = document.readyState === 'loading'
  ? new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }))
      .then(() => upgrade())
  : upgrade();
