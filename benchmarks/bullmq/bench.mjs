// BullMQ side of the AgentVine work-queue benchmark.
//
// Usage:  node bench.mjs
// Env:    REDIS_URL         (default redis://127.0.0.1:6379)
//         JOBS              (default 20000)
//         WAKE_SAMPLES      (default 200)
//         WAKE_WARMUP       (default 2000) - wake-ups before the samples, not timed
//         CONCURRENCY_LIST  (default "1,100")
//         SCENARIO_TIMEOUT_S (default 600) - abort (exit 1) if one scenario takes longer
//
// Prints exactly one JSON line per scenario on stdout; everything else goes to stderr.
// Every scenario uses its own queue (random suffix), obliterates it afterwards and
// closes all of its connections, so the process exits by itself.

import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { createRequire } from 'node:module';

const bullmqVersion = createRequire(import.meta.url)('bullmq/package.json').version;

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const JOBS = positiveInt('JOBS', 20000);
const WAKE_SAMPLES = positiveInt('WAKE_SAMPLES', 200);
const WAKE_WARMUP = positiveInt('WAKE_WARMUP', 2000);
const SCENARIO_TIMEOUT_S = positiveInt('SCENARIO_TIMEOUT_S', 600);
const CONCURRENCY_LIST = (process.env.CONCURRENCY_LIST || '1,100')
  .split(',')
  .map(s => s.trim())
  .filter(Boolean)
  .map(s => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) fail(`CONCURRENCY_LIST contains an invalid value: "${s}"`);
    return n;
  });

const ENQUEUE_IN_FLIGHT = 100;
const PREFILL_CHUNK = 1000;
const JOB_NAME = 'work_order';
const JOB_OPTS = { removeOnComplete: true, removeOnFail: true, attempts: 3 };
// Passed to BullMQ, which hands it to ioredis as `new IORedis(url, rest)`.
const CONNECTION = { url: REDIS_URL };

// ---------------------------------------------------------------------------
// helpers

function positiveInt(name, dflt) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) fail(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

function fail(msg) {
  console.error(`bench.mjs: ${msg}`);
  process.exit(1);
}

function log(msg) {
  console.error(`[bullmq-bench] ${msg}`);
}

function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function queueName(scenario) {
  return `agentvine-bench-${scenario}-${randomBytes(6).toString('hex')}`;
}

const INSTRUCTIONS = (
  'Add a paginated GET /api/v1/work-orders endpoint to the controller. ' +
  'Support filtering by status and priority, default page size 50, max 500. ' +
  'Reuse the existing repository layer, add an index on (status, created_at), ' +
  'and cover the new endpoint with integration tests against the embedded Redis. ' +
  'Update the OpenAPI spec and the README section on the REST API. Keep the change ' +
  'backwards compatible and behind the work-orders-v1 feature flag.'
).slice(0, 400).padEnd(400, '.');

// ~600 bytes of JSON, shaped like an AgentVine work order.
function workOrder(i) {
  return {
    id: randomUUID(),
    type: 'feature',
    priority: 'P2',
    repository_url: 'https://github.com/agentvine/sample-service.git',
    branch: `agentvine/wo-${String(i).padStart(8, '0')}`,
    title: `Implement paginated work-order listing endpoint #${i}`,
    instructions: INSTRUCTIONS,
    metadata: {},
  };
}

function elapsedSeconds(t0, t1) {
  return Number(t1 - t0) / 1e9;
}

function opsPerSecond(n, t0, t1) {
  return Math.round((n / elapsedSeconds(t0, t1)) * 10) / 10;
}

function nsToMs(ns) {
  return Number(ns) / 1e6;
}

// Nearest-rank percentile on an ascending-sorted array.
function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

function round3(x) {
  return x === null ? null : Math.round(x * 1000) / 1000;
}

function newQueue(name) {
  const q = new Queue(name, { connection: CONNECTION });
  q.on('error', err => log(`queue ${name} error: ${err && err.message}`));
  return q;
}

function newWorker(name, processor, opts) {
  const w = new Worker(name, processor, { connection: CONNECTION, ...opts });
  w.on('error', err => log(`worker ${name} error: ${err && err.message}`));
  w.on('failed', (job, err) => log(`job ${job && job.id} failed: ${err && err.message}`));
  return w;
}

// Runs fn with a watchdog, then always runs cleanup (close worker/queue, obliterate).
async function runScenario(label, fn) {
  const timer = setTimeout(() => {
    console.error(`bench.mjs: scenario ${label} did not finish within ${SCENARIO_TIMEOUT_S}s, aborting`);
    process.exit(1);
  }, SCENARIO_TIMEOUT_S * 1000);
  timer.unref();
  const resources = { queue: null, worker: null };
  try {
    await fn(resources);
  } finally {
    // Worker first: obliterate must not race with a live worker.
    if (resources.worker) await resources.worker.close().catch(e => log(`worker close: ${e.message}`));
    if (resources.queue) {
      await resources.queue.obliterate({ force: true }).catch(e => log(`obliterate: ${e.message}`));
      await resources.queue.close().catch(e => log(`queue close: ${e.message}`));
    }
    clearTimeout(timer);
  }
}

// Fail fast (exit 2) with a clear message if Redis cannot be reached; BullMQ's own
// connections would otherwise keep retrying forever.
async function checkRedis() {
  const client = new IORedis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastError = null;
  client.on('error', err => (lastError = err)); // reported below
  try {
    await client.connect();
    const pong = await client.ping();
    if (pong !== 'PONG') throw new Error(`unexpected PING reply ${pong}`);
    const policy = await client.config('GET', 'maxmemory-policy').catch(() => null);
    if (policy && policy[1]) log(`redis maxmemory-policy=${policy[1]}`);
    await client.quit();
  } catch (err) {
    client.disconnect();
    const cause = lastError || err;
    const detail = [cause && cause.code, cause && cause.message].filter(Boolean).join(' ') || String(cause);
    console.error(`bench.mjs: cannot reach Redis at ${REDIS_URL}: ${detail}`);
    process.exit(2);
  }
}

// ---------------------------------------------------------------------------
// scenarios

async function enqueueScenario() {
  const name = queueName('enqueue');
  await runScenario('enqueue', async res => {
    const queue = (res.queue = newQueue(name));
    await queue.waitUntilReady();
    log(`enqueue: ${JOBS} jobs, ${ENQUEUE_IN_FLIGHT} in flight, queue ${name}`);

    let next = 0;
    // ENQUEUE_IN_FLIGHT lanes; each starts a new add as soon as its previous one
    // resolves => a sliding window with exactly ENQUEUE_IN_FLIGHT adds outstanding.
    const lane = async () => {
      while (next < JOBS) {
        const i = next++;
        await queue.add(JOB_NAME, workOrder(i), JOB_OPTS);
      }
    };
    const t0 = process.hrtime.bigint();
    await Promise.all(Array.from({ length: Math.min(ENQUEUE_IN_FLIGHT, JOBS) }, lane));
    const t1 = process.hrtime.bigint();

    emit({
      system: 'bullmq',
      scenario: 'enqueue',
      in_flight: ENQUEUE_IN_FLIGHT,
      jobs: JOBS,
      ops_per_s: opsPerSecond(JOBS, t0, t1),
    });
  });
}

async function claimAckScenario(concurrency) {
  const name = queueName(`claim-c${concurrency}`);
  await runScenario(`claim_ack c=${concurrency}`, async res => {
    const queue = (res.queue = newQueue(name));
    await queue.waitUntilReady();

    // Pre-fill (not timed).
    for (let start = 0; start < JOBS; start += PREFILL_CHUNK) {
      const batch = [];
      for (let i = start; i < Math.min(start + PREFILL_CHUNK, JOBS); i++) {
        batch.push({ name: JOB_NAME, data: workOrder(i), opts: JOB_OPTS });
      }
      await queue.addBulk(batch);
    }
    const waiting = await queue.getWaitingCount();
    if (waiting !== JOBS) throw new Error(`pre-fill: expected ${JOBS} waiting jobs, found ${waiting}`);
    log(`claim_ack: concurrency ${concurrency}, ${JOBS} jobs pre-filled in ${name}`);

    let completed = 0;
    let failed = 0;
    let resolveDone;
    const done = new Promise(r => (resolveDone = r));
    const check = () => {
      if (completed + failed >= JOBS) resolveDone();
    };

    const t0 = process.hrtime.bigint();
    const worker = (res.worker = newWorker(name, async () => {}, {
      concurrency,
      autorun: true,
      removeOnComplete: { count: 0 },
      // drainDelay, stalledInterval: BullMQ defaults
    }));
    worker.on('completed', () => {
      completed++;
      check();
    });
    worker.on('failed', () => {
      failed++;
      check();
    });
    await done;
    const t1 = process.hrtime.bigint();
    if (failed > 0) throw new Error(`claim_ack: ${failed} jobs failed`);

    emit({
      system: 'bullmq',
      scenario: 'claim_ack',
      concurrency,
      jobs: JOBS,
      ops_per_s: opsPerSecond(JOBS, t0, t1),
    });
  });
}

async function wakeupScenario() {
  const name = queueName('wakeup');
  await runScenario('wakeup', async res => {
    const queue = (res.queue = newQueue(name));
    await queue.waitUntilReady();

    let startedAt = null; // hrtime when the processor started the current job
    let resolveProcessed = null;
    const worker = (res.worker = newWorker(
      name,
      async () => {
        startedAt = process.hrtime.bigint();
      },
      { concurrency: 1, autorun: true },
    ));
    worker.on('completed', () => {
      if (resolveProcessed) resolveProcessed();
    });
    worker.on('failed', () => {
      if (resolveProcessed) resolveProcessed();
    });
    await worker.waitUntilReady();
    await sleep(500); // let the worker go idle / block on the empty queue
    log(`wakeup: ${WAKE_SAMPLES} samples on ${name}`);

    const fromCall = [];
    const fromResolved = [];
    // The first WAKE_WARMUP wake-ups are not timed, as on AgentVine's side (whose wake-up code the claim scenarios
    // never run); this worker's functions are warm from its claim scenarios already.
    for (let i = -WAKE_WARMUP; i < WAKE_SAMPLES; i++) {
      startedAt = null;
      const processed = new Promise(r => (resolveProcessed = r));
      const tCall = process.hrtime.bigint();
      await queue.add(JOB_NAME, workOrder(i + WAKE_WARMUP), JOB_OPTS);
      const tResolved = process.hrtime.bigint();
      await processed;
      resolveProcessed = null;
      if (startedAt === null) throw new Error('wakeup: job completed without processor start time');
      if (i >= 0) {
        fromCall.push(nsToMs(startedAt - tCall));
        // May be negative: the worker can be woken before the add's reply reaches us.
        fromResolved.push(nsToMs(startedAt - tResolved));
      }
      await sleep(20);
    }

    fromCall.sort((a, b) => a - b);
    fromResolved.sort((a, b) => a - b);
    log(
      `wakeup: min/max from call ${round3(fromCall[0])}/${round3(fromCall[fromCall.length - 1])} ms, ` +
        `from resolved add ${round3(fromResolved[0])}/${round3(fromResolved[fromResolved.length - 1])} ms`,
    );
    emit({
      system: 'bullmq',
      scenario: 'wakeup',
      samples: fromCall.length,
      p50_ms: round3(percentile(fromCall, 50)),
      p99_ms: round3(percentile(fromCall, 99)),
      p50_after_add_ms: round3(percentile(fromResolved, 50)),
      p99_after_add_ms: round3(percentile(fromResolved, 99)),
    });
  });
}

// ---------------------------------------------------------------------------

async function main() {
  await checkRedis();
  log(`bullmq ${bullmqVersion}, job payload ${Buffer.byteLength(JSON.stringify(workOrder(0)))} bytes`);
  log(`redis=${REDIS_URL} jobs=${JOBS} wake_samples=${WAKE_SAMPLES} concurrency=${CONCURRENCY_LIST.join(',')}`);
  await enqueueScenario();
  for (const c of CONCURRENCY_LIST) await claimAckScenario(c);
  await wakeupScenario();
}

main().then(
  () => {
    process.exitCode = 0;
  },
  err => {
    console.error(`bench.mjs: failed: ${err && err.stack ? err.stack : err}`);
    process.exit(1);
  },
);
