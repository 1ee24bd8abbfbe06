import { describe, expect, it } from 'vitest';
import { redactTomlLines, unifiedDiff } from '../../src/migrate/diff.js';

describe('redaction', () => {
  it('redacts env and header values in inline tables, dotted keys and sub-tables, and nothing else', () => {
    const text = [
      '[mcp_servers.a]',
      'command = "npx"',
      'env = { TOKEN = "s3cret", "X.Y" = \'lit\' }',
      'env.OTHER = "hidden"',
      '[mcp_servers.a.env]',
      'SUB = "also-hidden"',
      '[mcp_servers.b]',
      'url = "https://x"',
      'http_headers = { Authorization = "Bearer abc" }',
      'env_vars = ["GH"]',
      'bearer_token_env_var = "T"',
    ].join('\n');
    const out = redactTomlLines(text).join('\n');
    for (const secret of ['s3cret', 'lit', 'hidden', 'also-hidden', 'Bearer abc']) expect(out).not.toContain(secret);
    for (const kept of ['command = "npx"', 'url = "https://x"', 'env_vars = ["GH"]', 'bearer_token_env_var = "T"', 'TOKEN = "***"']) {
      expect(out).toContain(kept);
    }
    expect(redactTomlLines(text)).toHaveLength(11);
  });

  it('still shows a changed secret as a changed line, without its value', () => {
    const d = unifiedDiff('[s.env]\nK = "old-secret"\n', '[s.env]\nK = "new-secret"\n', 'config.toml');
    expect(d).toContain('-K = "***"');
    expect(d).toContain('+K = "***"');
    expect(d).not.toMatch(/old-secret|new-secret/);
  });

  it('shows values with showSecrets, and is empty for equal texts', () => {
    expect(unifiedDiff('a = 1\n', 'a = 1\n', 'x')).toBe('');
    expect(unifiedDiff('[s.env]\nK = "a"\n', '[s.env]\nK = "b"\n', 'x', { showSecrets: true })).toContain('+K = "b"');
  });

  it('writes standard hunk headers for a new file', () => {
    expect(unifiedDiff('', 'a = 1\n', 'config.toml')).toContain('@@ -0,0 +1,1 @@');
  });
});

describe('what the diff shows of env values', () => {
  it("shows the fixed switches migrate writes (HERMES_QUIET, HERMES_REDACT_SECRETS with their values), redacts everything else", async () => {
    const { redactTomlLines } = await import('../../src/migrate/diff.js');
    const [inline] = redactTomlLines('env = { HERMES_QUIET = "1", HERMES_REDACT_SECRETS = "true", TOKEN = "sk-live-123", HERMES_HOME = "/home/me/.hermes" }\n');
    expect(inline).toBe('env = { HERMES_QUIET = "1", HERMES_REDACT_SECRETS = "true", TOKEN = "***", HERMES_HOME = "***" }');
    // The same names with other values could be anything: redacted.
    expect(redactTomlLines('env = { HERMES_QUIET = "sk-x" }\n')[0]).toBe('env = { HERMES_QUIET = "***" }');
    // Sub-table and dotted forms too.
    expect(redactTomlLines('[mcp_servers.a.env]\nHERMES_REDACT_SECRETS = "true"\nKEY = "v"\n')).toEqual(['[mcp_servers.a.env]', 'HERMES_REDACT_SECRETS = "true"', 'KEY = "***"']);
    expect(redactTomlLines('env.HERMES_QUIET = "1"\nenv.PASS = "p"\n').slice(0, 2)).toEqual(['env.HERMES_QUIET = "1"', 'env.PASS = "***"']);
  });
});
