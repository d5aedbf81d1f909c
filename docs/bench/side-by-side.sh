#!/usr/bin/env bash
# The figures of docs/PERFORMANCE.md's side-by-side comparison, in one run:
# gazette imports the 10,000-entry corpus, starts cold three times, serves
# while ../shared/bench/peers.sh measures it beside nginx (serving Hugo's
# build of the same corpus) and WordPress, builds the static site three
# times with its compressed copies and three times without, builds again
# after nothing and after one comment, and is crawled page by page for its
# memory. Needs what peers.sh installs, and python3.
#
#	bash docs/bench/side-by-side.sh        # DURATION=10 for 10 s wrk runs
set -uo pipefail
cd "$(dirname "$0")/../.."
work=${WORK:-/tmp/gazette-side-by-side}
mkdir -p "$work"
gz=$work/gazette data=$work/data out=$work/out
seed=/archives/2007/03/iranian_general_that_defected_was_spy_for_west.html
port=${PORT:-18500}
corpus=$work/mt-10000.txt
[ -f "$corpus" ] || python3 ../shared/bench/gencorpus.py --entries 10000 --seed 1 --mt "$corpus" >/dev/null
go build -o "$gz" ./cmd/gazette || exit 1
echo "gazette $(git rev-parse --short HEAD)"
rm -rf "$data" "$out"

echo "== import"
/usr/bin/time -f "%e s wall, %U s user, %M KB peak RSS" "$gz" --data "$data" import "$corpus"

serve() {
	"$gz" --data "$data" serve --addr 127.0.0.1:$port --access-log=false 2>"$work/serve.log" &
	pid=$!
}
echo "== cold start: from exec to the seed entry's page"
for i in 1 2 3; do
	t0=$(date +%s%N)
	serve
	until curl -sf -o /dev/null "http://127.0.0.1:$port$seed"; do sleep 0.002; done
	t1=$(date +%s%N)
	echo "start $i: $(( (t1 - t0) / 1000000 )) ms; $(grep VmRSS /proc/$pid/status | tr -s ' \t' ' ')"
	kill $pid; wait $pid 2>/dev/null
done

serve
until curl -sf -o /dev/null "http://127.0.0.1:$port$seed"; do sleep 0.01; done
echo "== peers.sh (load: $(cut -d' ' -f1-3 /proc/loadavg))"
bash ../shared/bench/peers.sh --with-wordpress --duration "${DURATION:-5}" \
	--target gazette=http://127.0.0.1:$port >"$work/peers.txt" 2>&1
sed -n '/^gazette peer benchmark/,$p' "$work/peers.txt"

# Each full build starts as peers.sh starts Hugo's: the last output removed,
# then sync.
echo "== gazette build, three full builds (load: $(cut -d' ' -f1-3 /proc/loadavg))"
for i in 1 2 3; do
	rm -rf "$out"
	sync
	/usr/bin/time -f "build $i: %e s wall, %U s user, %S s sys, %M KB peak RSS" "$gz" --data "$data" build "$out" 2>&1 | tail -2
done
echo "== gazette build --precompress=false, three full builds, the pages alone as Hugo writes them"
for i in 1 2 3; do
	rm -rf "$out"
	sync
	/usr/bin/time -f "build $i: %e s wall, %U s user, %S s sys, %M KB peak RSS" "$gz" --data "$data" build --precompress=false "$out" 2>&1 | tail -2
done
rm -rf "$out"
sync
"$gz" --data "$data" build "$out" >/dev/null 2>&1
echo "== build again, nothing changed"
/usr/bin/time -f "%e s wall, %U s user, %M KB peak RSS" "$gz" --data "$data" build "$out" 2>&1 | tail -2
echo "== build again after one comment, posted through the entry's form and approved"
loc=$(python3 docs/bench/comment.py "http://127.0.0.1:$port" "$seed")
echo "posted: $loc"
"$gz" --data "$data" comments approve "${loc##*#comment-}"
/usr/bin/time -f "%e s wall, %U s user, %M KB peak RSS" "$gz" --data "$data" build "$out" 2>&1 | tail -2

echo "== serve's memory, before and after a crawl of every page (load: $(cut -d' ' -f1-3 /proc/loadavg))"
grep -E "VmRSS|RssAnon|RssFile" /proc/$pid/status | tr -s ' \t' ' '
python3 docs/bench/crawl.py "$out" "$port"
grep -E "VmRSS|VmHWM|RssAnon|RssFile" /proc/$pid/status | tr -s ' \t' ' '
kill $pid; wait $pid 2>/dev/null
