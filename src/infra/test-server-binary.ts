import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cacheDir } from './cache';
import { isExecutable, onPath, run, versionOf } from './exec';
import type { Provisioned } from './go-tool';
import { freePort, waitForPort } from './ports';
import { say, timed } from './provision-log';

const component = 'Temporal test server';
const mainClass = 'io.temporal.testserver.TestServer';
const pom = resolve(__dirname, '../../provision/temporal-test-server/pom.xml');

/** The Maven version pinned in provision/temporal-test-server/pom.xml. */
export function pinnedTestServerVersion(): string {
  const match = /<artifactId>temporal-test-server<\/artifactId>\s*<version>([^<]+)<\/version>/.exec(readFileSync(pom, 'utf8'));
  if (!match?.[1]) throw new Error(`no temporal-test-server version in ${pom}`);
  return match[1];
}

/**
 * The Java time-skipping test server as one executable taking argv `<port>`, which the SDK starts as an
 * `existing-path` server and gives 5 seconds to answer.
 * $TEMPORAL_TEST_SERVER_PATH → cached wrapper → resolve with Maven and write the wrapper. Undefined without Java
 * and Maven (the caller falls back to the SDK's own download).
 */
export async function resolveTestServer(): Promise<Provisioned | undefined> {
  const fromEnv = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`$TEMPORAL_TEST_SERVER_PATH=${fromEnv} is not an executable file`);
    say(component, `using ${fromEnv} (env)`);
    return { path: fromEnv, version: 'from $TEMPORAL_TEST_SERVER_PATH', source: 'env' };
  }
  const version = pinnedTestServerVersion();
  // Keyed by the pom's content too, so a changed dependency list provisions anew.
  const pomHash = createHash('sha256').update(readFileSync(pom)).digest('hex').slice(0, 8);
  const dir = cacheDir(`temporal-test-server-${version}-${pomHash}`);
  const wrapper = join(dir, 'temporal-test-server');
  const described = `io.temporal:temporal-test-server:${version}`;
  if (isExecutable(wrapper) && existsSync(join(dir, 'classes.jsa'))) {
    say(component, `using ${wrapper} (cache; ${described}, class-data archive present)`);
    return { path: wrapper, version: described, source: 'cache' };
  }
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : onPath('java');
  if (!java || !isExecutable(java) || !onPath('mvn')) {
    say(component, 'Java 17+ and Maven are needed to provision it; they were not found');
    return undefined;
  }
  // Copy the jars into the cache, so the wrapper does not depend on ~/.m2 staying as it is.
  const classpath = await timed(component, `resolving ${described} with Maven`, async () => {
    const lib = join(dir, 'lib');
    await run('mvn', ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${lib}`, '-DincludeScope=runtime']);
    // An explicit, ordered jar list: class-data sharing refuses wildcard classpaths.
    return readdirSync(lib).filter((f) => f.endsWith('.jar')).sort().map((f) => join(lib, f)).join(':');
  });
  const archive = join(dir, 'classes.jsa');
  await timed(component, 'recording a class-data sharing archive for fast starts', () =>
    recordClassArchive(java, classpath, archive),
  );
  writeWrapper(wrapper, java, classpath, archive);
  say(component, `wrote ${wrapper} (${versionOf(java, ['-version'])})`);
  return { path: wrapper, version: described, source: 'built' };
}

const jvmFlags = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xms64m', '-Xmx512m'];

/** Starts the server once with -XX:ArchiveClassesAtExit, waits until it serves, and stops it: Java 17 writes the archive on exit. */
async function recordClassArchive(java: string, classpath: string, archive: string): Promise<void> {
  const port = await freePort();
  const child = spawn(java, [`-XX:ArchiveClassesAtExit=${archive}`, ...jvmFlags, '-cp', classpath, mainClass, String(port)], {
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  try {
    await waitForPort(port, 30_000);
  } finally {
    child.kill('SIGTERM');
  }
  await exited;
  if (!existsSync(archive)) throw new Error(`java did not write ${archive}`);
}

/**
 * The wrapper must `exec` java: the SDK's teardown waits on the child's pipes, and an orphaned JVM keeps them open.
 * Start-up flags keep the cold start well inside the SDK's 5 s: the class-data sharing archive, C1 only, the serial
 * collector, a small heap. -Xshare:auto falls back to a plain start if the archive does not fit this JVM.
 */
function writeWrapper(wrapper: string, java: string, classpath: string, archive: string): void {
  const script = [
    '#!/bin/sh',
    '# Written by seatbill provisioning: the Temporal Java test server, argv <port> [--enable-time-skipping].',
    `exec "${java}" -XX:SharedArchiveFile="${archive}" -Xshare:auto ${jvmFlags.join(' ')} \\`,
    `  -cp "${classpath}" ${mainClass} "$@"`,
    '',
  ].join('\n');
  writeFileSync(`${wrapper}.tmp`, script);
  chmodSync(`${wrapper}.tmp`, 0o755);
  renameSync(`${wrapper}.tmp`, wrapper);
}
