# Helpers the bench scripts share; each sources it after changing to the repository root: `. bench/lib.sh`.

# need COMMAND PACKAGE: installs the Debian package that provides COMMAND when it is missing.
need() {
  command -v "$1" >/dev/null && return
  echo "installing $2" >&2
  apt-get install -y -q "$2" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "$2" >/dev/null; }
}

# free_port: a port no TCP socket uses, below the kernel's ephemeral range: a port inside it can be taken by any
# outgoing connection between this check and the host's bind (it happened on a busy machine).
free_port() {
  local port low
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range)
  while true; do
    port=$(shuf -i "20000-$((low > 20001 ? low - 1 : 60999))" -n 1)
    if ! ss -tanH "sport = :$port" | grep -q .; then echo "$port"; return; fi
  done
}
