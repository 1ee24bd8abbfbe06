/**
 * An offline `migrate` for unit tests: on a memfs, no codex process (validation
 * and plugin discovery off), Hermes' config.yaml at `<home>/.hermes/config.yaml`.
 */
import type { MigrateOptions } from '../../src/migrate/migrate.js';
import { memFileSystem, type MemFs } from './memfs.js';

/**
 * The file system and options of such a run.
 * @param files more files, or replacements (`null` for a directory, as memFileSystem takes them)
 * @param now the run's clock (ISO 8601)
 */
export function offlineMigration(home: string, yaml: string, { files = {}, now = '2026-12-07T00:00:00Z' }: { files?: Record<string, string | null>; now?: string } = {}): { fs: MemFs; base: MigrateOptions } {
  const fs = memFileSystem({ [`${home}/.hermes/config.yaml`]: yaml, '/venv/bin/python': '', ...files });
  const base: MigrateOptions = {
    fs,
    run: async () => ({ exitCode: 0, stdout: 'codex-cli 0.171.0\n', stderr: '' }),
    env: { PATH: '/nowhere' },
    home,
    cwd: home,
    hermesPython: '/venv/bin/python',
    now: () => new Date(now),
    tmpRoots: ['/tmp'],
    validateWithCodex: false,
    plugins: false,
  };
  return { fs, base };
}
