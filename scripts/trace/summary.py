"""Summarises a trace of trace_typing.py: per main-thread and worker task over 8 ms, its start
(ms after the first keystroke mark), its duration and the self time of what ran in it (Layout,
UpdateLayoutTree, PrePaint, Paint, FunctionCall = JS and wasm, ...).

    python3 scripts/trace/summary.py OUT.json
"""
import json, sys, collections
evs = json.load(open(sys.argv[1]))['traceEvents']
names = {}
for e in evs:
    if e.get('ph') == 'M' and e.get('name') == 'thread_name':
        names[(e['pid'], e['tid'])] = e['args']['name']
main = [k for k, v in names.items() if v == 'CrRendererMain']
workers = [k for k, v in names.items() if 'Worker' in v]
print('threads', {v for v in names.values()})
marks = sorted((e['ts'], e['name']) for e in evs if e.get('cat', '').startswith('blink.user_timing') and e['name'].startswith('key'))
t0 = marks[0][0] if marks else 0
print('marks', [(n, (t - t0) / 1000) for t, n in marks])
for key in main + workers:
    tevs = [e for e in evs if (e['pid'], e['tid']) == key and e.get('ph') == 'X' and 'dur' in e]
    tops = [e for e in tevs if e['name'] == 'RunTask' and e['dur'] > 8000]
    print('==', names[key], len(tevs), 'long tasks', len(tops))
    for t in tops:
        inside = [e for e in tevs if e['ts'] >= t['ts'] and e['ts'] + e['dur'] <= t['ts'] + t['dur'] and e is not t]
        # self time per name
        inside.sort(key=lambda e: (e['ts'], -e['dur']))
        selft = collections.Counter()
        stack = []
        for e in inside:
            while stack and stack[-1]['ts'] + stack[-1]['dur'] <= e['ts']:
                stack.pop()
            if stack: selft[stack[-1]['name']] -= e['dur']
            selft[e['name']] += e['dur']
            stack.append(e)
        top = ', '.join('%s %.1f' % (n, d / 1000) for n, d in selft.most_common(8) if d > 500)
        print('  %8.1f ms +%6.1f  %s' % ((t['ts'] - t0) / 1000, t['dur'] / 1000, top))
