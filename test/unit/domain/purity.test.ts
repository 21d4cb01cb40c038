// The domain is pure: no I/O, no clock, no Temporal or Node imports.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(__dirname, '../../../src/domain');
const sources = readdirSync(dir).filter((f) => f.endsWith('.ts'));

test.each(sources)('%s imports only the domain and zod, and reads no clock', (file) => {
  const text = readFileSync(join(dir, file), 'utf8');
  const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
  for (const spec of imports) expect(spec === 'zod' || spec?.startsWith('./')).toBe(true);
  expect(text).not.toMatch(/Date\.now|new Date|Math\.random|process\.|require\(/);
});
