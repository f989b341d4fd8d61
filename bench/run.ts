// npm run bench: every benchmark, printed as a table.
import { run as transitions } from './transitions.js';
import { run as engine } from './engine.js';
import { run as web } from './web-render.js';

const rows = [...(await transitions()), ...(await engine()), ...(await web())];
for (const r of rows) {
  if (r.value !== undefined) {
    console.log(`${r.value.padStart(12)}  ${r.name}`);
    continue;
  }
  const rate = r.opsPerSec >= 1e6 ? `${(r.opsPerSec / 1e6).toFixed(2)} M/s` : r.opsPerSec >= 1e3 ? `${(r.opsPerSec / 1e3).toFixed(1)} k/s` : `${r.opsPerSec.toFixed(2)} /s`;
  console.log(`${rate.padStart(12)}  ${r.name}`);
}
