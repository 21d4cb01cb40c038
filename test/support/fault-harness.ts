// Fault injection against the real thing: a Temporal dev server on a persistent database, an embedded Postgres,
// and billing workers in child processes (test/faults/worker-process.ts) that a test can SIGKILL. Each server can
// be stopped and started again on the same data directory and port. Every process started here is stopped by
// `teardown()`, and killed when the test process exits, however it exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { createDb, migrateToLatest, type Db } from '../../src/ledger/db';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/infra/embedded-postgres';
import { freePort } from '../../src/infra/ports';
import { searchAttributeArgs } from '../../src/infra/search-attributes';
import { startTemporalDevServer, type RunningTemporal } from '../../src/infra/temporal-dev-server';
import { workflowBundle } from '../../src/infra/workflow-bundle';
import { stateQuery, teamSubscription, teamWorkflowId, type TeamSubscriptionView } from '../../src/workflows';
import { TeamId } from '../../src/workflows/search-attributes';
import type { ProviderFaults } from '../faults/worker-process';
import { activityAttemptsOf } from './run-tasks';

export { checkLedgerInvariant, type LedgerFigures } from './ledger-invariant';

const root = join(__dirname, '../..');
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export type { ProviderFaults };

/** A billing worker in a child process. */
export class WorkerProcess {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL: no shutdown, no draining; in-flight activities are abandoned where they are. */
  async kill(): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM (the worker drains), then SIGKILL after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

export interface TeamOptions {
  members?: number;
  card?: string;
}

export class FaultLab {
  readonly taskQueue = `faults-${randomBytes(3).toString('hex')}`;
  /** Control files the worker processes read and write (markers, `release`, provider-calls.jsonl). */
  readonly controlDir: string;
  private temporal: RunningTemporal | null;
  private postgres: RunningPostgres | null;
  private readonly workers: WorkerProcess[] = [];

  private constructor(
    readonly dir: string,
    readonly temporalPort: number,
    readonly postgresPort: number,
    temporal: RunningTemporal,
    postgres: RunningPostgres,
    readonly databaseUrl: string,
    readonly db: Db,
    readonly connection: Connection,
    readonly client: Client,
  ) {
    this.temporal = temporal;
    this.postgres = postgres;
    this.controlDir = join(dir, 'control');
    mkdirSync(this.controlDir, { recursive: true });
  }

  /** A Temporal dev server on a persistent SQLite file and a migrated embedded Postgres, both in a fresh directory. */
  static async start(name: string): Promise<FaultLab> {
    const dir = mkdtempSync(join(tmpdir(), `seatbill-faults-${name}-`));
    chmodSync(dir, 0o755); // as root, Postgres runs as the `postgres` user, which must reach its data directory
    const [temporalPort, postgresPort] = [await freePort(), await freePort()];
    const started = await Promise.allSettled([
      startTemporalDevServer({ dataDir: dir, port: temporalPort, persistent: true, searchAttributes: searchAttributeArgs() }),
      startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), port: postgresPort, database: 'seatbill_faults' }),
      workflowBundle(), // cached for the worker processes, which would otherwise each bundle it
    ]);
    const [temporal, postgres] = started;
    if (started.some((result) => result.status === 'rejected')) {
      await Promise.all([temporal, postgres].map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
      rmSync(dir, { recursive: true, force: true });
      throw (started.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason;
    }
    const runningTemporal = (temporal as PromiseFulfilledResult<RunningTemporal>).value;
    const runningPostgres = (postgres as PromiseFulfilledResult<RunningPostgres>).value;
    const db = createDb(runningPostgres.url);
    await migrateToLatest(db);
    const connection = await Connection.connect({ address: runningTemporal.address });
    const client = new Client({ connection, namespace: 'default' });
    return new FaultLab(dir, temporalPort, postgresPort, runningTemporal, runningPostgres, runningPostgres.url, db, connection, client);
  }

  /** Stops every worker and server this lab started, and deletes its directory. Safe to call after a failure. */
  async teardown(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop(2_000)));
    await this.connection.close().catch(() => undefined);
    await this.db.destroy().catch(() => undefined);
    await Promise.all([this.temporal?.stop(), this.postgres?.stop()]);
    this.temporal = null;
    this.postgres = null;
    if (process.env.SEATBILL_KEEP_FAULT_DIR === '1') process.stdout.write(`[faults] kept ${this.dir}\n`);
    else rmSync(this.dir, { recursive: true, force: true });
  }

  // ---- workers ---------------------------------------------------------------------------------------------

  /** Starts a billing worker process on this lab's task queue; resolves once it polls. */
  async startWorker(name: string, faults: ProviderFaults = {}): Promise<WorkerProcess> {
    const logFile = join(this.dir, `worker-${name}.log`);
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/faults/worker-process.ts')], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: `127.0.0.1:${this.temporalPort}`,
        DATABASE_URL: this.databaseUrl,
        TASK_QUEUE: this.taskQueue,
        SEATBILL_FAULT_DIR: this.controlDir,
        SEATBILL_FAULTS: JSON.stringify(faults),
      },
    });
    children.add(child);
    child.once('exit', () => children.delete(child));
    const worker = new WorkerProcess(name, child);
    this.workers.push(worker);
    child.stderr!.on('data', (chunk: Buffer) => appendFileSync(logFile, chunk));
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`worker ${name} did not start within 60 s; see ${logFile}`)), 60_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('ready\n')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`worker ${name} exited (${code ?? signal}) before it was ready: ${readText(logFile)}`));
      });
    });
    return worker;
  }

  /** Waits until `count` charges were accepted by paused providers; returns what the markers say. */
  async chargesPaused(count: number, timeoutMs = 60_000): Promise<{ key: string; providerPaymentId: string; amount: number }[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const markers = readdirSync(this.controlDir).filter((file) => file.startsWith('charged-'));
      if (markers.length >= count) return markers.map((file) => JSON.parse(readFileSync(join(this.controlDir, file), 'utf8')));
      if (Date.now() > deadline) throw new Error(`only ${markers.length} of ${count} charges reached the pause point`);
      await sleep(25);
    }
  }

  /** Lets paused providers answer. */
  releaseCharges(): void {
    writeFileSync(join(this.controlDir, 'release'), '');
  }

  /** Every call the fault-injecting providers saw, in order. */
  providerCalls(): { pid: number; key: string; amount: number; call: number; outcome: string; providerPaymentId?: string }[] {
    const file = join(this.controlDir, 'provider-calls.jsonl');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
  }

  // ---- servers ---------------------------------------------------------------------------------------------

  get temporalAddress(): string {
    return `127.0.0.1:${this.temporalPort}`;
  }

  /** Stops the Temporal dev server (SIGTERM), keeps it down `downMs`, and starts it again on the same database and port. */
  async restartTemporal(downMs = 0): Promise<{ downMs: number }> {
    const stopped = Date.now();
    await this.temporal?.stop();
    this.temporal = null;
    if (downMs > 0) await sleep(downMs);
    this.temporal = await startTemporalDevServer({ dataDir: this.dir, port: this.temporalPort, persistent: true, searchAttributes: searchAttributeArgs() });
    return { downMs: Date.now() - stopped };
  }

  /** Stops Postgres ("fast" shutdown: open connections are cut). */
  async stopPostgres(): Promise<void> {
    await this.postgres?.stop();
    this.postgres = null;
  }

  /** Starts Postgres again on the same data directory and port. */
  async startPostgres(): Promise<void> {
    if (this.postgres) return;
    this.postgres = await startEmbeddedPostgres({ dataDir: join(this.dir, 'postgres'), port: this.postgresPort, database: 'seatbill_faults' });
  }

  // ---- teams -----------------------------------------------------------------------------------------------

  /** Starts a team's workflow on today's business calendar (no clock offset), with a working sandbox card. */
  async startTeam(teamId: string, options: TeamOptions = {}): Promise<WorkflowHandle<typeof teamSubscription>> {
    const handle = await this.client.workflow.start(teamSubscription, {
      taskQueue: this.taskQueue,
      workflowId: teamWorkflowId(teamId),
      args: [{
        teamId,
        team: { name: `Team ${teamId}`, billingCountry: 'US' },
        members: options.members ?? 5,
        paymentMethod: { provider: 'sandbox', paymentMethodId: options.card ?? 'pm_card_visa' },
      }],
      typedSearchAttributes: [{ key: TeamId, value: teamId }],
    });
    return handle;
  }

  state(teamId: string): Promise<TeamSubscriptionView> {
    return this.client.workflow.getHandle(teamWorkflowId(teamId)).query(stateQuery);
  }

  /** How many attempts each activity of a workflow's runs took, by activity type (run-tasks.ts). */
  async activityAttempts(workflowId: string): Promise<Record<string, number[]>> {
    return activityAttemptsOf(await this.histories(workflowId));
  }

  /** The histories of every run of a workflow, first to last (following continue-as-new backwards from the latest). */
  async histories(workflowId: string) {
    const runs = [];
    let runId: string | undefined;
    for (;;) {
      const history = await this.client.workflow.getHandle(workflowId, runId).fetchHistory();
      runs.unshift(history);
      const previous = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
      if (!previous) return runs;
      runId = previous;
    }
  }
}

/**
 * One lab per test file: started before its tests, torn down after them whatever happened. Returns a getter, since
 * the lab exists only once `beforeAll` has run.
 */
export function faultLabPerFile(name: string): () => FaultLab {
  let lab: FaultLab | undefined;
  beforeAll(async () => {
    lab = await FaultLab.start(name);
  }, 120_000);
  afterAll(async () => {
    await lab?.teardown();
  }, 60_000);
  return () => {
    if (!lab) throw new Error(`the ${name} fault lab did not start`);
    return lab;
  };
}

function readText(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').slice(-2_000) : '(no log)';
}

/** Prints a test's figures on one line, so a CI log shows them. */
export function report(test: string, figures: Record<string, unknown>): void {
  process.stdout.write(`[faults] ${test}: ${JSON.stringify(figures)}\n`);
}
