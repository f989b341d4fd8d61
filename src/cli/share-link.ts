// The web app's share link for a scenario (web/src/app/share-codec.ts): { kind, name, text, settings, row, plant? } as JSON,
// compressed with deflate-raw (CompressionStream, in Node since 18) and written in base64url into the URL's
// fragment after "#s1=". The codec itself lives in the web app (it is built by Vite, not tsc); this is the same
// encoding, and test/cli/share-link.test.ts decodes it with the app's own decodeShare.
import type { BugName } from '../tcp/bugs.js';
import type { ProfileName } from '../tcp/profile.js';

/** Where `synack serve` serves the app by default (src/cli/serve.ts). */
export const DEFAULT_APP_URL = 'http://127.0.0.1:8470/';
const FRAGMENT_PREFIX = '#s1=';

function toBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * The URL that opens the scenario `text` in the web app, with its profile and seed set. `bugs`: the protocol bugs
 * `synack check` ran with (test only, src/tcp/bugs.ts), planted in the page's engine too so the run fails there.
 */
export async function scenarioShareUrl(
  name: string,
  text: string,
  profile: ProfileName,
  seed: number,
  base = DEFAULT_APP_URL,
  bugs?: ReadonlySet<BugName>,
): Promise<string> {
  const plant = bugs && bugs.size > 0 ? { plant: [...bugs] } : {};
  const run = { kind: 'scenario', name: name.slice(0, 200), text, settings: { profile, seed, knobs: {} }, row: 0, ...plant };
  const packed = await deflateRaw(new TextEncoder().encode(JSON.stringify(run)));
  return `${base}${FRAGMENT_PREFIX}${toBase64url(packed)}`;
}
