/**
 * Helpers shared by the hermes checks (one check per file in this folder).
 */
import * as path from 'node:path';
import { hermesRoot, type Environment } from '../../../core/paths.js';
import { isRecord } from '../../../config/hermes-config.js';
import type { DoctorContext } from '../../context.js';

/** Hermes' auxiliary task slots (hermes_cli/config.py DEFAULT_CONFIG `auxiliary`). */
export const AUXILIARY_TASKS = ['title_generation', 'compression', 'flush_memories', 'session_search', 'vision', 'web_extract', 'skills_hub', 'approval', 'mcp'];

/**
 * Hermes' `model` section as the runtime checks read it: `runtime` is
 * `codex_app_server` when `model.openai_runtime` says so (trimmed, any case),
 * else `auto` (Hermes' default); `raw` is the value as written, `provider`
 * `model.provider`, `data` the whole config. Null when there is no readable
 * Hermes config.
 */
export async function hermesModel(ctx: DoctorContext): Promise<{ runtime: string; raw: unknown; provider: string | null; data: Record<string, unknown> } | null> {
  const h = await ctx.hermes();
  if (!h.ok || !h.value.config || !isRecord(h.value.config.data)) return null;
  const data = h.value.config.data;
  const model = isRecord(data['model']) ? data['model'] : {};
  const raw = model['openai_runtime'];
  const v = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  return { runtime: v === 'codex_app_server' ? 'codex_app_server' : 'auto', raw, provider: typeof model['provider'] === 'string' ? model['provider'] : null, data };
}

/** The Python Hermes' installer sets up under the resolved Hermes root (HERMES_HOME, --hermes-root or ~/.hermes). */
export function installerPython(ctx: { e: Environment; ws: { locations: { hermesRoot?: string } } }): string {
  return path.join(hermesRoot(ctx.e, ctx.ws.locations.hermesRoot), 'hermes-agent', 'venv', 'bin', 'python');
}
