/**
 * Building Hermes configs for tests.
 */
import { stringify } from 'yaml';
import { parseHermesConfig, type HermesConfig } from '../../src/config/hermes-config.js';

export function hermesFrom(data: unknown, file = '/h/config.yaml'): HermesConfig {
  return parseHermesConfig(stringify(data), file);
}

export function hermesYaml(text: string, file = '/h/config.yaml'): HermesConfig {
  return parseHermesConfig(text, file);
}
