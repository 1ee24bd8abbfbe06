/**
 * Building Hermes configs for tests.
 */
import { parseHermesConfig, type HermesConfig } from '../../src/config/hermes-config.js';

/**
 * A Hermes config holding `data` as parsed YAML would. Built directly rather
 * than through `yaml.stringify`: that round trip is lossy for some strings
 * (`" \n"` comes back as `"\n"` via a `|+` block scalar), which would make
 * property tests fail on the helper instead of on hermes-codex.
 */
export function hermesFrom(data: unknown, file = '/h/config.yaml'): HermesConfig {
  return { path: file, data: data ?? {}, lineOf: () => undefined, plainSourceOf: () => undefined, keySourceOf: () => undefined };
}

export function hermesYaml(text: string, file = '/h/config.yaml'): HermesConfig {
  return parseHermesConfig(text, file);
}
