/**
 * Reading a user's text file with errors a person can act on.
 */
import { FileAccessError, ConfigSyntaxError } from '../core/errors.js';
import { errnoCode, type FileSystem } from './filesystem.js';

export interface TextFile {
  /** The path as given. */
  path: string;
  /** Decoded text, including a BOM if the file has one. */
  text: string;
}

/** Largest config file read (bytes): far beyond any real config, small enough to refuse garbage quickly. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/**
 * Read a UTF-8 text file. `what` names it in messages ("Hermes config");
 * `maxBytes` defaults to MAX_CONFIG_BYTES.
 * @returns the file, or null when it does not exist and `missingOk` is set.
 * @throws FileAccessError when it is a directory, a FIFO, socket or device, larger than `maxBytes`, unreadable, a dangling or looping symlink, or missing.
 * @throws ConfigSyntaxError when it holds NUL bytes or invalid UTF-8 (binary data).
 */
export async function readTextFile(
  fs: FileSystem,
  path: string,
  what: string,
  opts: { missingOk?: boolean; remediation?: string; maxBytes?: number } = {},
): Promise<TextFile | null> {
  let buf: Buffer;
  const max = opts.maxBytes ?? MAX_CONFIG_BYTES;
  try {
    const st = await fs.stat(path).catch(() => null);
    // A FIFO would block the read forever and a device (/dev/zero) never ends: refuse both before reading.
    if (st && !st.isFile() && !st.isDirectory()) {
      throw new FileAccessError(`${what} ${path} is not a regular file (a FIFO, socket or device)`, {
        location: { file: path },
        remediation: 'Point to the config file itself; nothing was written.',
      });
    }
    if (st?.isFile() && (st as { size?: number }).size !== undefined && (st as { size: number }).size > max) {
      const mb = ((st as { size: number }).size / 1024 / 1024).toFixed(1);
      throw new FileAccessError(`${what} ${path} is ${mb} MB; hermes-codex reads files up to ${max / 1024 / 1024} MB`, {
        location: { file: path },
        remediation: 'This is not a config file hermes-codex should edit; check the path (nothing was written).',
      });
    }
    buf = await fs.readFile(path);
  } catch (err) {
    if (err instanceof FileAccessError) throw err;
    const code = errnoCode(err);
    if (code === 'ENOENT') {
      // A symlink whose target is missing also reports ENOENT: say which.
      const link = await fs.lstat(path).catch(() => null);
      if (link?.isSymbolicLink()) {
        const target = await fs.readlink(path).catch(() => '?');
        throw new FileAccessError(`${what} ${path} is a symlink to ${target}, which does not exist`, {
          location: { file: path },
          remediation: 'Fix or remove the symlink, then run again.',
        });
      }
      if (opts.missingOk) return null;
      throw new FileAccessError(`${what} ${path} does not exist`, {
        location: { file: path },
        remediation: opts.remediation ?? 'Check the path and run again.',
      });
    }
    if (code === 'EISDIR') {
      throw new FileAccessError(`${what} ${path} is a directory, not a file`, {
        location: { file: path },
        remediation: 'Move the directory away or point to the file itself.',
      });
    }
    if (code === 'ELOOP') {
      throw new FileAccessError(`${what} ${path} is a symlink loop`, {
        location: { file: path },
        remediation: 'Fix the symlink so it points to a real file.',
      });
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new FileAccessError(`${what} ${path} is not readable (permission denied)`, {
        location: { file: path },
        remediation: `Check the file's owner and mode (ls -l ${path}).`,
      });
    }
    throw new FileAccessError(`cannot read ${what} ${path}: ${(err as Error).message}`, { location: { file: path }, cause: err });
  }
  // A UTF-16 byte-order mark (Windows editors' "Unicode"): text, but not what codex or Hermes read.
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    throw new ConfigSyntaxError(`${what} ${path} is encoded as UTF-16; it must be UTF-8`, {
      location: { file: path, line: 1 },
      remediation: 'Save it again as UTF-8 (in the editor\'s encoding menu, or `iconv -f UTF-16 -t UTF-8`); nothing was written.',
    });
  }
  const nul = buf.indexOf(0);
  if (nul !== -1) {
    const line = buf.subarray(0, nul).toString('utf8').split('\n').length;
    throw new ConfigSyntaxError(`${what} ${path} contains a NUL byte (line ${line}); it looks like binary data, not text`, {
      location: { file: path, line },
      remediation: 'Restore the file from a backup; nothing was written.',
    });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new ConfigSyntaxError(`${what} ${path} is not valid UTF-8`, {
      location: { file: path },
      remediation: 'Save the file as UTF-8; nothing was written.',
    });
  }
  // TextDecoder strips a BOM by default; keep it so the file can be written back byte for byte.
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) text = '\uFEFF' + text;
  return { path, text };
}
