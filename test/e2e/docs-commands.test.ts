/**
 * Every `hermes-codex …` command line shown in README.md and docs/*.md runs:
 * offline, in a sandbox (a Hermes config with a real MCP server, a profile
 * `work`, a CODEX_HOME whose model is the mock on 127.0.0.1), in the order
 * the docs show them. None may be refused by the argument parser or end in
 * an internal error, and every exit code must be one the docs list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as shellParse } from 'shell-quote';
import { fixture, repoRoot, runCli, sandbox, type Sandbox } from '../helpers/codex.js';
import { startMockResponses, mockProviderConfig, type MockResponses } from '../../fixtures/mock-responses/server.mjs';

/** `hermes-codex …` lines inside fenced code blocks (and `run: hermes-codex …` in workflow YAML), comments stripped. */
function documentedCommands(): { file: string; line: string }[] {
  const files = ['README.md', ...readdirSync(path.join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const out: { file: string; line: string }[] = [];
  for (const file of files) {
    let inBlock = false;
    for (const raw of readFileSync(path.join(repoRoot, file), 'utf8').split('\n')) {
      if (raw.trimStart().startsWith('```')) {
        inBlock = !inBlock;
        continue;
      }
      if (!inBlock) continue;
      const m = /^\s*(?:\$\s+|-?\s*run:\s+)?(hermes-codex(?:\s.*)?)$/.exec(raw);
      if (!m) continue;
      const line = m[1]!.replace(/\s+#.*$/, '').trim();
      // Lines with shell plumbing or placeholders are shapes, not commands.
      if (/[<>|…]|\bNAME\b|\bPROFILE\b|\bID\b/.test(line)) continue;
      out.push({ file, line });
    }
  }
  return out;
}

const commands = documentedCommands();
let sb: Sandbox;
let mock: MockResponses;
let env: Record<string, string>;

beforeAll(async () => {
  sb = sandbox();
  mock = await startMockResponses({ script: () => ({ message: 'PONG' }) });
  const hermesYaml = `model:\n  provider: openai-codex\nmcp_servers:\n  echo:\n    command: node\n    args: ["${fixture('mcp/echo-server.mjs')}"]\n`;
  writeFileSync(path.join(sb.hermesHome, 'config.yaml'), hermesYaml);
  mkdirSync(path.join(sb.hermesHome, 'profiles', 'work'), { recursive: true });
  writeFileSync(path.join(sb.hermesHome, 'profiles', 'work', 'config.yaml'), hermesYaml);
  writeFileSync(path.join(sb.codexHome, 'config.toml'), mockProviderConfig(mock.baseUrl));
  env = { ...sb.env, MOCK_API_KEY: 'x' };
});
afterAll(async () => {
  await mock.close();
  sb.cleanup();
});

describe('the command lines the docs show', () => {
  it('finds them', () => {
    expect(commands.length).toBeGreaterThan(20);
    expect(commands.map((c) => c.line)).toContain('hermes-codex migrate --dry-run');
  });

  it.each(commands.map((c) => [`${c.file}: ${c.line}`, c.line] as const))('%s', async (_label, line) => {
    const args = (shellParse(line) as string[]).slice(1);
    const r = await runCli(args, env);
    const out = `${String(r.stdout)}\n${String(r.stderr)}`;
    // The parser's refusals in yargs' words and in ours (src/cli/usage-message.ts).
    expect(out).not.toMatch(/unknown (option|command)|unexpected argument|Unknown arguments?|Not enough arguments|Invalid values|needs a value|is not one of|is missing an argument|name a (profile )?command|internal error|Please report this/);
    expect([0, 1, 2, 130], out).toContain(r.exitCode);
  }, 120_000);
});
