"""Every main-thread and worker task (and the main events in them) from a keystroke mark of a
trace_typing.py trace, for SPAN ms:

    python3 scripts/trace/timeline.py OUT.json key2 60
"""
import json, sys
evs = json.load(open(sys.argv[1]))['traceEvents']; K = sys.argv[2]; span = float(sys.argv[3])
names = {(e['pid'], e['tid']): e['args']['name'] for e in evs if e.get('ph') == 'M' and e.get('name') == 'thread_name'}
marks = {e['name']: e['ts'] for e in evs if e.get('cat', '').startswith('blink.user_timing')}
t0 = marks[K]
keep = ('RunTask', 'ThreadControllerImpl::RunTask')
inner = ('FunctionCall', 'Layout', 'UpdateLayoutTree', 'PrePaint', 'Paint', 'EventDispatch', 'HandlePostMessage', 'TimerFire', 'FireAnimationFrame', 'BeginMainThreadFrame', 'Commit', 'RunMicrotasks', 'ParseHTML', 'HitTest', 'Layerize', 'V8.GC_SCAVENGER')
rows = []
for e in evs:
    n = names.get((e['pid'], e['tid']), '')
    if n not in ('CrRendererMain', 'DedicatedWorker thread'): continue
    if e.get('ph') != 'X' or 'dur' not in e: continue
    t = (e['ts'] - t0) / 1000
    if t < -2 or t > span: continue
    if e['name'] in keep or e['name'] in inner:
        rows.append((t, n[:6], e['name'], e['dur'] / 1000, json.dumps(e.get('args', {}).get('data', {}).get('type', ''))))
for r in sorted(rows):
    if r[2] in keep: print('%8.1f %s %s %.1f' % (r[0], r[1], '----TASK', r[3]))
    elif r[3] > 0.3: print('%8.1f %s    %s %.1f %s' % r)
