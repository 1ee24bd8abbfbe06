/**
 * Tokens that tell one process's files apart from another's: temporary file
 * names beside config.toml, the lock's owner token. They need to differ
 * between processes, not to be secret: every file they name is created with
 * O_EXCL (`wx`), so a name taken by anyone else fails instead of being
 * followed. `Math.random()` serves: V8 seeds it per isolate from the
 * operating system's entropy. `node:crypto`'s `randomBytes` did the same job
 * for 6–7 ms of loading on every `migrate` (docs/performance.md, sixteenth
 * session).
 */

/** 16 lowercase hex digits (64 bits from two `Math.random()` draws). */
export function uniqueToken(): string {
  const draw = () => Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
  return draw() + draw();
}
