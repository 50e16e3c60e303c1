import { readFileSync } from 'node:fs';
import { Console } from 'node:console';
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isConnectorTokenNoise, quietConnectorTokenErrors } from '../../bot/authentication.js';

function capturingConsole(): { console: Console; text: () => string } {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { console: new Console({ stdout: out, stderr: out }), text: () => text };
}

describe("botframework-connector's per-token console lines", () => {
  it('are still the lines the filter knows (the archived SDK prints them for every failed token)', () => {
    const source = readFileSync(createRequire(import.meta.url).resolve('botframework-connector/lib/auth/jwtTokenExtractor.js'), 'utf8');
    expect(source).toContain('console.error(`Error finding key for token. Available keys: ${metadata.key}`);');
    expect(source).toMatch(/if \(err\.name === 'TokenExpiredError'\) \{\s*console\.error\(err\);/);
  });

  it('are dropped, once installed, while every other line still prints', async () => {
    const c = capturingConsole();
    quietConnectorTokenErrors(c.console);
    quietConnectorTokenErrors(c.console); // a second app in the same process: no double wrap
    const expired = new Error('jwt expired');
    expired.name = 'TokenExpiredError';
    c.console.error('Error finding key for token. Available keys: -----BEGIN RSA PUBLIC KEY-----');
    c.console.error(expired);
    c.console.error('[onTurnError] turn failed', { error: 'x' });
    c.console.error(new Error('something else'));
    c.console.log('Digikysely listening on http://127.0.0.1:3978');
    await new Promise((r) => setImmediate(r));
    expect(c.text()).not.toMatch(/Available keys|jwt expired/);
    expect(c.text()).toMatch(/\[onTurnError\] turn failed/);
    expect(c.text()).toMatch(/something else/);
    expect(c.text()).toMatch(/listening on/);
    expect(isConnectorTokenNoise([expired, 'more'])).toBe(false);
  });
});
