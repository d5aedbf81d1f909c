#!/usr/bin/env bash
# Requests a second of the entry page (wrk) and comment posts a second
# (BenchmarkCommentPosts) for one gazette on SQLite, one on PostgreSQL and
# two on one PostgreSQL, on the 10,000-entry corpus; docs/PERFORMANCE.md
# records its output. Needs wrk, python3 and a PostgreSQL server
# (eval "$(.ci/postgres start)"); everything listens on loopback.
#
#	bash docs/bench/postgres.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-10}
posts=${POSTS:-2000}
: "${GAZETTE_TEST_POSTGRES:?eval \"\$(.ci/postgres start)\" first}"
work=${WORK:-/tmp/gazette-pg-bench}
mkdir -p "$work"
corpus=$work/mt-10000.txt
[ -f "$corpus" ] || python3 ../shared/bench/gencorpus.py --entries 10000 --seed 1 --mt "$corpus" >/dev/null
go build -o "$work/gazette" ./cmd/gazette
go test -c -o "$work/gazette.test" ./cmd/gazette
gz=$work/gazette
path=/archives/2007/03/iranian_general_that_defected_was_spy_for_west.html
# Comments go to another entry, so that the page measured stays the same.
commented=/archives/2003/01/the_supreme_court_wakes_up_to_press_freedom.html
base=${GAZETTE_TEST_POSTGRES%/*}
pg=$base/gazette_bench

rm -rf "$work/sqlite"
psql -q "$GAZETTE_TEST_POSTGRES" -c "DROP DATABASE IF EXISTS gazette_bench" -c "CREATE DATABASE gazette_bench"
psql -q "$pg" -c "CREATE EXTENSION IF NOT EXISTS unaccent"
"$gz" --data "$work/sqlite" import "$corpus" 2>/dev/null
"$gz" --db "$pg" import "$corpus" 2>/dev/null

pids=()
serve() { "$gz" "$@" >/dev/null 2>&1 & pids+=($!); }
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; pids=(); }
trap stop EXIT
ready() { for _ in $(seq 100); do curl -fso /dev/null "$1$path" && return; sleep 0.1; done; echo "no server at $1" >&2; exit 1; }
page() { # URL…: wrk on each at once (32 connections in all); prints the sum of req/s
	local n=$# out=() wp=()
	for u in "$@"; do
		out+=("$(mktemp)")
		wrk -t$((2 / n)) -c$((32 / n)) -d"${secs}s" "$u$path" >"${out[-1]}" &
		wp+=($!)
	done
	wait "${wp[@]}"
	awk '/Requests\/sec/ {s += $2} END {printf "%.0f", s}' "${out[@]}"
	rm -f "${out[@]}"
}
posts() { # DB URL,…: comments a second over HTTP
	GAZETTE_BENCH_DB=$1 GAZETTE_BENCH_URLS=$2 GAZETTE_BENCH_PATH=$commented \
		"$work/gazette.test" -test.run '^$' -test.bench BenchmarkCommentPosts -test.benchtime "${posts}x" |
		awk '/comments\/s/ {for (i = 1; i < NF; i++) if ($(i+1) == "comments/s") printf "%.0f", $i}'
}
row() { printf '| %s | %s | %s |\n' "$1" "$2" "$3"; }

echo "| setup | entry page req/s | comment posts/s |"
echo "|---|---:|---:|"
serve --data "$work/sqlite" serve --addr 127.0.0.1:38080
ready http://127.0.0.1:38080
row "one instance, SQLite" "$(page http://127.0.0.1:38080)" "$(posts "$work/sqlite/gazette.db" http://127.0.0.1:38080)"
stop
serve --db "$pg" serve --addr 127.0.0.1:38081
ready http://127.0.0.1:38081
row "one instance, PostgreSQL" "$(page http://127.0.0.1:38081)" "$(posts "$pg" http://127.0.0.1:38081)"
serve --db "$pg" serve --addr 127.0.0.1:38082
ready http://127.0.0.1:38082
row "two instances, one PostgreSQL" "$(page http://127.0.0.1:38081 http://127.0.0.1:38082)" \
	"$(posts "$pg" http://127.0.0.1:38081,http://127.0.0.1:38082)"
