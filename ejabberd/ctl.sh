#!/usr/bin/env bash
# ejabberdctl for the dev stack's ejabberd (`XMPP_SERVER=ejabberd npm start`), e.g.
#   bash ejabberd/ctl.sh registered_users localhost
#   bash ejabberd/ctl.sh connected_users
# Debian's ejabberdctl run as root switches to the ejabberd user and its cookie; this runs the
# same control module (ejabberd_ctl) with the stack's cookie (HOME = its data dir) and
# distribution port (no epmd). Each call boots a small Erlang node: about 1 s.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${MADOGUCHI_DATA_DIR:-$root/.data}/ejabberd"
port="${EJABBERD_DIST_PORT:-4370}"
libs="$(sed -n "s/^ERL_LIBS='\(.*\)'$/\1/p" /usr/sbin/ejabberdctl)"
exec env HOME="$data" ERL_LIBS="$libs" erl -sname "ctl-$$@localhost" \
  -erl_epmd_port "$port" -start_epmd false -dist_listen false -hidden -noinput \
  -s ejabberd_ctl -extra "${EJABBERD_NODE:-madoguchi@localhost}" "$@"
