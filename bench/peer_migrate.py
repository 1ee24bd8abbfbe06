#!/usr/bin/env python3
"""The Python peer for `npm run bench`: the minimal job `hermes-codex migrate` does, in Python.

Usage: peer_migrate.py HERMES_CONFIG_YAML CODEX_HOME PYTHON_FOR_HERMES_TOOLS

Reads Hermes' config.yaml with PyYAML's C loader (libyaml, Debian's python3-yaml), translates
`mcp_servers` the way the managed block renders them (stdio: command/args/env with `${VAR}` values
as env_vars, plus the variables Hermes forwards; HTTP: url, `Bearer ${VAR}` as bearer_token_env_var,
other headers inline; Hermes' 60 s start-up, `timeout` or 300 s as tool_timeout_sec), adds `default_permissions` and the hermes-tools entry, replaces the managed
block in CODEX_HOME/config.toml (keeping everything outside the markers) and writes the file
atomically (temporary file in the same directory, fsync, rename), as Hermes' own migration does.

It does none of what hermes-codex adds on top (validation of every value with line numbers,
ownership record, backup, lock, report): the bench measures those costs separately. For the
bench's input the file it writes is byte-identical to hermes-codex's, which the bench checks.
"""
import json
import os
import re
import sys
import tempfile

import yaml

START = "# managed by hermes-agent — `hermes codex-runtime migrate` regenerates this section"
END = "# end hermes-agent managed section"
BARE = re.compile(r"^[A-Za-z0-9_-]+$")
PLACEHOLDER = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$")
BEARER = re.compile(r"^Bearer \$\{([A-Za-z_][A-Za-z0-9_]*)\}$")
# What Hermes hands stdio servers and codex does not, and Hermes' default timeouts (src/config/hermes-behaviour.ts).
FORWARDED = ["XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR",
             "XDG_CONFIG_DIRS", "XDG_DATA_DIRS", "HERMES_KANBAN_DB", "HERMES_KANBAN_BOARD"]


def key(k):
    return k if BARE.match(k) else json.dumps(k, ensure_ascii=False)


def string(s):
    return json.dumps(str(s), ensure_ascii=False)


def inline(table):
    return "{ " + ", ".join(f"{key(k)} = {string(v)}" for k, v in table.items()) + " }"


def render_server(name, spec):
    lines = [f"[mcp_servers.{key(name)}]"]
    if spec.get("url"):
        lines.append(f"url = {string(spec['url'])}")
        headers = {}
        for h, v in (spec.get("headers") or {}).items():
            m = BEARER.match(str(v)) if h.lower() == "authorization" else None
            if m:
                lines.append(f"bearer_token_env_var = {string(m.group(1))}")
            else:
                headers[h] = v
        if headers:
            lines.append(f"http_headers = {inline(headers)}")
    else:
        lines.append(f"command = {string(spec['command'])}")
        if spec.get("args"):
            lines.append("args = [" + ", ".join(string(a) for a in spec["args"]) + "]")
        literal, names = {}, []
        for k, v in (spec.get("env") or {}).items():
            m = PLACEHOLDER.match(str(v))
            if m and m.group(1) == k:
                names.append(k)
            else:
                literal[k] = v
        if literal:
            lines.append(f"env = {inline(literal)}")
        names += [n for n in FORWARDED if n not in literal and n not in names]
        lines.append("env_vars = [" + ", ".join(string(n) for n in names) + "]")
    lines.append("startup_timeout_sec = 60.0")
    timeout = spec.get("timeout")
    lines.append(f"tool_timeout_sec = {float(timeout if timeout is not None else 300)}")
    return "\n".join(lines)


def main():
    config_yaml, codex_home, python = sys.argv[1:4]
    with open(config_yaml, encoding="utf-8") as f:
        config = yaml.load(f, Loader=yaml.CSafeLoader) or {}
    servers = config.get("mcp_servers") or {}
    parts = [START, 'default_permissions = ":workspace"']
    for name, spec in servers.items():
        parts.append("\n" + render_server(name, spec))
    parts.append("\n" + "\n".join([
        "[mcp_servers.hermes-tools]",
        f"command = {string(python)}",
        'args = ["-m", "agent.transports.hermes_tools_mcp_server"]',
        'env = { HERMES_QUIET = "1", HERMES_REDACT_SECRETS = "true" }',
        'env_vars = ["HERMES_HOME", "HERMES_KANBAN_TASK"]',
        "startup_timeout_sec = 30.0",
        "tool_timeout_sec = 600.0",
    ]))
    parts.append(END)
    block = "\n".join(parts) + "\n"

    path = os.path.join(codex_home, "config.toml")
    try:
        with open(path, encoding="utf-8") as f:
            old = f.read()
    except FileNotFoundError:
        old = ""
    start, end = old.find(START), old.find(END)
    if start != -1 and end != -1:
        rest = old[end + len(END):].lstrip("\n")
        new = old[:start] + block + rest
    else:
        new = block + ("\n" + old if old else "")

    fd, tmp = tempfile.mkstemp(dir=codex_home, prefix=".config.toml.")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(new)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


main()
