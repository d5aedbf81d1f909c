# Requests every page of a gazette build (the files in OUTDIR) once from a
# running server, over four keep-alive connections: python3 crawl.py OUTDIR PORT
import http.client, os, sys, threading, collections
root = sys.argv[1]; port = int(sys.argv[2])
paths = []
for d, _, files in os.walk(root):
    for f in files:
        if f.endswith('.gz') or f.endswith('.br') or f.startswith('.gazette'):
            continue
        p = os.path.relpath(os.path.join(d, f), root)
        p = '/' + p
        if p.endswith('/index.html'):
            p = p[:-len('index.html')]
        paths.append(p)
paths.sort()
codes = collections.Counter()
lock = threading.Lock()
def work(part):
    c = http.client.HTTPConnection('127.0.0.1', port)
    for p in part:
        c.request('GET', p, headers={'Accept-Encoding': 'gzip, br'})
        r = c.getresponse(); r.read()
        with lock: codes[r.status] += 1
ts = [threading.Thread(target=work, args=(paths[i::4],)) for i in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]
print(len(paths), dict(codes))
