# A throwaway PostgreSQL server (initdb and pg_ctl in a temporary folder, loopback only,
# fsync off) for the end-to-end tests. Source it after defining
# skip() { echo "SKIPPED: $*"; exit 77; }, then:
#   pg_start DIR    (DIR: an empty folder the test owns; sets uri=postgresql://...)
#   pg_stop         (immediate shutdown; safe to call twice and from an EXIT trap)
#   pg_restart      (the same server again, its data kept)
# As root the server runs as the postgres user, which it requires.

_pg_dir=""
_pg_bin=""
_pg_port=""
_pg_as=()

_pg_ctl_start() {
  "${_pg_as[@]}" "$_pg_bin/pg_ctl" -D "$_pg_dir/data" -l "$_pg_dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $_pg_port -k $_pg_dir -c fsync=off" start >/dev/null 2>&1
}

pg_start() {
  _pg_dir="$1"
  _pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -x "$_pg_bin/initdb" ] && [ -x "$_pg_bin/pg_ctl" ] || skip "no PostgreSQL server binaries (Debian package postgresql)"
  command -v psql >/dev/null || skip "no psql client"
  chmod 755 "$_pg_dir"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || skip "running as root and there is no postgres user to run the server"
    _pg_as=(runuser -u postgres --)
    chown postgres "$_pg_dir"
  fi
  _pg_port=$((20000 + RANDOM % 20000))
  "${_pg_as[@]}" "$_pg_bin/initdb" -D "$_pg_dir/data" -A trust -U factwire >"$_pg_dir/initdb.log" 2>&1 ||
    skip "initdb failed: $(tail -1 "$_pg_dir/initdb.log")"
  _pg_ctl_start || skip "the server did not start: $(tail -1 "$_pg_dir/server.log" 2>/dev/null)"
  uri="postgresql://factwire@127.0.0.1:$_pg_port/postgres"
}

pg_stop() {
  [ -n "$_pg_dir" ] && [ -d "$_pg_dir/data" ] || return 0
  "${_pg_as[@]}" "$_pg_bin/pg_ctl" -D "$_pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
}

pg_restart() { _pg_ctl_start; }
