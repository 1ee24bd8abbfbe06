/**
 * Helpers shared by the live checks (one check per file in this folder).
 */
import { capabilitiesOf, type CodexCapabilities } from '../../../codex/capabilities.js';
import type { DoctorContext } from '../../context.js';

/** The capabilities of the codex doctor runs, or null when its version is unknown. */
export async function caps(ctx: DoctorContext): Promise<CodexCapabilities | null> {
  const v = await ctx.codexVersion();
  return v?.ok ? capabilitiesOf(v.value.version) : null;
}

/** Every page of a cursor-paginated app-server list (at most 50 pages). */
export async function allPages<T>(request: (cursor: string | null) => Promise<{ data: T[]; nextCursor: string | null }>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const page: { data: T[]; nextCursor: string | null } = await request(cursor);
    out.push(...(page.data ?? []));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return out;
}
