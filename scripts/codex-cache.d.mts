export const CODEX_CACHE: string;
export const PINNED_CODEX: string;
export function versionOfCodex(bin: string): string | null;
export function installCodex(version: string): Promise<string>;
