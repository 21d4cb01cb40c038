import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

// `npm start` by hand prints readable lines; piped or collected (Docker, CI), JSON lines. The logger decides by
// whether stdout is a terminal: `script` gives the process a real pseudo-terminal.
const root = join(__dirname, '../..');
const logOneLine = `require('./src/logger.ts').createLogger('info').info({ teamId: 'team-7' }, 'renewal charged')`;

test('in a terminal the log line is pino-pretty text', async () => {
  const command = `${process.execPath} --import tsx -e "${logOneLine}"`;
  const { stdout } = await promisify(execFile)('script', ['-qec', command, '/dev/null'], { cwd: root });
  // eslint-disable-next-line no-control-regex
  const text = stdout.replace(/\u001b\[\d+m/g, '');
  expect(text).toMatch(/^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} \+0000\] INFO: renewal charged\r?\n\s+teamId: "team-7"/);
  expect(() => JSON.parse(text.split('\n')[0]!)).toThrow();
});

test('piped, the log line is JSON', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', logOneLine], { cwd: root });
  expect(JSON.parse(stdout.trim())).toMatchObject({ level: 30, msg: 'renewal charged', teamId: 'team-7', service: 'seatbill' });
});
