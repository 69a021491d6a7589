"""Records a Chrome trace of typing into the playground (issue 12's browser profiling).

    python3 scripts/trace/trace_typing.py DIST MODE OUT.json

serves DIST (a `trunk build --release` output), starts headless Chromium with the DevTools
protocol (a minimal websocket client below: Python's standard library only), pastes a scenario
(env CL / PO: cluster and policies files, PODS: its pod count, as the status line shows it;
`cargo run --release -p netpol-web --example serve_time -- large dump` with OUT_CLUSTER /
OUT_POLICIES writes the 1,000 x 300 one), then records a trace while 4 keystrokes are typed 600 ms
apart: MODE `flow` backspaces and retypes the digit of the first `{port: 80}`, `comment` appends
`x`; MODE `small` types into the default example. Ports: env HTTP_PORT (8732), CDP_PORT (9744).
Read OUT.json with `summary.py` (per long task, the self time of what ran in it) or `timeline.py`
(every task after a keystroke mark), or load it in chrome://tracing.
"""
import base64, json, os, socket, struct, subprocess, sys, time, urllib.request, http.server, threading, functools, collections

class WS:
    def __init__(self, url):
        host, rest = url[len('ws://'):].split('/', 1)
        h, p = host.split(':')
        self.s = socket.create_connection((h, int(p)))
        key = base64.b64encode(os.urandom(16)).decode()
        self.s.sendall(('GET /%s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n' % (rest, host, key)).encode())
        buf = b''
        while b'\r\n\r\n' not in buf: buf += self.s.recv(4096)
        self.buf = buf.split(b'\r\n\r\n', 1)[1]
        self.id = 0; self.events = []
    def _recv(self, n):
        while len(self.buf) < n:
            d = self.s.recv(1 << 20)
            if not d: raise EOFError
            self.buf += d
        r, self.buf = self.buf[:n], self.buf[n:]; return r
    def send(self, obj):
        data = json.dumps(obj).encode(); mask = os.urandom(4)
        hdr = bytes([0x81]); n = len(data)
        if n < 126: hdr += bytes([0x80 | n])
        elif n < 65536: hdr += bytes([0x80 | 126]) + struct.pack('>H', n)
        else: hdr += bytes([0x80 | 127]) + struct.pack('>Q', n)
        self.s.sendall(hdr + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))
    def recv(self):
        msg = b''
        while True:
            b0, b1 = self._recv(2); n = b1 & 0x7f
            if n == 126: n = struct.unpack('>H', self._recv(2))[0]
            elif n == 127: n = struct.unpack('>Q', self._recv(8))[0]
            msg += self._recv(n)
            if b0 & 0x80: return json.loads(msg)
    def call(self, method, **params):
        self.id += 1; my = self.id
        self.send({'id': my, 'method': method, 'params': params})
        while True:
            m = self.recv()
            if m.get('id') == my:
                if 'error' in m: raise RuntimeError(m['error'])
                return m.get('result')
            self.events.append(m)
    def until(self, method, t=60):
        end = time.time() + t
        while time.time() < end:
            for i, e in enumerate(self.events):
                if e.get('method') == method: return self.events.pop(i)
            self.events.append(self.recv())
        raise TimeoutError(method)

DIST = sys.argv[1]; MODE = sys.argv[2]; OUT = sys.argv[3]
class H(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, '.wasm': 'application/wasm', '.js': 'text/javascript'}
    def log_message(self, *a): pass
srv = http.server.ThreadingHTTPServer(('127.0.0.1', int(os.environ.get('HTTP_PORT', '8732'))), functools.partial(H, directory=DIST))
threading.Thread(target=srv.serve_forever, daemon=True).start()
prof = '/tmp/cdpprof%d' % os.getpid()
ch = subprocess.Popen(['chromium', '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--window-size=1280,800', '--remote-debugging-port=' + os.environ.get('CDP_PORT', '9744') + '', '--user-data-dir=' + prof, 'about:blank'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(50):
        try:
            tabs = json.loads(urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('CDP_PORT', '9744') + '/json').read()); break
        except Exception: time.sleep(0.2)
    page = [t for t in tabs if t['type'] == 'page'][0]
    ws = WS(page['webSocketDebuggerUrl'])
    def ev(expr, await_=False):
        r = ws.call('Runtime.evaluate', expression=expr, returnByValue=True, awaitPromise=await_)
        if 'exceptionDetails' in r: raise RuntimeError(r['exceptionDetails'])
        return r['result'].get('value')
    def wait(expr, t=120):
        end = time.time() + t
        while time.time() < end:
            v = ev(expr)
            if v: return v
            time.sleep(0.1)
        raise TimeoutError(expr)
    ws.call('Page.enable')
    ws.call('Page.navigate', url='http://127.0.0.1:%s/' % os.environ.get('HTTP_PORT', '8732'))
    wait("!!document.querySelector('[data-testid=eval-time][data-ms]')")
    SET = "(function(sel, text){const t = document.querySelector(sel); t.value = text; t.dispatchEvent(new Event('input', {bubbles: true})); return true;})"
    if MODE != 'small':
        ev(SET + '(%s, %s)' % (json.dumps('[data-testid=cluster-editor]'), json.dumps(open(os.environ['CL']).read())))
        ev(SET + '(%s, %s)' % (json.dumps('[data-testid=policies-editor]'), json.dumps(open(os.environ['PO']).read())))
        wait("document.documentElement.getAttribute('data-busy') !== 'true' && document.querySelector('footer.status').textContent.includes(' %s pods')" % os.environ.get('PODS', '1000'))
    if MODE == 'comment':
        # A comment line after the last line the textarea holds, where the keystrokes go (as
        # the perf e2e test does).
        ev("(function(){const t = document.querySelector('[data-testid=policies-editor]'); t.setRangeText('\\n# ', t.value.length, t.value.length, 'end'); t.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertText'})); return true;})()")
    time.sleep(2)
    cats = 'devtools.timeline,disabled-by-default-devtools.timeline,disabled-by-default-devtools.timeline.frame,v8.execute,blink.user_timing,toplevel,disabled-by-default-v8.cpu_profiler'
    ws.call('Tracing.start', categories=cats, transferMode='ReportEvents')
    ev("""(function(mode){ const t = document.querySelector('[data-testid=policies-editor]');
      const at = t.value.indexOf('{port: 80}') + '{port: 8'.length; let k = 0;
      const key = () => { performance.mark('key' + k);
        if (mode === 'flow') { if (k %% 2 === 0) t.setRangeText('', at, at + 1, 'end'); else t.setRangeText('0', at, at, 'end'); }
        else t.setRangeText('x', t.value.length, t.value.length, 'end');
        t.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: (mode === 'flow' && k %% 2 === 0) ? 'deleteContentBackward' : 'insertText'})); k += 1; if (k < 4) setTimeout(key, 600); };
      setTimeout(key, 100); return true; })(%s)""" % json.dumps('flow' if MODE != 'comment' else 'comment'))
    time.sleep(3.5)
    wait("document.documentElement.getAttribute('data-busy') !== 'true'")
    time.sleep(0.5)
    ws.call('Tracing.end')
    data = []
    while True:
        m = ws.recv()
        if m.get('method') == 'Tracing.dataCollected': data += m['params']['value']
        elif m.get('method') == 'Tracing.tracingComplete': break
    json.dump({'traceEvents': data}, open(OUT, 'w'))
    print('trace events', len(data))
finally:
    ch.terminate(); ch.wait(); srv.shutdown()
    subprocess.run(['rm', '-rf', prof])
