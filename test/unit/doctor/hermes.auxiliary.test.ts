/**
 * Doctor check `hermes.auxiliary` on memfs with scripted process results.
 */
import { describe, expect, it } from 'vitest';
import { HERMES, HERMES_YAML, setup } from '../../helpers/doctor.js';

describe('hermes.auxiliary', () => {
  it('hermes.auxiliary names the tasks without an override', async () => {
    const yaml = HERMES_YAML + 'auxiliary:\n  compression:\n    provider: openrouter\n  vision:\n    provider: auto\n';
    const r = await setup({ [`${HERMES}/config.yaml`]: yaml }).check('hermes.auxiliary');
    expect(r.status).toBe('ok');
    expect(r.summary).toMatch(/8 auxiliary task\(s\) run on your ChatGPT subscription: title_generation, flush_memories/);
    expect(r.summary).not.toMatch(/compression/);
    expect(await setup({ [`${HERMES}/config.yaml`]: 'model:\n  provider: openai\n  openai_runtime: codex_app_server\n' }).check('hermes.auxiliary')).toMatchObject({ status: 'skip' });
  });

});
